/**
 * Synthflow under `/v2` (shared/specs/synthflow/synthflow-openapi.json). Success bodies use the
 * `{status: "ok", response: {…}}` envelope the spec declares (GET /numbers/{slug} is flat); errors are
 * `{"detail": {status, description, request_id, category}}`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ApiError, boolParam, E164, intParam, isRecord, json, type Reply, type RequestContext, type Route } from './http.js';
import { callRoutes } from './calls.js';
import type { SynthflowActionRecord, SynthflowAssistantRecord, SynthflowNumberRecord } from './state.js';

export const SYNTHFLOW_PREFIX = '/v2';

export const PROVIDERS = ['twilio', 'telnyx', 'vonage', 'ring_central', 'ringcx', 'custom', 'zoom', 'five9'] as const;
/** Providers whose SIP domain Synthflow cannot fill in itself: `termination_uri` is required. */
const PROVIDERS_NEEDING_URI = ['custom', 'twilio', 'telnyx', 'vonage', 'ring_central'];
/** Providers whose numbers need not be E.164. */
const PROVIDERS_ANY_IDENTIFIER = ['five9', 'zoom'];
export const ACTION_TYPES = ['REAL_TIME_BOOKING', 'INFORMATION_EXTRACTOR', 'LIVE_TRANSFER', 'SEND_SMS', 'INCALL_SMS', 'INCALL_WHATSAPP', 'CUSTOM_ACTION', 'CUSTOM_EVAL'] as const;
export const TRANSFER_MODES = ['cold_transfer', 'warm_transfer', 'warm_transfer_with_context'] as const;
const DEFAULT_LIMIT = 20;

export function synthflowError(status: number, description: string, category: string): Reply {
    return json(status, { detail: { status: 'error', description, request_id: randomUUID(), category } });
}

export const synthflowRoutes: readonly Route[] = [
    { method: 'POST', pattern: '/custom-numbers', handler: importNumber },
    { method: 'GET', pattern: '/numbers', handler: listNumbers },
    { method: 'GET', pattern: '/numbers/{slug}', handler: getNumber },
    { method: 'PATCH', pattern: '/numbers/{slug}', handler: updateNumber },
    { method: 'DELETE', pattern: '/numbers/{slug}', handler: deleteNumber },
    { method: 'GET', pattern: '/assistants', handler: listAssistants },
    { method: 'GET', pattern: '/assistants/{model_id}', handler: getAssistant },
    { method: 'PUT', pattern: '/assistants/{model_id}', handler: updateAssistant },
    { method: 'PUT', pattern: '/assistants/{model_id}/phone_numbers', handler: setAssistantNumbers },
    { method: 'DELETE', pattern: '/assistants/{model_id}/phone_numbers/{slug}', handler: detachAssistantNumber },
    { method: 'GET', pattern: '/actions', handler: listActions },
    { method: 'POST', pattern: '/actions', handler: createAction },
    { method: 'GET', pattern: '/actions/{action_id}', handler: getAction },
    { method: 'PUT', pattern: '/actions/{action_id}', handler: updateAction },
    { method: 'DELETE', pattern: '/actions/{action_id}', handler: deleteAction },
    { method: 'POST', pattern: '/actions/attach', handler: attachActions },
    { method: 'POST', pattern: '/actions/detach', handler: detachActions },
    ...callRoutes,
];

const ok = (response?: unknown): Reply => json(200, response === undefined ? { status: 'ok' } : { status: 'ok', response });
const bad = (description: string) => new ApiError(400, description, 'validation_error');
const notFound = (description: string) => new ApiError(404, description, 'not_found');

function objectBody(ctx: RequestContext): Record<string, unknown> {
    if (!isRecord(ctx.body)) throw bad('The request body must be a JSON object');
    return ctx.body;
}

function paging(ctx: RequestContext): { limit: number; offset: number } {
    const limit = intParam(ctx.query, 'limit');
    const offset = intParam(ctx.query, 'offset');
    if (Number.isNaN(limit) || limit === 0) throw bad('limit must be a positive integer');
    if (Number.isNaN(offset)) throw bad('offset must be a non-negative integer');
    return { limit: Math.min(limit ?? DEFAULT_LIMIT, ctx.assumptions.synthflowMaxPageSize), offset: offset ?? 0 };
}

