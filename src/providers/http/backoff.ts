/**
 * Retry timing: exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"), never shorter than the server's `Retry-After`.
 */

/** A `Retry-After` longer than this is not waited for: the request fails with `rate-limit`/`server`. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Cap on one computed backoff delay. */
export const MAX_BACKOFF_MS = 10_000;

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * @returns milliseconds to wait (≥ 0), or undefined when absent or unparsable.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined | null, nowMs: number = Date.now()): number | undefined {
    if (value === undefined || value === null) return undefined;
    const raw = (Array.isArray(value) ? value[0] : value) as string | undefined;
    if (raw === undefined) return undefined;
    const text = raw.trim();
    if (text === '') return undefined;
    if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
    // HTTP-date (IMF-fixdate; Date.parse also accepts the obsolete RFC 850 / asctime forms).
    if (!/[a-z]/i.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - nowMs);
}

/**
 * Delay before retry number `retry` (0 = the first retry).
 * Full jitter: uniform in [0, min(cap, base·2^retry)]; then at least `retryAfterMs`.
 */
export function backoffDelay(retry: number, baseMs: number, retryAfterMs?: number, random: () => number = Math.random): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, retry));
    const jittered = Math.floor(random() * ceiling);
    return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal!.reason);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
