// The edit path re-checks only the blocks that changed (SipflowDocumentValidator.validateByBlock). Whatever
// the edits, the diagnostics of the edited document must equal those of a from-scratch validation of
// the same text.
import * as fc from 'fast-check';
import { EmptyFileSystem, TextDocument, URI, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { describe, expect, it } from 'vitest';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import type { SipflowDocumentValidator } from '../../src/language/validation/sipflow-document-validator.js';
import { EXAMPLE } from './helpers.js';

const URI_OF_FILE = URI.parse('file:///incremental/edited.sipflow');
/** SIPFLOW_FUZZ_SEED replays a failure (fast-check prints the seed and path). */
const SEED = process.env.SIPFLOW_FUZZ_SEED === undefined ? undefined : Number(process.env.SIPFLOW_FUZZ_SEED);
const LARGE = toSipflow(generateIntegration(200));

/** A document edited in place, as the language server does on didChange: one services instance, one document. */
async function editedSession(initial: string) {
    const services = createSipflowServices(EmptyFileSystem);
    const workspace = services.shared.workspace;
    // Opened as the server opens a document (didOpen → update), so that every build uses the update options.
    workspace.TextDocuments.set(TextDocument.create(URI_OF_FILE.toString(), 'sipflow', 1, initial));
    await workspace.DocumentBuilder.update([URI_OF_FILE], []);
    const document = workspace.LangiumDocuments.getDocument(URI_OF_FILE)!;
    let version = 1;
    return {
        validator: services.Sipflow.validation.DocumentValidator as SipflowDocumentValidator,
        document,
        async edit(text: string): Promise<Diagnostic[]> {
            workspace.TextDocuments.set(TextDocument.create(URI_OF_FILE.toString(), 'sipflow', ++version, text));
            await workspace.DocumentBuilder.update([URI_OF_FILE], []);
            return document.diagnostics ?? [];
        },
    };
}

/**
 * Diagnostics of `text` validated from scratch: fresh services, a document they have never seen. `forCli`:
 * the CLI's one-shot services, whose validation keeps no per-block results.
 */
async function freshDiagnostics(text: string, forCli = false): Promise<Diagnostic[]> {
    const services = createSipflowServices({ ...EmptyFileSystem, forCli });
    const document: LangiumDocument = services.shared.workspace.LangiumDocuments.createDocument(URI_OF_FILE, text);
    await services.shared.workspace.DocumentBuilder.build([document], { validation: true });
    // The one-shot validator checks every block directly: it neither fills nor counts the block cache.
    if (forCli) expect((services.Sipflow.validation.DocumentValidator as SipflowDocumentValidator).blockStats.checked).toBe(0);
    return document.diagnostics ?? [];
}

/** The top-level blocks of a file laid out as the example and the generator write them: `  kind … {` to `  }`. */
function blocksOf(text: string): Array<{ start: number; end: number; kind: string; name: string }> {
    const blocks = [];
    for (const match of text.matchAll(/^ {2}(\w+) ?(\w*)[^\n]*\{ *$/gm)) {
        const close = text.indexOf('\n  }', match.index);
        if (close < 0) continue;
        blocks.push({ start: match.index, end: close + 4, kind: match[1], name: match[2] });
    }
    return blocks;
}

type Edit = (text: string) => string;

const FRAGMENTS = [
    '"',
    '}',
    '{',
    '\n',
    ' ',
    'x',
    '0',
    '// note\n',
    'timeout 0s',
    'timeout 2h',
    'mode cold',
    'uui caller',
    'did "+4570101111"',
    'did "+4570200001"',
    'did "+45 70 10 11 11"',
    'did "12"',
    'escalate tier1',
    'fallback sales_desk',
    'fallback team_0001',
    'escalate "+4570102222"',
    'escalate "sip:+4570101111@acme.sip.dixa.com"',
    'escalate "sip:+4570200002@other.example"',
    'header x-caller "a"',
    'assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"',
    'assistant "not-a-uuid"',
    'name "Phone – Tier 1"',
    '\n  queue extra { name "Extra" did "+4570109876" }\n',
    '\n  department extra { did "+4535550000" assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6" fallback tier1 }\n',
];
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const fragment = fc.constantFrom(...FRAGMENTS);

/** An offset inside the block chosen by `pick` (or anywhere, when the file has no block left). */
function inBlock(text: string, pick: number, at: number): number {
    const blocks = blocksOf(text);
    if (blocks.length === 0) return Math.floor(at * text.length);
    const block = blocks[Math.floor(pick * blocks.length)];
    return block.start + Math.floor(at * (block.end - block.start));
}

const insert: fc.Arbitrary<Edit> = fc.tuple(fraction, fraction, fragment).map(([pick, at, inserted]) => text => {
    const offset = inBlock(text, pick, at);
    return text.slice(0, offset) + inserted + text.slice(offset);
});
const remove: fc.Arbitrary<Edit> = fc.tuple(fraction, fraction, fc.integer({ min: 1, max: 30 })).map(([pick, at, length]) => text => {
    const offset = inBlock(text, pick, at);
    return text.slice(0, offset) + text.slice(offset + length);
});
const replace: fc.Arbitrary<Edit> = fc.tuple(fraction, fraction, fc.integer({ min: 1, max: 12 }), fragment).map(([pick, at, length, inserted]) => text => {
    const offset = inBlock(text, pick, at);
    return text.slice(0, offset) + inserted + text.slice(offset + length);
});
/** Renames a queue that other blocks fall back or escalate to (their references break, or resolve again). */
const renameQueue: fc.Arbitrary<Edit> = fc.tuple(fraction, fc.constantFrom('tier1', 'sales_desk', 'team_0001', 'renamed')).map(([pick, name]) => text => {
    const queues = blocksOf(text).filter(block => block.kind === 'queue' && block.name);
    if (queues.length === 0) return text;
    const queue = queues[Math.floor(pick * queues.length)];
    const head = text.indexOf(queue.name, queue.start);
    return text.slice(0, head) + name + text.slice(head + queue.name.length);
});
/** Gives a block's DID another block's (a duplicate), or an invalid one; an escalation may dial it. */
const changeDid: fc.Arbitrary<Edit> = fc.tuple(fraction, fraction).map(([pick, other]) => text => {
    const dids = [...text.matchAll(/did "([^"\n]*)"/g)];
    if (dids.length === 0) return text;
    const target = dids[Math.floor(pick * dids.length)];
    const value = other < 0.2 ? '+45 12' : dids[Math.floor(other * dids.length)][1];
    const start = target.index + 'did "'.length;
    return text.slice(0, start) + value + text.slice(start + target[1].length);
});
/** Moves every later block down a line without changing any block's text. */
const shiftBlocks: fc.Arbitrary<Edit> = fc.tuple(fraction, fc.constantFrom('\n', '  // moved\n')).map(([pick, inserted]) => text => {
    const blocks = blocksOf(text);
    const offset = blocks.length === 0 ? 0 : blocks[Math.floor(pick * blocks.length)].start;
    return text.slice(0, offset) + inserted + text.slice(offset);
});
/** Repeats a block right after itself (duplicate names, DIDs, assistants), or deletes it. */
const duplicateOrDelete: fc.Arbitrary<Edit> = fc.tuple(fraction, fc.boolean()).map(([pick, duplicate]) => text => {
    const blocks = blocksOf(text);
    if (blocks.length === 0) return text;
    const { start, end } = blocks[Math.floor(pick * blocks.length)];
    return duplicate ? text.slice(0, end) + '\n' + text.slice(start, end) + text.slice(end) : text.slice(0, start) + text.slice(end);
});
const edit = fc.oneof(insert, remove, replace, renameQueue, changeDid, shiftBlocks, duplicateOrDelete, changeDid, renameQueue);
/** Changes one department's flow name only: every other block must be reused, so each sequence exercises the cache. */
const renameFlow: fc.Arbitrary<Edit> = fraction.map(pick => text => {
    const flows = [...text.matchAll(/^ {4}flow "/gm)];
    if (flows.length === 0) return text;
    const at = flows[Math.floor(pick * flows.length)].index + '    flow "'.length;
    return text.slice(0, at) + 'Edited ' + text.slice(at);
});

async function expectEditsMatchFreshValidation(initial: string, runs: number, maxEdits: number): Promise<{ reused: number }> {
    let reused = 0;
    await fc.assert(
        // A local edit first (random edits often break the syntax or change what every block depends on,
        // and a run of them alone may never reuse a block), then random ones.
        fc.asyncProperty(
            fc.tuple(renameFlow, fc.array(edit, { minLength: 1, maxLength: maxEdits })).map(([first, rest]) => [first, ...rest]),
            async edits => {
                const session = await editedSession(initial);
                const before = session.validator.blockStats.reused;
                let text = initial;
                for (const apply of edits) {
                    text = apply(text);
                    const incremental = await session.edit(text);
                    const fresh = await freshDiagnostics(text);
                    expect(incremental, `after editing to:\n${text}`).toEqual(fresh);
                    expect(await freshDiagnostics(text, true), `the CLI's services, for:\n${text}`).toEqual(fresh);
                }
                reused += session.validator.blockStats.reused - before;
            },
        ),
        { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
    return { reused };
}

describe('validation after edits', () => {
    it('equals a from-scratch validation after any edits to the example', async () => {
        const { reused } = await expectEditsMatchFreshValidation(EXAMPLE, 40, 8);
        // The property says nothing if no block was ever reused.
        expect(reused).toBeGreaterThan(0);
    }, 300_000);

    it('equals a from-scratch validation after any edits to a 200-department file', async () => {
        const { reused } = await expectEditsMatchFreshValidation(LARGE, 8, 5);
        expect(reused).toBeGreaterThan(0);
    }, 300_000);

    it('re-checks only the edited department when its text alone changes', async () => {
        const session = await editedSession(LARGE);
        const departments = blocksOf(LARGE).filter(block => block.kind === 'department');
        const { checked, reused } = session.validator.blockStats;
        const edited = departments.find(block => LARGE.slice(block.start, block.end).includes('timeout '))!;
        const timeout = LARGE.indexOf('timeout ', edited.start) + 'timeout '.length;
        const diagnostics = await session.edit(`${LARGE.slice(0, timeout)}0s${LARGE.slice(LARGE.indexOf('\n', timeout))}`);
        expect(diagnostics.map(diagnostic => diagnostic.code)).toEqual(['timeout-range']);
        expect(session.validator.blockStats.checked - checked).toBe(1);
        expect(session.validator.blockStats.reused - reused).toBe(departments.length - 1 + blocksOf(LARGE).filter(block => block.kind === 'queue').length);
    }, 60_000);

    it('re-checks every department when a queue they may reference changes', async () => {
        const session = await editedSession(LARGE);
        const { checked } = session.validator.blockStats;
        const did = LARGE.indexOf('did "+4570200001"');
        await session.edit(`${LARGE.slice(0, did)}did "+4570200099"${LARGE.slice(did + 'did "+4570200001"'.length)}`);
        expect(session.validator.blockStats.checked - checked).toBe(blocksOf(LARGE).filter(block => block.kind === 'department' || block.kind === 'queue').length);
    }, 60_000);
});
