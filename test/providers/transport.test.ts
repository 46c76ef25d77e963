/**
 * Transport rules the sandbox has no fault for, against a tiny scripted loopback server
 * (test/support/fault-server.ts): Retry-After as an HTTP date, redirects never followed, paging
 * links to another host never followed there, and the base-URL rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDixaProvider } from '../../src/providers/dixa/index.js';
import { createSynthflowProvider } from '../../src/providers/synthflow/index.js';
import { ProviderError } from '../../src/providers/types.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { rejectionOf } from '../support/providers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.close()));
});
async function serve(...args: Parameters<typeof startFaultServer>): Promise<FaultServer> {
    const server = await startFaultServer(...args);
    servers.push(server);
    return server;
}

/** A realistic key: the redactor removes every occurrence of the key, so a one-letter key would garble messages. */
const KEY = 'test-api-key-4f1c9a';
const ORG = { data: { id: 'o', name: 'Acme', subdomain: 'acme', status: 'Active' } };

describe('Retry-After as an HTTP date', () => {
    it('waits until the date before retrying', async () => {
        // HTTP dates have whole seconds: 2 s ahead means at least ~1 s of waiting.
        const server = await serve((_, i) =>
            i === 0 ? { status: 429, headers: { 'retry-after': new Date(Date.now() + 2_000).toUTCString() }, body: { message: 'slow down' } } : { status: 200, body: ORG },
        );
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY, retryBaseDelayMs: 10 });
        try {
            expect((await dixa.getOrganization()).subdomain).toBe('acme');
        } finally {
            dixa.close();
        }
        expect(server.requests).toHaveLength(2);
        expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(900);
    });

    it('does not wait for an absurd Retry-After: fails with rate-limit at once', async () => {
        const server = await serve(() => ({ status: 429, headers: { 'retry-after': '86400' }, body: { message: 'come back tomorrow' } }));
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY, retryBaseDelayMs: 10 });
        const started = performance.now();
        const error = (await rejectionOf(() => dixa.getOrganization())) as ProviderError;
        dixa.close();
        expect(error).toMatchObject({ kind: 'rate-limit', status: 429 });
        expect(error.message).toContain('come back tomorrow');
        expect(error.message).toContain('retry after 86400 s');
        expect(performance.now() - started).toBeLessThan(2_000);
    });
});

describe('attempt timeouts', () => {
    it('a timeout or deadline in fractional milliseconds: the request is sent, not refused as an out-of-range timer', async () => {
        // AbortSignal.timeout takes whole milliseconds only; the time left before a deadline rarely is one.
        const server = await serve(() => ({ status: 200, body: ORG }));
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY, timeoutMs: 5_000.5, deadlineMs: 2_500.25 });
        try {
            expect((await dixa.getOrganization()).subdomain).toBe('acme');
        } finally {
            dixa.close();
        }
        expect(server.requests).toHaveLength(1);
    });
});

describe('vendor text quoted in errors', () => {
    it('is redacted before it is cut: a key echoed across the 500-character cut leaves no fragment', async () => {
        // The key starts 8 characters before the cut, so cutting first would keep "test-api" unredacted.
        const message = `${'x'.repeat(492)}${KEY} was rejected`;
        const server = await serve(() => ({ status: 400, body: { message } }));
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY });
        const error = (await rejectionOf(() => dixa.getOrganization())) as ProviderError;
        dixa.close();
        expect(error.message).toContain('[REDACT');
        for (let length = 4; length <= KEY.length; length++) expect(error.message).not.toContain(KEY.slice(0, length));
    });
});

describe('a silent server', () => {
    it('holds a request no longer than its deadline, retries included', async () => {
        const server = await serve(() => ({ status: 503, body: { message: 'busy' } }));
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY, deadlineMs: 400, retryBaseDelayMs: 150, maxRetries: 10 });
        const started = performance.now();
        const error = (await rejectionOf(() => dixa.getOrganization())) as ProviderError;
        dixa.close();
        expect(error.message).toContain('deadline');
        expect(performance.now() - started).toBeLessThan(1_000);
        expect(server.requests.length).toBeLessThan(10);
    });
});

