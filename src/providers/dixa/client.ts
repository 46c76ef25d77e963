/**
 * The Dixa provider: `/v1` paths, raw-token `Authorization` (no `Bearer`), a client-side throttle to
 * Dixa's published rate limit, cursor paging, per-item bulk outcomes, and queue creation that can
 * never produce a duplicate name (look up by name first; on an unknown outcome re-read, then decide).
 * Contract: shared/reference/dixa-api.md; shapes: ./api-types.ts.
 */
import { DIXA_OFFER_ALGORITHMS as VENDOR_OFFER_ALGORITHMS, DIXA_RATE_LIMIT } from '../../vendors/dixa-facts.js';
import { HttpClient, type HttpClientTuning, type VendorProfile } from '../http/client.js';
import { createWithReread } from '../http/create-with-reread.js';
import { expectArray, expectObject, expectString, isObject, optionalString, stringArray } from '../http/shape.js';
import {
    ProviderError,
    type DixaOrganization,
    type DixaPhoneFlow,
    type DixaProvider,
    type DixaQueueCreate,
    type DixaTelephonyEndpoint,
    type LiveDixaQueue,
    type ProviderOptions,
    type ProviderStats,
} from '../types.js';
import type { DixaBulkQueueMembersInput, DixaCreateQueueInput, DixaOfferAlgorithm } from './api-types.js';
import { describeBulkFailures, readBulkOutcomes, type DixaBulkOutcomes } from './bulk.js';
import { collectDixaPages } from './paging.js';
import { chooseQueue } from './queue-choice.js';

/** The values Dixa accepts for `offerAlgorithm` ([CreateOrUpdateQueueRequest]), from the facts table. */
export const DIXA_OFFER_ALGORITHMS: readonly DixaOfferAlgorithm[] = VENDOR_OFFER_ALGORITHMS;

/** DELETE /queues/{id}/members takes at most this many agent ids per call. */
export const DIXA_MEMBER_REMOVAL_CHUNK = 10;

/**
 * The throttle sits a little under the published limit (DIXA_RATE_LIMIT): requests leave at most at
 * 80 % of the rate with one token less of burst, so network jitter between our clock and Dixa's
 * cannot make Dixa see a burst we did not send.
 */
export const DIXA_CLIENT_THROTTLE = {
    requestsPerSecond: DIXA_RATE_LIMIT.requestsPerSecond * 0.8,
    burst: Math.max(1, DIXA_RATE_LIMIT.burst - 1),
} as const;

export const DIXA_PROFILE: VendorProfile = {
    vendor: 'dixa',
    label: 'Dixa',
    authorization: (apiKey) => apiKey,
    errorMessage: (body) => (isObject(body) && typeof body['message'] === 'string' ? body['message'] : undefined),
    defaultConcurrency: DIXA_RATE_LIMIT.burst,
    rateLimit: DIXA_CLIENT_THROTTLE,
};

export interface DixaAgent {
    readonly id: string;
    readonly displayName: string;
    readonly email: string;
    readonly roles: readonly string[];
}

export interface DixaQueueMember {
    readonly agentId: string;
    readonly priority: number | null;
}

/** The Dixa provider plus what sipflow needs beyond the core contract. */
export interface DixaClient extends DixaProvider {
    /** Request counters (for `npm run bench` and the apply summary). */
    readonly stats: ProviderStats;
    /** GET /contact-endpoints/{e164}; undefined when Dixa does not have the number (404). */
    getTelephonyEndpoint(e164: string): Promise<DixaTelephonyEndpoint | undefined>;
    /** GET /queues/{queueId}; undefined when absent (404). */
    getQueue(queueId: string): Promise<LiveDixaQueue | undefined>;
    /** Every agent/admin (paginated), optionally filtered by email or phone (not both). */
    listAgents(filter?: { readonly email?: string; readonly phone?: string }): Promise<DixaAgent[]>;
    listQueueMembers(queueId: string): Promise<DixaQueueMember[]>;
    /**
     * Adds agents to a queue (PATCH, "add to set"). Dixa answers 200 even when items fail: the
     * per-item outcomes are returned; callers report `failed` (see describeBulkFailures).
     */
    addQueueMembers(queueId: string, agentIds: readonly string[]): Promise<DixaBulkOutcomes>;
    /** Removes agents from a queue, in chunks of DIXA_MEMBER_REMOVAL_CHUNK. */
    removeQueueMembers(queueId: string, agentIds: readonly string[]): Promise<void>;
    /** Frees pooled connections. */
    close(): void;
}

