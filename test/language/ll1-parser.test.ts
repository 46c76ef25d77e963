// The CLI's parser predicts with one token of lookahead (OneShotModule: maxLookahead 1, Chevrotain's LL(k)
// strategy), the editor's with Langium's ALL(*). They parse alike when the grammar is LL(1): checked here by
// Chevrotain's own LL(1) analysis of the grammar, and by parsing the example, generated integrations and
// thousands of broken variants with both and comparing the trees, the references and every syntax error.
// SIPFLOW_FUZZ_SEED replays a failure; SIPFLOW_FUZZ_RUNS changes the number of variants (default 1,500).
import * as fc from 'fast-check';
import { EmptyFileSystem, isAstNode, isReference, type AstNode, type LangiumParser } from 'langium';
import { Alternation, Alternative, createToken, LLkLookaheadStrategy, Rule, Terminal, type TokenType } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { createSipflowCoreServices } from '../../src/language/sipflow-core-module.js';
import { EXAMPLE } from './helpers.js';

const cliParser = createSipflowCoreServices({ ...EmptyFileSystem, forCli: true }).Sipflow.parser.LangiumParser;
const editorParser = createSipflowCoreServices({ ...EmptyFileSystem }).Sipflow.parser.LangiumParser;

interface RecognizerInternals {
    lookaheadStrategy: object;
    getGAstProductions(): Record<string, unknown>;
}
const recognizerOf = (parser: LangiumParser) => (parser as unknown as { wrapper: RecognizerInternals }).wrapper;

/** A parse as data: the tree (references by their text), and every lexer and parser error with its place. */
function parsed(parser: LangiumParser, text: string) {
    const result = parser.parse(text);
    const tree = (value: unknown): unknown => {
        if (isReference(value)) return { ref: value.$refText, at: value.$refNode?.offset };
        if (Array.isArray(value)) return value.map(tree);
        if (!isAstNode(value)) return value;
        const node: Record<string, unknown> = { $type: value.$type, at: [value.$cstNode?.offset, value.$cstNode?.length] };
        for (const [key, child] of Object.entries(value as AstNode)) if (!key.startsWith('$')) node[key] = tree(child);
        return node;
    };
    return {
        tree: tree(result.value),
        lexerErrors: result.lexerErrors.map(error => [error.offset, error.length, error.message]),
        parserErrors: result.parserErrors.map(error => [error.name, error.message, error.token.startOffset, error.token.image]),
    };
}

describe('the CLI parser (LL(1)) and the editor parser (ALL(*))', () => {
    it('use the strategies they are configured with', () => {
        // By name: chevrotain-allstar's LLStarLookaheadStrategy extends Chevrotain's LLkLookaheadStrategy.
        expect(recognizerOf(cliParser).lookaheadStrategy.constructor.name).toBe('LLkLookaheadStrategy');
        expect(recognizerOf(editorParser).lookaheadStrategy.constructor.name).toBe('LLStarLookaheadStrategy');
    });

    it('the grammar is LL(1): Chevrotain finds no ambiguity, left recursion or empty alternative with one token of lookahead', () => {
        const rules = Object.values(recognizerOf(cliParser).getGAstProductions());
        expect(rules.length).toBeGreaterThan(10);
        const tokenTypes = createSipflowCoreServices({ ...EmptyFileSystem }).Sipflow.parser.Lexer.definition as Record<string, TokenType>;
        const problems = new LLkLookaheadStrategy({ maxLookahead: 1 }).validate({ rules: rules as never, tokenTypes: Object.values(tokenTypes), grammarName: 'Sipflow' });
        expect(problems.map(problem => problem.message)).toEqual([]);
        // The analysis has teeth: two alternatives that start with the same token are reported.
        const word = createToken({ name: 'Word', pattern: /[a-z]+/ });
        const ambiguous = new Rule({
            name: 'twice',
            definition: [
                new Alternation({
                    definition: [new Alternative({ definition: [new Terminal({ terminalType: word })] }), new Alternative({ definition: [new Terminal({ terminalType: word })] })],
                }),
            ],
        });
        const reported = new LLkLookaheadStrategy({ maxLookahead: 1 }).validate({ rules: [ambiguous], tokenTypes: [word], grammarName: 'Ambiguous' });
        expect(reported.length).toBeGreaterThan(0);
    });

    for (const [name, text] of [
        ['the example', EXAMPLE],
        ['a generated 200-department integration', toSipflow(generateIntegration(200))],
    ] as const) {
        it(`parse ${name} to the same tree`, () => {
            const cli = parsed(cliParser, text);
            expect(cli.parserErrors).toEqual([]);
            expect(cli).toEqual(parsed(editorParser, text));
        });
    }

    it('parse broken variants of the example alike: the same tree, references and syntax errors', () => {
        const tokens = [...new Set(EXAMPLE.match(/"[^"\n]*"|[{}]|[^\s"{}]+/g) ?? [])];
        const pieces = EXAMPLE.match(/"[^"\n]*"|\s+|[{}]|[^\s"{}]+/g) ?? [];
        const edit = fc.oneof(
            fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
            fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }),
            fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...tokens, '{', '}', '"', '=', ',', 'env:X', '12s', 'X-Y') }),
            fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
        );
        let broken = 0;
        fc.assert(
            fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), edits => {
                const text = [...pieces];
                for (const { kind, at, ...rest } of edits) {
                    const i = at % text.length;
                    if (kind === 'drop') text.splice(i, 1);
                    else if (kind === 'repeat') text.splice(i, 0, text[i]);
                    else if (kind === 'insert') text.splice(i, 0, ` ${(rest as { token: string }).token} `);
                    else text.splice(i);
                    if (text.length === 0) text.push(' ');
                }
                const variant = text.join('');
                const cli = parsed(cliParser, variant);
                if (cli.parserErrors.length > 0) broken++;
                expect(cli).toEqual(parsed(editorParser, variant));
            }),
            {
                numRuns: Number(process.env.SIPFLOW_FUZZ_RUNS ?? 1500),
                ...(process.env.SIPFLOW_FUZZ_SEED ? { seed: Number(process.env.SIPFLOW_FUZZ_SEED) } : {}),
            },
        );
        // The comparison covers error recovery, not only clean files.
        expect(broken).toBeGreaterThan(300);
    });
});
