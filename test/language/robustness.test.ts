// Property-based robustness: whatever a user's half-typed or damaged file looks like, parsing, linking,
// validation and the editor features never throw, finish in bounded time, and report diagnostics whose
// ranges lie inside the document.
import * as fc from 'fast-check';
import type { LangiumDocument } from 'langium';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { DIAGNOSTICS, PROBLEMS_CAPPED_CODE } from '../../src/language/diagnostic-codes.js';
import { MAX_SYNTAX_ERRORS } from '../../src/language/sipflow-parser.js';
import { EXAMPLE, services, validate } from './helpers.js';

/** Everything else the language can express, so that mutations reach every validator. */
const RICH = `/* every construct */
integration globex {
  dixa {
    sip-domain "globex.sip.dixa.com"
    allowlist "34.89.186.33", "34.185.212.150"
    allowlist synthflow
  }
  synthflow {
    region us
    workspace "ws_1"
    trunk-auth credentials { username env:SIP_USER password "literal" }
  }
  queue desk { name "Desk" did "+1 (415) 555-2671" kind ring-group }
  queue spare { did "+14155552672" }
  department main {
    flow "Main"
    did "+14155550123"
    assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"
    timeout 500ms
    fallback desk
    uui caller
    escalate "sip:+14155552671@globex.sip.dixa.com" { mode cold when "w" say "s" failed "f" }
    escalate "+14155552671"
    escalate desk { mode warm-with-context }
  }
}
`;

const BASES: ReadonlyArray<readonly [string, string]> = [
    ['canonical example', EXAMPLE],
    ['every construct', RICH],
    ['generated, 3 departments', toSipflow(generateIntegration(3))],
    ['generated, 12 departments', toSipflow(generateIntegration(12))],
];

/** Words and punctuation of the language: insertions of these reach deeper into the parser than random text. */
const FRAGMENTS = [
    'integration',
    'dixa',
    'synthflow',
    'queue',
    'department',
    'escalate',
    'allowlist',
    'sip-domain',
    'region',
    'workspace',
    'trunk-auth',
    'credentials',
    'username',
    'password',
    'did',
    'assistant',
    'timeout',
    'fallback',
    'uui',
    'mode',
    'when',
    'say',
    'failed',
    'kind',
    'flow',
    'name',
    'warm',
    'cold',
    'ring-group',
    'eu',
    'ip',
    '{',
    '}',
    '{}',
    ',',
    '"',
    '""',
    '"+4535551234"',
    '"sip:x@y"',
    'env:X',
    'env:',
    '30s',
    '0ms',
    '99999999999m',
    '1.5s',
    '//',
    '/*',
    '*/',
    '\n',
    '\t',
    ' ',
    '\u0000',
    '\ufeff',
    '\u200b',
    '\u2028',
    '\ud83d\ude00',
    '\ud800',
    'é',
    '日本',
    '\r\n',
    '\r',
];

/** Returns a mutated copy of `text`. Offsets are drawn as fractions so that one arbitrary fits every base. */
type Mutation = (text: string) => string;

const at = (text: string, fraction: number) => Math.min(text.length, Math.floor(fraction * (text.length + 1)));
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const unicodeText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom(...FRAGMENTS),
    fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 6 }).map(parts => parts.join(' ')),
);

