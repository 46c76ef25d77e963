/**
 * Minimal runtime checks on response bodies: a vendor (or a proxy in front of it) that answers
 * 2xx with an unexpected shape yields `ProviderError(kind: 'invalid-response')`, never a TypeError
 * deep inside the plan.
 */
import type { ProviderError } from '../types.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds the invalid-response error for an operation (the HttpClient's `error`, pre-bound). */
export type InvalidResponse = (what: string) => ProviderError;

export function expectObject(value: unknown, what: string, invalid: InvalidResponse): JsonObject {
    if (!isObject(value)) throw invalid(`${what} is not a JSON object`);
    return value;
}

export function expectArray(value: unknown, what: string, invalid: InvalidResponse): unknown[] {
    if (!Array.isArray(value)) throw invalid(`${what} is not a JSON array`);
    return value;
}

export function expectString(value: unknown, what: string, invalid: InvalidResponse): string {
    if (typeof value !== 'string') throw invalid(`${what} is not a string`);
    return value;
}

export function optionalString(value: unknown): string | null {
    return typeof value === 'string' ? value : null;
}

export function stringArray(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
