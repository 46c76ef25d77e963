/** Synthflow actions: `/actions[/{action_id}]`, attach and detach; LIVE_TRANSFER is the one sipflow writes. */
import { boolParam, E164, isRecord, type Reply, type RequestContext, type Route } from './http.js';
import type { SynthflowActionRecord, SynthflowAssistantRecord } from './state.js';
import { TRANSFER_FIELDS } from '../vendors/transfer-fields.js';
import { bad, notFound, objectBody, ok, page, paging, stringList } from './synthflow-common.js';

export const actionRoutes: readonly Route[] = [
    { method: 'GET', pattern: '/actions', handler: listActions },
    { method: 'POST', pattern: '/actions', handler: createAction },
    { method: 'GET', pattern: '/actions/{action_id}', handler: getAction },
    { method: 'PUT', pattern: '/actions/{action_id}', handler: updateAction },
    { method: 'DELETE', pattern: '/actions/{action_id}', handler: deleteAction },
    { method: 'POST', pattern: '/actions/attach', handler: attachActions },
    { method: 'POST', pattern: '/actions/detach', handler: detachActions },
];

export const ACTION_TYPES = ['REAL_TIME_BOOKING', 'INFORMATION_EXTRACTOR', 'LIVE_TRANSFER', 'SEND_SMS', 'INCALL_SMS', 'INCALL_WHATSAPP', 'CUSTOM_ACTION', 'CUSTOM_EVAL'] as const;

export const TRANSFER_MODES = ['cold_transfer', 'warm_transfer', 'warm_transfer_with_context'] as const;

/**
 * The readable configuration of an action, as `parameters_hard_coded` (an open object in the spec).
 * LIVE_TRANSFER: the whole `LIVE_TRANSFER` object as last written (`transfer_mode`, `phone`,
 * `instructions`, `initiating_msg`, …). SEND_SMS: `sms_message_text`. Others: `{}`.
 */
function parametersHardCoded(ctx: RequestContext, a: SynthflowActionRecord): Record<string, unknown> {
    if (a.action_type === 'LIVE_TRANSFER') return ctx.assumptions.liveTransferReadBack ? structuredClone(a.config) : {};
    if (a.action_type === 'SEND_SMS' && typeof a.config.content === 'string') return { sms_message_text: a.config.content };
    return {};
}

function renderActionSummary(ctx: RequestContext, a: SynthflowActionRecord): Record<string, unknown> {
    return { action_id: a.action_id, action_type: a.action_type, name: a.name, description: a.description, parameters_hard_coded: parametersHardCoded(ctx, a) };
}

function listActions(ctx: RequestContext): Reply {
    const { items, pagination } = page(ctx.state.synthflow.actions, paging(ctx));
    return ok({ pagination, actions: items.map(a => renderActionSummary(ctx, a)) });
}

function findAction(ctx: RequestContext): SynthflowActionRecord {
    const id = ctx.params.action_id!;
    const found = ctx.state.synthflow.actions.find(a => a.action_id === id);
    if (!found) throw notFound(`Action ${id} not found`);
    return found;
}

function getAction(ctx: RequestContext): Reply {
    const action = findAction(ctx);
    const includeAssistants = boolParam(ctx.query, 'include_assistants');
    if (includeAssistants === null) throw bad('include_assistants must be true or false');
    const item: Record<string, unknown> = renderActionSummary(ctx, action);
    if (includeAssistants) {
        item.assistants = ctx.state.synthflow.assistants.filter(a => a.actions.includes(action.action_id)).map(a => a.model_id);
    }
    return ok({ actions: [item] });
}

/** The single `{TYPE: {…}}` entry of a create/update body. */
function typedConfig(body: Record<string, unknown>): { type: string; config: Record<string, unknown> } {
    const keys = Object.keys(body).filter(k => (ACTION_TYPES as readonly string[]).includes(k));
    if (keys.length !== 1) throw bad(`The body must contain exactly one action type: one of ${ACTION_TYPES.join(', ')}`);
    const type = keys[0]!;
    const config = body[type];
    if (!isRecord(config)) throw bad(`${type} must be an object`);
    return { type, config };
}

