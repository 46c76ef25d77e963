/**
 * Synthflow response shapes → the provider types (and the one request shape two modules send, the
 * LIVE_TRANSFER body). Each decoder checks what it reads: a body without the promised shape becomes
 * an invalid-response ProviderError through `invalid`, never a TypeError later.
 */
import { numberSlug, TRANSFER_MODES, type SynthflowTransferMode } from '../../vendors/synthflow-facts.js';
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

/** The `LIVE_TRANSFER` body for a config: the API's required fields plus the optional ones set. */
export function liveTransferBody(config: LiveTransferConfig): SynthflowLiveTransferBody {
    return {
        transfer_mode: config.transferMode,
        // [I] assumption: sip-uri-in-transfer-phone
        phone: config.phone,
        instructions: config.instructions,
        initiating_msg: config.initiatingMsg,
        ...(config.failedMsg !== undefined ? { failed_msg: config.failedMsg } : {}),
        ...(config.timeout !== undefined ? { timeout: config.timeout } : {}),
    };
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
        if (!isObject(candidate)) continue;
        const mode = candidate['transfer_mode'];
        const phone = candidate['phone'];
        const instructions = candidate['instructions'];
        const initiating = candidate['initiating_msg'];
        if (typeof mode !== 'string' || !TRANSFER_MODE_VALUES.includes(mode)) continue;
        if (typeof phone !== 'string' || typeof instructions !== 'string' || typeof initiating !== 'string') continue;
        const failed = candidate['failed_msg'];
        const timeout = candidate['timeout'];
        return {
            transferMode: mode as SynthflowTransferMode,
            phone,
            instructions,
            initiatingMsg: initiating,
            ...(typeof failed === 'string' ? { failedMsg: failed } : {}),
            ...(typeof timeout === 'number' ? { timeout } : {}),
        };
    }
    return undefined;
}
