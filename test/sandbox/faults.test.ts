/**
 * Fault injection: the spec grammar (unit), then every fault kind over real HTTP. Transport faults
 * (timeout, reset, malformed, lost) are exercised against the sandbox directly — a proxy in between
 * would turn them into its own 5xx — and once through Prism to show what a client behind it sees.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, formatFaultRule, parseFaultSpec, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { FaultInjector, pathMatches } from '../../src/sandbox/faults.js';
import { TokenBuckets } from '../../src/sandbox/rate-limit.js';
import { errorViolationsOf, startContractEnvironment, type ContractEnvironment } from '../support/contract.js';
import { call, dixaClient, synthflowClient, waitFor, type VendorCall } from '../support/http.js';

const WS = DEMO.synthflow.workspace;
const importBody = (phone: string) => ({ workspace_id: WS, phone_number: phone, provider_name: 'custom', termination_uri: 'acme.sip.dixa.com' });

describe('fault spec grammar', () => {
    it('parses rules with vendor, method, path, action and modifiers', () => {
        const config = parseFaultSpec(
            'seed=7, synthflow:POST:/custom-numbers=lost*1, dixa:*:*=429*2, synthflow:*:/actions/**=503~0.25*5, dixa:GET:/queues=delay:2000@3, *:*:*=429:2, dixa:PATCH:/queues/{id}/members=timeout:500, synthflow:GET:*=malformed, dixa:*:*=reset',
        );
        expect(config.seed).toBe(7);
        expect(config.rules).toEqual([
            { vendor: 'synthflow', method: 'POST', path: '/custom-numbers', action: { kind: 'lost' }, times: 1 },
            { vendor: 'dixa', method: '*', path: '*', action: { kind: 'status', status: 429 }, times: 2 },
            { vendor: 'synthflow', method: '*', path: '/actions/**', action: { kind: 'status', status: 503 }, times: 5, probability: 0.25 },
            { vendor: 'dixa', method: 'GET', path: '/queues', action: { kind: 'delay', ms: 2000 }, at: 3 },
            { vendor: '*', method: '*', path: '*', action: { kind: 'status', status: 429, retryAfter: 2 } },
            { vendor: 'dixa', method: 'PATCH', path: '/queues/{id}/members', action: { kind: 'timeout', ms: 500 } },
            { vendor: 'synthflow', method: 'GET', path: '*', action: { kind: 'malformed' } },
            { vendor: 'dixa', method: '*', path: '*', action: { kind: 'reset' } },
        ]);
        for (const rule of config.rules) expect(parseFaultSpec(formatFaultRule(rule)).rules).toEqual([rule]);
    });

    it.each([
        ['synthflow:POST:/custom-numbers', /VENDOR:METHOD:PATH=ACTION/],
        ['zendesk:*:*=500', /vendor/],
        ['dixa:FETCH:*=500', /method/],
        ['dixa:*:queues=500', /path must start/],
        ['dixa:*:*=explode', /unknown action/],
        ['dixa:*:*=200', /4xx or 5xx/],
        ['dixa:*:*=500*0', /positive integer/],
        ['dixa:*:*=500~2', /probability/],
        ['dixa:*:*=delay', /milliseconds/],
        ['dixa:*:*=lost:5', /no argument/],
    ])('refuses %s', (spec, message) => {
        expect(() => parseFaultSpec(spec)).toThrow(message);
    });

    it('matches paths: exact, {param} and * for one segment, ** for the rest, trailing slash ignored', () => {
        expect(pathMatches('/queues/{id}/members', '/queues/abc/members')).toBe(true);
        expect(pathMatches('/queues/*/members', '/queues/abc/members')).toBe(true);
        expect(pathMatches('/queues/{id}/members', '/queues/abc')).toBe(false);
        expect(pathMatches('/actions/**', '/actions/attach')).toBe(true);
        expect(pathMatches('/actions/**', '/actions')).toBe(true);
        expect(pathMatches('/assistants', '/assistants/')).toBe(true);
        expect(pathMatches('*', '/anything/at/all')).toBe(true);
        expect(pathMatches('/numbers', '/numbers/123')).toBe(false);
    });

    it('counts: *N fires N times, @N starts at the N-th match, first matching rule wins', () => {
        const f = new FaultInjector(parseFaultSpec('dixa:GET:/queues=500@2*2,dixa:*:*=503*1'));
        const fired = Array.from({ length: 5 }, () => f.next('dixa', 'GET', '/queues'));
        expect(fired.map(a => (a?.kind === 'status' ? a.status : null))).toEqual([503, 500, 500, null, null]);
        expect(f.next('synthflow', 'GET', '/queues')).toBeUndefined();
        expect(f.status()).toEqual([
            { rule: 'dixa:GET:/queues=500*2@2', seen: 3, fired: 2, remaining: 0 },
            { rule: 'dixa:*:*=503*1', seen: 1, fired: 1, remaining: 0 },
        ]);
    });

    it('probability is deterministic for a seed and varies with it', () => {
        const pattern = (seed: number) => {
            const f = new FaultInjector(parseFaultSpec(`seed=${seed},*:*:*=500~0.5`));
            return Array.from({ length: 40 }, () => (f.next('dixa', 'GET', '/x') ? 1 : 0)).join('');
        };
        expect(pattern(42)).toBe(pattern(42));
        expect(pattern(42)).not.toBe(pattern(43));
        const ones = [...pattern(42)].filter(c => c === '1').length;
        expect(ones).toBeGreaterThan(5);
        expect(ones).toBeLessThan(35);
    });
});