/** LIVE_TRANSFER's fields by kind: sipflow's (the transfer field table) and those of the spec sipflow does not write. `phone` is checked apart (or phone_book_id). */
const LIVE_TRANSFER_REQUIRED = TRANSFER_FIELDS.filter(f => f.required && f.api !== 'phone').map(f => f.api);
const LIVE_TRANSFER_STRINGS = [
    ...TRANSFER_FIELDS.filter(f => f.type === 'string' && f.api !== 'phone' && f.api !== 'transfer_mode').map(f => f.api),
    'goodbye_msg',
    'message_to_transfer_target',
    'digits',
    'summarization_prompt',
];
const LIVE_TRANSFER_INTEGERS = [...TRANSFER_FIELDS.filter(f => f.type === 'integer').map(f => f.api), 'human_detection_timeout_seconds'];

/** Required fields of LIVE_TRANSFER (LiveTransferCreateDirectPhoneConfig / …PhoneBookConfig). */
function checkLiveTransfer(ctx: RequestContext, config: Record<string, unknown>): void {
    const hasPhone = config.phone !== undefined;
    const hasBook = config.phone_book_id !== undefined;
    if (hasPhone === hasBook) throw bad('LIVE_TRANSFER needs exactly one of phone or phone_book_id');
    const missing = LIVE_TRANSFER_REQUIRED.filter(f => config[f] === undefined || config[f] === null || config[f] === '');
    if (hasPhone && (typeof config.phone !== 'string' || config.phone.trim() === '')) missing.push('phone');
    if (missing.length > 0) throw bad(`LIVE_TRANSFER is missing required field(s): ${missing.join(', ')}`);
    if (!(TRANSFER_MODES as readonly unknown[]).includes(config.transfer_mode)) throw bad(`transfer_mode must be one of ${TRANSFER_MODES.join(', ')}`);
    if (hasPhone && !ctx.assumptions.sipUriInTransferPhone && !E164.test(config.phone as string)) throw bad('LIVE_TRANSFER.phone must be a phone number in E.164 format');
    for (const f of LIVE_TRANSFER_STRINGS) {
        if (config[f] !== undefined && typeof config[f] !== 'string') throw bad(`LIVE_TRANSFER.${f} must be a string`);
    }
    for (const f of LIVE_TRANSFER_INTEGERS) {
        if (config[f] !== undefined && (typeof config[f] !== 'number' || !Number.isInteger(config[f]) || (config[f] as number) <= 0)) {
            throw bad(`LIVE_TRANSFER.${f} must be a positive integer`);
        }
    }
    const hd = config.human_detection_timeout_seconds;
    if (typeof hd === 'number' && (hd < 30 || hd > 1800)) throw bad('LIVE_TRANSFER.human_detection_timeout_seconds must be between 30 and 1800');
}

const REQUIRED_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
    SEND_SMS: ['content', 'instructions'],
    INCALL_SMS: ['message_body'],
    INCALL_WHATSAPP: ['content_sid'],
    REAL_TIME_BOOKING: ['first_appt_date', 'max_time_slots', 'min_hours_diff', 'no_of_days', 'timezone'],
};

function checkConfig(ctx: RequestContext, type: string, config: Record<string, unknown>): void {
    if (type === 'LIVE_TRANSFER') return checkLiveTransfer(ctx, config);
    const missing = (REQUIRED_BY_TYPE[type] ?? []).filter(f => config[f] === undefined);
    if (missing.length > 0) throw bad(`${type} is missing required field(s): ${missing.join(', ')}`);
}

/** The action's display name: `name` inside the typed object, else top-level `name`, else a default. */
function nameOf(ctx: RequestContext, type: string, config: Record<string, unknown>, body: Record<string, unknown>): string {
    const kept = type !== 'LIVE_TRANSFER' || ctx.assumptions.liveTransferNameKept;
    const name = !kept ? undefined : typeof config.name === 'string' ? config.name : typeof body.name === 'string' ? body.name : undefined;
    return name ?? (type === 'LIVE_TRANSFER' ? 'Live transfer' : type.toLowerCase().replace(/_/g, ' '));
}

function storedConfig(type: string, config: Record<string, unknown>): Record<string, unknown> {
    const copy = structuredClone(config);
    // `name` is the action's name, not part of the transfer configuration.
    if (type === 'LIVE_TRANSFER') delete copy.name;
    return copy;
}

