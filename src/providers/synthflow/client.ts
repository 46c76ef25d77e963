/**
 * The Synthflow provider: `Authorization: Bearer`, the `{status, response}` envelope (except the
 * flat GET /numbers/{slug}), `limit`/`offset` paging, `detail` errors, and creates that re-read when
 * their outcome is unknown (numbers by E.164; transfer actions by their exact name or configuration,
 * among actions that appeared since). Every write that changes an assistant is read back.
 * Contract: shared/reference/synthflow-api.md; shapes: ./api-types.ts.
 */
import { numberSlug, TRANSFER_MODES, type SynthflowTransferMode } from '../../vendors/synthflow-facts.js';
import { HttpClient, type HttpClientTuning, type VendorProfile } from '../http/client.js';
import { createWithReread, type Reread } from '../http/create-with-reread.js';
import { expectArray, expectObject, expectString, isObject, optionalString, stringArray, type JsonObject } from '../http/shape.js';
import {
    ProviderError,
    type ActionListChange,
    type LiveSynthflowAction,
    type LiveSynthflowAssistant,
    type LiveSynthflowNumber,
    type LiveTransferConfig,
    type ProviderStats,
    type SynthflowNumberImport,
    type SynthflowNumberPatch,
    type SynthflowProvider,
    type SynthflowProviderOptions,
} from '../types.js';
import type {
    SynthflowAssistantUpdateBody,
    SynthflowAttachActionsBody,
    SynthflowCallRequest,
    SynthflowCustomNumberImport,
    SynthflowDetachActionsBody,
    SynthflowLiveTransferActionBody,
    SynthflowLiveTransferBody,
    SynthflowNumberPatchBody,
} from './api-types.js';

/** Items per list page (the API's default is 20; fewer pages, fewer requests). */
// [I] assumption: synthflow-max-page-size
export const SYNTHFLOW_PAGE_SIZE = 100;
/** Safety stop against a server whose `total_records` never comes within reach. */
const MAX_PAGES = 10_000;

const TRANSFER_MODE_VALUES: readonly string[] = Object.values(TRANSFER_MODES);

/** Extracts Synthflow's error text: `detail.description`, a string `detail`, or `{error, message}`. */
export function synthflowErrorMessage(body: unknown): string | undefined {
    if (!isObject(body)) return undefined;
    const detail = body['detail'];
    if (typeof detail === 'string') return detail;
    if (isObject(detail)) {
        if (typeof detail['description'] === 'string') return detail['description'];
        if (typeof detail['message'] === 'string') return detail['message'];
    }
    // FastAPI-style validation errors: detail: [{loc, msg}]
    if (Array.isArray(detail)) {
        const msgs = detail.map((d) => (isObject(d) && typeof d['msg'] === 'string' ? d['msg'] : undefined)).filter((m): m is string => m !== undefined);
        if (msgs.length > 0) return msgs.join('; ');
    }
    if (typeof body['message'] === 'string') return body['message'];
    if (typeof body['error'] === 'string') return body['error'];
    return undefined;
}

export const SYNTHFLOW_PROFILE: VendorProfile = {
    vendor: 'synthflow',
    label: 'Synthflow',
    authorization: (apiKey) => `Bearer ${apiKey}`,
    errorMessage: synthflowErrorMessage,
    defaultConcurrency: 8,
};

/** A test call to start: an outbound agent (`modelId`) calls `phone` from one of its pool numbers. */
export interface CallRequest {
    readonly modelId: string;
    readonly phone: string;
    readonly name: string;
    readonly fromPhoneNumber?: string;
    readonly customVariables?: Readonly<Record<string, string>>;
}

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

/** What one list page answered, for `sipflow doctor`'s page-size probe. */
export interface SynthflowPageProbe {
    readonly requestedLimit: number;
    readonly items: number;
    /** `pagination.limit` as answered, when there is one. */
    readonly paginationLimit?: number;
    /** `pagination.total_records`, when there is one. */
    readonly totalRecords?: number;
}

/** The status and vendor text of a request doctor sends to learn how the API answers it. */
export interface SynthflowProbeAnswer {
    readonly status: number;
    readonly message?: string;
}