describe('token bucket', () => {
    it('allows a burst of 4, then 10 per second', () => {
        let now = 0;
        const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 4 }, () => now);
        expect(Array.from({ length: 5 }, () => buckets.take('t'))).toEqual([true, true, true, true, false]);
        now += 100; // one token
        expect([buckets.take('t'), buckets.take('t')]).toEqual([true, false]);
        now += 1_000; // refills to the burst, not beyond
        expect(Array.from({ length: 5 }, () => buckets.take('t'))).toEqual([true, true, true, true, false]);
        expect(buckets.take('other-token')).toBe(true);
    });
});

describe('faults over real HTTP (sandbox direct)', () => {
    let sandbox: Sandbox;
    let dixa: VendorCall;
    let sf: VendorCall;

    beforeAll(async () => {
        sandbox = await startSandbox({ dixaRateLimit: false });
        dixa = dixaClient(sandbox.dixaBaseUrl);
        sf = synthflowClient(sandbox.synthflowBaseUrl);
    });
    afterAll(async () => {
        await sandbox?.close();
    });
    beforeEach(() => sandbox.reset());

    const numbers = () => sandbox.state.synthflow.numbers.map(n => n.phone_number);

    it('429 with and without Retry-After, in each vendor’s error shape; nothing applied', async () => {
        sandbox.setFaults('dixa:*:*=429*1,synthflow:POST:/custom-numbers=429:3*1');
        const d = await dixa('GET', '/organization');
        expect(d.status).toBe(429);
        expect(d.headers.get('retry-after')).toBeNull();
        expect(d.body).toEqual({ message: expect.stringMatching(/rate limit/) });
        const s = await sf('POST', '/custom-numbers', { json: importBody('+4535551234') });
        expect(s.status).toBe(429);
        expect(s.headers.get('retry-after')).toBe('3');
        expect(s.body.detail).toMatchObject({ status: 'error', category: 'rate_limit' });
        expect(numbers()).not.toContain('+4535551234');
        // Count used up: the next requests go through.
        expect((await dixa('GET', '/organization')).status).toBe(200);
        expect((await sf('POST', '/custom-numbers', { json: importBody('+4535551234') })).status).toBe(200);
    });

    it.each([500, 502, 503])('%i: vendor-shaped body, the write is not applied', async status => {
        sandbox.setFaults(`synthflow:POST:/actions=${status}*1,dixa:POST:/queues=${status}*1`);
        const s = await sf('POST', '/actions', { json: { SEND_SMS: { content: 'x', instructions: 'y' } } });
        expect(s.status).toBe(status);
        expect(s.body.detail).toMatchObject({ status: 'error', category: 'server_error' });
        const d = await dixa('POST', '/queues', { json: { request: { name: 'Q', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } } });
        expect(d.status).toBe(status);
        expect(typeof d.body.message).toBe('string');
        expect(sandbox.state.synthflow.actions.length).toBe(3);
        expect(sandbox.state.dixa.queues.length).toBe(3);
    });

    it('403 on an import reads as Synthflow refusing provider imports', async () => {
        sandbox.setFaults('synthflow:POST:/custom-numbers=403*1');
        const res = await sf('POST', '/custom-numbers', { json: importBody('+4535551234') });
        expect(res.status).toBe(403);
        expect(res.body.detail).toMatchObject({ category: 'permission_denied', description: expect.stringMatching(/not enabled/) });
    });

    it('@N fails only the N-th matching request', async () => {
        sandbox.setFaults('dixa:GET:/queues=503@3*1');
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await dixa('GET', '/queues')).status);
        expect(statuses).toEqual([200, 200, 503, 200]);
    });

    it('delay:MS answers normally, later', async () => {
        sandbox.setFaults('dixa:GET:/organization=delay:300*1');
        const started = performance.now();
        const res = await dixa('GET', '/organization');
        expect(res.status).toBe(200);
        expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('timeout hangs past the client timeout; the write is not applied', async () => {
        sandbox.setFaults('synthflow:POST:/custom-numbers=timeout*1');
        await expect(sf('POST', '/custom-numbers', { json: importBody('+4535551234'), timeoutMs: 300 })).rejects.toThrow(/timeout|aborted/i);
        expect(numbers()).not.toContain('+4535551234');
        expect(sandbox.requests.at(-1)).toMatchObject({ status: null, fault: 'timeout', mutated: false });
    });

    it('timeout:MS drops the connection after MS', async () => {
        sandbox.setFaults('dixa:GET:/queues=timeout:150*1');
        const started = performance.now();
        await expect(dixa('GET', '/queues', { timeoutMs: 10_000 })).rejects.toThrow();
        expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('reset destroys the connection at once; the write is not applied', async () => {
        sandbox.setFaults('synthflow:POST:/custom-numbers=reset*1');
        const error = await sf('POST', '/custom-numbers', { json: importBody('+4535551234') }).catch(e => e as Error);
        expect(error).toBeInstanceOf(Error);
        expect(String((error as Error & { cause?: unknown }).cause ?? error)).toMatch(/ECONNRESET|socket|closed|terminated/i);
        expect(numbers()).not.toContain('+4535551234');
    });

    it('malformed: the write is applied and the body is not JSON', async () => {
        sandbox.setFaults('synthflow:POST:/custom-numbers=malformed*1');
        const res = await sf('POST', '/custom-numbers', { json: importBody('+4535551234') });
        expect(res.status).toBe(200);
        expect(res.body).toBeUndefined();
        expect(() => JSON.parse(res.text)).toThrow();
        expect(numbers()).toContain('+4535551234');
    });

    it('lost: the write succeeded but the response was lost (socket destroyed after applying)', async () => {
        sandbox.setFaults('synthflow:POST:/custom-numbers=lost*1');
        await expect(sf('POST', '/custom-numbers', { json: importBody('+4535551234') })).rejects.toThrow();
        expect(numbers()).toContain('+4535551234');
        expect(sandbox.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v2/custom-numbers', status: null, fault: 'lost', mutated: true });
        // A blind retry is refused as a duplicate: the client must re-read instead.
        const retry = await sf('POST', '/custom-numbers', { json: importBody('+4535551234') });
        expect(retry.status).toBe(400);
        const reread = await sf('GET', `/numbers/4535551234?workspace=${WS}`);
        expect(reread.status).toBe(200);
    });

    it('lost on a Dixa queue create: the queue exists although the client saw no answer', async () => {
        sandbox.setFaults('dixa:POST:/queues=lost*1');
        await expect(
            dixa('POST', '/queues', { json: { request: { name: 'Phone – Sales', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } } }),
        ).rejects.toThrow();
        expect(sandbox.state.dixa.queues.map(q => q.name)).toContain('Phone – Sales');
    });

    it('faults come after latency and before auth: a faulted request with a bad key still gets the fault', async () => {
        sandbox.setFaults('synthflow:*:*=503*1');
        const res = await synthflowClient(sandbox.synthflowBaseUrl, 'wrong')('GET', '/assistants/');
        expect(res.status).toBe(503);
    });

    it('the admin surface sets, reports and clears faults', async () => {
        const set = await call(`${sandbox.adminUrl}/faults`, { method: 'POST', json: { spec: 'dixa:GET:/organization=500*2' } });
        expect(set.status).toBe(200);
        expect(set.body.rules).toEqual([{ rule: 'dixa:GET:/organization=500*2', seen: 0, fired: 0, remaining: 2 }]);
        expect((await dixa('GET', '/organization')).status).toBe(500);
        expect((await call(`${sandbox.adminUrl}/faults`)).body.rules[0]).toMatchObject({ fired: 1, remaining: 1 });
        expect((await call(`${sandbox.adminUrl}/faults`, { method: 'DELETE' })).status).toBe(204);
        expect((await dixa('GET', '/organization')).status).toBe(200);
        const bad = await call(`${sandbox.adminUrl}/faults`, { method: 'POST', rawBody: 'dixa:*:*=explode', headers: { 'content-type': 'text/plain' } });
        expect(bad.status).toBe(400);
        expect(bad.body.error).toMatch(/unknown action/);
        const rules = await call(`${sandbox.adminUrl}/faults`, {
            method: 'POST',
            json: { rules: [{ vendor: 'dixa', method: 'GET', path: '/queues', action: { kind: 'status', status: 502 }, times: 1 }] },
        });
        expect(rules.body.rules[0].rule).toBe('dixa:GET:/queues=502*1');
        expect((await dixa('GET', '/queues')).status).toBe(502);
    });

    it('programmatic rules and the startSandbox({faults}) option use the same grammar', async () => {
        const other = await startSandbox({ seed: 'empty', faults: 'seed=3,dixa:GET:/organization=503~0.5*3' });
        try {
            const statuses: number[] = [];
            for (let i = 0; i < 12; i++) statuses.push((await dixaClient(other.dixaBaseUrl)('GET', '/organization')).status);
            expect(statuses.filter(s => s === 503).length).toBe(3);
            expect(other.faultStatus()[0]).toMatchObject({ fired: 3, remaining: 0 });
        } finally {
            await other.close();
        }
        expect(() => sandbox.setFaults([{ vendor: 'dixa', action: { kind: 'status', status: 200 } }])).toThrow(/4xx or 5xx/);
    });
});

describe('faults through Prism', () => {
    let env: ContractEnvironment;

    beforeAll(async () => {
        env = await startContractEnvironment({ sandbox: { dixaRateLimit: false } });
    });
    afterAll(async () => {
        await env?.close();
    });

    it('status faults pass through Prism unchanged (429/5xx bodies are not spec errors)', async () => {
        env.sandbox.setFaults('synthflow:GET:/numbers=503:1*1,dixa:GET:/queues=429:2*1,synthflow:POST:/actions/attach=500*1');
        const s = await synthflowClient(env.synthflowBaseUrl)('GET', `/numbers?workspace=${WS}`);
        expect(s.status).toBe(503);
        expect(s.headers.get('retry-after')).toBe('1');
        expect(errorViolationsOf(s.headers)).toEqual([]);
        const d = await dixaClient(env.dixaBaseUrl)('GET', '/queues');
        expect(d.status).toBe(429);
        expect(d.headers.get('retry-after')).toBe('2');
        expect(d.body.message).toMatch(/rate limit/);
        const a = await synthflowClient(env.synthflowBaseUrl)('POST', '/actions/attach', { json: { model_id: DEMO.synthflow.assistants.support, actions: [] } });
        expect(a.status).toBe(500);
        expect(a.body.detail.category).toBe('server_error');
    });

    it('a lost response reaches a client behind Prism as a Prism 5xx, with the write applied', async () => {
        env.sandbox.setFaults('synthflow:POST:/custom-numbers=lost*1');
        const res = await synthflowClient(env.synthflowBaseUrl)('POST', '/custom-numbers', { json: importBody('+4535555678') });
        expect(res.status).toBeGreaterThanOrEqual(500);
        await waitFor(() => env.sandbox.state.synthflow.numbers.some(n => n.phone_number === '+4535555678'));
    });
});
