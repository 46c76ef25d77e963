/** Dixa (/v1) over real HTTP through Prism validating against the vendor spec. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { errorViolationsOf, startContractEnvironment, type ContractEnvironment } from '../support/contract.js';
import { call, dixaClient, waitFor, type CallResult, type VendorCall } from '../support/http.js';

const D = DEMO.dixa;
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';

let env: ContractEnvironment;
let dixa: VendorCall;
let direct: VendorCall;

beforeAll(async () => {
    env = await startContractEnvironment({ sandbox: { dixaRateLimit: false } });
    dixa = dixaClient(env.dixaBaseUrl);
    direct = dixaClient(env.direct.dixaBaseUrl);
});
afterAll(async () => {
    await env?.close();
});
beforeEach(() => {
    env.sandbox.reset();
    env.sandbox.setDixaRateLimit(false);
});

/** Conformant per Prism (no error-level violation) and with the expected status. */
function expectStatus(res: CallResult, status: number): void {
    expect(errorViolationsOf(res.headers), res.text).toEqual([]);
    expect(res.status, res.text).toBe(status);
}

function expectMessage(res: CallResult, status: number, pattern?: RegExp): void {
    expectStatus(res, status);
    expect(typeof res.body.message).toBe('string');
    if (pattern) expect(res.body.message).toMatch(pattern);
}

describe('Dixa auth', () => {
    it('accepts the raw token and refuses others with 401 {message}', async () => {
        expectStatus(await dixa('GET', '/organization'), 200);
        expectMessage(await dixaClient(env.dixaBaseUrl, 'wrong-token')('GET', '/organization'), 401, /unauthorized/);
        // The token is sent raw: a Bearer prefix is a different (wrong) credential.
        expectMessage(await dixaClient(env.dixaBaseUrl, 'Bearer sandbox')('GET', '/queues'), 401);
    });
});

describe('GET /v1/organization', () => {
    it('returns the organization of the token', async () => {
        const res = await dixa('GET', '/organization');
        expectStatus(res, 200);
        expect(res.body.data).toEqual({ id: D.organizationId, name: 'Acme A/S', subdomain: 'acme', status: 'Active' });
    });
});

describe('contact endpoints', () => {
    it('lists all endpoints, or only one _type', async () => {
        const all = await dixa('GET', '/contact-endpoints');
        expectStatus(all, 200);
        expect(all.body.data.length).toBe(7);
        const phones = await dixa('GET', '/contact-endpoints?_type=TelephonyEndpoint');
        expectStatus(phones, 200);
        expect(phones.body.data.every((e: any) => e._type === 'TelephonyEndpoint' && typeof e.number === 'string')).toBe(true);
        expect(phones.body.data.map((e: any) => e.number)).toEqual(expect.arrayContaining([D.dids.support, D.dids.sales, D.dids.tier1, D.dids.salesDesk]));
        for (const did of [D.dids.support, D.dids.sales, D.dids.tier1, D.dids.salesDesk]) {
            expect(phones.body.data.find((e: any) => e.number === did).functionality).toContain('VoiceInbound');
        }
        const emails = await dixa('GET', '/contact-endpoints?_type=EmailEndpoint');
        expect(emails.body.data).toEqual([{ _type: 'EmailEndpoint', address: 'support@acme.dixa.io', name: 'Support email' }]);
    });

    it('refuses an unknown _type with 400', async () => {
        expectMessage(await dixa('GET', '/contact-endpoints?_type=Fax'), 400, /_type/);
    });

    it('gets one endpoint by its E.164 number (the key), 404 when absent, 400 when not a number or email', async () => {
        const one = await dixa('GET', `/contact-endpoints/${encodeURIComponent(D.dids.support)}`);
        expectStatus(one, 200);
        expect(one.body.data).toEqual({ _type: 'TelephonyEndpoint', number: D.dids.support, name: 'Support DK', functionality: ['VoiceInbound', 'VoiceOutbound'] });
        expectMessage(await dixa('GET', `/contact-endpoints/${encodeURIComponent('+4599999999')}`), 404);
        expectMessage(await dixa('GET', '/contact-endpoints/not-a-number'), 400, /E\.164/);
        expectStatus(await dixa('GET', '/contact-endpoints/support@acme.dixa.io'), 200);
    });
});