/** The Synthflow provider plus instrumentation. */
export interface SynthflowClient extends SynthflowProvider {
    /** POST /calls; returns the call id. Not retried blindly: a call costs real minutes. */
    startCall(request: CallRequest): Promise<string>;
    /** GET /calls?model_id=…, newest first as the API lists them; `fromMs` filters by start time. */
    listCalls(modelId: string, options?: { readonly fromMs?: number; readonly limit?: number }): Promise<LiveCall[]>;
    readonly stats: ProviderStats;
    /** One page of a list with an explicit `limit` (doctor: does the API honour it?). */
    probeListPage(list: 'actions' | 'assistants' | 'numbers', limit: number): Promise<SynthflowPageProbe>;
    /**
     * `POST /custom-numbers` with only `workspace_id` (no number, so nothing can be created): a workspace
     * that may import numbers answers 400 (the missing field), one that may not 403. Returns the answer.
     */
    probeNumberImportPermission(): Promise<SynthflowProbeAnswer>;
    /** Frees pooled connections. */
    close(): void;
}

export interface SynthflowClientOptions extends SynthflowProviderOptions {
    /** Items per list page; default SYNTHFLOW_PAGE_SIZE (tests use small pages). */
    readonly pageSize?: number;
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

/** Whether a read-back action is the transfer a create with this config and name would have made. */
function sameTransfer(action: LiveSynthflowAction, config: LiveTransferConfig, name: string): boolean | 'unknown' {
    if (action.name === name) return true;
    if (!action.liveTransfer) return 'unknown';
    const read = action.liveTransfer;
    return read.phone === config.phone && read.transferMode === config.transferMode && read.instructions === config.instructions
        && read.initiatingMsg === config.initiatingMsg && read.failedMsg === config.failedMsg && read.timeout === config.timeout;
}

function withPlus(number: string): string {
    return number.startsWith('+') ? number : `+${number}`;
}

export function createSynthflowProvider(options: SynthflowClientOptions, tuning: HttpClientTuning = {}): SynthflowClient {
    const http = new HttpClient(SYNTHFLOW_PROFILE, options, tuning);
    const label = SYNTHFLOW_PROFILE.label;
    const workspace = options.workspace;
    if (!workspace || workspace.trim() === '') {
        throw new ProviderError({ vendor: 'synthflow', operation: 'configure', message: `${label} workspace id is empty` });
    }
    const pageSize = Math.max(1, Math.floor(options.pageSize ?? SYNTHFLOW_PAGE_SIZE));

    const invalidFor =
        (operation: string, write = false) =>
        (what: string): ProviderError =>
            http.invalidResponse(operation, what, write);

    /** The `response` object of a `{status, response}` envelope. */
    function unwrap(data: unknown, operation: string, write = false): JsonObject {
        const invalid = invalidFor(operation, write);
        return expectObject(expectObject(data, 'the body', invalid)['response'], '`response`', invalid);
    }

    /** GETs every page of a `limit`/`offset` list; `key` names the items array inside `response`. */
    async function collectPages(template: string, key: string, query: Record<string, string> = {}): Promise<unknown[]> {
        const operation = `GET ${template}`;
        const invalid = invalidFor(operation);
        const items: unknown[] = [];
        let offset = 0;
        for (let page = 0; page < MAX_PAGES; page++) {
            const { data } = await http.request({ method: 'GET', template, query: { ...query, limit: pageSize, offset } });
            const response = unwrap(data, operation);
            const pageItems = expectArray(response[key], `\`response.${key}\``, invalid);
            items.push(...pageItems);
            const pagination = response['pagination'];
            const total = isObject(pagination) && typeof pagination['total_records'] === 'number' ? pagination['total_records'] : undefined;
            offset += pageItems.length;
            // Stop when offset reaches total_records; without a total, when a page comes back short.
            if (total === undefined ? pageItems.length < pageSize : offset >= total) return items;
            if (pageItems.length === 0) throw invalid(`an empty page before total_records (${total}) was reached`);
        }
        throw invalid(`more than ${MAX_PAGES} pages`);
    }

    // ─── Numbers ────────────────────────────────────────────────────────────────────────────────────

    function toNumber(value: unknown, operation: string): LiveSynthflowNumber {
        const invalid = invalidFor(operation);
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

    async function getNumber(e164: string): Promise<LiveSynthflowNumber | undefined> {
        const template = '/numbers/{phone_number_slug}';
        const { status, data } = await http.request({
            method: 'GET',
            template,
            pathParams: { phone_number_slug: numberSlug(e164) },
            query: { workspace },
            accept: [404],
        });
        if (status === 404) return undefined;
        // Flat object: the one Synthflow success body without the envelope.
        return toNumber(data, `GET ${template}`);
    }

    async function postNumber(input: SynthflowNumberImport): Promise<void> {
        const body: SynthflowCustomNumberImport = {
            workspace_id: workspace,
            phone_number: input.e164,
            friendly_name: input.friendlyName,
            provider_name: 'custom',
            termination_uri: input.terminationUri,
            ...(input.trunkUsername ? { trunk_username: input.trunkUsername } : {}),
            ...(input.trunkPassword ? { trunk_pwd: input.trunkPassword } : {}),
        };
        const { data } = await http.request({ method: 'POST', template: '/custom-numbers', body, secrets: [input.trunkPassword] });
        unwrap(data, 'POST /custom-numbers', true);
    }

    // ─── Assistants ─────────────────────────────────────────────────────────────────────────────────

    function toAssistant(value: unknown, operation: string): LiveSynthflowAssistant {
        const invalid = invalidFor(operation);
        const a = expectObject(value, 'the assistant', invalid);
        const pool = Array.isArray(a['attached_phone_numbers'])
            ? a['attached_phone_numbers']
                  .map((p) => (isObject(p) && typeof p['number'] === 'string' ? withPlus(p['number']) : undefined))
                  .filter((p): p is string => p !== undefined)
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

    async function getAssistant(modelId: string): Promise<LiveSynthflowAssistant | undefined> {
        const template = '/assistants/{model_id}';
        const operation = `GET ${template}`;
        const { status, data } = await http.request({
            method: 'GET',
            template,
            pathParams: { model_id: modelId },
            query: { include_actions: true },
            accept: [404],
        });
        if (status === 404) return undefined;
        const list = expectArray(unwrap(data, operation)['assistants'], '`response.assistants`', invalidFor(operation));
        return list.length === 0 ? undefined : toAssistant(list[0], operation);
    }

    // ─── Actions ────────────────────────────────────────────────────────────────────────────────────

    function toAction(value: unknown, operation: string): LiveSynthflowAction {
        const invalid = invalidFor(operation);
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

    /**
     * Every action id a completed read has shown this client, and every id its creates returned: an
     * action that is not among them when a create is sent cannot be the other department's, or one that
     * existed before, so only actions outside this set may be adopted after an unknown outcome.
     */
    const seenActionIds = new Set<string>();
    let actionsListed = false;

    async function listActions(): Promise<LiveSynthflowAction[]> {
        const actions = (await collectPages('/actions', 'actions')).map((a) => toAction(a, 'GET /actions'));
        for (const action of actions) seenActionIds.add(action.actionId);
        actionsListed = true;
        return actions;
    }

    /**
     * After an unknown outcome: the one LIVE_TRANSFER that appeared since the create was sent (not in
     * `before`) and is this exact transfer. Several, or new transfers whose name and configuration both
     * cannot be read back, are ambiguous: never adopted.
     */
    async function findCreatedTransfer(config: LiveTransferConfig, name: string, before: ReadonlySet<string>): Promise<Reread<string>> {
        const appeared = (await listActions()).filter((a) => a.actionType === 'LIVE_TRANSFER' && !before.has(a.actionId));
        const matches = appeared.filter((a) => sameTransfer(a, config, name) === true);
        const unreadable = appeared.filter((a) => sameTransfer(a, config, name) === 'unknown');
        if (matches.length === 1 && unreadable.length === 0) return { found: matches[0]!.actionId };
        if (matches.length === 0 && unreadable.length === 0) return 'absent';
        return {
            ambiguous: matches.length > 1
                ? `${matches.length} new transfer actions to ${config.phone} (${matches.map((a) => a.actionId).join(', ')})`
                : `${unreadable.length} new transfer action${unreadable.length === 1 ? '' : 's'} whose name and configuration cannot be read back`,
        };
    }

    async function postLiveTransfer(config: LiveTransferConfig, name: string): Promise<string> {
        const operation = 'POST /actions';
        // The action's display name travels inside the typed object, as CUSTOM_ACTION's does.
        // [I] assumption: live-transfer-name-kept
        const body: SynthflowLiveTransferActionBody = { LIVE_TRANSFER: { ...liveTransferBody(config), name } };
        const { data } = await http.request({ method: 'POST', template: '/actions', body });
        return expectString(unwrap(data, operation, true)['action_id'], '`response.action_id`', invalidFor(operation, true));
    }

    /** The assistant as it is now, or a precondition failure naming it. */
    async function requireAssistant(modelId: string, operation: string): Promise<LiveSynthflowAssistant> {
        const assistant = await getAssistant(modelId);
        if (!assistant) throw http.error(operation, `${label} assistant ${modelId} does not exist`, { status: 404, kind: 'not-found' });
        return assistant;
    }

    /** A read-back that contradicts a write the API accepted: the change cannot be confirmed. */
    function unconfirmed(operation: string, message: string): ProviderError {
        return http.error(operation, `${label} ${operation} was accepted, but reading it back ${message}`, { outcome: 'unknown', kind: 'invalid-response' });
    }

    const client: SynthflowClient = {
        stats: http.stats,

        async listNumbers(): Promise<LiveSynthflowNumber[]> {
            const invalid = invalidFor('GET /numbers');
            const items = await collectPages('/numbers', 'phone_numbers', { workspace });
            const numbers = items.map((i) => expectString(expectObject(i, 'a number', invalid)['number'], '`number`', invalid));
            // The list has no SIP fields: GET each (bounded by the client's concurrency limit).
            const details = await Promise.all([...new Set(numbers.map(withPlus))].map((n) => getNumber(n)));
            return details.filter((d): d is LiveSynthflowNumber => d !== undefined);
        },

        getNumber,

        async importNumber(input: SynthflowNumberImport): Promise<void> {
            http.addSecret(input.trunkPassword);
            await createWithReread(http, {
                create: async () => {
                    await postNumber(input);
                    return true as const;
                },
                reread: async () => ((await getNumber(input.e164)) ? { found: true as const } : 'absent'),
                what: `number ${input.e164}`,
                // Synthflow refuses a second import of the same number: re-sending cannot duplicate it.
                serverRejectsDuplicates: true,
            });
        },

        async updateNumber(e164: string, patch: SynthflowNumberPatch): Promise<void> {
            http.addSecret(patch.trunkPassword);
            const body: SynthflowNumberPatchBody = {
                ...(patch.friendlyName !== undefined ? { friendly_name: patch.friendlyName } : {}),
                ...(patch.terminationUri !== undefined ? { sip_term_uri: patch.terminationUri } : {}),
                ...(patch.trunkUsername !== undefined ? { trunk_username: patch.trunkUsername } : {}),
                ...(patch.trunkPassword !== undefined ? { trunk_pwd: patch.trunkPassword } : {}),
            };
            if (Object.keys(body).length === 0) return;
            // Setting fields to given values: repeating it changes nothing, so it may be retried.
            await http.request({
                method: 'PATCH',
                template: '/numbers/{phone_number_slug}',
                pathParams: { phone_number_slug: numberSlug(e164) },
                body,
                idempotent: true,
                secrets: [patch.trunkPassword],
            });
        },

        getAssistant,

        async listAssistants(): Promise<LiveSynthflowAssistant[]> {
            const invalid = invalidFor('GET /assistants/');
            const items = await collectPages('/assistants/', 'assistants');
            const ids = items.map((i) => expectString(expectObject(i, 'an assistant', invalid)['model_id'], '`model_id`', invalid));
            // The list has neither attached numbers nor actions: GET each with include_actions.
            const details = await Promise.all([...new Set(ids)].map((id) => getAssistant(id)));
            return details.filter((d): d is LiveSynthflowAssistant => d !== undefined);
        },

        async setInboundNumber(modelId: string, e164: string): Promise<void> {
            const template = '/assistants/{model_id}';
            const operation = `PUT ${template}`;
            const body: SynthflowAssistantUpdateBody = { phone_number: e164 };
            // A partial update setting one field to a given value: repeating it changes nothing (retried).
            await http.request({ method: 'PUT', template, pathParams: { model_id: modelId }, body });
            const after = await requireAssistant(modelId, operation);
            if (after.phoneNumber !== e164) throw unconfirmed(operation, `shows assistant ${modelId} with number ${after.phoneNumber ?? 'none'}, not ${e164}`);
        },

        listActions,

        async getAction(actionId: string, options: { readonly includeAssistants?: boolean } = {}): Promise<LiveSynthflowAction | undefined> {
            const template = '/actions/{action_id}';
            const operation = `GET ${template}`;
            const { status, data } = await http.request({
                method: 'GET',
                template,
                pathParams: { action_id: actionId },
                ...(options.includeAssistants ? { query: { include_assistants: true } } : {}),
                accept: [404],
            });
            if (status === 404) return undefined;
            const list = expectArray(unwrap(data, operation)['actions'], '`response.actions`', invalidFor(operation));
            if (list.length === 0) return undefined;
            const action = toAction(list[0], operation);
            seenActionIds.add(action.actionId);
            return action;
        },

        async createLiveTransfer(config: LiveTransferConfig, name: string): Promise<string> {
            // Only actions this client has not seen may be adopted after an unknown outcome: it must have seen the list once.
            if (!actionsListed) await listActions();
            const before = new Set(seenActionIds);
            const id = await createWithReread(http, {
                create: () => postLiveTransfer(config, name),
                reread: () => findCreatedTransfer(config, name, before),
                what: `the transfer action to ${config.phone}`,
                // Synthflow accepts identical actions.
                serverRejectsDuplicates: false,
            });
            seenActionIds.add(id);
            return id;
        },

        async updateLiveTransfer(actionId: string, config: LiveTransferConfig): Promise<void> {
            const body: SynthflowLiveTransferActionBody = { LIVE_TRANSFER: liveTransferBody(config) };
            await http.request({ method: 'PUT', template: '/actions/{action_id}', pathParams: { action_id: actionId }, body });
        },

        async attachActions(modelId: string, actionIds: readonly string[]): Promise<ActionListChange> {
            const operation = 'POST /actions/attach';
            const before = await requireAssistant(modelId, operation);
            const wanted = [...new Set(actionIds)];
            const missing = wanted.filter((id) => !before.actionIds.includes(id));
            if (missing.length === 0) return { changed: [], unchanged: wanted, restored: [], after: before.actionIds };
            const attach = async (ids: readonly string[]) => {
                const body: SynthflowAttachActionsBody = { model_id: modelId, actions: [...ids] };
                // Attaching what is attached changes nothing: retried like a PUT.
                await http.request({ method: 'POST', template: '/actions/attach', body, idempotent: true });
                return requireAssistant(modelId, operation);
            };
            // [I] assumption: attach-adds (if the API replaces the list instead, the dropped ones are restored below)
            let after = await attach(missing);
            const dropped = before.actionIds.filter((id) => !after.actionIds.includes(id));
            if (dropped.length > 0) {
                // The API replaced the list instead of adding to it: send the whole list, so nothing is lost.
                http.log(`${operation} dropped ${dropped.length} action(s) already on ${modelId} (the API replaced the list); attaching them again`);
                after = await attach([...before.actionIds, ...missing]);
            }
            const notAttached = missing.filter((id) => !after.actionIds.includes(id));
            const lost = before.actionIds.filter((id) => !after.actionIds.includes(id));
            if (notAttached.length > 0 || lost.length > 0) {
                throw unconfirmed(operation, [
                    notAttached.length > 0 ? `does not show ${notAttached.join(', ')} on assistant ${modelId}` : '',
                    lost.length > 0 ? `no longer shows ${lost.join(', ')}, which were attached before` : '',
                ].filter(Boolean).join(', and '));
            }
            return { changed: missing, unchanged: wanted.filter((id) => !missing.includes(id)), restored: dropped, after: after.actionIds };
        },

        async detachActions(modelId: string, actionIds: readonly string[]): Promise<ActionListChange> {
            const operation = 'POST /actions/detach';
            const before = await requireAssistant(modelId, operation);
            const present = [...new Set(actionIds)].filter((id) => before.actionIds.includes(id));
            if (present.length === 0) return { changed: [], unchanged: [...new Set(actionIds)], restored: [], after: before.actionIds };
            const body: SynthflowDetachActionsBody = { model_id: modelId, actions: present };
            // Detaching what is detached changes nothing: retried like a DELETE.
            await http.request({ method: 'POST', template: '/actions/detach', body, idempotent: true });
            const after = await requireAssistant(modelId, operation);
            const still = present.filter((id) => after.actionIds.includes(id));
            if (still.length > 0) throw unconfirmed(operation, `still shows ${still.join(', ')} on assistant ${modelId}`);
            return { changed: present, unchanged: actionIds.filter((id) => !present.includes(id)), restored: [], after: after.actionIds };
        },

        async startCall(request: CallRequest): Promise<string> {
            const operation = 'POST /calls';
            const body: SynthflowCallRequest = {
                model_id: request.modelId,
                phone: request.phone,
                name: request.name,
                ...(request.fromPhoneNumber !== undefined ? { from_phone_number: request.fromPhoneNumber } : {}),
                ...(request.customVariables ? { custom_variables: Object.entries(request.customVariables).map(([key, value]) => ({ key, value })) } : {}),
            };
            const { data } = await http.request({ method: 'POST', template: '/calls', body, idempotent: false });
            return expectString(unwrap(data, operation, true)['call_id'], '`response.call_id`', invalidFor(operation, true));
        },

        async listCalls(modelId: string, options: { readonly fromMs?: number; readonly limit?: number } = {}): Promise<LiveCall[]> {
            const operation = 'GET /calls';
            const invalid = invalidFor(operation);
            const { data } = await http.request({
                method: 'GET',
                template: '/calls',
                query: { model_id: modelId, limit: options.limit ?? 20, offset: 0, ...(options.fromMs !== undefined ? { from_date: options.fromMs } : {}) },
            });
            return expectArray(unwrap(data, operation)['calls'], '`response.calls`', invalid).map((value) => {
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
            });
        },

        async probeListPage(list: 'actions' | 'assistants' | 'numbers', limit: number): Promise<SynthflowPageProbe> {
            const template = list === 'assistants' ? '/assistants/' : `/${list}`;
            const key = list === 'numbers' ? 'phone_numbers' : list;
            const operation = `GET ${template}`;
            const { data } = await http.request({ method: 'GET', template, query: { ...(list === 'numbers' ? { workspace } : {}), limit, offset: 0 } });
            const response = unwrap(data, operation);
            const items = expectArray(response[key], `\`response.${key}\``, invalidFor(operation));
            const pagination = response['pagination'];
            const field = (name: string) => (isObject(pagination) && typeof pagination[name] === 'number' ? { [name]: pagination[name] as number } : {});
            const { limit: paginationLimit, total_records: totalRecords } = { ...field('limit'), ...field('total_records') } as { limit?: number; total_records?: number };
            return {
                requestedLimit: limit,
                items: items.length,
                ...(paginationLimit !== undefined ? { paginationLimit } : {}),
                ...(totalRecords !== undefined ? { totalRecords } : {}),
            };
        },

        async probeNumberImportPermission(): Promise<SynthflowProbeAnswer> {
            // [I] assumption: number-import-permitted
            const { status, data } = await http.request({ method: 'POST', template: '/custom-numbers', body: { workspace_id: workspace }, accept: [400, 403, 404, 422] });
            const message = synthflowErrorMessage(data);
            return { status, ...(message !== undefined ? { message } : {}) };
        },

        async deleteAction(actionId: string): Promise<void> {
            await http.request({ method: 'DELETE', template: '/actions/{action_id}', pathParams: { action_id: actionId }, accept: [404] });
        },

        close(): void {
            http.close();
        },
    };
    return client;
}
