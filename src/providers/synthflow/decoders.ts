/**
 * Synthflow response shapes → the provider types (and the one request shape two modules send, the
 * LIVE_TRANSFER body). Each decoder checks what it reads: a body without the promised shape becomes
 * an invalid-response ProviderError through `invalid`, never a TypeError later.
 */
import { numberSlug, TRANSFER_MODES } from '../../vendors/synthflow-facts.js';
import { TRANSFER_FIELDS } from '../../vendors/transfer-fields.js';
import { expectObject, expectString, isObject, optionalString, stringArray, type InvalidResponse, type JsonObject } from '../http/shape.js';
import type { LiveSynthflowAction, LiveSynthflowAssistant, LiveSynthflowNumber, LiveTransferConfig } from '../types.js';
import type { SynthflowLiveTransferBody } from './api-types.js';

const TRANSFER_MODE_VALUES: readonly string[] = Object.values(TRANSFER_MODES);

/** A call as GET /calls lists it: the fields `sipflow verify --call` reads. */
export interface LiveCall {
    readonly callId: string;
    readonly modelId: string;
    readonly status: string | null;
    readonly endCallReason: string | null;
    readonly errorMessage: string | null;
    /** The other party: for an inbound call, the caller as it reached the agent. */
    readonly leadPhoneNumber: string | null;
    readonly phoneNumberTo: string | null;
    readonly startTime: string | null;
    /** `executed_actions` as returned (an open object in the spec). */
    readonly executedActions: Readonly<Record<string, unknown>>;
}

export function withPlus(number: string): string {
    return number.startsWith('+') ? number : `+${number}`;
}

export function toNumber(value: unknown, invalid: InvalidResponse): LiveSynthflowNumber {
    const n = expectObject(value, 'the number', invalid);
    const phone = expectString(n['phone_number'], '`phone_number`', invalid);
    return {
        e164: withPlus(phone),
        slug: typeof n['slug'] === 'string' ? n['slug'] : numberSlug(phone),
        friendlyName: optionalString(n['friendly_name']),
        providerName: optionalString(n['provider_name']),
        sipTermUri: optionalString(n['sip_term_uri']),
        sipAuthUsername: optionalString(n['sip_auth_username']),
        assistants: stringArray(n['assistants']),
        isAvailable: typeof n['is_available'] === 'boolean' ? n['is_available'] : null,
    };
}

export function toAssistant(value: unknown, invalid: InvalidResponse): LiveSynthflowAssistant {
    const a = expectObject(value, 'the assistant', invalid);
    const pool = Array.isArray(a['attached_phone_numbers'])
        ? a['attached_phone_numbers'].map(p => (isObject(p) && typeof p['number'] === 'string' ? withPlus(p['number']) : undefined)).filter((p): p is string => p !== undefined)
        : [];
    const phone = typeof a['phone_number'] === 'string' && a['phone_number'].trim() !== '' ? withPlus(a['phone_number'].trim()) : null;
    return {
        modelId: expectString(a['model_id'], '`model_id`', invalid),
        name: typeof a['name'] === 'string' ? a['name'] : '',
        type: typeof a['type'] === 'string' ? a['type'] : '',
        phoneNumber: phone,
        poolNumbers: pool,
        actionIds: stringArray(a['actions']),
    };
}

export function toAction(value: unknown, invalid: InvalidResponse): LiveSynthflowAction {
    const item = expectObject(value, 'the action', invalid);
    const liveTransfer = readLiveTransfer(item);
    const actionId = expectString(item['action_id'], '`action_id`', invalid);
    return {
        actionId,
        actionType: typeof item['action_type'] === 'string' ? item['action_type'] : '',
        name: optionalString(item['name']),
        ...(liveTransfer ? { liveTransfer } : {}),
        ...(Array.isArray(item['assistants']) ? { assistants: stringArray(item['assistants']) } : {}),
    };
}

export function toCall(value: unknown, modelId: string, invalid: InvalidResponse): LiveCall {
    const c = expectObject(value, 'the call', invalid);
    return {
        callId: expectString(c['call_id'], '`call_id`', invalid),
        modelId: typeof c['model_id'] === 'string' ? c['model_id'] : modelId,
        status: optionalString(c['call_status']),
        endCallReason: optionalString(c['end_call_reason']),
        errorMessage: optionalString(c['error_message']),
        leadPhoneNumber: optionalString(c['lead_phone_number']),
        phoneNumberTo: optionalString(c['phone_number_to']),
        startTime: optionalString(c['start_time']),
        executedActions: isObject(c['executed_actions']) ? c['executed_actions'] : {},
    };
}

/**
 * The `LIVE_TRANSFER` body for a config: every field of the transfer table (src/vendors/transfer-fields.ts) that
 * the config sets, by its API name. The API's required fields are required in LiveTransferConfig too.
 */
export function liveTransferBody(config: LiveTransferConfig): SynthflowLiveTransferBody {
    const body: Record<string, unknown> = {};
    // `phone` carries the escalation's SIP URI. [I] assumption: sip-uri-in-transfer-phone
    for (const { key, api } of TRANSFER_FIELDS) if (config[key] !== undefined) body[api] = config[key];
    return body as unknown as SynthflowLiveTransferBody;
}

/**
 * Reads a LIVE_TRANSFER configuration back from an action item, where the server exposes one (the
 * spec declares none): the `LIVE_TRANSFER` object, else `parameters_hard_coded` when it carries the
 * transfer fields. Undefined when the required fields are not all there.
 */
export function readLiveTransfer(item: JsonObject): LiveTransferConfig | undefined {
    // [I] assumption: live-transfer-read-back
    const candidates = [item['LIVE_TRANSFER'], item['live_transfer'], item['config'], item['parameters_hard_coded']];
    for (const candidate of candidates) {
        const config = isObject(candidate) ? transferFromApi(candidate) : undefined;
        if (config) return config;
    }
    return undefined;
}

/** The transfer table's fields read from one object by their API names; undefined when a required one is missing or mistyped, or the mode is not Synthflow's. */
function transferFromApi(candidate: JsonObject): LiveTransferConfig | undefined {
    const config: Record<string, unknown> = {};
    for (const { key, api, type, required } of TRANSFER_FIELDS) {
        const value = candidate[api];
        if (typeof value === (type === 'integer' ? 'number' : 'string')) config[key] = value;
        else if (required) return undefined;
    }
    return TRANSFER_MODE_VALUES.includes(config['transferMode'] as string) ? (config as unknown as LiveTransferConfig) : undefined;
}

/** Whether two transfer configurations agree on every field of the transfer table. */
export function sameTransferConfig(a: LiveTransferConfig, b: LiveTransferConfig): boolean {
    return TRANSFER_FIELDS.every(({ key }) => a[key] === b[key]);
}
