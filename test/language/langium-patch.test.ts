import { createToken, Lexer } from 'chevrotain';
import { AstUtils, CompositeCstNodeImpl, CstUtils, EmptyFileSystem, isLeafCstNode, type AstNode } from 'langium';
import { describe, expect, it } from 'vitest';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { EXAMPLE } from './helpers.js';

/**
 * patches/langium+*.patch (applied by patch-package: npm's postinstall, and .ci/run after `npm ci
 * --ignore-scripts`) makes Langium's parser build the choices of each alternatives element once instead
 * of on every call (docs/upstream/langium-alternatives.md), and link parsed nodes to their containers
 * without entry pairs and closures (docs/upstream/langium-link-content.md), add a consumed token's
 * preceding comments without two empty arrays per token when there are none (docs/upstream/langium-hidden-tokens.md),
 * and build composite CST nodes and assign default property values without per-node arrays and iterator
 * results (docs/upstream/langium-node-construction.md). patches/chevrotain+*.patch computes the lexer's
 * first-char bucket instead of building a 65,536-entry table (docs/upstream/chevrotain-first-char-table.md).
 * If a patch is not applied, or an upgrade drops it, parsing still works but allocates again: this says so.
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

describe('the langium hidden-tokens patch', () => {
    it('adds hidden nodes only where a comment precedes a token, and keeps every comment in the CST in source order', () => {
        const { Sipflow } = createSipflowServices(EmptyFileSystem);
        const parser = Sipflow.parser.LangiumParser;
        const builder = (parser as unknown as { nodeBuilder: { addHiddenNodes(tokens: Array<{ startOffset: number }>): void } }).nodeBuilder;
        const original = builder.addHiddenNodes.bind(builder);
        let calls = 0;
        builder.addHiddenNodes = tokens => {
            calls++;
            original(tokens);
        };
        const lexed = Sipflow.parser.Lexer.tokenize(EXAMPLE);
        const comments = lexed.hidden.map(token => token.startOffset);
        expect(comments.length).toBeGreaterThan(3);
        const result = parser.parse(EXAMPLE);
        expect(result.parserErrors).toEqual([]);
        // Unpatched, every consumed token calls it (with an empty array when no comment precedes it).
        expect(calls).toBeLessThanOrEqual(comments.length + 1);
        expect(lexed.tokens.length).toBeGreaterThan(comments.length * 5);
        const leaves = CstUtils.streamCst(result.value.$cstNode!).filter(isLeafCstNode).toArray();
        expect(leaves.filter(leaf => leaf.hidden).map(leaf => leaf.offset)).toEqual(comments);
        const offsets = leaves.map(leaf => leaf.offset);
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    });
});

describe('the chevrotain first-char patch', () => {
    const tokenTypes = () => {
        const arrow = createToken({ name: 'Arrow', pattern: /→|⇒/ });
        const accented = createToken({ name: 'Accented', pattern: /é[a-z]*/ });
        const word = createToken({ name: 'Word', pattern: /[a-z]+/ });
        const space = createToken({ name: 'Space', pattern: /\s+/, group: Lexer.SKIPPED });
        return [arrow, accented, word, space];
    };

    it('builds no 65,536-entry table when a lexer is constructed', () => {
        const phases: string[] = [];
        const log = console.log;
        console.log = (message: unknown) => phases.push(String(message));
        try {
            new Lexer(tokenTypes(), { traceInitPerf: true, ensureOptimizations: true });
        } finally {
            console.log = log;
        }
        expect(phases.some(phase => phase.includes('analyzeTokenTypes'))).toBe(true);
        // Unpatched, analyzeTokenTypes starts with this phase (~3 ms of every start-up).
        expect(phases.filter(phase => phase.includes('initCharCodeToOptimizedIndexMap'))).toEqual([]);
    });

    it('still lexes tokens that start above charCode 255 with the first-char optimization on', () => {
        const lexer = new Lexer(tokenTypes(), { ensureOptimizations: true });
        const result = lexer.tokenize('a → éte ⇒ b é');
        expect(result.errors).toEqual([]);
        expect(result.tokens.map(token => [token.tokenType.name, token.image])).toEqual([
            ['Word', 'a'],
            ['Arrow', '→'],
            ['Accented', 'éte'],
            ['Arrow', '⇒'],
            ['Word', 'b'],
            ['Accented', 'é'],
        ]);
    });
});

describe('the langium node-construction patch', () => {
    it('constructs a composite CST node without running the iterator protocol', () => {
        // Unpatched, the constructor is TypeScript's `super(...arguments)`: spreading the arguments object calls
        // the array iterator's next() (once even with no arguments), allocating in code not yet optimized.
        const iteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]()) as { next: (...args: unknown[]) => unknown };
        const next = iteratorPrototype.next;
        let calls = 0;
        iteratorPrototype.next = function (this: unknown, ...args: unknown[]) {
            calls++;
            return next.apply(this, args);
        };
        let node: CompositeCstNodeImpl;
        try {
            node = new CompositeCstNodeImpl();
        } finally {
            iteratorPrototype.next = next;
        }
        expect(calls).toBe(0);
        expect(node.content).toEqual([]);
        expect(node.container).toBeUndefined();
    });

    it('assigns default property values per node from a list computed once per type', () => {
        const { Sipflow } = createSipflowServices(EmptyFileSystem);
        const parser = Sipflow.parser.LangiumParser;
        const values = Object.values;
        let calls = 0;
        Object.values = ((target: object) => {
            calls++;
            return values(target);
        }) as typeof Object.values;
        let value: AstNode;
        try {
            // 20 generated departments: many nodes of each type.
            const result = parser.parse(toSipflow(generateIntegration(20)));
            expect(result.parserErrors).toEqual([]);
            value = result.value;
        } finally {
            Object.values = values;
        }
        const nodes = AstUtils.streamAst(value).toArray();
        const types = new Set(nodes.map(node => node.$type));
        expect(nodes.length).toBeGreaterThan(types.size * 2);
        // Unpatched, Object.values runs for every node built; now once per type at most (over all parses).
        expect(calls).toBeLessThanOrEqual(types.size);
        // Every array property a type declares is there, empty when nothing was parsed into it.
        const reflection = Sipflow.shared.AstReflection;
        for (const node of nodes) {
            for (const property of values(reflection.getTypeMetaData(node.$type).properties)) {
                if (property.defaultValue === undefined) continue;
                expect((node as unknown as Record<string, unknown>)[property.name], `${node.$type}.${property.name}`).toBeDefined();
            }
        }
    });
});