export interface DixaProviderOptions extends ProviderOptions {
    /** `pageLimit` for paginated lists; default: Dixa's own default (tests use small pages). */
    readonly pageSize?: number;
}

export function createDixaProvider(options: DixaProviderOptions, tuning: HttpClientTuning = {}): DixaClient {
    const http = new HttpClient(DIXA_PROFILE, options, tuning);
    const pageSize = options.pageSize === undefined ? undefined : Math.max(1, Math.floor(options.pageSize));
    const label = DIXA_PROFILE.label;
    /** In-flight creates by queue name: concurrent calls for one name share one create. */
    const creating = new Map<string, Promise<LiveDixaQueue>>();

    const invalidFor =
        (operation: string, write = false) =>
        (what: string): ProviderError =>
            http.invalidResponse(operation, what, write);

    async function getData(template: string, query?: Record<string, string>, pathParams?: Record<string, string>): Promise<unknown> {
        const operation = `GET ${template}`;
        const { data } = await http.request({ method: 'GET', template, ...(query ? { query } : {}), ...(pathParams ? { pathParams } : {}) });
        return expectObject(data, 'the body', invalidFor(operation))['data'];
    }

    function toQueue(value: unknown, operation: string, write = false): LiveDixaQueue {
        const invalid = invalidFor(operation, write);
        const q = expectObject(value, 'a queue', invalid);
        const usagesOuter = q['usages'];
        const usagesMap = isObject(usagesOuter) && isObject(usagesOuter['usages']) ? usagesOuter['usages'] : {};
        const usages: Record<string, readonly string[]> = {};
        for (const [channel, ids] of Object.entries(usagesMap)) usages[channel] = stringArray(ids);
        return {
            id: expectString(q['id'], 'queue `id`', invalid),
            name: expectString(q['name'], 'queue `name`', invalid),
            offeringAlgorithm: optionalString(q['offeringAlgorithm']),
            usages,
        };
    }

    function toEndpoint(value: unknown): DixaTelephonyEndpoint | undefined {
        if (!isObject(value) || typeof value['number'] !== 'string') return undefined;
        if (value['_type'] !== undefined && value['_type'] !== 'TelephonyEndpoint') return undefined;
        return { number: value['number'], name: optionalString(value['name']), functionality: stringArray(value['functionality']) };
    }

    async function listQueues(): Promise<LiveDixaQueue[]> {
        const operation = 'GET /queues';
        const data = await getData('/queues');
        return expectArray(data, '`data`', invalidFor(operation)).map((q) => toQueue(q, operation));
    }

    /** A queue list read already in flight, shared by concurrent pre-create look-ups (one GET, not one each). */
    let sharedQueueList: Promise<LiveDixaQueue[]> | undefined;

    /**
     * The look-up before a create may join a list read already in flight; the re-read after an unknown
     * outcome and the re-list after a create must not (a read started before the POST could miss the
     * queue it created), so they read afresh.
     */
    async function queuesNamed(name: string, { fresh }: { fresh: boolean }): Promise<LiveDixaQueue[]> {
        let list: Promise<LiveDixaQueue[]>;
        if (fresh) {
            list = listQueues();
        } else {
            sharedQueueList ??= listQueues().finally(() => {
                sharedQueueList = undefined;
            });
            list = sharedQueueList;
        }
        return (await list).filter((q) => q.name === name);
    }

    async function postQueue(input: DixaQueueCreate): Promise<LiveDixaQueue> {
        const operation = 'POST /queues';
        const body: DixaCreateQueueInput = {
            request: {
                name: input.name,
                callFunctionality: true,
                isDefault: false,
                isDoNotOfferEnabled: false,
                ...(input.offerAlgorithm !== undefined ? { offerAlgorithm: input.offerAlgorithm as DixaOfferAlgorithm } : {}),
            },
        };
        const { data } = await http.request({ method: 'POST', template: '/queues', body });
        return toQueue(expectObject(data, 'the body', invalidFor(operation, true))['data'], operation, true);
    }

    async function createQueueOnce(input: DixaQueueCreate): Promise<LiveDixaQueue> {
        if (input.name.trim() === '') throw http.error('POST /queues', `${label} queue name is empty`);
        if (input.offerAlgorithm !== undefined && !(DIXA_OFFER_ALGORITHMS as readonly string[]).includes(input.offerAlgorithm)) {
            throw http.error('POST /queues', `${label} offer algorithm ${JSON.stringify(input.offerAlgorithm)} is not one of ${DIXA_OFFER_ALGORITHMS.join(', ')}`);
        }
        const what = `queue ${JSON.stringify(input.name)}`;
        // Natural key: the name. Dixa has no idempotency key, so look before creating.
        const existing = chooseQueue(await queuesNamed(input.name, { fresh: false }));
        if (existing) {
            http.log(`${what} exists (${existing.id}); not creating`);
            return existing;
        }
        const created = await createWithReread(http, {
            create: () => postQueue(input),
            reread: async () => {
                const found = await queuesNamed(input.name, { fresh: true });
                return found.length === 0 ? 'absent' : { found: chooseQueue(found)! };
            },
            what,
            // Dixa accepts a second queue with the same name.
            serverRejectsDuplicates: false,
        });
        // Re-list: a concurrent run may have created a twin in the same moment. Both runs then use the
        // queue chooseQueue picks (the other one is for a person to remove: no API can).
        const twins = await queuesNamed(input.name, { fresh: true });
        if (twins.length > 1) {
            const chosen = chooseQueue(twins)!;
            http.log(`${twins.length} queues are now named ${JSON.stringify(input.name)} (a concurrent create); using ${chosen.id}`);
            return chosen;
        }
        return created;
    }

    const client: DixaClient = {
        stats: http.stats,

        async getOrganization(): Promise<DixaOrganization> {
            const operation = 'GET /organization';
            const invalid = invalidFor(operation);
            const org = expectObject(await getData('/organization'), '`data`', invalid);
            return {
                id: expectString(org['id'], '`id`', invalid),
                name: expectString(org['name'], '`name`', invalid),
                subdomain: expectString(org['subdomain'], '`subdomain`', invalid),
            };
        },

        async listTelephonyEndpoints(): Promise<DixaTelephonyEndpoint[]> {
            const data = await getData('/contact-endpoints', { _type: 'TelephonyEndpoint' });
            return expectArray(data, '`data`', invalidFor('GET /contact-endpoints'))
                .map(toEndpoint)
                .filter((e): e is DixaTelephonyEndpoint => e !== undefined);
        },

        async getTelephonyEndpoint(e164: string): Promise<DixaTelephonyEndpoint | undefined> {
            const template = '/contact-endpoints/{contactEndpointId}';
            const { status, data } = await http.request({ method: 'GET', template, pathParams: { contactEndpointId: e164 }, accept: [404] });
            if (status === 404) return undefined;
            return toEndpoint(expectObject(data, 'the body', invalidFor(`GET ${template}`))['data']);
        },

        async listPhoneFlows(): Promise<DixaPhoneFlow[]> {
            const operation = 'GET /conversations/flows';
            const invalid = invalidFor(operation);
            const data = await getData('/conversations/flows', { channel: 'PstnPhone' });
            return expectArray(data, '`data`', invalid)
                .map((f) => expectObject(f, 'a flow', invalid))
                .filter((f) => f['channel'] === undefined || f['channel'] === 'PstnPhone')
                .map((f) => ({
                    id: expectString(f['id'], 'flow `id`', invalid),
                    name: expectString(f['name'], 'flow `name`', invalid),
                    contactEndpointId: optionalString(f['contactEndpointId']),
                }));
        },

        listQueues,

        async getQueue(queueId: string): Promise<LiveDixaQueue | undefined> {
            const template = '/queues/{queueId}';
            const { status, data } = await http.request({ method: 'GET', template, pathParams: { queueId }, accept: [404] });
            if (status === 404) return undefined;
            return toQueue(expectObject(data, 'the body', invalidFor(`GET ${template}`))['data'], `GET ${template}`);
        },

        createQueue(input: DixaQueueCreate): Promise<LiveDixaQueue> {
            const pending = creating.get(input.name);
            if (pending) return pending;
            const promise = createQueueOnce(input).finally(() => creating.delete(input.name));
            creating.set(input.name, promise);
            return promise;
        },

        async listAgents(filter = {}): Promise<DixaAgent[]> {
            const operation = 'GET /agents';
            const invalid = invalidFor(operation);
            if (filter.email !== undefined && filter.phone !== undefined) {
                throw http.error(operation, `${label} agents can be filtered by email or by phone, not both`);
            }
            const query: Record<string, string> = {};
            if (pageSize !== undefined) query['pageLimit'] = String(pageSize);
            if (filter.email !== undefined) query['email'] = filter.email;
            if (filter.phone !== undefined) query['phone'] = filter.phone;
            const items = await collectDixaPages(http, { method: 'GET', template: '/agents', query });
            return items.map((a) => {
                const agent = expectObject(a, 'an agent', invalid);
                return {
                    id: expectString(agent['id'], 'agent `id`', invalid),
                    displayName: typeof agent['displayName'] === 'string' ? agent['displayName'] : '',
                    email: typeof agent['email'] === 'string' ? agent['email'] : '',
                    roles: stringArray(agent['roles']),
                };
            });
        },

        async listQueueMembers(queueId: string): Promise<DixaQueueMember[]> {
            const template = '/queues/{queueId}/members';
            const invalid = invalidFor(`GET ${template}`);
            const data = await getData(template, undefined, { queueId });
            return expectArray(data, '`data`', invalid).map((m) => {
                const member = expectObject(m, 'a member', invalid);
                return {
                    agentId: expectString(member['agentId'], 'member `agentId`', invalid),
                    priority: typeof member['priority'] === 'number' ? member['priority'] : null,
                };
            });
        },

        async addQueueMembers(queueId: string, agentIds: readonly string[]): Promise<DixaBulkOutcomes> {
            const unique = [...new Set(agentIds)];
            if (unique.length === 0) return { succeeded: [], failed: [] };
            const template = '/queues/{queueId}/members';
            const body: DixaBulkQueueMembersInput = { agentIds: unique };
            // PATCH adds to a set: sending it twice leaves the same members, so it may be retried.
            const { data } = await http.request({ method: 'PATCH', template, pathParams: { queueId }, body, idempotent: true });
            const items = expectArray(expectObject(data, 'the body', invalidFor(`PATCH ${template}`, true))['data'], '`data`', invalidFor(`PATCH ${template}`, true));
            const outcomes = readBulkOutcomes(unique, items);
            if (outcomes.failed.length > 0) http.log(`PATCH ${template}: ${outcomes.failed.length} of ${unique.length} failed: ${describeBulkFailures(outcomes)}`);
            return outcomes;
        },

        async removeQueueMembers(queueId: string, agentIds: readonly string[]): Promise<void> {
            const unique = [...new Set(agentIds)];
            for (let i = 0; i < unique.length; i += DIXA_MEMBER_REMOVAL_CHUNK) {
                const body: DixaBulkQueueMembersInput = { agentIds: unique.slice(i, i + DIXA_MEMBER_REMOVAL_CHUNK) };
                await http.request({ method: 'DELETE', template: '/queues/{queueId}/members', pathParams: { queueId }, body });
            }
        },

        close(): void {
            http.close();
        },
    };
    return client;
}
