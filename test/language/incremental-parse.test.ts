// reparseEditedBlock (src/language/incremental-parse.ts) re-parses one block and splices it into the previous
// tree. Whatever it returns must be the tree a full parse of the same text gives: the same AST (types,
// values, references' text, containers) and the same CST (every node's grammar source, offsets, ranges and
// token types), over sequences of random edits, each applied to the result of the one before.
import * as fc from 'fast-check';
import { EmptyFileSystem, type AstNode, type CstNode, type LangiumParser, type LeafCstNode, type ParseResult } from 'langium';
import { describe, expect, it } from 'vitest';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { changedRange, reparseEditedBlock } from '../../src/language/incremental-parse.js';
import type { SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE } from './helpers.js';

const SEED = process.env.SIPFLOW_FUZZ_SEED === undefined ? undefined : Number(process.env.SIPFLOW_FUZZ_SEED);
const RUNS = Number(process.env.SIPFLOW_FUZZ_RUNS ?? 150);
const parser: LangiumParser = createSipflowServices(EmptyFileSystem).Sipflow.parser.LangiumParser;
const fullParse = (text: string) => parser.parse<SipflowFile>(text);

const WITH_ENVIRONMENT = `${EXAMPLE.trimEnd().replace(/\}\s*$/, '')}
  environment staging {
    queue tier1 {
      did "+4570109999"
    }
    department support {
      timeout 30s
    }
  }
}
`;
const LARGE = toSipflow(generateIntegration(40));

/** Every CST node in document order, as the facts a consumer can read from it. */
function cstFacts(root: CstNode): unknown[] {
    const grammarIds = new Map<object, number>();
    const idOf = (source: object | undefined) => {
        if (!source) return -1;
        if (!grammarIds.has(source)) grammarIds.set(source, grammarIds.size);
        return grammarIds.get(source);
    };
    const facts: unknown[] = [];
    const visit = (node: CstNode) => {
        const composite = 'content' in node ? (node as unknown as { content: CstNode[] }) : undefined;
        facts.push([
            composite ? `C${composite.content.length}` : `L:${(node as LeafCstNode).tokenType.name}`,
            node.offset,
            node.end,
            JSON.stringify(node.range),
            node.hidden,
            idOf(node.grammarSource),
            node.astNode.$type,
            node.text,
        ]);
        for (const child of composite?.content ?? []) visit(child);
    };
    visit(root);
    return facts;
}

/** The AST as plain data: types, values, reference texts, and each node's container and CST span. */
function astFacts(node: AstNode): unknown {
    const out: Record<string, unknown> = { $type: node.$type, $containerProperty: node.$containerProperty, $containerIndex: node.$containerIndex };
    out.$span = node.$cstNode ? [node.$cstNode.offset, node.$cstNode.end, JSON.stringify(node.$cstNode.range)] : undefined;
    out.$cstOwner = node.$cstNode?.astNode === node;
    for (const [key, value] of Object.entries(node)) {
        if (key.startsWith('$')) continue;
        if (Array.isArray(value)) out[key] = value.map(item => plain(item, node));
        else out[key] = plain(value, node);
    }
    return out;
}

function plain(value: unknown, container: AstNode): unknown {
    if (value && typeof value === 'object' && '$type' in value) {
        expect((value as AstNode).$container).toBe(container);
        return astFacts(value as AstNode);
    }
    if (value && typeof value === 'object' && '$refText' in value) {
        const reference = value as { $refText: string; $refNode?: CstNode };
        return { ref: reference.$refText, at: reference.$refNode?.offset };
    }
    return value;
}

function expectSameAsFullParse(result: ParseResult<SipflowFile>, text: string): void {
    const full = fullParse(text);
    expect(result.value.$cstNode!.root.fullText).toBe(text);
    expect(astFacts(result.value)).toEqual(astFacts(full.value));
    expect(cstFacts(result.value.$cstNode!)).toEqual(cstFacts(full.value.$cstNode!));
}

const insertAt = (text: string, search: string, insert: string) => {
    const at = text.indexOf(search);
    expect(at).toBeGreaterThan(0);
    return text.slice(0, at) + insert + text.slice(at);
};

