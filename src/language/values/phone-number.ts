import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** What libphonenumber-js says about a `did` string. */
export type DidCheck =
    | { readonly kind: 'valid'; readonly e164: string; readonly canonical: boolean; readonly country?: string }
    | { readonly kind: 'invalid'; readonly reason: string; readonly withPlus?: string };

// The strict check (full metadata) costs tens of microseconds per number; validation runs on every
// keystroke over every DID in the file, so results are cached per distinct string.
// Bounded: past DID_CACHE_LIMIT distinct strings (a workspace has far fewer DIDs; a fuzzer or a long
// editing session may type many more) it starts again empty.
const cache = new Map<string, DidCheck>();
export const DID_CACHE_LIMIT = 50_000;

/** How many distinct strings the cache holds (for tests). */
export function didCacheSize(): number {
    return cache.size;
}

export function checkDid(text: string): DidCheck {
    let result = cache.get(text);
    if (result === undefined) {
        result = computeDidCheck(text);
        if (cache.size >= DID_CACHE_LIMIT) cache.clear();
        cache.set(text, result);
    }
    return result;
}

/** The check itself, without the cache. */
export function computeDidCheck(text: string): DidCheck {
    const trimmed = text.trim();
    if (trimmed.length === 0) return { kind: 'invalid', reason: 'it is empty' };
    if (!trimmed.startsWith('+') && !trimmed.startsWith('00')) {
        // Digits that form a valid number once a + is put in front lack only the +, not the country code.
        const withPlus = /^[\d\s\-()./]+$/.test(trimmed) ? parsePhoneNumberFromString(`+${trimmed}`) : undefined;
        if (withPlus?.isValid()) return { kind: 'invalid', reason: 'it lacks the leading + (E.164 numbers start with + and the country code)', withPlus: withPlus.number };
        return { kind: 'invalid', reason: 'it has no country code (E.164 numbers start with + and the country code)' };
    }
    if (/[^\d+\s\-()./]/.test(trimmed)) {
        return { kind: 'invalid', reason: 'it contains characters that are not digits' };
    }
    const international = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
    const parsed = parsePhoneNumberFromString(international);
    if (!parsed) return { kind: 'invalid', reason: 'it is not a phone number' };
    if (!parsed.isValid()) {
        const country = parsed.country ? ` for ${parsed.country}` : '';
        return { kind: 'invalid', reason: `it is not a valid number${country} (wrong length or unassigned range)` };
    }
    return { kind: 'valid', e164: parsed.number, canonical: parsed.number === text, country: parsed.country };
}

/** Digits of a number for loose comparisons (`+45 70 10 11 11` ≡ `+4570101111`). */
export function canonicalDidOrSelf(text: string): string {
    const check = checkDid(text);
    return check.kind === 'valid' ? check.e164 : text;
}

/** Does this string look like a telephone number rather than a SIP URI? */
export function looksLikePhoneNumber(text: string): boolean {
    return /^\s*(tel:)?\+?[\d\s\-()./]{5,}\s*$/.test(text);
}
