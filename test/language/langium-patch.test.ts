import { EmptyFileSystem } from 'langium';
import { describe, expect, it } from 'vitest';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE } from './helpers.js';

/**
 * patches/langium+*.patch (applied by patch-package: npm's postinstall, and .ci/run after `npm ci
 * --ignore-scripts`) makes Langium's parser build the choices of each alternatives element once instead
 * of on every call (docs/upstream/langium-alternatives.md). If the patch is not applied, or a Langium
 * upgrade drops it, parsing still works but allocates again: this says so.
 */
describe('the langium alternatives patch', () => {
    it('passes the same choices to Chevrotain on every call, however often the file is parsed', () => {
        const { Sipflow } = createSipflowServices(EmptyFileSystem);
        const parser = Sipflow.parser.LangiumParser;
        const distinctChoices = new Set<unknown>();
        let calls = 0;
        const original = parser.alternatives.bind(parser);
        parser.alternatives = (idx, choices) => {
            calls++;
            distinctChoices.add(choices);
            original(idx, choices);
        };
        expect(parser.parse(EXAMPLE).parserErrors).toEqual([]);
        const afterOneParse = { calls, distinct: distinctChoices.size };
        expect(parser.parse(EXAMPLE).parserErrors).toEqual([]);
        // Unpatched, every call brings a new array: distinct === calls, and a second parse doubles both.
        expect(afterOneParse.calls).toBeGreaterThan(afterOneParse.distinct * 2);
        expect(calls).toBe(afterOneParse.calls * 2);
        expect(distinctChoices.size).toBe(afterOneParse.distinct);
    });
});
