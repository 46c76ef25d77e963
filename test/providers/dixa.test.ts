/**
 * The Dixa provider over real HTTP: client → Prism validating proxy (Dixa's OpenAPI file, /v1) →
 * sandbox. Transport faults that Prism cannot carry (resets, lost responses, malformed bodies,
 * timeouts) go straight to the sandbox (`direct: true`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIXA_MEMBER_REMOVAL_CHUNK, describeBulkFailures } from '../../src/providers/dixa/index.js';
import { ProviderError } from '../../src/providers/types.js';
import { DEMO } from '../../src/sandbox/index.js';
import { waitFor } from '../support/http.js';
import { rejectionOf, startProviderTestEnv, type ProviderTestEnv } from '../support/providers.js';

let t: ProviderTestEnv;

beforeAll(async () => {
    t = await startProviderTestEnv();
});
afterAll(async () => {
    await t?.close();
});
beforeEach(() => t.resetAll());

const NEW_QUEUE = 'Phone – Sales';
const queuesNamed = (name: string) => t.env.sandbox.state.dixa.queues.filter(q => q.name === name);

describe('Dixa provider: reads', () => {
    it('getOrganization', async () => {
        expect(await t.dixa().getOrganization()).toEqual({ id: DEMO.dixa.organizationId, name: 'Acme A/S', subdomain: 'acme' });
    });

    it('listTelephonyEndpoints returns the DIDs (not the email endpoint) with their functionality', async () => {
        const endpoints = await t.dixa().listTelephonyEndpoints();
        expect(endpoints.map(e => e.number).sort()).toEqual(Object.values(DEMO.dixa.dids).sort());
        expect(endpoints.find(e => e.number === DEMO.dixa.dids.tier1)).toEqual({ number: DEMO.dixa.dids.tier1, name: 'Tier 1 escalations', functionality: ['VoiceInbound'] });
        expect(t.requestsTo('GET', '/contact-endpoints')[0]!.query).toBe('_type=TelephonyEndpoint');
    });

    it('getTelephonyEndpoint: the endpoint, or undefined on 404', async () => {
        const dixa = t.dixa();
        expect(await dixa.getTelephonyEndpoint(DEMO.dixa.dids.support)).toMatchObject({ number: DEMO.dixa.dids.support, functionality: ['VoiceInbound', 'VoiceOutbound'] });
        expect(await dixa.getTelephonyEndpoint('+4599999999')).toBeUndefined();
    });

    it('listPhoneFlows returns the PstnPhone flows with their DIDs', async () => {
        const flows = await t.dixa().listPhoneFlows();
        expect(flows).toEqual([
            { id: DEMO.dixa.flows.support, name: 'Support DK', contactEndpointId: DEMO.dixa.dids.support },
            { id: DEMO.dixa.flows.sales, name: 'Sales DK', contactEndpointId: DEMO.dixa.dids.sales },
            { id: DEMO.dixa.flows.main, name: 'Main line IVR', contactEndpointId: DEMO.dixa.dids.main },
        ]);
    });

    it('listQueues and getQueue read usages; an unknown queue is undefined', async () => {
        const dixa = t.dixa();
        const queues = await dixa.listQueues();
        expect(queues.map(q => q.name)).toEqual(['Main queue', 'Phone – Tier 1', 'Email – Billing']);
        const tier1 = await dixa.getQueue(DEMO.dixa.queues.tier1);
        expect(tier1).toEqual({
            id: DEMO.dixa.queues.tier1,
            name: 'Phone – Tier 1',
            offeringAlgorithm: 'AgentPriorityOneAtATimeRandom',
            usages: { PstnPhone: [DEMO.dixa.dids.tier1, DEMO.dixa.dids.support] },
        });
        expect(await dixa.getQueue('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('listAgents follows meta.next across several pages and keeps filters', async () => {
        const dixa = t.dixa({ pageSize: 3 });
        const agents = await dixa.listAgents();
        expect(agents.map(a => a.id)).toEqual([...DEMO.dixa.agentIds]);
        expect(t.requestsTo('GET', '/agents')).toHaveLength(3);
        expect(dixa.stats.byOperation.get('GET /agents')).toBe(3);
        expect(agents.at(-1)!.roles).toEqual(['Admin']);
        const anna = await dixa.listAgents({ email: 'anna@acme.example' });
        expect(anna.map(a => a.displayName)).toEqual(['Anna Jensen']);
    });
});

describe('Dixa provider: queues', () => {
    it('concurrent creates of different queues share one look-up before their POSTs, then each re-lists', async () => {
        const dixa = t.dixa();
        const names = ['Phone – A', 'Phone – B', 'Phone – C'];
        const created = await Promise.all(names.map(name => dixa.createQueue({ name })));
        expect(created.map(q => q.name)).toEqual(names);
        const log = t.env.sandbox.requests.filter(r => r.vendor === 'dixa' && r.path.endsWith('/queues'));
        const firstPost = log.findIndex(r => r.method === 'POST');
        expect(log.slice(0, firstPost).filter(r => r.method === 'GET')).toHaveLength(1);
        // After its create, each re-lists afresh (a concurrent run may have made a twin).
        expect(dixa.stats.byOperation.get('GET /queues')).toBe(1 + names.length);
        expect(dixa.stats.byOperation.get('POST /queues')).toBe(3);
        for (const name of names) expect(queuesNamed(name)).toHaveLength(1);
    });

    it('a twin made by a concurrent run in the same moment: both runs use the same queue', async () => {
        // Another run's create lands between our look-up and our re-list.
        const other = t.dixa({ direct: true });
        t.env.sandbox.setFaults('dixa:POST:/queues=delay:150*1');
        const [ours] = await Promise.all([
            t.dixa({ direct: true }).createQueue({ name: NEW_QUEUE }),
            (async () => {
                await new Promise(r => setTimeout(r, 50));
                return other.createQueue({ name: NEW_QUEUE });
            })(),
        ]);
        const twins = queuesNamed(NEW_QUEUE);
        expect(twins.length).toBeGreaterThanOrEqual(1);
        // Whatever happened, both answer with the queue Dixa lists first.
        expect(ours.id).toBe(twins[0]!.id);
        expect((await other.createQueue({ name: NEW_QUEUE })).id).toBe(twins[0]!.id);
    });

    it('createQueue creates a phone ring group with the required flags and reads it back', async () => {
        const dixa = t.dixa();
        const created = await dixa.createQueue({ name: NEW_QUEUE, offerAlgorithm: 'AllAtOnce' });
        expect(created).toMatchObject({ name: NEW_QUEUE, offeringAlgorithm: 'AllAtOnce' });
        const [record] = queuesNamed(NEW_QUEUE);
        expect(record).toMatchObject({ id: created.id, callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false, offeringAlgorithm: 'AllAtOnce' });
        expect((await dixa.listQueues()).map(q => q.name)).toContain(NEW_QUEUE);
    });

    it('createQueue adopts an existing queue of that name without a POST', async () => {
        const dixa = t.dixa();
        const tier1 = await dixa.createQueue({ name: 'Phone – Tier 1' });
        expect(tier1.id).toBe(DEMO.dixa.queues.tier1);
        expect(t.requestsTo('POST', '/queues')).toHaveLength(0);
    });

    it('concurrent creates of one name make one queue', async () => {
        const dixa = t.dixa();
        const results = await Promise.all([dixa.createQueue({ name: NEW_QUEUE }), dixa.createQueue({ name: NEW_QUEUE }), dixa.createQueue({ name: NEW_QUEUE })]);
        expect(new Set(results.map(q => q.id)).size).toBe(1);
        expect(queuesNamed(NEW_QUEUE)).toHaveLength(1);
        expect(t.requestsTo('POST', '/queues')).toHaveLength(1);
    });

    it('refuses an unknown offer algorithm before sending anything', async () => {
        const error = await rejectionOf(() => t.dixa().createQueue({ name: NEW_QUEUE, offerAlgorithm: 'Roulette' }));
        expect(error).toBeInstanceOf(ProviderError);
        expect((error as ProviderError).kind).toBe('client');
        expect(t.timed).toHaveLength(0);
    });

    it('POST answered 500 (nothing applied): re-read, absent, sent once more → exactly one queue', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=500*1');
        const dixa = t.dixa();
        const queue = await dixa.createQueue({ name: NEW_QUEUE });
        expect(queuesNamed(NEW_QUEUE).map(q => q.id)).toEqual([queue.id]);
        expect(t.requestsTo('POST', '/queues').map(r => r.status)).toEqual([500, 201]);
    });

    it('POST failing 500 every time: two POSTs at most, then ProviderError(outcome unknown), no queue', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=500');
        const error = (await rejectionOf(() => t.dixa().createQueue({ name: NEW_QUEUE }))) as ProviderError;
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ vendor: 'dixa', operation: 'POST /queues', status: 500, outcome: 'unknown', kind: 'server' });
        expect(error.message).toContain('There was an internal server error');
        expect(t.requestsTo('POST', '/queues')).toHaveLength(2);
        expect(queuesNamed(NEW_QUEUE)).toHaveLength(0);
    });

    it("a 400 is reported with Dixa's message and not retried", async () => {
        // Prism would refuse an invalid body itself (422); an injected 400 shows the sandbox's answer.
        t.env.sandbox.setFaults('dixa:POST:/queues=400*1');
        const error = (await rejectionOf(() => t.dixa().createQueue({ name: NEW_QUEUE }))) as ProviderError;
        expect(error).toMatchObject({ status: 400, kind: 'client', outcome: 'failed' });
        expect(error.message).toMatch(/^Dixa POST \/queues failed with HTTP 400: \S/);
        expect(t.requestsTo('POST', '/queues')).toHaveLength(1);
    });
});

describe('Dixa provider: queue members (bulk outcomes)', () => {
    it('addQueueMembers reports every item: success, NotFound, Validation', async () => {
        const dixa = t.dixa();
        const unknown = '11111111-2222-4333-8444-555555555555';
        const outcomes = await dixa.addQueueMembers(DEMO.dixa.queues.tier1, [DEMO.dixa.agentIds[2], unknown, DEMO.dixa.endUserId]);
        expect(outcomes.succeeded).toEqual([DEMO.dixa.agentIds[2]]);
        expect(outcomes.failed).toEqual([
            { id: unknown, type: 'NotFound', message: 'User not found' },
            { id: DEMO.dixa.endUserId, type: 'Validation', message: 'Member is neither Agent or Admin' },
        ]);
        expect(describeBulkFailures(outcomes)).toBe(`${unknown} NotFound: User not found; ${DEMO.dixa.endUserId} Validation: Member is neither Agent or Admin`);
        const members = await dixa.listQueueMembers(DEMO.dixa.queues.tier1);
        expect(members.map(m => m.agentId)).toEqual([DEMO.dixa.agentIds[0], DEMO.dixa.agentIds[1], DEMO.dixa.agentIds[2]]);
        expect(members[0]).toEqual({ agentId: DEMO.dixa.agentIds[0], priority: 1 });
    });

    it('removeQueueMembers sends at most 10 ids per DELETE', async () => {
        const dixa = t.dixa();
        const ids = [...DEMO.dixa.agentIds.slice(0, 7), ...Array.from({ length: 5 }, (_, i) => `99999999-0000-4000-8000-00000000000${i}`)];
        await dixa.removeQueueMembers(DEMO.dixa.queues.main, ids);
        expect(t.requestsTo('DELETE', `/queues/${DEMO.dixa.queues.main}/members`)).toHaveLength(Math.ceil(ids.length / DIXA_MEMBER_REMOVAL_CHUNK));
        expect(await dixa.listQueueMembers(DEMO.dixa.queues.main)).toEqual([]);
    });
});

describe('Dixa provider: errors, retries and the throttle', () => {
    it('a wrong token: one request, one clear auth error without the token', async () => {
        const wrong = 'dixa-token-that-is-wrong-7f3a';
        const error = (await rejectionOf(() => t.dixa({ apiKey: wrong }).getOrganization())) as ProviderError;
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ vendor: 'dixa', operation: 'GET /organization', status: 401, kind: 'auth', outcome: 'failed' });
        expect(error.message).toBe('Dixa GET /organization was refused: Dixa rejected the API key (401 Unauthorized): User is unauthorized to perform an underlying operation');
        expect(error.message).not.toContain(wrong);
        expect(t.timed).toHaveLength(1);
    });

    it('429 without Retry-After is retried with backoff', async () => {
        t.env.sandbox.setFaults('dixa:GET:/queues=429*2');
        const dixa = t.dixa();
        expect(await dixa.listQueues()).toHaveLength(3);
        expect(t.requestsTo('GET', '/queues').map(r => r.status)).toEqual([429, 429, 200]);
        expect(dixa.stats.retries).toBe(2);
        expect(dixa.stats.requests).toBe(3);
    });

    it('429 with Retry-After: 1 waits at least a second before the retry (from the request log)', async () => {
        t.env.sandbox.setFaults('dixa:GET:/queues=429:1*1');
        await t.dixa().listQueues();
        const [throttled, retried] = t.requestsTo('GET', '/queues');
        expect(throttled!.status).toBe(429);
        expect(retried!.status).toBe(200);
        const gap = retried!.startedAt - throttled!.finishedAt;
        expect(gap).toBeGreaterThanOrEqual(900);
        expect(gap).toBeLessThan(5_000);
    });

    it('429 on a POST is retried too (a throttled request was not processed)', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=429*1');
        await t.dixa().createQueue({ name: NEW_QUEUE });
        expect(t.requestsTo('POST', '/queues').map(r => r.status)).toEqual([429, 201]);
        expect(queuesNamed(NEW_QUEUE)).toHaveLength(1);
    });

    it.each([500, 502, 503])('GET answered %i is retried', async status => {
        t.env.sandbox.setFaults(`dixa:GET:/organization=${status}*2`);
        const dixa = t.dixa();
        expect((await dixa.getOrganization()).subdomain).toBe('acme');
        expect(t.requestsTo('GET', '/organization').map(r => r.status)).toEqual([status, status, 200]);
        expect(dixa.stats.retries).toBe(2);
    });

    it('gives up after maxRetries with a server error', async () => {
        t.env.sandbox.setFaults('dixa:GET:/organization=503');
        const error = (await rejectionOf(() => t.dixa({ maxRetries: 2 }).getOrganization())) as ProviderError;
        expect(error).toMatchObject({ status: 503, kind: 'server', outcome: 'failed' });
        expect(t.requestsTo('GET', '/organization')).toHaveLength(3);
    });

    it("the throttle keeps a burst of 30 requests under Dixa's rate limit: the sandbox never answers 429", async () => {
        const dixa = t.dixa();
        const results = await Promise.all(Array.from({ length: 30 }, () => dixa.getOrganization()));
        expect(results).toHaveLength(30);
        const seen = t.requestsTo('GET', '/organization');
        expect(seen).toHaveLength(30);
        expect(seen.filter(r => r.status !== 200)).toEqual([]);
        expect(dixa.stats.retries).toBe(0);
    });
});

describe('Dixa provider: transport faults (straight to the sandbox)', () => {
    it('a connection reset on a GET is retried', async () => {
        t.env.sandbox.setFaults('dixa:GET:/queues=reset*1');
        const dixa = t.dixa({ direct: true });
        expect(await dixa.listQueues()).toHaveLength(3);
        expect(t.requestsTo('GET', '/queues').map(r => r.status)).toEqual([null, 200]);
    });

    it('a GET that times out is retried (short timeoutMs)', async () => {
        t.env.sandbox.setFaults('dixa:GET:/organization=timeout*1');
        const dixa = t.dixa({ direct: true, timeoutMs: 300 });
        expect((await dixa.getOrganization()).subdomain).toBe('acme');
        expect(dixa.stats.retries).toBeGreaterThanOrEqual(1);
        expect(t.logs.some(l => l.includes('retry 1/4') && l.includes('after timeout'))).toBe(true);
    });

    it('a GET timing out every time ends in kind timeout', async () => {
        t.env.sandbox.setFaults('dixa:GET:/organization=timeout');
        const error = (await rejectionOf(() => t.dixa({ direct: true, timeoutMs: 200, maxRetries: 1 }).getOrganization())) as ProviderError;
        expect(error).toMatchObject({ kind: 'timeout', outcome: 'failed', operation: 'GET /organization' });
        expect(error.message).toContain('timed out after 200 ms');
    });

    it('malformed JSON on a read is retried (a cut-off body is a transport fault); every time → invalid-response', async () => {
        t.env.sandbox.setFaults('dixa:GET:/queues=malformed*1');
        expect((await t.dixa({ direct: true }).listQueues()).length).toBeGreaterThan(0);
        expect(t.requestsTo('GET', '/queues')).toHaveLength(2);
        t.env.sandbox.setFaults('dixa:GET:/queues=malformed');
        const error = (await rejectionOf(() => t.dixa({ direct: true, maxRetries: 1 }).listQueues())) as ProviderError;
        expect(error).toMatchObject({ kind: 'invalid-response', status: 200, outcome: 'failed' });
    });

    it('write succeeded but the response was lost: re-read finds it, no duplicate', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=lost*1');
        const queue = await t.dixa({ direct: true }).createQueue({ name: NEW_QUEUE });
        expect(queuesNamed(NEW_QUEUE).map(q => q.id)).toEqual([queue.id]);
        expect(t.requestsTo('POST', '/queues')).toHaveLength(1);
    });

    it('a POST answered with malformed JSON (applied) is re-read, not re-sent', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=malformed*1');
        const queue = await t.dixa({ direct: true }).createQueue({ name: NEW_QUEUE });
        expect(queuesNamed(NEW_QUEUE).map(q => q.id)).toEqual([queue.id]);
        expect(t.requestsTo('POST', '/queues')).toHaveLength(1);
    });

    it('a POST whose connection is reset (not applied) is re-read, then sent once more', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=reset*1');
        const queue = await t.dixa({ direct: true }).createQueue({ name: NEW_QUEUE });
        expect(queuesNamed(NEW_QUEUE).map(q => q.id)).toEqual([queue.id]);
        expect(t.requestsTo('POST', '/queues').map(r => r.status)).toEqual([null, 201]);
    });

    it('a POST that times out while the server is still working is not re-sent: no duplicate', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=delay:2000*1');
        const dixa = t.dixa({ direct: true, timeoutMs: 500 });
        const error = (await rejectionOf(() => dixa.createQueue({ name: NEW_QUEUE }))) as ProviderError;
        expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown', operation: 'POST /queues' });
        expect(error.message).toContain('not sent again');
        // The slow create lands afterwards; the next run adopts it.
        await waitFor(() => queuesNamed(NEW_QUEUE).length === 1, 10_000);
        const adopted = await dixa.createQueue({ name: NEW_QUEUE });
        expect(queuesNamed(NEW_QUEUE).map(q => q.id)).toEqual([adopted.id]);
        expect(t.requestsTo('POST', '/queues')).toHaveLength(1);
    });

    it('cancellation: an in-flight request and every later one reject with kind cancelled', async () => {
        t.env.sandbox.setFaults('dixa:GET:/queues=delay:5000*1');
        const controller = new AbortController();
        const dixa = t.dixa({ direct: true, signal: controller.signal });
        const started = performance.now();
        const pending = rejectionOf(() => dixa.listQueues());
        setTimeout(() => controller.abort(), 100);
        const error = (await pending) as ProviderError;
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ kind: 'cancelled', outcome: 'failed' });
        expect(performance.now() - started).toBeLessThan(3_000);
        const later = (await rejectionOf(() => dixa.createQueue({ name: NEW_QUEUE }))) as ProviderError;
        expect(later.kind).toBe('cancelled');
        expect(t.requestsTo('POST', '/queues')).toHaveLength(0);
    });

    it('cancelling a POST in flight reports outcome unknown', async () => {
        t.env.sandbox.setFaults('dixa:POST:/queues=delay:3000*1');
        const controller = new AbortController();
        const dixa = t.dixa({ direct: true, signal: controller.signal });
        const pending = rejectionOf(() => dixa.createQueue({ name: NEW_QUEUE }));
        await waitFor(() => t.logs.some(l => l.includes('→ POST /queues')), 5_000);
        controller.abort();
        const error = (await pending) as ProviderError;
        expect(error).toMatchObject({ kind: 'cancelled', outcome: 'unknown', operation: 'POST /queues' });
    });
});
