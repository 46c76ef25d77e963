/**
 * Dixa under `/v1`, with the shapes of the spec's `/beta` paths (shared/specs/dixa/dixa-api.yaml).
 * Errors are `{"message": …}`; bulk member writes answer 200 with one outcome per item.
 */
import { ApiError, E164, intParam, isRecord, json, UUID, type Reply, type RequestContext, type Route } from './http.js';
import { DIXA_OFFER_ALGORITHMS } from '../vendors/dixa-facts.js';
import type { DixaContactEndpoint, DixaQueueRecord } from './state.js';

export const DIXA_PREFIX = '/v1';

export const DIXA_MESSAGES = {
    unauthorized: 'User is unauthorized to perform an underlying operation',
    notFound: 'The requested resource could not be found',
    rateLimited: 'Too many requests: the rate limit of 10 requests per second (burst 4) per API token was exceeded',
    decoding: 'Decoding failure in request',
    serverError: 'There was an internal server error while processing the request',
    methodNotAllowed: 'Method not allowed',
} as const;

export const DIXA_CHANNELS = ['WhatsApp', 'Voicemail', 'WidgetChat', 'FacebookMessenger', 'Email', 'ContactForm', 'Callback', 'PstnPhone', 'Messenger'] as const;
const QUEUE_THRESHOLDS = ['SlaTimeLimit', 'AvailableAgents', 'LongestWait', 'SlaPercentage', 'WaitingConversations'];
const DEFAULT_PAGE_LIMIT = 50;
const MAX_MEMBERS_PER_DELETE = 10;

export function dixaError(status: number, message: string): Reply {
    return json(status, { message });
}

export const dixaRoutes: readonly Route[] = [
    { method: 'GET', pattern: '/organization', handler: getOrganization },
    { method: 'GET', pattern: '/contact-endpoints', handler: listContactEndpoints },
    { method: 'GET', pattern: '/contact-endpoints/{contactEndpointId}', handler: getContactEndpoint },
    { method: 'GET', pattern: '/conversations/flows', handler: listFlows },
    { method: 'GET', pattern: '/queues', handler: listQueues },
    { method: 'POST', pattern: '/queues', handler: createQueue },
    { method: 'GET', pattern: '/queues/{queueId}', handler: getQueue },
    { method: 'GET', pattern: '/queues/{queueId}/members', handler: listMembers },
    { method: 'PATCH', pattern: '/queues/{queueId}/members', handler: addMembers },
    { method: 'DELETE', pattern: '/queues/{queueId}/members', handler: removeMembers },
    { method: 'GET', pattern: '/agents', handler: listAgents },
    { method: 'GET', pattern: '/agents/{agentId}', handler: getAgent },
];

function getOrganization(ctx: RequestContext): Reply {
    const org = ctx.state.dixa.organization;
    return json(200, { data: { id: org.id, name: org.name, subdomain: org.subdomain, status: org.status } });
}

function renderEndpoint(e: DixaContactEndpoint): Record<string, unknown> {
    return { ...e };
}

function listContactEndpoints(ctx: RequestContext): Reply {
    const type = ctx.query.get('_type');
    if (type !== null && type !== 'TelephonyEndpoint' && type !== 'EmailEndpoint') {
        throw new ApiError(400, 'Invalid value for: query parameter _type');
    }
    const data = ctx.state.dixa.contactEndpoints.filter(e => type === null || e._type === type).map(renderEndpoint);
    return json(200, { data });
}

function getContactEndpoint(ctx: RequestContext): Reply {
    const id = ctx.params.contactEndpointId!;
    const isEmail = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(id);
    if (!isEmail && !E164.test(id)) {
        throw new ApiError(400, 'The contactEndpointId is neither a valid email nor a valid E.164 phone number');
    }
    const found = ctx.state.dixa.contactEndpoints.find(e => (e._type === 'TelephonyEndpoint' ? e.number === id : e.address.toLowerCase() === id.toLowerCase()));
    if (!found) throw new ApiError(404, DIXA_MESSAGES.notFound);
    return json(200, { data: renderEndpoint(found) });
}

