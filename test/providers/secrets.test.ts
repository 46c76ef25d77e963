/**
 * Secrets never leave the providers: run operations with known API keys and a known trunk password,
 * successes and failures alike (401, 400, 5xx, unknown outcomes, timeouts, malformed bodies,
 * cancellation, and a server that echoes the credentials back in its error text), capture every log
 * line, error (message, stack, inspect, JSON) and console output, and look for the secret values.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDixaProvider } from '../../src/providers/dixa/index.js';
import { createSynthflowProvider } from '../../src/providers/synthflow/index.js';
import { ProviderError, type SynthflowNumberImport } from '../../src/providers/types.js';
import { DEMO } from '../../src/sandbox/index.js';
import { startFaultServer } from '../support/fault-server.js';
import { startProviderTestEnv, type ProviderTestEnv } from '../support/providers.js';

const DIXA_TOKEN = 'dixa-SECRET-token-a1b2c3d4';
const SYNTHFLOW_KEY = 'sf-SECRET-key-e5f6g7h8';
const WRONG_KEY = 'wrong-SECRET-key-0000zz';
const TRUNK_PASSWORD = 'trunk-SECRET-pw-Zq9!x';
const SECRETS = [DIXA_TOKEN, SYNTHFLOW_KEY, WRONG_KEY, TRUNK_PASSWORD];

let t: ProviderTestEnv;
beforeAll(async () => {
    t = await startProviderTestEnv({ dixaToken: DIXA_TOKEN, synthflowKey: SYNTHFLOW_KEY });
});
afterAll(async () => {
    await t?.close();
});

function withPassword(e164: string): SynthflowNumberImport {
    return { e164, friendlyName: 'secret test', terminationUri: 'acme.sip.dixa.com', trunkUsername: 'synthflow-acme', trunkPassword: TRUNK_PASSWORD };
}

describe('secrets', () => {
    it('no key, token or trunk password appears in any log line, error or console output', async () => {
        expect(t.env.dixaToken).toBe(DIXA_TOKEN);
        const captured: string[] = [];
        const errors: unknown[] = [];
        const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map(m =>
            vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
                captured.push(args.map(a => (typeof a === 'string' ? a : inspect(a, { depth: 6 }))).join(' '));
            }),
        );
        const attempt = async (fn: () => Promise<unknown>) => {
            try {
                await fn();
            } catch (error) {
                errors.push(error);
            }
        };
        try {
            const sf = t.synthflow();
            const dixa = t.dixa();
            // Successes with credentials on the wire.
            await attempt(() => sf.importNumber(withPassword(DEMO.dixa.dids.support)));
            await attempt(() => sf.updateNumber(DEMO.dixa.dids.support, { trunkPassword: TRUNK_PASSWORD }));
            await attempt(() => dixa.getOrganization());
            // A refused duplicate import (400 with the vendor's message).
            await attempt(() => sf.importNumber(withPassword(DEMO.dixa.dids.support)));
            // 5xx on the import: unknown outcome, re-read, re-send; and 5xx every time.
            t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=500*1');
            await attempt(() => sf.importNumber(withPassword(DEMO.dixa.dids.sales)));
            t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=500,synthflow:PATCH:*=400*1,dixa:POST:/queues=500,dixa:GET:/queues=429');
            await attempt(() => sf.importNumber(withPassword('+4535550009')));
            await attempt(() => sf.updateNumber(DEMO.dixa.dids.support, { trunkPassword: TRUNK_PASSWORD }));
            await attempt(() => t.dixa({ maxRetries: 1 }).listQueues());
            t.env.sandbox.setFaults('dixa:POST:/queues=500');
            await attempt(() => dixa.createQueue({ name: 'Secret queue' }));
            // Wrong keys (themselves secrets).
            await attempt(() => t.synthflow({ apiKey: WRONG_KEY }).importNumber(withPassword('+4535550010')));
            await attempt(() => t.dixa({ apiKey: WRONG_KEY }).getOrganization());
            // Transport faults straight at the sandbox.
            t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=malformed*1,synthflow:GET:/numbers/*=timeout*1,synthflow:PATCH:*=reset');
            const direct = t.synthflow({ direct: true, timeoutMs: 300, maxRetries: 1 });
            await attempt(() => direct.importNumber(withPassword('+4535550011')));
            await attempt(() => direct.getNumber('+4535550011'));
            await attempt(() => direct.updateNumber('+4535550011', { trunkPassword: TRUNK_PASSWORD }));
            // Cancellation of a write carrying the password.
            t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=delay:2000*1');
            const controller = new AbortController();
            const cancellable = t.synthflow({ direct: true, signal: controller.signal });
            setTimeout(() => controller.abort(), 100);
            await attempt(() => cancellable.importNumber(withPassword('+4535550012')));
            t.env.sandbox.clearFaults();

            // A server that echoes the Authorization header and the request body in its error text.
            const echo = await startFaultServer(req => {
                const text = `bad request: auth=${String(req.headers.authorization)} body=${req.body}`;
                return req.url.startsWith('/v1')
                    ? { status: 400, body: { message: text } }
                    : { status: 400, body: { detail: { status: 'error', description: text, request_id: 'r', category: 'c' } } };
            });
            try {
                const echoSf = createSynthflowProvider({ baseUrl: `${echo.url}/v2`, apiKey: SYNTHFLOW_KEY, workspace: 'w', log: l => captured.push(l) });
                const echoDixa = createDixaProvider({ baseUrl: `${echo.url}/v1`, apiKey: DIXA_TOKEN, log: l => captured.push(l) });
                await attempt(() => echoSf.importNumber(withPassword('+4535550013')));
                await attempt(() => echoSf.updateNumber('+4535550013', { trunkPassword: TRUNK_PASSWORD }));
                await attempt(() => echoDixa.createQueue({ name: 'q' }));
                echoSf.close();
                echoDixa.close();
                // The echo server did receive the secrets, so redaction (not absence) is what is tested.
                expect(echo.requests.some(r => r.body.includes(TRUNK_PASSWORD))).toBe(true);
            } finally {
                await echo.close();
            }
        } finally {
            for (const spy of consoleSpies) spy.mockRestore();
        }

        // The run exercised what it claims to.
        expect(errors.length).toBeGreaterThanOrEqual(12);
        expect(errors.every(e => e instanceof ProviderError)).toBe(true);
        const kinds = new Set(errors.map(e => (e as ProviderError).kind));
        for (const kind of ['auth', 'client', 'server', 'rate-limit', 'cancelled', 'network']) expect(kinds).toContain(kind);
        expect(t.logs.length).toBeGreaterThan(30);
        for (const error of errors) {
            const e = error as ProviderError;
            // Only the documented fields (the error model's code among them): no config, request, response or cause from axios.
            const allowed = ['name', 'code', 'vendor', 'operation', 'status', 'outcome', 'kind'];
            expect(Object.keys(e).filter(k => !allowed.includes(k))).toEqual([]);
            expect(e.cause).toBeUndefined();
            captured.push(String(e), e.message, e.stack ?? '', inspect(e, { depth: 8, showHidden: true }), JSON.stringify(e));
        }
        captured.push(...t.logs);
        // The echoing server's text reached the errors, with the secrets replaced.
        expect(captured.some(l => l.includes('auth=[REDACTED]') && l.includes('[REDACTED]'))).toBe(true);
        const everything = captured.join('\n');
        for (const secret of SECRETS) {
            expect(everything.includes(secret), `secret ${secret.slice(0, 8)}… leaked`).toBe(false);
        }
    });
});
