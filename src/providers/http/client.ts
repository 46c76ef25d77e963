/**
 * The one HTTP layer under both vendor clients (axios underneath).
 *
 * Per attempt: a concurrency slot (p-limit), then a throttle token (when the vendor has a rate
 * limit), then one axios request with a per-attempt deadline. Between attempts: exponential backoff
 * with full jitter, never shorter than `Retry-After`.
 *
 * Retry rules:
 * - 429: any method (a throttled request was not processed).
 * - Connection never established (refused, DNS hiccup): any method (nothing was sent).
 * - 5xx, 408, timeouts, resets: only idempotent requests (GET, PUT, DELETE, and PATCH/POST the caller
 *   marks idempotent). A non-idempotent write whose outcome is unknown is never retried here: it
 *   fails with `ProviderError(outcome: 'unknown')` and the provider re-reads by natural key.
 *
 * Nothing that leaves this module (errors, log lines) carries a header, a request body or an axios
 * error object; every message also goes through the Redactor (API key, trunk passwords).
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse, type RawAxiosRequestHeaders } from 'axios';
import pLimit, { type LimitFunction } from 'p-limit';
import { ProviderError, type ProviderOptions, type ProviderStats, type Vendor } from '../types.js';
import { backoffDelay, MAX_RETRY_AFTER_MS, sleep } from './backoff.js';
import { BaseUrlError, checkBaseUrl, isLoopbackHost } from './base-url.js';
import { interpretResponse, transportFailure, type AttemptFailure, type AttemptInfo, type Classifier, type ErrorFields, type HttpMethod, type HttpResult } from './outcome.js';
import { Redactor } from './redact.js';
import { resolveServerUrl } from './server-url.js';
import { TokenBucket } from './token-bucket.js';

export type { ErrorFields, HttpMethod, HttpResult } from './outcome.js';
export { resolveServerUrl } from './server-url.js';

/** One attempt's deadline, from the moment it is sent. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** One request's deadline, all attempts and backoff included: a silent server never holds a run longer. */
export const DEFAULT_REQUEST_DEADLINE_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_RETRY_BASE_DELAY_MS = 250;
/** Largest response body accepted (protects against a runaway or hostile server). */
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/** Longest vendor message quoted in an error. */
const MAX_VENDOR_MESSAGE = 500;

/** What differs between vendors at the transport level. */
export interface VendorProfile {
    readonly vendor: Vendor;
    /** Human name used in messages: `Dixa`, `Synthflow`. */
    readonly label: string;
    /** The `Authorization` header value for a key. */
    authorization(apiKey: string): string;
    /** The vendor's own error text from a parsed error body, if any. */
    errorMessage(body: unknown): string | undefined;
    readonly defaultConcurrency: number;
    /** Client-side throttle; omitted when the vendor publishes no request-rate limit. */
    readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst: number };
}

export interface HttpRequest {
    readonly method: HttpMethod;
    /** Path template relative to the base URL, e.g. `/queues/{queueId}`; names the operation. */
    readonly template: string;
    readonly pathParams?: Readonly<Record<string, string>>;
    readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
    /** JSON body. Never logged. */
    readonly body?: unknown;
    /** Overrides the method default (GET/PUT/DELETE idempotent; POST/PATCH not). */
    readonly idempotent?: boolean;
    /** A URL the server handed out (paging `next`): root-relative or absolute; replaces template + query. */
    readonly url?: string;
    /** Write-only values in the body (trunk passwords): redacted from anything that leaves. */
    readonly secrets?: readonly (string | undefined)[];
    /** Non-2xx statuses returned to the caller instead of thrown (e.g. 404 → "absent"). */
    readonly accept?: readonly number[];
}

/** Internal knobs for tests. */
export interface HttpClientTuning {
    readonly random?: () => number;
}

export function newStats(): ProviderStats {
    return { requests: 0, retries: 0, byOperation: new Map() };
}

export class HttpClient {
    readonly stats: ProviderStats = newStats();
    readonly baseUrl: URL;
    private readonly redactor: Redactor;
    private readonly axios: AxiosInstance;
    private readonly limit: LimitFunction;
    private readonly bucket: TokenBucket | undefined;
    private readonly timeoutMs: number;
    private readonly deadlineMs: number;
    private readonly maxRetries: number;
    private readonly retryBaseDelayMs: number;
    private readonly authorization: string;
    private readonly signal: AbortSignal | undefined;
    private readonly logSink: ((line: string) => void) | undefined;
    private readonly random: () => number;
    private readonly agents: { http: http.Agent; https: https.Agent };
    private sequence = 0;
    /** The outcome classifier's view of this client: its label, its redacting error factory, the vendor's message. */
    private readonly classifier: Classifier;