function page<T>(items: readonly T[], { limit, offset }: { limit: number; offset: number }) {
    return { items: items.slice(offset, offset + limit), pagination: { total_records: items.length, limit, offset } };
}

export function sha256(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ─── Numbers ────────────────────────────────────────────────────────────────────────────────────────

function slugOf(phoneNumber: string): string {
    return phoneNumber.replace(/^\+/, '');
}

/** The assistants a number is attached to: as an inbound agent's `phone_number`, or in an outbound pool. */
function assistantsOf(ctx: RequestContext, slug: string): SynthflowAssistantRecord[] {
    return ctx.state.synthflow.assistants.filter(a => a.inbound_phone_slug === slug || a.phone_number_slugs.includes(slug));
}

/** The inbound agent whose `phone_number` the number is (at most one). */
function inboundHolder(ctx: RequestContext, slug: string): SynthflowAssistantRecord | undefined {
    return ctx.state.synthflow.assistants.find(a => a.type === 'inbound' && a.inbound_phone_slug === slug);
}

/** `is_available`: "not assigned to an inbound agent". */
function isAvailable(ctx: RequestContext, slug: string): boolean {
    return inboundHolder(ctx, slug) === undefined;
}

const ISO_BY_PREFIX: ReadonlyArray<readonly [string, string]> = [
    ['+45', 'DK'],
    ['+44', 'GB'],
    ['+46', 'SE'],
    ['+47', 'NO'],
    ['+49', 'DE'],
    ['+1', 'US'],
];

/** The flat number object of GET /numbers/{slug}. Fields the spec types as non-null strings are omitted when unset. */
function renderNumber(ctx: RequestContext, n: SynthflowNumberRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
        slug: n.slug,
        phone_number: n.phone_number,
        provider_name: n.provider_name,
        sip_auth_username: n.sip_auth_username,
        sip_outbound_proxy: n.sip_outbound_proxy,
        uac_enabled: n.uac_enabled,
        uac_register_expires: n.uac_register_expires,
        region: n.region,
        is_available: isAvailable(ctx, n.slug),
        is_sms_capable: false,
        is_voice_capable: true,
        workspace_id: n.workspace_id,
        agency_workspace_id: null,
        created_at: n.created_at,
        updated_at: n.updated_at,
        assistants: assistantsOf(ctx, n.slug).map(a => a.model_id),
    };
    if (n.friendly_name !== null) out.friendly_name = n.friendly_name;
    if (n.sip_term_uri !== null) out.sip_term_uri = n.sip_term_uri;
    const iso = ISO_BY_PREFIX.find(([prefix]) => n.phone_number.startsWith(prefix));
    if (iso) out.iso_country = iso[1];
    return out;
}

function optString(body: Record<string, unknown>, field: string): string | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw bad(`${field} must be a string`);
    return v;
}

function optBool(body: Record<string, unknown>, field: string): boolean | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw bad(`${field} must be a boolean`);
    return v;
}

function optInt(body: Record<string, unknown>, field: string): number | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`${field} must be an integer`);
    return v;
}

function checkProvider(value: string | undefined): string | undefined {
    if (value !== undefined && !(PROVIDERS as readonly string[]).includes(value)) throw bad(`provider_name must be one of ${PROVIDERS.join(', ')}`);
    return value;
}

function checkUac(n: Pick<SynthflowNumberRecord, 'uac_enabled' | 'uac_register_expires' | 'trunk_username' | 'trunk_pwd_sha256'>): void {
    if (n.uac_register_expires !== null && (n.uac_register_expires < 60 || n.uac_register_expires > 3600)) {
        throw bad('uac_register_expires must be between 60 and 3600 seconds');
    }
    if (n.uac_enabled && (n.trunk_username === null || n.trunk_pwd_sha256 === null)) {
        throw bad('uac_enabled requires trunk_username and trunk_pwd');
    }
}

