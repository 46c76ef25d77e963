/**
 * The Synthflow provider: `Authorization: Bearer`, the `{status, response}` envelope (except the
 * flat GET /numbers/{slug}), `limit`/`offset` paging, `detail` errors, and creates that re-read by
 * natural key when their outcome is unknown (numbers by E.164, transfer actions by target `phone`).
 * Contract: shared/reference/synthflow-api.md; shapes: ./api-types.ts.
 */
import { numberSlug, TRANSFER_MODES, type SynthflowTransferMode } from '../../vendors/synthflow-facts.js';
import { HttpClient, type HttpClientTuning, type HttpRequest, type VendorProfile } from '../http/client.js';
import { expectArray, expectObject, expectString, isObject, optionalString, stringArray, type JsonObject } from '../http/shape.js';
import {
    ProviderError,
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
    SynthflowAttachActionsBody,
    SynthflowAttachNumbersBody,
    SynthflowCustomNumberImport,
    SynthflowLiveTransferActionBody,
    SynthflowLiveTransferBody,
    SynthflowNumberPatchBody,
} from './api-types.js';

/** Items per list page (the API's default is 20; fewer pages, fewer requests). */
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

/** The Synthflow provider plus instrumentation. */
export interface SynthflowClient extends SynthflowProvider {
    readonly stats: ProviderStats;
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

/** What a re-read after an unknown outcome found. */
type Reread<T> = { readonly found: T } | 'absent' | 'undecidable';

function withPlus(number: string): string {
    return number.startsWith('+') ? number : `+${number}`;
}

export function createSynthflowProvider(options: SynthflowClientOptions, tuning: HttpClientTuning = {}): SynthflowClient {
    const http = new HttpClient(SYNTHFLOW_PROFILE, options, tuning);
    const label = SYNTHFLOW_PROFILE.label;
    const workspace = options.workspace;
    if (!workspace || workspace.trim() === '') {
        throw new ProviderError('synthflow', 'configure', `${label} workspace id is empty`, undefined, 'failed', 'client');
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
        const attached = Array.isArray(a['attached_phone_numbers'])
            ? a['attached_phone_numbers']
                  .map((p) => (isObject(p) && typeof p['number'] === 'string' ? withPlus(p['number']) : undefined))
                  .filter((p): p is string => p !== undefined)
            : [];
        return {
            modelId: expectString(a['model_id'], '`model_id`', invalid),
            name: typeof a['name'] === 'string' ? a['name'] : '',
            type: typeof a['type'] === 'string' ? a['type'] : '',
            attachedNumbers: attached,
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
        return {
            actionId: expectString(item['action_id'], '`action_id`', invalid),
            actionType: typeof item['action_type'] === 'string' ? item['action_type'] : '',
            name: optionalString(item['name']),
            ...(liveTransfer ? { liveTransfer } : {}),
        };
    }

    async function listActions(): Promise<LiveSynthflowAction[]> {
        return (await collectPages('/actions', 'actions')).map((a) => toAction(a, 'GET /actions'));
    }

    /**
     * The transfer action a create with this config and name would have made, if one exists: a
     * LIVE_TRANSFER whose read-back `phone` is the target (preferring our name), else, among actions
     * whose configuration cannot be read back, one with our name. `undecidable` when neither works.
     */
    async function findLiveTransfer(config: LiveTransferConfig, name: string): Promise<Reread<string>> {
        const transfers = (await listActions()).filter((a) => a.actionType === 'LIVE_TRANSFER');
        const byPhone = transfers.filter((a) => a.liveTransfer?.phone === config.phone);
        const unreadable = transfers.filter((a) => a.liveTransfer === undefined);
        const byName = unreadable.filter((a) => a.name === name);
        const candidates = byPhone.filter((a) => a.name === name).length > 0 ? byPhone.filter((a) => a.name === name) : byPhone.length > 0 ? byPhone : byName;
        // The newest match (lists are in creation order): adopting an identical action is never a duplicate.
        if (candidates.length > 0) return { found: candidates[candidates.length - 1]!.actionId };
        return unreadable.length > 0 ? 'undecidable' : 'absent';
    }

    async function postLiveTransfer(config: LiveTransferConfig, name: string): Promise<string> {
        const operation = 'POST /actions';
        // The action's display name travels inside the typed object, as CUSTOM_ACTION's does.
        const body: SynthflowLiveTransferActionBody = { LIVE_TRANSFER: { ...liveTransferBody(config), name } };
        const { data } = await http.request({ method: 'POST', template: '/actions', body });
        return expectString(unwrap(data, operation, true)['action_id'], '`response.action_id`', invalidFor(operation, true));
    }

    /**
     * Runs a create; on an unknown outcome re-reads by natural key: found ⇒ done; absent ⇒ send it
     * once more (never a third time); undecidable ⇒ report the unknown outcome.
     *
     * After a timeout the server may still be working on the first request, so "absent" is not yet
     * proof: unless the server itself refuses duplicates (`serverRejectsDuplicates`, true for numbers),
     * the create is then not re-sent and the unknown outcome is reported; the next run re-reads.
     */
    async function createWithReread<T>(
        create: () => Promise<T>,
        reread: () => Promise<Reread<T>>,
        what: string,
        serverRejectsDuplicates: boolean,
    ): Promise<T> {
        for (let attempt = 1; ; attempt++) {
            try {
                return await create();
            } catch (e) {
                if (!(e instanceof ProviderError) || e.kind === 'cancelled') throw e;
                const unknown = e.outcome === 'unknown';
                // A second attempt refused as a conflict may mean the first one landed late: look again.
                const refusedOnRetry = attempt >= 2 && e.status !== undefined && [400, 409, 422].includes(e.status);
                if (!unknown && !refusedOnRetry) throw e;
                http.log(`${e.operation} outcome ${unknown ? 'unknown' : 'refused on retry'} (${e.kind}); re-reading ${what}`);
                const found = await reread();
                if (typeof found === 'object') return found.found;
                if (found === 'undecidable' || attempt >= 2 || !unknown) throw e;
                if (e.kind === 'timeout' && !serverRejectsDuplicates) {
                    throw http.error(
                        e.operation,
                        `${e.message}; ${what} not found on re-reading, but the request may still be in progress, so it was not sent again (run again to re-check)`,
                        e.status,
                        'unknown',
                        'timeout',
                    );
                }
            }
        }
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
            await createWithReread(
                async () => {
                    await postNumber(input);
                    return true as const;
                },
                async () => ((await getNumber(input.e164)) ? { found: true as const } : 'absent'),
                `number ${input.e164}`,
                // Synthflow refuses a second import of the same number: re-sending cannot duplicate it.
                true,
            );
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

        async setAssistantNumbers(modelId: string, e164s: readonly string[]): Promise<void> {
            const body: SynthflowAttachNumbersBody = { phone_number_slugs: [...new Set(e164s.map(numberSlug))] };
            await http.request({ method: 'PUT', template: '/assistants/{model_id}/phone_numbers', pathParams: { model_id: modelId }, body });
        },

        async detachNumber(modelId: string, e164: string): Promise<void> {
            const request: HttpRequest = {
                method: 'DELETE',
                template: '/assistants/{model_id}/phone_numbers/{phone_number_slug}',
                pathParams: { model_id: modelId, phone_number_slug: numberSlug(e164) },
            };
            try {
                await http.request(request);
            } catch (e) {
                // 404/400 may only mean "not attached" (e.g. an earlier attempt's response was lost): re-read.
                if (!(e instanceof ProviderError) || (e.status !== 404 && e.status !== 400)) throw e;
                const assistant = await getAssistant(modelId);
                if (assistant && !assistant.attachedNumbers.includes(withPlus(e164))) return;
                throw e;
            }
        },

        listActions,

        async getAction(actionId: string): Promise<LiveSynthflowAction | undefined> {
            const template = '/actions/{action_id}';
            const operation = `GET ${template}`;
            const { status, data } = await http.request({ method: 'GET', template, pathParams: { action_id: actionId }, accept: [404] });
            if (status === 404) return undefined;
            const list = expectArray(unwrap(data, operation)['actions'], '`response.actions`', invalidFor(operation));
            return list.length === 0 ? undefined : toAction(list[0], operation);
        },

        async createLiveTransfer(config: LiveTransferConfig, name: string): Promise<string> {
            return createWithReread(
                () => postLiveTransfer(config, name),
                () => findLiveTransfer(config, name),
                `transfer action to ${config.phone}`,
                false,
            );
        },

        async updateLiveTransfer(actionId: string, config: LiveTransferConfig): Promise<void> {
            const body: SynthflowLiveTransferActionBody = { LIVE_TRANSFER: liveTransferBody(config) };
            await http.request({ method: 'PUT', template: '/actions/{action_id}', pathParams: { action_id: actionId }, body });
        },

        async setAssistantActions(modelId: string, actionIds: readonly string[]): Promise<void> {
            const body: SynthflowAttachActionsBody = { model_id: modelId, actions: [...new Set(actionIds)] };
            // The API replaces the assistant's whole list with this one: repeating it is harmless,
            // so this POST is idempotent and may be retried.
            await http.request({ method: 'POST', template: '/actions/attach', body, idempotent: true });
        },

        close(): void {
            http.close();
        },
    };
    return client;
}