    constructor(
        readonly profile: VendorProfile,
        options: ProviderOptions,
        tuning: HttpClientTuning = {},
    ) {
        this.redactor = new Redactor([options.apiKey]);
        try {
            this.baseUrl = checkBaseUrl(options.baseUrl, `${profile.label} base URL`);
        } catch (e) {
            const message = e instanceof BaseUrlError ? e.message : `${profile.label} base URL is invalid`;
            throw new ProviderError({ vendor: profile.vendor, operation: 'configure', message: this.redactor.redact(message) });
        }
        if (!options.apiKey || options.apiKey.trim() === '') {
            throw new ProviderError({ vendor: profile.vendor, operation: 'configure', message: `${profile.label} API key is empty`, kind: 'auth' });
        }
        this.authorization = profile.authorization(options.apiKey);
        this.redactor.add(this.authorization);
        this.deadlineMs = positive(options.deadlineMs, DEFAULT_REQUEST_DEADLINE_MS);
        this.timeoutMs = Math.min(positive(options.timeoutMs, DEFAULT_TIMEOUT_MS), this.deadlineMs);
        this.maxRetries = Math.max(0, Math.floor(options.maxRetries ?? DEFAULT_MAX_RETRIES));
        this.retryBaseDelayMs = Math.max(0, options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS);
        this.signal = options.signal;
        this.logSink = options.log;
        this.random = tuning.random ?? Math.random;
        const concurrency = Math.max(1, Math.floor(options.concurrency ?? profile.defaultConcurrency));
        this.limit = pLimit(concurrency);
        this.bucket = profile.rateLimit ? new TokenBucket({ ratePerSecond: profile.rateLimit.requestsPerSecond, capacity: profile.rateLimit.burst }) : undefined;
        this.agents = {
            http: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
            https: new https.Agent({ keepAlive: true, maxSockets: concurrency }),
        };
        this.axios = axios.create({
            adapter: 'http',
            httpAgent: this.agents.http,
            httpsAgent: this.agents.https,
            // Never follow redirects: a redirect to another host must not receive the key.
            maxRedirects: 0,
            // Loopback (the sandbox) never goes through an environment proxy.
            ...(isLoopbackHost(this.baseUrl.hostname) ? { proxy: false as const } : {}),
            responseType: 'text',
            transformResponse: [(data: unknown) => data],
            validateStatus: () => true,
            maxContentLength: MAX_RESPONSE_BYTES,
            maxBodyLength: MAX_RESPONSE_BYTES,
            // Deadlines come from AbortSignal.timeout (a whole-attempt deadline, not a socket idle timer).
            timeout: 0,
        });
        this.classifier = {
            label: profile.label,
            error: (operation, message, fields) => this.error(operation, message, fields),
            vendorMessage: body => this.vendorMessage(body),
        };
    }

    /** Registers another write-only value to redact. */
    addSecret(secret: string | undefined): void {
        this.redactor.add(secret);
    }

    redact(text: string): string {
        return this.redactor.redact(text);
    }

    /** A ProviderError for this vendor with a redacted message (outcome `failed` and kind `client` unless given). */
    error(operation: string, message: string, fields: ErrorFields = {}): ProviderError {
        return new ProviderError({ vendor: this.profile.vendor, operation, message: this.redactor.redact(message), ...fields });
    }

    /**
     * A response without the shape the spec promises. For a write, the change may or may not have been
     * made (`unknown`): callers re-read before deciding.
     */
    invalidResponse(operation: string, what: string, write = false): ProviderError {
        return this.error(operation, `${this.profile.label} ${operation} returned an unexpected response: ${what}${write ? '; the change may or may not have been made' : ''}`, {
            outcome: write ? 'unknown' : 'failed',
            kind: 'invalid-response',
        });
    }

    log(line: string): void {
        if (this.logSink) this.logSink(this.redactor.redact(`[${this.profile.vendor}] ${line}`));
    }

