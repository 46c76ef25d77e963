import { createHash } from 'node:crypto';

/** sha256 of a string, hex. */
export function sha256(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every level, so that equal data always gives equal text
 * (the basis of every fingerprint). `undefined` properties are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value !== null && typeof value === 'object') {
        const result: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const child = (value as Record<string, unknown>)[key];
            if (child !== undefined) result[key] = sortKeys(child);
        }
        return result;
    }
    return value;
}

/**
 * One hash over the texts of an integration's source files, independent of their order and paths:
 * what a saved plan records and `applySavedPlan` compares (`sha256:` + hex).
 */
export function sourceHashOf(texts: readonly string[]): string {
    const perFile = texts.map(sha256).sort();
    return `sha256:${sha256(perFile.join('\n'))}`;
}

/** Deep-freezes plain data (objects and arrays) in place and returns it. */
export function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value as object)) deepFreeze(child);
    }
    return value;
}
