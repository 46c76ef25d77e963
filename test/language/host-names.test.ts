import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHostName } from '../../src/language/values/network.js';

/** What isHostName must say of each string: the DNS rules, written out for the test. */
const EXPECTED: ReadonlyArray<[string, boolean]> = [
    ['acme.sip.dixa.com', true],
    ['a.b', true],
    ['xn--bcher-kva.example', true],
    ['ACME.SIP.DIXA.COM', true],
    ['acme', false],
    ['', false],
    ['-acme.sip.dixa.com', false],
    ['acme-.sip.dixa.com', false],
    ['acme..dixa.com', false],
    ['acme.sip.dixa.123', false],
    ['10.0.0.1', false],
    [`${'a'.repeat(64)}.com`, false],
    [`${'a.'.repeat(126)}co`, false],
    ['sip:acme.sip.dixa.com', false],
];

describe('isHostName', () => {
    it('follows the DNS rules', () => {
        for (const [text, valid] of EXPECTED) expect(isHostName(text), text).toBe(valid);
    });

    it('answers the same in any order of asking (it remembers its last answer)', () => {
        fc.assert(
            fc.property(fc.array(fc.constantFrom(...EXPECTED), { minLength: 1, maxLength: 30 }), calls => {
                for (const [text, valid] of calls) expect(isHostName(text), text).toBe(valid);
            }),
        );
    });
});