    /** Frees pooled keep-alive sockets. */
    close(): void {
        this.agents.http.destroy();
        this.agents.https.destroy();
    }

    static operationOf(request: Pick<HttpRequest, 'method' | 'template'>): string {
        return `${request.method} ${request.template}`;
    }

    async request<T = unknown>(request: HttpRequest): Promise<HttpResult<T>> {
        for (const secret of request.secrets ?? []) this.redactor.add(secret);
        const operation = HttpClient.operationOf(request);
        const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'PUT' || request.method === 'DELETE');
        const url = this.buildUrl(request, operation);
        const id = ++this.sequence;
        const deadline = performance.now() + this.deadlineMs;
        for (let attempt = 0; ; attempt++) {
            this.throwIfCancelled(operation, false, request.method);
            const remaining = deadline - performance.now();
            // Whole milliseconds: AbortSignal.timeout refuses a fraction (ERR_OUT_OF_RANGE), and the time
            // left before the deadline almost always is one.
            const attemptTimeoutMs = Math.max(1, Math.ceil(Math.min(this.timeoutMs, remaining)));
            const result = await this.attempt<T>(request, operation, url, idempotent, id, attempt, attemptTimeoutMs);
            if ('data' in result) return result;
            const failure = result;
            const delay = backoffDelay(attempt, this.retryBaseDelayMs, failure.retryAfterMs, this.random);
            const canRetry = failure.retryable && attempt < this.maxRetries;
            if (!canRetry) {
                this.log(
                    `#${id} ✗ ${operation}: ${failure.error.kind}${failure.error.status ? ` ${failure.error.status}` : ''} (outcome ${failure.error.outcome}, ${attempt + 1} attempt${attempt ? 's' : ''})`,
                );
                throw failure.error;
            }
            if (failure.retryAfterMs !== undefined && failure.retryAfterMs > MAX_RETRY_AFTER_MS) {
                throw this.error(
                    operation,
                    `${failure.error.message} (the server asked to retry after ${Math.ceil(failure.retryAfterMs / 1000)} s; not waiting that long)`,
                    fieldsOf(failure.error),
                );
            }
            if (performance.now() + delay >= deadline) {
                this.log(
                    `#${id} ✗ ${operation}: ${failure.error.kind} (outcome ${failure.error.outcome}); the request's ${this.deadlineMs} ms deadline leaves no time for another attempt`,
                );
                throw this.error(
                    operation,
                    `${failure.error.message} (gave up after ${attempt + 1} attempt${attempt ? 's' : ''}: the request's ${Math.round(this.deadlineMs / 1000)} s deadline was reached)`,
                    fieldsOf(failure.error),
                );
            }
            if (failure.error.kind === 'rate-limit') this.bucket?.pause(delay);
            this.stats.retries++;
            this.log(
                `#${id} ↻ ${operation}: retry ${attempt + 1}/${this.maxRetries} in ${delay} ms after ${failure.error.status ?? failure.error.kind}` +
                    (failure.retryAfterMs !== undefined ? ` (Retry-After ${failure.retryAfterMs} ms)` : ''),
            );
            try {
                await sleep(delay, this.signal);
            } catch {
                throw this.cancelledError(operation, false, request.method);
            }
        }
    }

    /** Resolves a server-provided link (paging `next`) against our own origin; see resolveServerUrl. */
    resolveServerUrl(link: string): string {
        return resolveServerUrl(this.baseUrl, link);
    }

    private buildUrl(request: HttpRequest, operation: string): string {
        if (request.url !== undefined) {
            try {
                return this.resolveServerUrl(request.url);
            } catch {
                throw this.error(operation, `${this.profile.label} returned an unusable paging link`, { kind: 'invalid-response' });
            }
        }
        const path = request.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
            const value = request.pathParams?.[name];
            if (value === undefined) throw new Error(`missing path parameter ${name} for ${operation}`);
            return encodeURIComponent(value);
        });
        const url = new URL(this.baseUrl.origin + this.baseUrl.pathname.replace(/\/+$/, '') + path);
        for (const [key, value] of Object.entries(request.query ?? {})) {
            if (value !== undefined) url.searchParams.set(key, String(value));
        }
        return url.href;
    }

    private async attempt<T>(
        request: HttpRequest,
        operation: string,
        url: string,
        idempotent: boolean,
        id: number,
        attempt: number,
        attemptTimeoutMs: number,
    ): Promise<HttpResult<T> | AttemptFailure> {
        let sent = false;
        let started = 0;
        // The per-attempt deadline starts when the request is sent, not while it waits for a slot or token.
        let timeoutSignal: AbortSignal | undefined;
        let response: AxiosResponse<string>;
        try {
            response = await this.limit(async () => {
                this.throwIfCancelled(operation, false, request.method);
                if (this.bucket) await this.bucket.take(this.signal);
                this.throwIfCancelled(operation, false, request.method);
                this.countRequest(operation);
                this.log(`#${id} → ${operation}${attempt ? ` (attempt ${attempt + 1})` : ''}`);
                sent = true;
                started = performance.now();
                const headers: RawAxiosRequestHeaders = { Authorization: this.authorization, Accept: 'application/json' };
                if (request.body !== undefined) headers['Content-Type'] = 'application/json';
                timeoutSignal = AbortSignal.timeout(attemptTimeoutMs);
                const deadline = this.signal ? AbortSignal.any([this.signal, timeoutSignal]) : timeoutSignal;
                return await this.axios.request<string>({
                    url,
                    method: request.method,
                    headers,
                    data: request.body === undefined ? undefined : JSON.stringify(request.body),
                    signal: deadline,
                });
            });
        } catch (e) {
            if (e instanceof ProviderError) throw e;
            if (this.signal?.aborted) throw this.cancelledError(operation, sent, request.method);
            // Read only the error code; the axios error itself (config.headers!) never escapes.
            const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
            const timedOut = timeoutSignal?.aborted === true || code === 'ETIMEDOUT' || code === 'ECONNABORTED' || isTimeoutAbort(e);
            if (!sent) throw this.error(operation, `${this.profile.label} ${operation} could not be started`, { kind: 'network' });
            return transportFailure(this.classifier, this.attemptInfo(request, operation, idempotent), { timedOut, code, timeoutMs: attemptTimeoutMs, host: this.baseUrl.host });
        }
        const ms = Math.round(performance.now() - started);
        this.log(`#${id} ← ${operation} ${response.status} ${ms} ms`);
        return interpretResponse<T>(this.classifier, this.attemptInfo(request, operation, idempotent), {
            status: response.status,
            text: typeof response.data === 'string' ? response.data : '',
            retryAfter: response.headers['retry-after'] as string | undefined,
        });
    }

    private attemptInfo(request: HttpRequest, operation: string, idempotent: boolean): AttemptInfo {
        return { operation, method: request.method, idempotent, accept: request.accept };
    }

    private vendorMessage(body: unknown): string | undefined {
        let message: string | undefined;
        try {
            message = this.profile.errorMessage(body);
        } catch {
            message = undefined;
        }
        if (message === undefined) return undefined;
        // Redact before cutting: a key echoed near the cut must not survive as a fragment.
        const oneLine = this.redactor.redact(message.replace(/\s+/g, ' ').trim());
        if (oneLine === '') return undefined;
        return oneLine.length > MAX_VENDOR_MESSAGE ? `${oneLine.slice(0, MAX_VENDOR_MESSAGE)}…` : oneLine;
    }

    private countRequest(operation: string): void {
        this.stats.requests++;
        this.stats.byOperation.set(operation, (this.stats.byOperation.get(operation) ?? 0) + 1);
    }

    private cancelledError(operation: string, inFlight: boolean, method: HttpMethod): ProviderError {
        const unknown = inFlight && method !== 'GET';
        return this.error(operation, `${this.profile.label} ${operation} was cancelled${unknown ? ' while in flight; the change may or may not have been made' : ''}`, {
            outcome: unknown ? 'unknown' : 'failed',
            kind: 'cancelled',
        });
    }

    private throwIfCancelled(operation: string, inFlight: boolean, method: HttpMethod): void {
        if (this.signal?.aborted) throw this.cancelledError(operation, inFlight, method);
    }
}

/** The fields a re-worded copy of an error keeps. */
function fieldsOf(error: ProviderError): ErrorFields {
    return { status: error.status, outcome: error.outcome, kind: error.kind };
}

function positive(value: number | undefined, fallback: number): number {
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function isTimeoutAbort(e: unknown): boolean {
    const cause = (e as { cause?: { name?: unknown } } | undefined)?.cause;
    return cause?.name === 'TimeoutError';
}
