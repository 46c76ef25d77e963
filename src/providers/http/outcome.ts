/**
 * What one attempt's answer means: a result, or a failure with whether it may be retried (the retry
 * rules of ./client.ts). Pure: the HttpClient does the sending, this module only classifies.
 */
import { parseRetryAfter } from './backoff.js';
import type { ProviderError, ProviderErrorKind, ProviderErrorOutcome } from '../types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpResult<T = unknown> {
    readonly status: number;
    /** Parsed JSON body; undefined when the body is empty. */
    readonly data: T;
}

export interface AttemptFailure {
    readonly error: ProviderError;
    readonly retryable: boolean;
    readonly retryAfterMs?: number;
}

/** The optional fields of a ProviderError the HttpClient makes (vendor, operation and message are given). */
export interface ErrorFields {
    readonly status?: number | undefined;
    readonly outcome?: ProviderErrorOutcome;
    readonly kind?: ProviderErrorKind;
}

/** What classifying needs from the client: the vendor's name and its redacting error factory. */
export interface Classifier {
    readonly label: string;
    error(operation: string, message: string, fields?: ErrorFields): ProviderError;
    /** The vendor's own error text from a parsed error body, one line and redacted. */
    vendorMessage(body: unknown): string | undefined;
}

/** One attempt, as the classifier sees it. */
export interface AttemptInfo {
    readonly operation: string;
    readonly method: HttpMethod;
    readonly idempotent: boolean;
    /** Non-2xx statuses returned to the caller instead of thrown. */
    readonly accept?: readonly number[] | undefined;
}

/** Transport error codes meaning the connection was never established: nothing reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);
/** Not sent, but retrying will not help. */
const PERMANENT_NOT_SENT_CODES = new Set(['ENOTFOUND']);

const MAYBE_MADE = '; the change may or may not have been made';

/** A request that was sent but got no response: timed out, reset, or refused before connecting. */
export function transportFailure(
    classifier: Classifier,
    attempt: AttemptInfo,
    failure: { readonly timedOut: boolean; readonly code: string | undefined; readonly timeoutMs: number; readonly host: string },
): AttemptFailure {
    const { operation, idempotent } = attempt;
    const write = attempt.method !== 'GET';
    const { label } = classifier;
    const outcome = write ? 'unknown' : 'failed';
    if (failure.timedOut) {
        return {
            error: classifier.error(operation, `${label} ${operation} timed out after ${Math.round(failure.timeoutMs)} ms`, { outcome, kind: 'timeout' }),
            retryable: idempotent,
        };
    }
    const { code } = failure;
    if (code !== undefined && NOT_SENT_CODES.has(code)) {
        return {
            error: classifier.error(operation, `${label} ${operation}: cannot reach ${failure.host} (${code})`, { kind: 'network' }),
            retryable: !PERMANENT_NOT_SENT_CODES.has(code),
        };
    }
    const what = code === 'ECONNRESET' || code === 'EPIPE' ? 'the connection was reset' : `the connection failed${code ? ` (${code})` : ''}`;
    return {
        error: classifier.error(operation, `${label} ${operation}: ${what} before a response arrived${write && !idempotent ? MAYBE_MADE : ''}`, { outcome, kind: 'network' }),
        retryable: idempotent,
    };
}

/** An HTTP response: its parsed body when it is a success (or accepted), else the failure it means. */
export function interpretResponse<T>(
    classifier: Classifier,
    attempt: AttemptInfo,
    response: { readonly status: number; readonly text: string; readonly retryAfter: string | undefined },
): HttpResult<T> | AttemptFailure {
    const { status, text } = response;
    const accepted = attempt.accept?.includes(status) ?? false;
    if ((status >= 200 && status < 300) || accepted) return parseSuccess<T>(classifier, attempt, status, text);
    let body: unknown;
    try {
        body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
        body = undefined;
    }
    return statusFailure(classifier, attempt, status, classifier.vendorMessage(body), parseRetryAfter(response.retryAfter));
}

function parseSuccess<T>(classifier: Classifier, attempt: AttemptInfo, status: number, text: string): HttpResult<T> | AttemptFailure {
    if (text.trim() === '') return { status, data: undefined as T };
    try {
        return { status, data: JSON.parse(text) as T };
    } catch {
        const { operation, idempotent } = attempt;
        const write = attempt.method !== 'GET';
        return {
            error: classifier.error(operation, `${classifier.label} ${operation} returned a malformed JSON response (HTTP ${status})${write && !idempotent ? MAYBE_MADE : ''}`, {
                status,
                outcome: write ? 'unknown' : 'failed',
                kind: 'invalid-response',
            }),
            // A cut-off body is a transport fault like a reset: what may be repeated is repeated.
            retryable: idempotent,
        };
    }
}

function statusFailure(classifier: Classifier, attempt: AttemptInfo, status: number, vendorMessage: string | undefined, retryAfterMs: number | undefined): AttemptFailure {
    const { operation, idempotent } = attempt;
    const { label } = classifier;
    const write = attempt.method !== 'GET';
    const suffix = vendorMessage ? `: ${vendorMessage}` : '';
    const retryAfter = retryAfterMs !== undefined ? { retryAfterMs } : {};
    if (status === 429) {
        return {
            error: classifier.error(operation, `${label} ${operation} was rate-limited (429)${suffix}`, { status, kind: 'rate-limit' }),
            retryable: true,
            ...retryAfter,
        };
    }
    if (status >= 500 || status === 408) {
        return {
            error: classifier.error(operation, `${label} ${operation} failed with HTTP ${status}${suffix}${write ? MAYBE_MADE : ''}`, {
                status,
                outcome: write ? 'unknown' : 'failed',
                kind: status === 408 ? 'timeout' : 'server',
            }),
            retryable: idempotent,
            ...retryAfter,
        };
    }
    let kind: ProviderErrorKind = 'client';
    let what = `failed with HTTP ${status}`;
    if (status === 401) {
        kind = 'auth';
        what = `was refused: ${label} rejected the API key (401 Unauthorized)`;
    } else if (status === 403) {
        kind = 'forbidden';
        what = `was refused: the API key is not allowed to do this (403 Forbidden)`;
    } else if (status === 404) {
        kind = 'not-found';
        what = 'failed: not found (404)';
    } else if (status >= 300 && status < 400) {
        what = `was answered with an unexpected redirect (HTTP ${status}); check the base URL`;
    }
    return { error: classifier.error(operation, `${label} ${operation} ${what}${suffix}`, { status, kind }), retryable: false };
}