function listFlows(ctx: RequestContext): Reply {
    const channel = ctx.query.get('channel') ?? 'PstnPhone';
    if (!(DIXA_CHANNELS as readonly string[]).includes(channel)) throw new ApiError(400, 'Invalid value for: query parameter channel');
    const data = ctx.state.dixa.flows.filter(f => f.channel === channel).map(f => ({ ...f }));
    return json(200, { data });
}

/** The API shape of a queue (the record minus the request-only `callFunctionality`). */
export function renderQueue(q: DixaQueueRecord): Record<string, unknown> {
    const { callFunctionality: _omitted, usages, ...rest } = q;
    return { ...rest, usages: { queueId: q.id, usages: Object.fromEntries(Object.entries(usages).map(([k, v]) => [k, [...v]])) } };
}

/** Reads of the queue list per state, for the `dixaQueueListStable: false` assumption (every other read reversed). */
const queueListReads = new WeakMap<object, number>();

function listQueues(ctx: RequestContext): Reply {
    const queues = ctx.state.dixa.queues.map(renderQueue);
    if (ctx.assumptions.dixaQueueListStable) return json(200, { data: queues });
    const reads = (queueListReads.get(ctx.state) ?? 0) + 1;
    queueListReads.set(ctx.state, reads);
    return json(200, { data: reads % 2 === 0 ? queues.reverse() : queues });
}

function findQueue(ctx: RequestContext): DixaQueueRecord {
    const id = ctx.params.queueId!;
    if (!UUID.test(id)) throw new ApiError(400, 'Invalid value for: path parameter queueId');
    const queue = ctx.state.dixa.queues.find(q => q.id === id);
    if (!queue) throw new ApiError(404, DIXA_MESSAGES.notFound);
    return queue;
}

function getQueue(ctx: RequestContext): Reply {
    return json(200, { data: renderQueue(findQueue(ctx)) });
}

