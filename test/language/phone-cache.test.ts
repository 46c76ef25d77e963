import { describe, expect, it } from 'vitest';
import { checkDid, computeDidCheck, DID_CACHE_LIMIT, didCacheSize } from '../../src/language/values/phone-number.js';

/** Valid, non-canonical, invalid and malformed DIDs: every branch of the check. */
const SAMPLES = ['+4570101111', '+45 70 10 11 11', '004570101111', '4570101111', '+4512', '+45abc', '', '  ', '+1 (415) 555-0100', '+999999', 'sip:+4570101111'];

describe('the DID check cache', () => {
    it('gives the verdict the uncached check gives, the first time and from the cache', () => {
        for (const did of SAMPLES) {
            const first = checkDid(did);
            expect(first, did).toEqual(computeDidCheck(did));
            // Served from the cache: the very same result object.
            expect(checkDid(did), did).toBe(first);
        }
        expect(new Set(SAMPLES.map(did => checkDid(did).kind))).toEqual(new Set(['valid', 'invalid']));
    });

    it('stays bounded, however many distinct strings it sees', () => {
        for (let i = 0; i < DID_CACHE_LIMIT + 1_000; i++) checkDid(`x${i}`);
        expect(didCacheSize()).toBeGreaterThan(0);
        expect(didCacheSize()).toBeLessThanOrEqual(DID_CACHE_LIMIT);
        // Still right after it started again.
        expect(checkDid('+45 70 10 11 11')).toEqual(computeDidCheck('+45 70 10 11 11'));
    });
});