const truncation: fc.Arbitrary<Mutation> = fraction.map(f => text => text.slice(0, at(text, f)));
const insertion: fc.Arbitrary<Mutation> = fc.tuple(fraction, unicodeText).map(([f, inserted]) => text => {
    const i = at(text, f);
    return text.slice(0, i) + inserted + text.slice(i);
});
const deletion: fc.Arbitrary<Mutation> = fc.tuple(fraction, fc.integer({ min: 1, max: 200 })).map(([f, length]) => text => {
    const i = at(text, f);
    return text.slice(0, i) + text.slice(i + length);
});
const replacement: fc.Arbitrary<Mutation> = fc.tuple(fraction, fc.integer({ min: 1, max: 40 }), unicodeText).map(([f, length, inserted]) => text => {
    const i = at(text, f);
    return text.slice(0, i) + inserted + text.slice(i + length);
});
/** Swaps two tokens (words, strings, braces), keeping the whitespace between them. */
const tokenSwap: fc.Arbitrary<Mutation> = fc.tuple(fraction, fraction).map(([a, b]) => text => {
    const tokens = text.split(/(\s+|[{}]|"(?:\\.|[^"\\\n])*")/).filter(t => t.length > 0);
    const solid = tokens
        .map((t, i) => [t, i] as const)
        .filter(([t]) => !/^\s+$/.test(t))
        .map(([, i]) => i);
    if (solid.length < 2) return text;
    const i = solid[Math.floor(a * solid.length)];
    const j = solid[Math.floor(b * solid.length)];
    [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
    return tokens.join('');
});
/** Copies a slice elsewhere (a pasted block: duplicate settings, queues, departments). */
const duplication: fc.Arbitrary<Mutation> = fc.tuple(fraction, fc.integer({ min: 1, max: 300 }), fraction).map(([from, length, to]) => text => {
    const start = at(text, from);
    const slice = text.slice(start, start + length);
    const i = at(text, to);
    return text.slice(0, i) + slice + text.slice(i);
});

const singleMutation = fc.oneof(truncation, insertion, deletion, replacement, tokenSwap, duplication);
/** One to four mutations in a row: real damage rarely comes alone. */
const mutations = fc.array(singleMutation, { minLength: 1, maxLength: 4 });
const base = fc.constantFrom(...BASES);

/** Position p lies inside the document: an existing line, at most at its end. */
function isInside(position: Position, lines: readonly string[]): boolean {
    return (
        Number.isInteger(position.line) &&
        Number.isInteger(position.character) &&
        position.line >= 0 &&
        position.line < lines.length &&
        position.character >= 0 &&
        position.character <= lines[position.line].length
    );
}

function expectRangeInside(range: Range, lines: readonly string[], what: string): void {
    const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
    if (!isInside(range.start, lines) || !isInside(range.end, lines) || !ordered) {
        throw new Error(`${what} has a range outside the document (${lines.length} lines): ${JSON.stringify(range)}`);
    }
}

/** Lines as LSP counts them: split on \r\n, \n and \r. */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/);

// internal-error is deliberately not here: a check that fails on any input is a bug these tests must catch.
const KNOWN_CODES = new Set<string>([...Object.keys(DIAGNOSTICS), 'parse-error', PROBLEMS_CAPPED_CODE]);

function checkDiagnostics(text: string, diagnostics: readonly Diagnostic[]): void {
    const lines = linesOf(text);
    for (const diagnostic of diagnostics) {
        expectRangeInside(diagnostic.range, lines, `diagnostic ${String(diagnostic.code)} "${diagnostic.message}"`);
        expect(diagnostic.severity).toBeGreaterThanOrEqual(1);
        expect(diagnostic.severity).toBeLessThanOrEqual(4);
        expect(KNOWN_CODES.has(String(diagnostic.code)), `unknown code ${String(diagnostic.code)} on "${diagnostic.message}"`).toBe(true);
        expect(typeof diagnostic.message === 'string' && diagnostic.message.length > 0).toBe(true);
    }
}