function createQueue(ctx: RequestContext): Reply {
    const body = ctx.body;
    if (!isRecord(body)) throw new ApiError(400, 'Invalid value for: body (expected a JSON object)');
    const request = body.request;
    if (!isRecord(request)) throw new ApiError(400, 'Invalid value for: body (missing required field: request)');
    const missing = ['name', 'callFunctionality', 'isDefault', 'isDoNotOfferEnabled'].filter(f => request[f] === undefined || request[f] === null);
    if (missing.length > 0) throw new ApiError(400, `Invalid value for: body (missing required field: ${missing.map(f => `request.${f}`).join(', ')})`);
    const str = (f: string) => {
        if (typeof request[f] !== 'string') throw new ApiError(400, `Invalid value for: body (request.${f} must be a string)`);
        return request[f] as string;
    };
    const bool = (f: string, fallback: boolean) => {
        const v = request[f];
        if (v === undefined || v === null) return fallback;
        if (typeof v !== 'boolean') throw new ApiError(400, `Invalid value for: body (request.${f} must be a boolean)`);
        return v;
    };
    const int = (f: string): number | undefined => {
        const v = request[f];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new ApiError(400, `Invalid value for: body (request.${f} must be an integer)`);
        return v;
    };
    const intMap = (f: string, keys?: readonly string[]): Record<string, number> | undefined => {
        const v = request[f];
        if (v === undefined || v === null) return undefined;
        if (!isRecord(v) || Object.values(v).some(x => typeof x !== 'number' || !Number.isInteger(x))) {
            throw new ApiError(400, `Invalid value for: body (request.${f} must map names to integers)`);
        }
        if (keys && Object.keys(v).some(k => !keys.includes(k))) throw new ApiError(400, `Invalid value for: body (unknown key in request.${f})`);
        return v as Record<string, number>;
    };
    const name = str('name');
    if (name.trim() === '') throw new ApiError(400, 'Invalid value for: body (request.name must not be empty)');
    const offerAlgorithm = request.offerAlgorithm === undefined ? undefined : str('offerAlgorithm');
    if (offerAlgorithm !== undefined && !(DIXA_OFFER_ALGORITHMS as readonly string[]).includes(offerAlgorithm)) {
        throw new ApiError(400, `Invalid value for: body (unknown offerAlgorithm ${offerAlgorithm})`);
    }
    const queue: DixaQueueRecord = {
        id: ctx.newId(),
        name,
        isDefault: bool('isDefault', false),
        organizationId: ctx.state.dixa.organization.id,
        queueThresholds: intMap('queueThresholds', QUEUE_THRESHOLDS) ?? {},
        slaCalculationMethod: 'AbandonedIgnored',
        offerTimeout: int('offerTimeout') ?? 30,
        offeringAlgorithm: offerAlgorithm ?? 'AgentPriorityOneAtATimeRandom',
        memberListType: 'Default',
        usages: {},
        wrapupTimeout: int('wrapupTimeout') ?? 0,
        priority: int('priority') ?? 1,
        offerAbandonedConversations: bool('offerAbandonedConversations', false),
        doNotOfferTimeouts: intMap('doNotOfferTimeouts', DIXA_CHANNELS) ?? {},
        isDoNotOfferEnabled: bool('isDoNotOfferEnabled', false),
        isPreferredAgentEnabled: bool('isPreferredAgentEnabled', false),
        isRestricted: bool('isRestricted', false),
        callFunctionality: bool('callFunctionality', false),
    };
    const preferred = intMap('preferredAgentTimeouts', DIXA_CHANNELS);
    if (preferred) queue.preferredAgentTimeouts = preferred;
    const preferredOffline = int('preferredAgentOfflineTimeout');
    if (preferredOffline !== undefined) queue.preferredAgentOfflineTimeout = preferredOffline;
    const personalOffline = int('personalAgentOfflineTimeout');
    if (personalOffline !== undefined) queue.personalAgentOfflineTimeout = personalOffline;
    if (queue.isDefault) for (const q of ctx.state.dixa.queues) q.isDefault = false;
    // Dixa has no uniqueness on names: a second create with the same name makes a second queue.
    ctx.state.dixa.queues.push(queue);
    ctx.state.dixa.queueMembers[queue.id] = [];
    ctx.mutated = true;
    return json(201, { data: renderQueue(queue) });
}

function listMembers(ctx: RequestContext): Reply {
    const queue = findQueue(ctx);
    return json(200, { data: (ctx.state.dixa.queueMembers[queue.id] ?? []).map(m => ({ ...m })) });
}

function agentIdsOf(body: unknown): string[] {
    if (!isRecord(body) || !Array.isArray(body.agentIds)) throw new ApiError(400, 'Invalid value for: body (missing required field: agentIds)');
    const ids = body.agentIds;
    if (ids.some(id => typeof id !== 'string' || !UUID.test(id))) throw new ApiError(400, 'Invalid value for: body (agentIds must be UUIDs)');
    if (new Set(ids).size !== ids.length) throw new ApiError(400, 'Invalid value for: body (agentIds must be unique)');
    return ids as string[];
}

function addMembers(ctx: RequestContext): Reply {
    const queue = findQueue(ctx);
    const ids = agentIdsOf(ctx.body);
    const members = (ctx.state.dixa.queueMembers[queue.id] ??= []);
    const data = ids.map(id => {
        if (ctx.state.dixa.agents.some(a => a.id === id)) {
            if (!members.some(m => m.agentId === id)) {
                members.push({ agentId: id, priority: members.length + 1 });
                ctx.mutated = true;
            }
            return { _type: 'BulkActionSuccess', data: id };
        }
        if (ctx.state.dixa.endUserIds.includes(id)) {
            return { _type: 'BulkActionFailure', error: { _type: 'Validation', id, message: 'Member is neither Agent or Admin' } };
        }
        return { _type: 'BulkActionFailure', error: { _type: 'NotFound', id, message: 'User not found' } };
    });
    return json(200, { data });
}