describe('re-parsing only the edited block', () => {
    it('re-parses a department whose value changed, and the tree is a full parse of the new text', () => {
        const text = insertAt(EXAMPLE, 'timeout', 'flow "Another name"\n    ');
        const previous = fullParse(EXAMPLE);
        const result = reparseEditedBlock(parser, previous, text);
        expect(result).toBeDefined();
        expectSameAsFullParse(result!, text);
    });

    it('moves everything after the block by the lines and columns the edit added', () => {
        const firstDepartment = LARGE.indexOf('department ');
        const at = LARGE.indexOf('flow "', firstDepartment);
        const text = `${LARGE.slice(0, at)}// two\n    // lines\n    ${LARGE.slice(at)}`;
        const result = reparseEditedBlock(parser, fullParse(LARGE), text);
        expect(result).toBeDefined();
        expectSameAsFullParse(result!, text);
    });

    it('re-parses a block inside an environment', () => {
        const previous = fullParse(WITH_ENVIRONMENT);
        expect(previous.parserErrors).toEqual([]);
        const text = WITH_ENVIRONMENT.replace('timeout 30s', 'timeout 45s');
        const result = reparseEditedBlock(parser, previous, text);
        expect(result).toBeDefined();
        expectSameAsFullParse(result!, text);
    });

    it('declines an edit across two blocks, one that breaks the block, or a previous parse with errors', () => {
        const departments = [...LARGE.matchAll(/department /g)].map(m => m.index);
        const across = LARGE.slice(0, departments[1] - 5) + LARGE.slice(departments[1] + 3);
        expect(reparseEditedBlock(parser, fullParse(LARGE), across)).toBeUndefined();
        const closedEarly = insertAt(LARGE, 'fallback', '} ');
        expect(reparseEditedBlock(parser, fullParse(LARGE), closedEarly)).toBeUndefined();
        const unterminated = insertAt(LARGE, 'fallback', '"');
        expect(reparseEditedBlock(parser, fullParse(LARGE), unterminated)).toBeUndefined();
        const broken = insertAt(LARGE, 'fallback', 'nonsense ');
        const brokenParse = fullParse(broken);
        expect(brokenParse.parserErrors.length).toBeGreaterThan(0);
        expect(reparseEditedBlock(parser, brokenParse, broken.replace('flow "', 'flow "x'))).toBeUndefined();
        // A keyword grown into a name: the block no longer starts with its keyword.
        const renamedKeyword = LARGE.replace('department line_00001', 'departmentx line_00001');
        expect(reparseEditedBlock(parser, fullParse(LARGE), renamedKeyword)).toBeUndefined();
    });

    const FRAGMENTS = [
        '"',
        '}',
        '{',
        '\n',
        ' ',
        'x',
        '0',
        '// note\n',
        '/* c */',
        'timeout 0s',
        'mode cold',
        'did "+4570101111"',
        'fallback team_0001',
        'escalate tier1 { mode warm }',
        'department',
    ];
    // A position as a fraction of the text in millionths (fc.double is biased towards 0: every edit would be at the start).
    const edit = fc.record({ at: fc.nat({ max: 1_000_000 }), remove: fc.nat({ max: 12 }), insert: fc.constantFrom(...FRAGMENTS, '') });

    it('equals a full parse after every edit of random sequences (each edit applied to the last result)', () => {
        let incremental = 0;
        let edits = 0;
        fc.assert(
            fc.property(fc.constantFrom(EXAMPLE, WITH_ENVIRONMENT, LARGE), fc.nat(), fc.array(edit, { minLength: 1, maxLength: 8 }), (initial, flowPick, sequence) => {
                // Each sequence starts with an edit inside one flow name, which must take the spliced path: so every
                // run reaches it (random edits alone often break the file first, and then every later edit is parsed in full).
                const flows = [...initial.matchAll(/flow "/g)].map(match => match.index + 'flow "'.length);
                const at = flows[flowPick % flows.length];
                let text = `${initial.slice(0, at)}Edited ${initial.slice(at)}`;
                let current = reparseEditedBlock(parser, fullParse(initial), text)!;
                expect(current).toBeDefined();
                expectSameAsFullParse(current, text);
                edits++;
                incremental++;
                for (const { at, remove, insert } of sequence) {
                    const position = Math.floor((at / 1_000_000) * text.length);
                    text = text.slice(0, position) + insert + text.slice(position + remove);
                    const reparsed = reparseEditedBlock(parser, current, text);
                    edits++;
                    if (reparsed) {
                        incremental++;
                        expectSameAsFullParse(reparsed, text);
                        current = reparsed;
                    } else current = fullParse(text);
                }
            }),
            { numRuns: RUNS, seed: SEED },
        );
        // The spliced path is exercised: at least each sequence's first edit (1 in 9 at most), and random edits that keep a block clean.
        expect(incremental).toBeGreaterThan(edits / 20);
    });
});

describe('changedRange', () => {
    // Texts around the slice sizes it compares by (32,768 and 1,024 characters), edited anywhere.
    const text = fc.tuple(fc.constantFrom(10, 1023, 1025, 40_000, 70_000), fc.string({ minLength: 1, maxLength: 3 })).map(([length, unit]) => unit.repeat(length).slice(0, length));
    const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 40 }), fc.string({ maxLength: 40 }));

    it('finds the one span that differs, with the longest common prefix and suffix', () => {
        fc.assert(
            fc.property(text, edit, (oldText, [at, removed, inserted]) => {
                const offset = Math.floor(at * oldText.length);
                const newText = oldText.slice(0, offset) + inserted + oldText.slice(offset + removed);
                const range = changedRange(oldText, newText);
                if (oldText === newText) {
                    expect(range).toBeUndefined();
                    return;
                }
                expect(range).toBeDefined();
                const { start, oldEnd, newEnd } = range!;
                expect(oldText.slice(0, start) + newText.slice(start, newEnd) + oldText.slice(oldEnd)).toBe(newText);
                // Longest prefix: the texts differ right at start (or one ends there); longest suffix likewise.
                expect(oldText.slice(0, start)).toBe(newText.slice(0, start));
                expect(start === oldText.length || start === newText.length || oldText[start] !== newText[start]).toBe(true);
                expect(oldText.slice(oldEnd)).toBe(newText.slice(newEnd));
                const suffix = oldText.length - oldEnd;
                expect(oldEnd === start || newEnd === start || oldText[oldText.length - 1 - suffix] !== newText[newText.length - 1 - suffix]).toBe(true);
            }),
            { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
        );
    });
});