/** Runs every editor feature the services provide at a position derived from `where`; none may throw. */
async function exerciseEditorFeatures(document: LangiumDocument, where: number, diagnostics: readonly Diagnostic[]): Promise<void> {
    const lsp = services.Sipflow.lsp;
    const text = document.textDocument.getText();
    const lines = linesOf(text);
    const position = document.textDocument.positionAt(at(text, where));
    const textDocument = { uri: document.uri.toString() };

    const completion = await lsp.CompletionProvider?.getCompletion(document, { textDocument, position });
    for (const item of completion?.items ?? []) {
        const edit = item.textEdit;
        if (edit && 'range' in edit) expectRangeInside(edit.range, lines, `completion "${item.label}"`);
    }
    const hover = await lsp.HoverProvider?.getHoverContent(document, { textDocument, position });
    if (hover?.range) expectRangeInside(hover.range, lines, 'hover');

    const formatting = await lsp.Formatter?.formatDocument(document, { textDocument, options: { tabSize: 2, insertSpaces: true } });
    for (const edit of formatting ?? []) expectRangeInside(edit.range, lines, 'formatting edit');

    const symbols = await lsp.DocumentSymbolProvider?.getSymbols(document, { textDocument });
    const visit = (list: typeof symbols) => {
        for (const symbol of list ?? []) {
            expectRangeInside(symbol.range, lines, `symbol ${symbol.name}`);
            expectRangeInside(symbol.selectionRange, lines, `symbol ${symbol.name} selection`);
            visit(symbol.children);
        }
    };
    visit(symbols);

    await lsp.FoldingRangeProvider?.getFoldingRanges(document, { textDocument });
    await lsp.SemanticTokenProvider?.semanticHighlight(document, { textDocument });
    if (diagnostics.length > 0) {
        const range = diagnostics[Math.floor(where * diagnostics.length)].range;
        await lsp.CodeActionProvider?.getCodeActions(document, { textDocument, range, context: { diagnostics: [...diagnostics] } });
    }
}

// Langium catches exceptions thrown by validation checks and logs them with console.error instead of
// failing: a crashing validator would otherwise go unnoticed here.
let consoleError: MockInstance<typeof console.error>;
beforeEach(() => {
    consoleError = vi.spyOn(console, 'error');
});
afterEach(() => {
    consoleError.mockRestore();
});
function expectNothingLogged(): void {
    expect(consoleError.mock.calls.map(args => args.map(String).join(' ').slice(0, 500))).toEqual([]);
}

/** Per-run bound: far above the normal few milliseconds, far below "hung". */
const RUN_BOUND_MS = 2_000;

/**
 * CPU milliseconds this process has used: unlike wall-clock time it does not grow when other test
 * files or other work compete for the machine's cores, so the bounds below do not flake under load.
 */
function cpuMs(): number {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
}

describe('robustness under mutation', () => {
    it('the unmutated bases are clean or nearly so (sanity check of the harness)', async () => {
        for (const [name, text] of BASES) {
            const { diagnostics } = await validate(text);
            checkDiagnostics(text, diagnostics);
            // "every construct" deliberately contains problems (a literal password, a cold transfer…).
            if (name === 'every construct') expect(new Set(diagnostics.map(d => d.code))).toContain('plaintext-secret');
            else expect(diagnostics, name).toEqual([]);
        }
        expectNothingLogged();
    });

    it('parse + link + validate never throw, stay bounded, and keep ranges inside the document', async () => {
        await fc.assert(
            fc.asyncProperty(base, mutations, async ([, original], steps) => {
                const text = steps.reduce((current, mutate) => mutate(current), original);
                const start = cpuMs();
                const { diagnostics } = await validate(text);
                expect(cpuMs() - start).toBeLessThan(RUN_BOUND_MS);
                checkDiagnostics(text, diagnostics);
                expectNothingLogged();
            }),
            { numRuns: 400 },
        );
    });

    it('completion, hover, formatting, symbols, folding, semantic tokens and code actions survive mutated documents', async () => {
        await fc.assert(
            fc.asyncProperty(base, mutations, fraction, async ([, original], steps, where) => {
                const text = steps.reduce((current, mutate) => mutate(current), original);
                const { document, diagnostics } = await validate(text);
                const start = cpuMs();
                await exerciseEditorFeatures(document, where, diagnostics);
                expect(cpuMs() - start).toBeLessThan(RUN_BOUND_MS);
                expectNothingLogged();
            }),
            { numRuns: 200 },
        );
    });

    it('arbitrary unicode text (not derived from a valid file) is handled like any other input', async () => {
        await fc.assert(
            fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fraction, async (text, where) => {
                const { document, diagnostics } = await validate(text);
                checkDiagnostics(text, diagnostics);
                await exerciseEditorFeatures(document, where, diagnostics);
                expectNothingLogged();
            }),
            { numRuns: 100 },
        );
    });
});