function removeMembers(ctx: RequestContext): Reply {
    const queue = findQueue(ctx);
    const ids = agentIdsOf(ctx.body);
    if (ids.length > MAX_MEMBERS_PER_DELETE) throw new ApiError(400, `Invalid value for: body (at most ${MAX_MEMBERS_PER_DELETE} agentIds per request)`);
    const members = ctx.state.dixa.queueMembers[queue.id] ?? [];
    const kept = members.filter(m => !ids.includes(m.agentId));
    if (kept.length !== members.length) {
        ctx.state.dixa.queueMembers[queue.id] = kept;
        ctx.mutated = true;
    }
    return { status: 204 };
}

// ─── Agents: paginated with opaque keys ────────────────────────────────────────────────────────────

interface PageCursor {
    readonly offset: number;
    readonly limit: number;
    readonly email?: string;
    readonly phone?: string;
}

function encodeCursor(cursor: PageCursor): string {
    return Buffer.from(JSON.stringify({ v: 1, ...cursor }), 'utf8').toString('base64');
}

function decodeCursor(key: string): PageCursor {
    try {
        const parsed = JSON.parse(Buffer.from(key, 'base64').toString('utf8')) as Record<string, unknown>;
        if (parsed.v === 1 && Number.isInteger(parsed.offset) && Number.isInteger(parsed.limit)) {
            return {
                offset: parsed.offset as number,
                limit: parsed.limit as number,
                ...(typeof parsed.email === 'string' ? { email: parsed.email } : {}),
                ...(typeof parsed.phone === 'string' ? { phone: parsed.phone } : {}),
            };
        }
    } catch {
        // fall through
    }
    throw new ApiError(400, 'Invalid value for: query parameter pageKey');
}

function listAgents(ctx: RequestContext): Reply {
    const pageLimit = intParam(ctx.query, 'pageLimit');
    if (Number.isNaN(pageLimit) || pageLimit === 0) throw new ApiError(400, 'Invalid value for: query parameter pageLimit');
    const pageKey = ctx.query.get('pageKey');
    let cursor: PageCursor;
    if (pageKey) {
        const decoded = decodeCursor(pageKey);
        // pageLimit may change the page size between requests; the filters travel in the key.
        cursor = pageLimit === undefined ? decoded : { ...decoded, limit: pageLimit };
    } else {
        const email = ctx.query.get('email') ?? undefined;
        const phone = ctx.query.get('phone') ?? undefined;
        if (email !== undefined && phone !== undefined) throw new ApiError(400, 'Invalid filters: Cannot provide both phone number and email address');
        cursor = { offset: 0, limit: pageLimit ?? DEFAULT_PAGE_LIMIT, ...(email !== undefined ? { email } : {}), ...(phone !== undefined ? { phone } : {}) };
    }
    const all = ctx.state.dixa.agents.filter(
        a =>
            (cursor.email === undefined || a.email.toLowerCase() === cursor.email.toLowerCase() || a.additionalEmails.includes(cursor.email)) &&
            (cursor.phone === undefined || a.phoneNumber === cursor.phone || a.additionalPhoneNumbers.includes(cursor.phone)),
    );
    const page = all.slice(cursor.offset, cursor.offset + cursor.limit);
    const meta: Record<string, string> = {};
    if (cursor.offset + cursor.limit < all.length) {
        meta.next = `${DIXA_PREFIX}/agents?pageKey=${encodeURIComponent(encodeCursor({ ...cursor, offset: cursor.offset + cursor.limit }))}`;
    }
    if (cursor.offset > 0) {
        meta.previous = `${DIXA_PREFIX}/agents?pageKey=${encodeURIComponent(encodeCursor({ ...cursor, offset: Math.max(0, cursor.offset - cursor.limit) }))}`;
    }
    return json(200, { data: page.map(a => ({ ...a })), meta });
}

function getAgent(ctx: RequestContext): Reply {
    const id = ctx.params.agentId!;
    if (!UUID.test(id)) throw new ApiError(400, 'Invalid value for: path parameter agentId');
    const agent = ctx.state.dixa.agents.find(a => a.id === id);
    if (!agent) throw new ApiError(404, DIXA_MESSAGES.notFound);
    return json(200, { data: { ...agent } });
}
