/**
 * Pure pieces of the HTTP layer: Retry-After parsing, backoff, the token bucket (fake clock), the
 * base-URL rule, link resolution, redaction and Dixa bulk outcomes. Everything over the wire is in
 * the *.contract.test.ts / *.faults.test.ts suites.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay, checkBaseUrl, isLoopbackHost, MAX_BACKOFF_MS, parseRetryAfter, Redactor, resolveServerUrl, sleep, TokenBucket } from '../../src/providers/http/index.js';
import { describeBulkFailures, readBulkOutcomes } from '../../src/providers/dixa/index.js';
import { readLiveTransfer, synthflowErrorMessage } from '../../src/providers/synthflow/index.js';

describe('parseRetryAfter', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    it('reads delay-seconds', () => {
        expect(parseRetryAfter('3', now)).toBe(3000);
        expect(parseRetryAfter(' 0 ', now)).toBe(0);
        expect(parseRetryAfter('1.5', now)).toBe(1500);
        expect(parseRetryAfter(['2', '9'], now)).toBe(2000);
    });
    it('reads an HTTP-date relative to now, never negative', () => {
        expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:05 GMT', now)).toBe(5000);
        expect(parseRetryAfter('Sun, 01 Mar 2026 09:59:00 GMT', now)).toBe(0);
    });
    it('ignores absent or garbage values', () => {
        expect(parseRetryAfter(undefined, now)).toBeUndefined();
        expect(parseRetryAfter('', now)).toBeUndefined();
        expect(parseRetryAfter('-1', now)).toBeUndefined();
        expect(parseRetryAfter('soon', now)).toBeUndefined();
        expect(parseRetryAfter('12345-678', now)).toBeUndefined();
    });
});

describe('backoffDelay (full jitter)', () => {
    it('is uniform in [0, base·2^n], capped', () => {
        expect(backoffDelay(0, 100, undefined, () => 0)).toBe(0);
        expect(backoffDelay(0, 100, undefined, () => 0.999)).toBe(99);
        expect(backoffDelay(3, 100, undefined, () => 0.5)).toBe(400);
        expect(backoffDelay(30, 100, undefined, () => 0.999)).toBeLessThan(MAX_BACKOFF_MS);
    });
    it('never waits less than Retry-After', () => {
        expect(backoffDelay(0, 100, 2000, () => 0.5)).toBe(2000);
        expect(backoffDelay(10, 1000, 5, () => 0.5)).toBeGreaterThan(5);
    });
    it('sleep is cancellable', async () => {
        const controller = new AbortController();
        const pending = sleep(60_000, controller.signal);
        controller.abort(new Error('stop'));
        await expect(pending).rejects.toThrow('stop');
    });
});

describe('TokenBucket', () => {
    function fakeClock() {
        let t = 0;
        return { now: () => t, advance: (ms: number) => (t += ms) };
    }

    it('hands out the burst at once, then one token per 1/rate', async () => {
        const clock = fakeClock();
        const bucket = new TokenBucket({ ratePerSecond: 10, capacity: 4, now: clock.now });
        const got: number[] = [];
        const takes = Array.from({ length: 6 }, (_, i) => bucket.take().then(() => got.push(i)));
        await Promise.resolve();
        await new Promise(r => setImmediate(r));
        expect(got).toEqual([0, 1, 2, 3]);
        clock.advance(100);
        await Promise.race([takes[4], new Promise(r => setTimeout(r, 200))]);
        expect(got).toEqual([0, 1, 2, 3, 4]);
        clock.advance(100);
        await takes[5];
        expect(got).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('never lets more than capacity + rate·t through in any window (real clock)', async () => {
        const bucket = new TokenBucket({ ratePerSecond: 50, capacity: 2 });
        const times: number[] = [];
        const start = performance.now();
        await Promise.all(Array.from({ length: 12 }, () => bucket.take().then(() => times.push(performance.now() - start))));
        // 12 tokens, 2 up front, 10 more at 50/s: at least ~200 ms.
        expect(times[times.length - 1]!).toBeGreaterThanOrEqual(180);
        for (let i = 0; i < times.length; i++) {
            for (let j = i; j < times.length; j++) {
                const window = times[j]! - times[i]!;
                expect(j - i + 1).toBeLessThanOrEqual(2 + Math.ceil((window + 5) * 0.05) + 1);
            }
        }
    });

    it('an aborted waiter leaves the queue and rejects with the reason', async () => {
        const clock = fakeClock();
        const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1, now: clock.now });
        await bucket.take();
        const controller = new AbortController();
        const waiting = bucket.take(controller.signal);
        expect(bucket.pending).toBe(1);
        controller.abort(new Error('cancelled'));
        await expect(waiting).rejects.toThrow('cancelled');
        expect(bucket.pending).toBe(0);
    });

    it('pause holds every token until the server-given time', async () => {
        const clock = fakeClock();
        const bucket = new TokenBucket({ ratePerSecond: 1000, capacity: 4, now: clock.now });
        bucket.pause(100);
        let done = false;
        const waiting = bucket.take().then(() => (done = true));
        await new Promise(r => setTimeout(r, 20));
        expect(done).toBe(false);
        clock.advance(100);
        await waiting;
        expect(done).toBe(true);
    });
});

describe('base URL rule', () => {
    it('accepts https anywhere and http only to loopback', () => {
        expect(checkBaseUrl('https://dev.dixa.io/v1/', 'Dixa base URL').href).toBe('https://dev.dixa.io/v1');
        for (const ok of ['http://127.0.0.1:4010/v1', 'http://127.5.6.7/v2', 'http://localhost:1/v1', 'http://[::1]:8080/v2']) {
            expect(() => checkBaseUrl(ok, 'x')).not.toThrow();
        }
    });
    it('refuses http to other hosts, odd schemes and embedded credentials', () => {
        expect(() => checkBaseUrl('http://dev.dixa.io/v1', 'Dixa base URL')).toThrow(/plain http to a non-loopback host/);
        expect(() => checkBaseUrl('http://10.0.0.1/v1', 'x')).toThrow(/non-loopback/);
        expect(() => checkBaseUrl('http://128.0.0.1/v1', 'x')).toThrow(/non-loopback/);
        expect(() => checkBaseUrl('http://localhost.evil.com/v1', 'x')).toThrow(/non-loopback/);
        expect(() => checkBaseUrl('ftp://dev.dixa.io', 'x')).toThrow(/must use https/);
        expect(() => checkBaseUrl('https://user:pw@dev.dixa.io/v1', 'x')).toThrow(/credentials/);
        expect(() => checkBaseUrl('not a url', 'x')).toThrow(/not a valid URL/);
    });
    it('knows loopback forms', () => {
        expect(isLoopbackHost('[::1]')).toBe(true);
        expect(isLoopbackHost('::ffff:7f00:1')).toBe(true);
        expect(isLoopbackHost('::ffff:a00:1')).toBe(false);
        expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
    });
});

describe('resolveServerUrl (paging links)', () => {
    const base = new URL('https://dev.dixa.io/v1');
    it('follows root-relative and absolute links on our own origin only', () => {
        expect(resolveServerUrl(base, '/v1/agents?pageKey=abc')).toBe('https://dev.dixa.io/v1/agents?pageKey=abc');
        expect(resolveServerUrl(base, 'https://dev.dixa.io/v1/agents?pageKey=abc')).toBe('https://dev.dixa.io/v1/agents?pageKey=abc');
        expect(resolveServerUrl(base, 'https://evil.example/v1/agents?pageKey=abc')).toBe('https://dev.dixa.io/v1/agents?pageKey=abc');
    });
    it('works with a base URL without a path (a proxy at the root)', () => {
        expect(resolveServerUrl(new URL('http://127.0.0.1:4010'), '/agents?pageKey=k')).toBe('http://127.0.0.1:4010/agents?pageKey=k');
    });
    it('restores a base path prefix (a proxy in front)', () => {
        const proxied = new URL('http://127.0.0.1:4010/dixa/v1');
        expect(resolveServerUrl(proxied, '/v1/agents?pageKey=k')).toBe('http://127.0.0.1:4010/dixa/v1/agents?pageKey=k');
        expect(resolveServerUrl(proxied, '/dixa/v1/agents?pageKey=k')).toBe('http://127.0.0.1:4010/dixa/v1/agents?pageKey=k');
    });
});

describe('Redactor', () => {
    it('removes every registered secret, also URL- and JSON-encoded', () => {
        const r = new Redactor(['key-123', 'p@ss word"x']);
        const text = 'key-123 Bearer key-123 p@ss word"x p%40ss%20word%22x p@ss word\\"x';
        const out = r.redact(text);
        expect(out).not.toContain('key-123');
        expect(out).not.toContain('p@ss');
        expect(out).not.toContain('p%40ss');
    });
});

describe('Dixa bulk outcomes', () => {
    it('reports each failure with its id and type, and unreported items as failures', () => {
        const sent = ['a', 'b', 'c', 'd'];
        const outcomes = readBulkOutcomes(sent, [
            { _type: 'BulkActionSuccess', data: 'a' },
            { _type: 'BulkActionFailure', error: { _type: 'NotFound', id: 'b', message: 'User not found' } },
            { _type: 'BulkActionFailure', error: { _type: 'Validation', message: 'Member is neither Agent or Admin' } },
        ]);
        expect(outcomes.succeeded).toEqual(['a']);
        expect(outcomes.failed).toEqual([
            { id: 'b', type: 'NotFound', message: 'User not found' },
            { id: 'c', type: 'Validation', message: 'Member is neither Agent or Admin' },
            { id: 'd', type: 'Unknown', message: 'no outcome reported for this item' },
        ]);
        expect(describeBulkFailures(outcomes)).toContain('b NotFound: User not found');
    });
});

describe('Synthflow body readers', () => {
    it('extracts detail.description, a string detail, or error/message', () => {
        expect(synthflowErrorMessage({ detail: { status: 'error', description: 'Bad number', request_id: 'r', category: 'c' } })).toBe('Bad number');
        expect(synthflowErrorMessage({ detail: 'Not Found' })).toBe('Not Found');
        expect(synthflowErrorMessage({ error: 'not_found', message: 'No such route' })).toBe('No such route');
        expect(synthflowErrorMessage('<html>')).toBeUndefined();
    });
    it('reads a LIVE_TRANSFER back only when the required fields are there', () => {
        const config = { transfer_mode: 'warm_transfer', phone: 'sip:+4570001111@acme.sip.dixa.com', instructions: 'i', initiating_msg: 'm', timeout: 30 };
        expect(readLiveTransfer({ LIVE_TRANSFER: config })).toEqual({
            transferMode: 'warm_transfer',
            phone: 'sip:+4570001111@acme.sip.dixa.com',
            instructions: 'i',
            initiatingMsg: 'm',
            timeout: 30,
        });
        expect(readLiveTransfer({ LIVE_TRANSFER: { ...config, transfer_mode: 'teleport' } })).toBeUndefined();
        expect(readLiveTransfer({ parameters_hard_coded: { sms_message_text: 'x' } })).toBeUndefined();
    });
});