function importNumber(ctx: RequestContext): Reply {
    const body = objectBody(ctx);
    const missing = ['workspace_id', 'phone_number'].filter(f => body[f] === undefined || body[f] === null || body[f] === '');
    if (missing.length > 0) throw bad(`Missing required field(s): ${missing.join(', ')}`);
    const workspace = optString(body, 'workspace_id')!;
    const phoneNumber = optString(body, 'phone_number')!;
    const provider = checkProvider(optString(body, 'provider_name')) ?? 'custom';
    if (!PROVIDERS_ANY_IDENTIFIER.includes(provider) && !E164.test(phoneNumber)) throw bad(`phone_number must be in E.164 format, got ${phoneNumber}`);
    const terminationUri = optString(body, 'termination_uri');
    if (PROVIDERS_NEEDING_URI.includes(provider) && (terminationUri === undefined || terminationUri.trim() === '')) {
        throw bad(`termination_uri is required for provider ${provider}`);
    }
    const slug = slugOf(phoneNumber);
    if (ctx.state.synthflow.numbers.some(n => n.slug === slug)) {
        throw new ApiError(400, `Phone number ${phoneNumber} already exists`, 'conflict');
    }
    const password = optString(body, 'trunk_pwd');
    const record: SynthflowNumberRecord = {
        key: ctx.newId(),
        slug,
        phone_number: phoneNumber,
        friendly_name: optString(body, 'friendly_name') ?? null,
        provider_name: provider,
        sip_term_uri: terminationUri ?? null,
        trunk_username: optString(body, 'trunk_username') ?? null,
        trunk_pwd_sha256: password === undefined ? null : sha256(password),
        sip_auth_username: optString(body, 'sip_auth_username') ?? null,
        sip_outbound_proxy: optString(body, 'sip_outbound_proxy') ?? null,
        uac_enabled: optBool(body, 'uac_enabled') ?? false,
        uac_register_expires: optInt(body, 'uac_register_expires') ?? null,
        region: 'eu',
        workspace_id: workspace,
        created_at: ctx.now().toISOString(),
        updated_at: null,
    };
    checkUac(record);
    ctx.state.synthflow.numbers.push(record);
    if (!ctx.state.synthflow.workspaces.includes(workspace)) ctx.state.synthflow.workspaces.push(workspace);
    ctx.mutated = true;
    return ok({ key: record.key, phone_number: record.phone_number });
}

function requireWorkspace(ctx: RequestContext): string {
    const workspace = ctx.query.get('workspace');
    if (!workspace) throw bad('Missing required query parameter: workspace');
    return workspace;
}

function listNumbers(ctx: RequestContext): Reply {
    const workspace = requireWorkspace(ctx);
    const available = boolParam(ctx.query, 'is_available');
    if (available === null) throw bad('is_available must be true or false');
    const numbers = ctx.state.synthflow.numbers
        .filter(n => n.workspace_id === workspace)
        .filter(n => available === undefined || isAvailable(ctx, n.slug) === available);
    const { items, pagination } = page(numbers, paging(ctx));
    return ok({
        pagination,
        phone_numbers: items.map(n => ({ number: n.phone_number, sid: null, is_available: isAvailable(ctx, n.slug) })),
    });
}

function findNumber(ctx: RequestContext, slug: string, workspace?: string): SynthflowNumberRecord {
    const normalised = slugOf(slug);
    const found = ctx.state.synthflow.numbers.find(n => n.slug === normalised && (workspace === undefined || n.workspace_id === workspace));
    if (!found) throw notFound(`Phone number ${slug} not found`);
    return found;
}

function getNumber(ctx: RequestContext): Reply {
    const workspace = requireWorkspace(ctx);
    return json(200, renderNumber(ctx, findNumber(ctx, ctx.params.slug!, workspace)));
}

