import { AstUtils, EmptyFileSystem, type AstNode } from 'langium';
import { describe, expect, it } from 'vitest';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE } from './helpers.js';

/**
 * patches/langium+*.patch (applied by patch-package: npm's postinstall, and .ci/run after `npm ci
 * --ignore-scripts`) makes Langium's parser build the choices of each alternatives element once instead
 * of on every call (docs/upstream/langium-alternatives.md), and link parsed nodes to their containers
 * without entry pairs and closures (docs/upstream/langium-link-content.md). If the patch is not applied,
 * or a Langium upgrade drops it, parsing still works but allocates again: this says so.
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

describe('the langium linkContentToContainer patch', () => {
    it('links every node of a parsed file as before, without a forEach closure per array', () => {
        const { Sipflow } = createSipflowServices(EmptyFileSystem);
        const root = Sipflow.parser.LangiumParser.parse(EXAMPLE).value;
        const nodes = AstUtils.streamAst(root).toArray();
        const expected = nodes.map(node => [node.$container, node.$containerProperty, node.$containerIndex]);
        for (const node of nodes) {
            const mutable = node as { $container?: AstNode; $containerProperty?: string; $containerIndex?: number };
            mutable.$container = mutable.$containerProperty = mutable.$containerIndex = undefined;
        }
        const forEach = Array.prototype.forEach;
        let forEachCalls = 0;
        Array.prototype.forEach = function (this: unknown[], ...args: Parameters<typeof forEach>) {
            forEachCalls++;
            return forEach.apply(this, args);
        };
        try {
            AstUtils.linkContentToContainer(root, { deep: true });
        } finally {
            Array.prototype.forEach = forEach;
        }
        expect(nodes.map(node => [node.$container, node.$containerProperty, node.$containerIndex])).toEqual(expected);
        expect(nodes.filter(node => node.$containerIndex !== undefined).length).toBeGreaterThan(5);
        // Unpatched, every array property of every node (members, escalations, …) goes through forEach.
        expect(forEachCalls).toBe(0);
    });
});
