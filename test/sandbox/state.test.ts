/** State: seeds, persistence with statePath, the admin surface and the request log. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, seedState, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, dixaClient, synthflowClient, waitFor } from '../support/http.js';

const WS = DEMO.synthflow.workspace;
const PASSWORD = 'pa55-Word-never-stored';

let dir: string;
const open: Sandbox[] = [];

beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sipflow-sandbox-state-'));
});
afterEach(async () => {
    await Promise.all(open.splice(0).map(s => s.close()));
    rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
    const sandbox = await startSandbox({ dixaRateLimit: false, ...options });
    open.push(sandbox);
    return sandbox;
}

describe('seeds', () => {
    it('demo matches examples/acme.sipflow: our numbers not imported, Phone – Sales missing, a CUSTOM_ACTION on the support assistant', () => {
        const s = seedState('demo');
        expect(s.dixa.organization.subdomain).toBe('acme');
        expect(s.dixa.queues.map(q => q.name)).toContain('Phone – Tier 1');
        expect(s.dixa.queues.map(q => q.name)).not.toContain('Phone – Sales');
        expect(s.synthflow.numbers.map(n => n.phone_number)).toEqual([DEMO.synthflow.unrelatedNumber, DEMO.synthflow.outboundNumber]);
        // Exactly one outbound agent with a number: the test caller `sipflow verify --call` picks by itself.
        const callers = s.synthflow.assistants.filter(a => a.type === 'outbound' && a.phone_number_slugs.length > 0);
        expect(callers.map(a => [a.model_id, a.phone_number_slugs])).toEqual([[DEMO.synthflow.assistants.outbound, [DEMO.synthflow.outboundNumber.slice(1)]]]);
        expect(s.dixaManual).toEqual({ allowlist: [], transferSteps: {}, queueRouting: {} });
        const support = s.synthflow.assistants.find(a => a.model_id === DEMO.synthflow.assistants.support)!;
        expect(support.type).toBe('inbound');
        expect(support.actions.map(id => s.synthflow.actions.find(a => a.action_id === id)!.action_type)).toEqual(['CUSTOM_ACTION']);
        expect(s.synthflow.assistants.find(a => a.model_id === DEMO.synthflow.assistants.sales)!.type).toBe('inbound');
    });

    it('empty has no data but the organization', async () => {
        const sandbox = await start({ seed: 'empty' });
        const queues = await dixaClient(sandbox.dixaBaseUrl)('GET', '/queues');
        expect(queues.body).toEqual({ data: [] });
        const assistants = await synthflowClient(sandbox.synthflowBaseUrl)('GET', '/assistants/');
        expect(assistants.body.response.assistants).toEqual([]);
        expect((await dixaClient(sandbox.dixaBaseUrl)('GET', '/organization')).status).toBe(200);
    });

    it('refuses an unknown seed', async () => {
        await expect(startSandbox({ seed: 'nope' as 'demo' })).rejects.toThrow(/unknown seed/);
    });
});

describe('statePath', () => {
    it('seeds a missing file, persists every change, and loads it on the next start', async () => {
        const path = join(dir, 'nested', 'sandbox-state.json');
        const first = await start({ statePath: path });
        expect(existsSync(path)).toBe(true);
        const sf = synthflowClient(first.synthflowBaseUrl);
        const imported = await sf('POST', '/custom-numbers', {
            json: { workspace_id: WS, phone_number: '+4535551234', termination_uri: 'acme.sip.dixa.com', trunk_username: 'u', trunk_pwd: PASSWORD },
        });
        expect(imported.status).toBe(200);
        const created = await dixaClient(first.dixaBaseUrl)('POST', '/queues', {
            json: { request: { name: 'Phone – Sales', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } },
        });
        expect(created.status).toBe(201);
        const onDisk = readFileSync(path, 'utf8');
        expect(onDisk).toContain('+4535551234');
        expect(onDisk).toContain('Phone – Sales');
        expect(onDisk).not.toContain(PASSWORD);
        await first.close();

        // The file wins over the seed.
        const second = await start({ statePath: path, seed: 'empty' });
        const number = await synthflowClient(second.synthflowBaseUrl)('GET', `/numbers/4535551234?workspace=${WS}`);
        expect(number.status).toBe(200);
        const queue = await dixaClient(second.dixaBaseUrl)('GET', `/queues/${created.body.data.id}`);
        expect(queue.body.data.name).toBe('Phone – Sales');
    });

    it('does not rewrite the file for reads', async () => {
        const path = join(dir, 'state.json');
        const sandbox = await start({ statePath: path });
        writeFileSync(path, readFileSync(path, 'utf8').replace('"Acme A/S"', '"Edited on disk"'));
        await dixaClient(sandbox.dixaBaseUrl)('GET', '/queues');
        expect(readFileSync(path, 'utf8')).toContain('Edited on disk');
    });

    it('refuses a file that is not a sandbox state, with the path in the message', async () => {
        const path = join(dir, 'bad.json');
        writeFileSync(path, '{"hello": "world"}');
        await expect(startSandbox({ statePath: path })).rejects.toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a sipflow sandbox state file`));
        writeFileSync(path, '{not json');
        await expect(startSandbox({ statePath: path })).rejects.toThrow(/cannot read the sandbox state file/);
        // The JSON parser's error stays attached as the cause (lint: preserve-caught-error).
        await expect(startSandbox({ statePath: path })).rejects.toMatchObject({ cause: expect.any(SyntaxError) });
    });

    it('reset() returns to the seed and persists it', async () => {
        const path = join(dir, 'state.json');
        const sandbox = await start({ statePath: path });
        await dixaClient(sandbox.dixaBaseUrl)('POST', '/queues', { json: { request: { name: 'Temp', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } } });
        expect(readFileSync(path, 'utf8')).toContain('Temp');
        sandbox.reset();
        expect(readFileSync(path, 'utf8')).not.toContain('Temp');
        sandbox.reset('empty');
        expect(JSON.parse(readFileSync(path, 'utf8')).dixa.queues).toEqual([]);
    });
});

describe('admin surface (/_sandbox)', () => {
    it('health, state, reset, and PUT state', async () => {
        const sandbox = await start();
        expect((await call(`${sandbox.adminUrl}/health`)).body).toEqual({ ok: true });
        const state = await call(`${sandbox.adminUrl}/state`);
        expect(state.body.dixa.organization.subdomain).toBe('acme');

        await dixaClient(sandbox.dixaBaseUrl)('POST', '/queues', { json: { request: { name: 'Temp', callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } } });
        const reset = await call(`${sandbox.adminUrl}/reset`, { method: 'POST', json: { seed: 'empty' } });
        expect(reset.body).toEqual({ ok: true, seed: 'empty' });
        expect(sandbox.state.dixa.queues).toEqual([]);

        const edited = state.body;
        edited.dixa.queues[0].usages = { PstnPhone: ['+4570102222'] };
        const put = await call(`${sandbox.adminUrl}/state`, { method: 'PUT', json: edited });
        expect(put.status).toBe(200);
        const queue = await dixaClient(sandbox.dixaBaseUrl)('GET', `/queues/${edited.dixa.queues[0].id}`);
        expect(queue.body.data.usages.usages).toEqual({ PstnPhone: ['+4570102222'] });
        expect((await call(`${sandbox.adminUrl}/state`, { method: 'PUT', json: { nope: true } })).status).toBe(400);
        expect((await call(`${sandbox.adminUrl}/reset`, { method: 'POST', json: { seed: 'bogus' } })).status).toBe(400);
        expect((await call(`${sandbox.adminUrl}/nothing-here`)).status).toBe(404);
    });

    it('rate limit can be read and changed', async () => {
        const sandbox = await start({ dixaRateLimit: { ratePerSecond: 10, burst: 4 } });
        expect((await call(`${sandbox.adminUrl}/rate-limit`)).body).toEqual({ rateLimit: { ratePerSecond: 10, burst: 4 } });
        const off = await call(`${sandbox.adminUrl}/rate-limit`, { method: 'PUT', json: false });
        expect(off.body).toEqual({ rateLimit: false });
        const statuses = await Promise.all(Array.from({ length: 10 }, () => dixaClient(sandbox.dixaBaseUrl)('GET', '/organization').then(r => r.status)));
        expect(statuses.every(s => s === 200)).toBe(true);
    });

    it('admin requests are not subject to vendor auth, latency or faults', async () => {
        const sandbox = await start({ latencyMs: 20_000, faults: '*:*:*=503' });
        const started = performance.now();
        expect((await call(`${sandbox.adminUrl}/health`)).status).toBe(200);
        expect(performance.now() - started).toBeLessThan(10_000);
    });
});

describe('request log', () => {
    it('records vendor, method, path, query and status, and never a credential or body', async () => {
        const sandbox = await start({ dixaToken: 'dixa-token-XYZ', synthflowKey: 'sf-key-ABC' });
        await dixaClient(sandbox.dixaBaseUrl, 'dixa-token-XYZ')('GET', '/agents?pageLimit=2');
        await dixaClient(sandbox.dixaBaseUrl, 'wrong')('GET', '/queues');
        await synthflowClient(sandbox.synthflowBaseUrl, 'sf-key-ABC')('POST', '/custom-numbers', {
            json: { workspace_id: WS, phone_number: '+4535551234', termination_uri: 'acme.sip.dixa.com', trunk_pwd: PASSWORD },
        });
        expect(sandbox.requests.map(r => [r.vendor, r.method, r.path, r.query, r.status, r.mutated])).toEqual([
            ['dixa', 'GET', '/v1/agents', 'pageLimit=2', 200, false],
            ['dixa', 'GET', '/v1/queues', '', 401, false],
            ['synthflow', 'POST', '/v2/custom-numbers', '', 200, true],
        ]);
        const text = JSON.stringify(sandbox.requests) + JSON.stringify((await call(`${sandbox.adminUrl}/requests`)).body);
        for (const secret of ['dixa-token-XYZ', 'sf-key-ABC', PASSWORD]) expect(text).not.toContain(secret);
    });

    it('keeps the newest entries up to maxLoggedRequests', async () => {
        const sandbox = await start({ maxLoggedRequests: 3 });
        for (let i = 0; i < 5; i++) await dixaClient(sandbox.dixaBaseUrl)('GET', '/organization');
        expect(sandbox.requests.map(r => r.seq)).toEqual([3, 4, 5]);
    });

    it('latencyMs delays every vendor response', async () => {
        const sandbox = await start({ latencyMs: 150 });
        const started = performance.now();
        expect((await dixaClient(sandbox.dixaBaseUrl)('GET', '/organization')).status).toBe(200);
        expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('close() ends hung requests too', async () => {
        const sandbox = await startSandbox({ faults: 'dixa:*:*=timeout' });
        const hung = dixaClient(sandbox.dixaBaseUrl)('GET', '/organization', { timeoutMs: 30_000 }).catch(e => e as Error);
        await waitFor(() => sandbox.requests.length > 0);
        await sandbox.close();
        expect(await hung).toBeInstanceOf(Error);
    });
});