function updateNumber(ctx: RequestContext): Reply {
    const number = findNumber(ctx, ctx.params.slug!);
    const body = objectBody(ctx);
    const next = { ...number };
    const friendly = optString(body, 'friendly_name');
    if (friendly !== undefined) next.friendly_name = friendly;
    const uri = optString(body, 'sip_term_uri') ?? optString(body, 'termination_uri');
    if (uri !== undefined) next.sip_term_uri = uri;
    const provider = checkProvider(optString(body, 'provider_name'));
    if (provider !== undefined) next.provider_name = provider;
    const username = optString(body, 'trunk_username');
    if (username !== undefined) next.trunk_username = username;
    const password = optString(body, 'trunk_pwd');
    if (password !== undefined) next.trunk_pwd_sha256 = sha256(password);
    const authUser = optString(body, 'sip_auth_username');
    if (authUser !== undefined) next.sip_auth_username = authUser;
    const proxy = optString(body, 'sip_outbound_proxy');
    if (proxy !== undefined) next.sip_outbound_proxy = proxy;
    const uac = optBool(body, 'uac_enabled');
    if (uac !== undefined) next.uac_enabled = uac;
    const expires = optInt(body, 'uac_register_expires');
    if (expires !== undefined) next.uac_register_expires = expires;
    if (PROVIDERS_NEEDING_URI.includes(next.provider_name) && (next.sip_term_uri === null || next.sip_term_uri.trim() === '')) {
        throw bad(`A SIP domain (sip_term_uri) is required for provider ${next.provider_name}`);
    }
    checkUac(next);
    next.updated_at = ctx.now().toISOString();
    Object.assign(number, next);
    ctx.mutated = true;
    return ok();
}

function deleteNumber(ctx: RequestContext): Reply {
    const number = findNumber(ctx, ctx.params.slug!);
    for (const a of ctx.state.synthflow.assistants) {
        a.phone_number_slugs = a.phone_number_slugs.filter(s => s !== number.slug);
        if (a.inbound_phone_slug === number.slug) a.inbound_phone_slug = null;
    }
    ctx.state.synthflow.numbers = ctx.state.synthflow.numbers.filter(n => n !== number);
    ctx.mutated = true;
    return ok();
}

// ─── Assistants ─────────────────────────────────────────────────────────────────────────────────────

function findAssistant(ctx: RequestContext): SynthflowAssistantRecord {
    const id = ctx.params.model_id!;
    const found = ctx.state.synthflow.assistants.find(a => a.model_id === id);
    if (!found) throw notFound(`Assistant ${id} not found`);
    return found;
}

function numberBySlug(ctx: RequestContext, slug: string): SynthflowNumberRecord | undefined {
    return ctx.state.synthflow.numbers.find(n => n.slug === slug);
}

function renderAssistantSummary(ctx: RequestContext, a: SynthflowAssistantRecord): Record<string, unknown> {
    const out: Record<string, unknown> = { model_id: a.model_id, name: a.name, type: a.type, is_recording: a.is_recording, agent: structuredClone(a.agent) };
    const inbound = a.inbound_phone_slug === null ? undefined : numberBySlug(ctx, a.inbound_phone_slug);
    if (inbound) out.phone_number = inbound.phone_number;
    if (a.description !== undefined) out.description = a.description;
    return out;
}

function listAssistants(ctx: RequestContext): Reply {
    const { items, pagination } = page(ctx.state.synthflow.assistants, paging(ctx));
    return ok({ pagination, assistants: items.map(a => renderAssistantSummary(ctx, a)) });
}

function getAssistant(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const includeActions = boolParam(ctx.query, 'include_actions');
    if (includeActions === null) throw bad('include_actions must be true or false');
    const attached = assistant.phone_number_slugs.flatMap(slug => {
        const n = numberBySlug(ctx, slug);
        return n ? [{ number: n.phone_number, sid: null, slug: n.slug }] : [];
    });
    return ok({
        assistants: [
            {
                ...renderAssistantSummary(ctx, assistant),
                attached_phone_numbers: attached,
                actions: includeActions ? [...assistant.actions] : [],
                input_variables: [],
            },
        ],
    });
}

/**
 * PUT /assistants/{model_id}: a partial update ("Only the provided parameters will be updated, and
 * others won't be removed or changed"). `phone_number` sets the agent's inbound number; a number is the
 * inbound number of at most one inbound agent (400, nothing changed). `type` cannot change.
 */