describe('robustness with 1 MB lines', () => {
    const MEGABYTE = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(MEGABYTE / unit.length));
    /** Where a pasted line lands: inside a block, between members, inside a department, at the end. */
    const PLACES: ReadonlyArray<readonly [string, number]> = [
        ['inside the dixa block', EXAMPLE.indexOf('    allowlist synthflow')],
        ['between members', EXAMPLE.indexOf('  queue tier1')],
        ['inside a department', EXAMPLE.indexOf('    escalate sales_desk')],
        ['at the end', EXAMPLE.length],
    ];
    /**
     * Long single lines a user may paste by accident. Lines the lexer must skip character by character
     * (about 3 s per megabyte in Chevrotain) are tried at one place only, to keep the suite's time reasonable.
     */
    const HUGE_LINES: ReadonlyArray<readonly [string, string, 'everywhere' | 'once', 'clean' | 'dirty']> = [
        ['letters', fill('a'), 'everywhere', 'dirty'],
        ['a string literal', `"${fill('x')}"`, 'everywhere', 'dirty'],
        ['an unterminated string', `"${fill('y')}`, 'everywhere', 'dirty'],
        ['a line comment', `// ${fill('z')}`, 'everywhere', 'clean'],
        ['an unterminated block comment', `/* ${fill('w')}`, 'everywhere', 'dirty'],
        ['digits (a duration token)', fill('9'), 'everywhere', 'dirty'],
        ['closing braces', fill('}'), 'once', 'dirty'],
        ['an allowlist of 80,000 invalid IPs', `allowlist ${fill('"1.2.3.400", ')}"1.2.3.4"`, 'once', 'dirty'],
        ['unexpected characters', fill('§'), 'once', 'dirty'],
        ['emoji', fill('\ud83d\ude00'), 'once', 'dirty'],
    ];
    /** Generous: a 1 MB line is legal but exceptional, and CI machines are slow. */
    const HUGE_BOUND_MS = 15_000;

    const cases = HUGE_LINES.flatMap(([name, line, where, expected]) =>
        (where === 'everywhere' ? PLACES : PLACES.slice(0, 1)).map(([place, offset]) => [`${name}, ${place}`, line, offset, expected] as const),
    );

    it.each(cases)('%s', async (_name, line, offset, expected) => {
        const text = `${EXAMPLE.slice(0, offset)}${line}\n${EXAMPLE.slice(offset)}`;
        const start = cpuMs();
        const { document, diagnostics } = await validate(text);
        checkDiagnostics(text, diagnostics);
        // A comment changes nothing; anything else is reported, not silently accepted.
        if (expected === 'clean') expect(diagnostics).toEqual([]);
        else expect(diagnostics.length).toBeGreaterThan(0);
        // Editor features right after the long line: completion parses everything before the cursor.
        await exerciseEditorFeatures(document, (offset + line.length + 1) / (text.length + 1), diagnostics);
        expect(cpuMs() - start).toBeLessThan(HUGE_BOUND_MS);
        expectNothingLogged();
    });

    // 1 MB of keywords and braces would be ~260,000 parse errors: the parser stops after MAX_SYNTAX_ERRORS
    // and says so, instead of taking tens of seconds and overflowing the stack.
    it('keywords and braces (1 MB of "queue { ")', async () => {
        const text = `${EXAMPLE.slice(0, PLACES[0][1])}${fill('queue { ')}\n${EXAMPLE.slice(PLACES[0][1])}`;
        const start = cpuMs();
        const { diagnostics } = await validate(text);
        checkDiagnostics(text, diagnostics);
        const syntax = diagnostics.filter(d => d.code === 'parse-error');
        expect(syntax).toHaveLength(MAX_SYNTAX_ERRORS + 1);
        expect(syntax.at(-1)?.message).toContain(`Too many syntax errors: stopped after ${MAX_SYNTAX_ERRORS}`);
        expect(cpuMs() - start).toBeLessThan(HUGE_BOUND_MS);
        expectNothingLogged();
    });
});