function createAction(ctx: RequestContext): Reply {
    const body = objectBody(ctx);
    const { type, config } = typedConfig(body);
    checkConfig(ctx, type, config);
    const action: SynthflowActionRecord = {
        action_id: ctx.newId(),
        action_type: type,
        name: nameOf(ctx, type, config, body),
        description: typeof body.description === 'string' ? body.description : '',
        config: storedConfig(type, config),
        created_at: ctx.now().toISOString(),
        updated_at: null,
    };
    ctx.state.synthflow.actions.push(action);
    ctx.mutated = true;
    return ok({ action_id: action.action_id, action_type: type, prompt_variables: [] });
}

function updateAction(ctx: RequestContext): Reply {
    const action = findAction(ctx);
    const body = objectBody(ctx);
    const { type, config } = typedConfig(body);
    if (type !== action.action_type) throw bad(`Action ${action.action_id} is a ${action.action_type} action; its type cannot change to ${type}`);
    checkConfig(ctx, type, config);
    // PUT replaces the configuration: optional fields left out are gone afterwards.
    action.config = storedConfig(type, config);
    const keepsNames = type !== 'LIVE_TRANSFER' || ctx.assumptions.liveTransferNameKept;
    if (keepsNames && (typeof config.name === 'string' || typeof body.name === 'string')) action.name = nameOf(ctx, type, config, body);
    if (typeof body.description === 'string') action.description = body.description;
    action.updated_at = ctx.now().toISOString();
    ctx.mutated = true;
    return ok({ action_id: action.action_id });
}

function deleteAction(ctx: RequestContext): Reply {
    const action = findAction(ctx);
    for (const a of ctx.state.synthflow.assistants) a.actions = a.actions.filter(id => id !== action.action_id);
    ctx.state.synthflow.actions = ctx.state.synthflow.actions.filter(a => a !== action);
    ctx.mutated = true;
    return ok({ answer: `Action ${action.action_id} deleted` });
}

function assistantForBody(ctx: RequestContext, body: Record<string, unknown>): SynthflowAssistantRecord {
    if (typeof body.model_id !== 'string' || body.model_id === '') throw bad('Missing required field: model_id');
    const found = ctx.state.synthflow.assistants.find(a => a.model_id === body.model_id);
    if (!found) throw notFound(`Assistant ${body.model_id} not found`);
    return found;
}

/** The action ids of an attach body: `actions: [id…]` or `items: [{action_id}…]`. */
function attachIds(body: Record<string, unknown>): string[] {
    if (body.actions !== undefined && body.items !== undefined) throw bad('Provide either actions or items, not both');
    if (body.items !== undefined) {
        if (!Array.isArray(body.items)) throw bad('items must be an array');
        return body.items.map((item, i) => {
            if (!isRecord(item) || typeof item.action_id !== 'string') throw bad(`items[${i}].action_id is required (slug-based items are not supported by the sandbox)`);
            return item.action_id;
        });
    }
    return body.actions === undefined ? [] : stringList(body.actions, 'actions');
}

/**
 * Attach adds the given actions to the assistant's list, keeping the order and the actions already
 * there ([I]: the spec does not say; with the `attachReplaces` assumption the list becomes exactly the
 * given one, the hazard sipflow's read-back detects). Unknown ids → 400, nothing changed.
 */
// [I] assumption: attach-adds
function attachActions(ctx: RequestContext): Reply {
    const body = objectBody(ctx);
    const assistant = assistantForBody(ctx, body);
    const ids = [...new Set(attachIds(body))];
    const unknown = ids.filter(id => !ctx.state.synthflow.actions.some(a => a.action_id === id));
    if (unknown.length > 0) throw bad(`Unknown action id(s): ${unknown.join(', ')}`);
    assistant.actions = ctx.assumptions.attachReplaces ? ids : [...assistant.actions, ...ids.filter(id => !assistant.actions.includes(id))];
    ctx.mutated = true;
    return ok({});
}

function detachActions(ctx: RequestContext): Reply {
    const body = objectBody(ctx);
    const assistant = assistantForBody(ctx, body);
    const ids = body.actions === undefined ? [] : stringList(body.actions, 'actions');
    const kept = assistant.actions.filter(id => !ids.includes(id));
    if (kept.length !== assistant.actions.length) {
        assistant.actions = kept;
        ctx.mutated = true;
    }
    return ok({});
}