function updateAssistant(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const body = objectBody(ctx);
    if (body.type !== undefined && body.type !== assistant.type) throw bad(`An agent's type cannot change (it is ${assistant.type})`);
    const next = { ...assistant };
    const name = optString(body, 'name');
    if (name !== undefined) next.name = name;
    const description = optString(body, 'description');
    if (description !== undefined) next.description = description;
    const recording = optBool(body, 'is_recording');
    if (recording !== undefined) next.is_recording = recording;
    const phone = optString(body, 'phone_number');
    if (phone !== undefined) {
        const slug = slugOf(phone.trim());
        const number = numberBySlug(ctx, slug);
        if (!number) throw notFound(`Phone number ${phone} not found in the workspace: import it first`);
        const holder = inboundHolder(ctx, slug);
        if (assistant.type === 'inbound' && holder && holder.model_id !== assistant.model_id) {
            throw new ApiError(400, `Phone number ${number.phone_number} is already the number of the inbound agent ${holder.model_id}; a number can serve only one inbound agent`, 'conflict');
        }
        next.inbound_phone_slug = slug;
    }
    Object.assign(assistant, next);
    ctx.mutated = true;
    const inbound = assistant.inbound_phone_slug === null ? undefined : numberBySlug(ctx, assistant.inbound_phone_slug);
    return json(200, { status: 'ok', response: { model_id: assistant.model_id }, details: { ...(inbound ? { phone: inbound.phone_number } : {}), voice: 'sandbox-voice-1' } });
}

function stringList(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) throw bad(`${field} must be an array of strings`);
    return value as string[];
}

function setAssistantNumbers(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const body = objectBody(ctx);
    const hasNumbers = body.phone_numbers !== undefined;
    const hasSlugs = body.phone_number_slugs !== undefined;
    if (hasNumbers === hasSlugs) throw bad('Provide exactly one of phone_numbers or phone_number_slugs');
    const requested = hasNumbers ? stringList(body.phone_numbers, 'phone_numbers') : stringList(body.phone_number_slugs, 'phone_number_slugs');
    const slugs = [...new Set(requested.map(slugOf))];
    for (const slug of slugs) {
        if (!numberBySlug(ctx, slug)) throw notFound(`Phone number ${slug} not found in the workspace`);
    }
    // The outbound pool ("Attach phone numbers to an outbound agent"): the list is replaced. Pool numbers
    // are caller ids for outbound calls; they do not make an agent answer inbound calls.
    assistant.phone_number_slugs = slugs;
    ctx.mutated = true;
    return ok();
}

function detachAssistantNumber(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const number = findNumber(ctx, ctx.params.slug!);
    if (!assistant.phone_number_slugs.includes(number.slug)) throw bad(`Phone number ${number.phone_number} is not attached to assistant ${assistant.model_id}`);
    assistant.phone_number_slugs = assistant.phone_number_slugs.filter(s => s !== number.slug);
    ctx.mutated = true;
    return ok();
}

// ─── Actions ────────────────────────────────────────────────────────────────────────────────────────

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

/** Required fields of LIVE_TRANSFER (LiveTransferCreateDirectPhoneConfig / …PhoneBookConfig). */
function checkLiveTransfer(ctx: RequestContext, config: Record<string, unknown>): void {
    const hasPhone = config.phone !== undefined;
    const hasBook = config.phone_book_id !== undefined;
    if (hasPhone === hasBook) throw bad('LIVE_TRANSFER needs exactly one of phone or phone_book_id');
    const missing = ['transfer_mode', 'instructions', 'initiating_msg'].filter(f => config[f] === undefined || config[f] === null || config[f] === '');
    if (hasPhone && (typeof config.phone !== 'string' || config.phone.trim() === '')) missing.push('phone');
    if (missing.length > 0) throw bad(`LIVE_TRANSFER is missing required field(s): ${missing.join(', ')}`);
    if (!(TRANSFER_MODES as readonly unknown[]).includes(config.transfer_mode)) throw bad(`transfer_mode must be one of ${TRANSFER_MODES.join(', ')}`);
    if (hasPhone && !ctx.assumptions.sipUriInTransferPhone && !E164.test(config.phone as string)) throw bad('LIVE_TRANSFER.phone must be a phone number in E.164 format');
    for (const f of ['instructions', 'initiating_msg', 'failed_msg', 'goodbye_msg', 'message_to_transfer_target', 'digits', 'summarization_prompt']) {
        if (config[f] !== undefined && typeof config[f] !== 'string') throw bad(`LIVE_TRANSFER.${f} must be a string`);
    }
    for (const f of ['timeout', 'human_detection_timeout_seconds']) {
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