describe('GET /v1/conversations/flows', () => {
    it('lists phone flows by default (channel PstnPhone)', async () => {
        const res = await dixa('GET', '/conversations/flows');
        expectStatus(res, 200);
        const byName = Object.fromEntries(res.body.data.map((f: any) => [f.name, f]));
        expect(byName['Support DK']).toEqual({ id: D.flows.support, name: 'Support DK', channel: 'PstnPhone', contactEndpointId: D.dids.support });
        expect(byName['Sales DK'].contactEndpointId).toBe(D.dids.sales);
        expect(res.body.data.every((f: any) => f.channel === 'PstnPhone')).toBe(true);
        expect(res.body.data.length).toBe(3);
    });

    it('filters by channel and refuses an unknown channel', async () => {
        const email = await dixa('GET', '/conversations/flows?channel=Email');
        expectStatus(email, 200);
        expect(email.body.data.map((f: any) => f.name)).toEqual(['Email triage']);
        expectMessage(await dixa('GET', '/conversations/flows?channel=Pigeon'), 400, /channel/);
    });
});

describe('queues', () => {
    it('lists queues: Phone – Tier 1 exists with its DID in usages, Phone – Sales does not', async () => {
        const res = await dixa('GET', '/queues');
        expectStatus(res, 200);
        const tier1 = res.body.data.find((q: any) => q.name === 'Phone – Tier 1');
        expect(tier1.id).toBe(D.queues.tier1);
        expect(tier1.usages).toEqual({ queueId: D.queues.tier1, usages: { PstnPhone: [D.dids.tier1, D.dids.support] } });
        expect(tier1).not.toHaveProperty('callFunctionality');
        expect(res.body.data.some((q: any) => q.name === 'Phone – Sales')).toBe(false);
        expect(res.body.data.length).toBe(3);
    });

    it('creates a queue from a body wrapped in `request` (201), readable afterwards', async () => {
        const created = await dixa('POST', '/queues', {
            json: { request: { name: 'Phone – Sales', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false, offerAlgorithm: 'AllAtOnce', offerTimeout: 20 } },
        });
        expectStatus(created, 201);
        const q = created.body.data;
        expect(q).toMatchObject({ name: 'Phone – Sales', offeringAlgorithm: 'AllAtOnce', offerTimeout: 20, isDefault: false, organizationId: D.organizationId });
        expect(q.usages).toEqual({ queueId: q.id, usages: {} });
        const again = await dixa('GET', `/queues/${q.id}`);
        expectStatus(again, 200);
        expect(again.body.data).toEqual(q);
        expect((await dixa('GET', '/queues')).body.data.map((x: any) => x.name)).toContain('Phone – Sales');
        expect(env.sandbox.state.dixa.queues.find(x => x.id === q.id)?.callFunctionality).toBe(true);
    });

    it('has no uniqueness on names: a second create makes a duplicate (as Dixa does)', async () => {
        const body = { request: { name: 'Dup', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } };
        expectStatus(await dixa('POST', '/queues', { json: body }), 201);
        expectStatus(await dixa('POST', '/queues', { json: body }), 201);
        expect(env.sandbox.state.dixa.queues.filter(q => q.name === 'Dup').length).toBe(2);
    });

    it('answers 400 {message} for missing required fields (sandbox direct: Prism already refuses them with 422)', async () => {
        const viaPrism = await dixa('POST', '/queues', { json: { request: { name: 'x' } } });
        expect(viaPrism.status).toBe(422);
        const noWrapper = await direct('POST', '/queues', { json: { name: 'Phone – Sales', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } });
        expectMessage(noWrapper, 400, /request/);
        const missing = await direct('POST', '/queues', { json: { request: { name: 'x', isDefault: false } } });
        expectMessage(missing, 400, /request\.callFunctionality.*request\.isDoNotOfferEnabled/);
        const notJson = await direct('POST', '/queues', { rawBody: '{"request":', headers: { 'content-type': 'application/json' } });
        expectMessage(notJson, 400, /Decoding failure/);
        expect(env.sandbox.state.dixa.queues.length).toBe(3);
    });

    it('answers 400 for values the spec allows but Dixa refuses', async () => {
        const base = { callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false };
        expectMessage(await dixa('POST', '/queues', { json: { request: { ...base, name: 'x', offerAlgorithm: 'Roulette' } } }), 400, /offerAlgorithm/);
        expectMessage(await dixa('POST', '/queues', { json: { request: { ...base, name: '  ' } } }), 400, /name/);
    });

    it('answers 404 for an unknown queue and 400 for a malformed id', async () => {
        expectMessage(await dixa('GET', `/queues/${UNKNOWN_UUID}`), 404);
        expect((await dixa('GET', '/queues/not-a-uuid')).status).toBe(422); // Prism: path parameter format uuid
        expectMessage(await direct('GET', '/queues/not-a-uuid'), 400, /queueId/);
    });
});

