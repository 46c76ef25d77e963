/**
 * The Dixa provider, composed of small modules over one HTTP client: ./transport.ts (profile,
 * throttle, envelope), ./decoders.ts (response shapes), ./queues.ts (queue creation that can never
 * produce a duplicate name), ./paging.ts (cursor paging), ./bulk.ts (per-item bulk outcomes); the
 * reads and queue-member calls below.
 * Contract: shared/reference/dixa-api.md; shapes: ./api-types.ts.
 */
import { HttpClient, type HttpClientTuning } from '../http/client.js';
import { expectArray, expectObject } from '../http/shape.js';
import type { DixaPhoneFlow, DixaProvider, DixaTelephonyEndpoint, LiveDixaQueue, ProviderOptions, ProviderStats } from '../types.js';
import type { DixaBulkQueueMembersInput } from './api-types.js';
import { describeBulkFailures, readBulkOutcomes, type DixaBulkOutcomes } from './bulk.js';
import { toAgent, toEndpoint, toOrganization, toPhoneFlow, toQueueMember, type DixaAgent, type DixaQueueMember } from './decoders.js';
import { collectDixaPages } from './paging.js';
import { dixaQueues } from './queues.js';
import { DIXA_PROFILE, dixaTransport, type DixaTransport } from './transport.js';

export type { DixaAgent, DixaQueueMember } from './decoders.js';
export { DIXA_OFFER_ALGORITHMS } from './queues.js';
export { DIXA_CLIENT_THROTTLE, DIXA_PROFILE } from './transport.js';

/** DELETE /queues/{id}/members takes at most this many agent ids per call. */
export const DIXA_MEMBER_REMOVAL_CHUNK = 10;

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
    const transport = dixaTransport(http, options.pageSize === undefined ? undefined : Math.max(1, Math.floor(options.pageSize)));
    return {
        stats: http.stats,
        ...dixaReads(transport),
        ...dixaQueues(transport),
        ...dixaQueueMembers(transport),
        close(): void {
            http.close();
        },
    };
}

type DixaReads = Pick<DixaClient, 'getOrganization' | 'listTelephonyEndpoints' | 'getTelephonyEndpoint' | 'listPhoneFlows' | 'listAgents'>;

/** The organization, phone numbers, phone flows and agents: read only. */
function dixaReads({ http, label, pageSize, invalidFor, getData }: DixaTransport): DixaReads {
    return {
        async getOrganization() {
            return toOrganization(await getData('/organization'), invalidFor('GET /organization'));
        },

        async listTelephonyEndpoints() {
            const data = await getData('/contact-endpoints', { _type: 'TelephonyEndpoint' });
            return expectArray(data, '`data`', invalidFor('GET /contact-endpoints'))
                .map(toEndpoint)
                .filter((e): e is DixaTelephonyEndpoint => e !== undefined);
        },

        async getTelephonyEndpoint(e164: string) {
            const template = '/contact-endpoints/{contactEndpointId}';
            const { status, data } = await http.request({ method: 'GET', template, pathParams: { contactEndpointId: e164 }, accept: [404] });
            if (status === 404) return undefined;
            return toEndpoint(expectObject(data, 'the body', invalidFor(`GET ${template}`))['data']);
        },

        async listPhoneFlows() {
            const invalid = invalidFor('GET /conversations/flows');
            const data = await getData('/conversations/flows', { channel: 'PstnPhone' });
            return expectArray(data, '`data`', invalid)
                .map(f => expectObject(f, 'a flow', invalid))
                .map(f => toPhoneFlow(f, invalid))
                .filter((f): f is DixaPhoneFlow => f !== undefined);
        },

        async listAgents(filter = {}) {
            const operation = 'GET /agents';
            if (filter.email !== undefined && filter.phone !== undefined) {
                throw http.error(operation, `${label} agents can be filtered by email or by phone, not both`);
            }
            const query: Record<string, string> = {};
            if (pageSize !== undefined) query['pageLimit'] = String(pageSize);
            if (filter.email !== undefined) query['email'] = filter.email;
            if (filter.phone !== undefined) query['phone'] = filter.phone;
            const items = await collectDixaPages(http, { method: 'GET', template: '/agents', query });
            return items.map(a => toAgent(a, invalidFor(operation)));
        },
    };
}

type DixaQueueMembers = Pick<DixaClient, 'listQueueMembers' | 'addQueueMembers' | 'removeQueueMembers'>;

function dixaQueueMembers({ http, invalidFor, getData }: DixaTransport): DixaQueueMembers {
    const template = '/queues/{queueId}/members';
    return {
        async listQueueMembers(queueId: string) {
            const invalid = invalidFor(`GET ${template}`);
            const data = await getData(template, undefined, { queueId });
            return expectArray(data, '`data`', invalid).map(m => toQueueMember(m, invalid));
        },

        async addQueueMembers(queueId: string, agentIds: readonly string[]) {
            const unique = [...new Set(agentIds)];
            if (unique.length === 0) return { succeeded: [], failed: [] };
            const body: DixaBulkQueueMembersInput = { agentIds: unique };
            // PATCH adds to a set: sending it twice leaves the same members, so it may be retried.
            const { data } = await http.request({ method: 'PATCH', template, pathParams: { queueId }, body, idempotent: true });
            const invalid = invalidFor(`PATCH ${template}`, true);
            const outcomes = readBulkOutcomes(unique, expectArray(expectObject(data, 'the body', invalid)['data'], '`data`', invalid));
            if (outcomes.failed.length > 0) http.log(`PATCH ${template}: ${outcomes.failed.length} of ${unique.length} failed: ${describeBulkFailures(outcomes)}`);
            return outcomes;
        },

        async removeQueueMembers(queueId: string, agentIds: readonly string[]) {
            const unique = [...new Set(agentIds)];
            for (let i = 0; i < unique.length; i += DIXA_MEMBER_REMOVAL_CHUNK) {
                const body: DixaBulkQueueMembersInput = { agentIds: unique.slice(i, i + DIXA_MEMBER_REMOVAL_CHUNK) };
                await http.request({ method: 'DELETE', template, pathParams: { queueId }, body });
            }
        },
    };
}