describe('never sending the key elsewhere', () => {
    it('a redirect is not followed (the key would travel with it)', async () => {
        const elsewhere = await serve(() => ({ status: 200, body: ORG }));
        const server = await serve(() => ({ status: 302, headers: { location: `${elsewhere.url}/v1/organization` } }));
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY });
        const error = (await rejectionOf(() => dixa.getOrganization())) as ProviderError;
        dixa.close();
        expect(error).toMatchObject({ kind: 'client', status: 302 });
        expect(error.message).toContain('unexpected redirect');
        expect(elsewhere.requests).toHaveLength(0);
    });

    it('an absolute meta.next naming another host is followed on our own host only', async () => {
        const elsewhere = await serve(() => ({ status: 200, body: { data: [] } }));
        const agent = (id: string) => ({ id, createdAt: '2024-01-01T00:00:00Z', displayName: id, email: `${id}@x.example` });
        const server = await serve(req =>
            req.url.includes('pageKey=p2')
                ? { status: 200, body: { data: [agent('b')] } }
                : { status: 200, body: { data: [agent('a')], meta: { next: `${elsewhere.url}/v1/agents?pageKey=p2` } } },
        );
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY });
        const agents = await dixa.listAgents();
        dixa.close();
        expect(agents.map(a => a.id)).toEqual(['a', 'b']);
        expect(server.requests.map(r => r.url)).toEqual(['/v1/agents', '/v1/agents?pageKey=p2']);
        expect(elsewhere.requests).toHaveLength(0);
    });

    it('a cursor that does not advance is an invalid response, not an endless loop', async () => {
        const server = await serve(() => ({ status: 200, body: { data: [], meta: { next: '/v1/agents?pageKey=same' } } }));
        const dixa = createDixaProvider({ baseUrl: `${server.url}/v1`, apiKey: KEY });
        const error = (await rejectionOf(() => dixa.listAgents())) as ProviderError;
        dixa.close();
        expect(error).toMatchObject({ kind: 'invalid-response' });
        expect(server.requests).toHaveLength(2);
    });

    it('an empty Synthflow page before total_records is an invalid response, not an endless loop', async () => {
        const server = await serve(() => ({ status: 200, body: { status: 'ok', response: { pagination: { total_records: 5, limit: 2, offset: 0 }, actions: [] } } }));
        const sf = createSynthflowProvider({ baseUrl: `${server.url}/v2`, apiKey: KEY, workspace: 'w' });
        const error = (await rejectionOf(() => sf.listActions())) as ProviderError;
        sf.close();
        expect(error).toMatchObject({ kind: 'invalid-response', operation: 'GET /actions' });
        expect(server.requests).toHaveLength(1);
    });
});

describe('base URL rule', () => {
    it.each(['http://dev.dixa.io/v1', 'http://192.168.1.10:8080/v1', 'http://localhost.example.com/v1'])('refuses plain http to %s before any request', baseUrl => {
        let error: unknown;
        try {
            createDixaProvider({ baseUrl, apiKey: KEY });
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ vendor: 'dixa', operation: 'configure', kind: 'client' });
        expect((error as Error).message).toMatch(/^Dixa base URL http:\/\/[^ ]+ uses plain http to a non-loopback host; use https/);
    });

    it('accepts https and loopback http; refuses other schemes and credentials in the URL', () => {
        createDixaProvider({ baseUrl: 'https://dev.dixa.io/v1', apiKey: KEY }).close();
        createSynthflowProvider({ baseUrl: 'http://127.0.0.1:9/v2', apiKey: KEY, workspace: 'w' }).close();
        createSynthflowProvider({ baseUrl: 'http://[::1]:9/v2', apiKey: KEY, workspace: 'w' }).close();
        expect(() => createSynthflowProvider({ baseUrl: 'file:///etc/passwd', apiKey: KEY, workspace: 'w' })).toThrow(/must use https/);
        expect(() => createSynthflowProvider({ baseUrl: 'https://user:secret-pw@api.synthflow.ai/v2', apiKey: KEY, workspace: 'w' })).toThrow(/must not contain credentials/);
    });

    it('an unreachable loopback port is a network error naming the host, retried a bounded number of times', async () => {
        const server = await serve(() => ({ status: 200, body: ORG }));
        const url = server.url;
        await server.close();
        const dixa = createDixaProvider({ baseUrl: `${url}/v1`, apiKey: KEY, retryBaseDelayMs: 5, maxRetries: 2 });
        const error = (await rejectionOf(() => dixa.getOrganization())) as ProviderError;
        dixa.close();
        expect(error).toMatchObject({ kind: 'network', outcome: 'failed' });
        expect(error.message).toContain(`cannot reach ${new URL(url).host} (ECONNREFUSED)`);
        expect(dixa.stats.requests).toBe(3);
    });
});