describe('queue members', () => {
    const [a1, a2, a3] = D.agentIds;

    it('lists members with their priority', async () => {
        const res = await dixa('GET', `/queues/${D.queues.tier1}/members`);
        expectStatus(res, 200);
        expect(res.body.data).toEqual([
            { agentId: a1, priority: 1 },
            { agentId: a2, priority: 2 },
        ]);
    });

    it('PATCH answers 200 with one outcome per item, even when some fail', async () => {
        const res = await dixa('PATCH', `/queues/${D.queues.tier1}/members`, { json: { agentIds: [a3, UNKNOWN_UUID, D.endUserId, a1] } });
        expectStatus(res, 200);
        expect(res.body.data).toEqual([
            { _type: 'BulkActionSuccess', data: a3 },
            { _type: 'BulkActionFailure', error: { _type: 'NotFound', id: UNKNOWN_UUID, message: 'User not found' } },
            { _type: 'BulkActionFailure', error: { _type: 'Validation', id: D.endUserId, message: 'Member is neither Agent or Admin' } },
            { _type: 'BulkActionSuccess', data: a1 },
        ]);
        const members = await dixa('GET', `/queues/${D.queues.tier1}/members`);
        expect(members.body.data.map((m: any) => m.agentId)).toEqual([a1, a2, a3]);
    });

    it('DELETE removes up to 10 members (204) and refuses more (400)', async () => {
        const res = await dixa('DELETE', `/queues/${D.queues.tier1}/members`, { json: { agentIds: [a2] } });
        expectStatus(res, 204);
        expect((await dixa('GET', `/queues/${D.queues.tier1}/members`)).body.data.map((m: any) => m.agentId)).toEqual([a1]);
        const eleven = Array.from({ length: 11 }, (_, i) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`);
        expectMessage(await dixa('DELETE', `/queues/${D.queues.tier1}/members`, { json: { agentIds: eleven } }), 400, /at most 10/);
    });

    it('404 for members of an unknown queue; 400 for a body without agentIds', async () => {
        expectMessage(await dixa('GET', `/queues/${UNKNOWN_UUID}/members`), 404);
        expectMessage(await dixa('PATCH', `/queues/${UNKNOWN_UUID}/members`, { json: { agentIds: [a1] } }), 404);
        expectMessage(await dixa('PATCH', `/queues/${D.queues.tier1}/members`, { json: {} }), 400, /agentIds/);
    });
});

describe('GET /v1/agents (paginated)', () => {
    it('pages with pageLimit and opaque pageKeys; meta.next is a root-relative URL followed as given', async () => {
        const seen: string[] = [];
        let next: string | undefined = '/agents?pageLimit=3';
        let pages = 0;
        let first = true;
        while (next) {
            const res: CallResult = first ? await dixa('GET', next) : await call(new URL(next, env.dixaBaseUrl).href, { headers: { authorization: 'sandbox' } });
            first = false;
            expectStatus(res, 200);
            pages++;
            expect(res.body.data.length).toBeLessThanOrEqual(3);
            seen.push(...res.body.data.map((a: any) => a.id));
            if (pages > 1) expect(res.body.meta.previous).toMatch(/^\/v1\/agents\?pageKey=/);
            next = res.body.meta.next;
            if (next) {
                expect(next).toMatch(/^\/v1\/agents\?pageKey=/);
                const key = decodeURIComponent(new URL(next, 'http://x').searchParams.get('pageKey')!);
                expect(Buffer.from(key, 'base64').toString('base64')).toBe(key); // base64, opaque
            }
        }
        expect(pages).toBe(3);
        expect(seen).toEqual(D.agentIds);
    });

    it('returns everything on one page without pageLimit, with an empty meta', async () => {
        const res = await dixa('GET', '/agents');
        expectStatus(res, 200);
        expect(res.body.data.length).toBe(8);
        expect(res.body.meta).toEqual({});
        expect(res.body.data[7].roles).toEqual(['Admin']);
    });

    it('filters by email (the cursor keeps the filter) and refuses email + phone together', async () => {
        const res = await dixa('GET', '/agents?email=clara%40acme.example');
        expectStatus(res, 200);
        expect(res.body.data.map((a: any) => a.displayName)).toEqual(['Clara Hansen']);
        expectMessage(await dixa('GET', '/agents?email=a%40b.c&phone=%2B4511111111'), 400, /both/);
    });

    it('GET /v1/agents/{id}: one agent, 404 when absent', async () => {
        const res = await dixa('GET', `/agents/${D.agentIds[2]}`);
        expectStatus(res, 200);
        expect(res.body.data).toMatchObject({ id: D.agentIds[2], displayName: 'Clara Hansen', roles: ['Agent'] });
        expectMessage(await dixa('GET', `/agents/${UNKNOWN_UUID}`), 404);
    });

    it('refuses a pageKey it did not make', async () => {
        expectMessage(await dixa('GET', '/agents?pageKey=bm90LWEta2V5'), 400, /pageKey/);
    });
});

describe('unknown routes', () => {
    it('answers 404 {message} for a path Dixa does not have (Prism itself answers 404 for paths outside the spec)', async () => {
        expectMessage(await direct('GET', '/no-such-thing'), 404);
        expect((await dixa('GET', '/no-such-thing')).status).toBe(404);
    });
});

describe('Dixa rate limit (10 req/s, burst 4, per token)', () => {
    it('answers 429 {message} to a burst beyond 4 and recovers as tokens refill', async () => {
        env.sandbox.setDixaRateLimit({ ratePerSecond: 10, burst: 4 });
        const results = await Promise.all(Array.from({ length: 40 }, () => dixa('GET', '/organization')));
        const statuses = results.map(r => r.status);
        const limited = results.filter(r => r.status === 429);
        expect(statuses.filter(s => s === 200).length).toBeGreaterThanOrEqual(4);
        // 40 requests at once cannot all fit in a burst of 4 plus 10/s of refill (that would take 3.6 s).
        expect(limited.length).toBeGreaterThanOrEqual(1);
        expect(statuses.every(s => s === 200 || s === 429)).toBe(true);
        for (const r of limited) {
            expect(r.body.message).toMatch(/rate limit/);
            expect(r.headers.get('retry-after')).toBeNull(); // Dixa documents none
            expect(errorViolationsOf(r.headers)).toEqual([]); // 429 is undeclared: a warning, not an error
        }
        expect(env.sandbox.requests.some(r => r.fault === 'rate-limit' && r.status === 429)).toBe(true);
        // Tokens refill at 10/s: a later request gets through.
        let recovered = false;
        await waitFor(async () => (recovered = (await dixa('GET', '/organization')).status === 200), 5_000, 50);
        expect(recovered).toBe(true);
    });

    it('keeps a sustained 10 req/s within the limit', async () => {
        env.sandbox.setDixaRateLimit({ ratePerSecond: 10, burst: 4 });
        // 8 requests spaced 110 ms apart: never more than the refill rate.
        for (let i = 0; i < 8; i++) {
            const started = Date.now();
            expectStatus(await direct('GET', '/organization'), 200);
            const wait = 110 - (Date.now() - started);
            if (wait > 0) await new Promise(r => setTimeout(r, wait));
        }
    });

    it('sends Retry-After when configured to', async () => {
        // One token, refilled only after 100 s: the second request is limited however slow the machine.
        env.sandbox.setDixaRateLimit({ ratePerSecond: 0.01, burst: 1, retryAfter: true });
        expectStatus(await direct('GET', '/organization'), 200);
        const limited = await direct('GET', '/organization');
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
});
