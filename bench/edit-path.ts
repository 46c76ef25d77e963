/**
 * The edit path as an editor sees it: the language server bundle (out/server.cjs, built by `npm run bench`)
 * in its own process over stdio, timed from the client's side. Its own process, as in an editor: the
 * keystrokes of a burst reach it on time while it parses, instead of waiting for it in one event loop. Each change
 * is sent as an editor sends it to a server that asks for incremental sync: the changed range only. Measured:
 * one edit → its diagnostics; 20 keystrokes 50 ms apart → the last one's diagnostics; completion with no
 * edit pending, and sent right after an edit.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
    CompletionRequest,
    DidChangeTextDocumentNotification,
    DidOpenTextDocumentNotification,
    InitializedNotification,
    InitializeRequest,
    PublishDiagnosticsNotification,
    type Diagnostic,
    type Position,
    type ProtocolConnection,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { changedRange } from '../src/language/incremental-parse.js';
import { BURST_QUIET_MS } from '../src/language/lsp/sipflow-language-server.js';

export interface LatencyStats {
    readonly medianMs: number;
    readonly p90Ms: number;
    readonly maxMs: number;
    readonly samples: number;
}

export interface EditPathResult {
    /** didChange → the publishDiagnostics of that version, edits apart (no burst). */
    readonly editToDiagnostics: LatencyStats;
    /** 20 keystrokes 50 ms apart: last keystroke → the diagnostics of the last version. */
    readonly burst: LatencyStats;
    /** Completion at a queue reference, nothing pending. */
    readonly completion: LatencyStats;
    /** The same completion sent right after a didChange (it waits for the new text's parse and link, not validation). */
    readonly completionAfterEdit: LatencyStats;
}

const FILE_URI = 'file:///sipflow-bench-lsp/bench.sipflow';
const WAIT_MS = 180_000;

const percentile = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const round = (ms: number) => Math.round(ms * 100) / 100;
const stats = (values: readonly number[]): LatencyStats => ({
    medianMs: round(percentile(values, 0.5)),
    p90Ms: round(percentile(values, 0.9)),
    maxMs: round(Math.max(...values)),
    samples: values.length,
});
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function positionAt(text: string, offset: number): Position {
    let line = 0;
    let lineStart = 0;
    for (let newline = text.indexOf('\n'); newline >= 0 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
        line++;
        lineStart = newline + 1;
    }
    return { line, character: offset - lineStart };
}

/** The change from `before` to `after` as one ranged edit (the differing middle, between their common prefix and suffix). */
function rangedChange(before: string, after: string): { range: { start: Position; end: Position }; text: string } {
    const { start, oldEnd, newEnd } = changedRange(before, after) ?? { start: 0, oldEnd: 0, newEnd: 0 };
    return { range: { start: positionAt(before, start), end: positionAt(before, oldEnd) }, text: after.slice(start, newEnd) };
}

/** What VS Code's language client (vscode-languageclient 9, lib/common/completion.js) says of completion lists: the editor the numbers are for. */
export const VSCODE_COMPLETION_CAPABILITIES = {
    textDocument: { completion: { completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } } },
};

/** The server in its own process and a client on its stdio; `published` waits for diagnostics that satisfy a predicate. */
async function openSession(text: string) {
    const server = spawn(process.execPath, [path.resolve('out/server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const client: ProtocolConnection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    let waiter: { accept: (diagnostics: Diagnostic[]) => boolean; resolve: (at: number) => void } | undefined;
    client.onNotification(PublishDiagnosticsNotification.type, params => {
        if (params.uri === FILE_URI && waiter?.accept(params.diagnostics)) {
            waiter.resolve(performance.now());
            waiter = undefined;
        }
    });
    client.listen();
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: VSCODE_COMPLETION_CAPABILITIES, workspaceFolders: null });
    await client.sendNotification(InitializedNotification.type, {});
    let version = 1;
    let current = text;
    const published = (accept: (diagnostics: Diagnostic[]) => boolean, what: string) =>
        new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`bench: no diagnostics with ${what} within ${WAIT_MS} ms`)), WAIT_MS);
            waiter = {
                accept,
                resolve: at => {
                    clearTimeout(timer);
                    resolve(at);
                },
            };
        });
    const opened = published(diagnostics => diagnostics.length === 0, 'the generated file clean');
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: FILE_URI, languageId: 'sipflow', version, text } });
    await opened;
    return {
        published,
        // As an editor sends a keystroke to a server that asks for incremental sync (Langium's does): the changed range only.
        // Resolves with the time it was sent: working out the range is the client's work, not the server's.
        change: async (newText: string) => {
            const change = rangedChange(current, newText);
            current = newText;
            const sentAt = performance.now();
            await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: FILE_URI, version: ++version }, contentChanges: [change] });
            return sentAt;
        },
        complete: (position: Position) => client.sendRequest(CompletionRequest.type, { textDocument: { uri: FILE_URI }, position }),
        close: () => {
            client.dispose();
            server.kill();
        },
    };
}

/** `text` with the middle department's timeout written as `value` (the generated file gives it `timeout …s`). */
function timeoutEditor(text: string, departments: number) {
    const middle = text.indexOf(`department line_${String(Math.floor(departments / 2) | 1).padStart(5, '0')} {`);
    const offset = text.indexOf('timeout ', middle) + 'timeout '.length;
    const end = text.indexOf('\n', offset);
    return { with: (value: string) => `${text.slice(0, offset)}${value}${text.slice(end)}`, middle };
}

const timeoutMessage = (value: string) => (diagnostics: Diagnostic[]) =>
    diagnostics.some(diagnostic => typeof diagnostic.message === 'string' && diagnostic.message.startsWith(`timeout ${value} `));

export async function measureEditPath(text: string, departments: number): Promise<EditPathResult> {
    const session = await openSession(text);
    const editor = timeoutEditor(text, departments);
    const large = departments >= 10_000;
    try {
        // Edit → diagnostics: a timeout out of range and back, each edit after a pause (not a burst).
        const edits: number[] = [];
        for (let i = 0; i < (large ? 8 : 20); i++) {
            const broken = i % 2 === 0;
            const value = `${i + 100}s`;
            await sleep(BURST_QUIET_MS + 40);
            const shown = session.published(broken ? timeoutMessage(value) : diagnostics => diagnostics.length === 0, broken ? `timeout ${value}` : 'none');
            const start = await session.change(broken ? editor.with(value) : text);
            edits.push((await shown) - start);
        }
        // Bursts: 20 keystrokes 50 ms apart typing a timeout; the last one's value is in its diagnostic.
        const bursts: number[] = [];
        for (let round = 0; round < (large ? 2 : 4); round++) {
            await sleep(BURST_QUIET_MS + 40);
            const digits = `${round + 1}${'9'.repeat(19)}`;
            const shown = session.published(timeoutMessage(`${digits}s`), "the last keystroke's timeout");
            let last = 0;
            for (let key = 1; key <= 20; key++) {
                last = await session.change(editor.with(`${digits.slice(0, key)}s`));
                if (key < 20) await sleep(Math.max(0, 50 - (performance.now() - last)));
            }
            bursts.push((await shown) - last);
        }
        await session.change(text);
        await session.published(diagnostics => diagnostics.length === 0, 'the file clean again');
        // Completion at `fallback |` in the middle department: idle, then right after an edit.
        const position = positionAt(text, text.indexOf('fallback ', editor.middle) + 'fallback '.length);
        const idle: number[] = [];
        for (let i = 0; i < 15; i++) {
            const start = performance.now();
            await session.complete(position);
            idle.push(performance.now() - start);
        }
        const afterEdit: number[] = [];
        // At least 10 samples at every size: with fewer, the p90 is the maximum.
        for (let i = 0; i < (large ? 12 : 15); i++) {
            await sleep(BURST_QUIET_MS + 40);
            // The edit changes the length of one line only: the position stays valid.
            const shown = session.published(i % 2 === 0 ? timeoutMessage(`${i + 200}s`) : diagnostics => diagnostics.length === 0, 'after the completion');
            await session.change(i % 2 === 0 ? editor.with(`${i + 200}s`) : text);
            const start = performance.now();
            await session.complete(position);
            afterEdit.push(performance.now() - start);
            await shown;
        }
        return { editToDiagnostics: stats(edits), burst: stats(bursts), completion: stats(idle), completionAfterEdit: stats(afterEdit) };
    } finally {
        session.close();
    }
}

/** The report's rows for the edit path (one column per size). */
export function editPathRows(results: ReadonlyArray<{ readonly lsp?: EditPathResult }>): string[][] {
    const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
    const cell = (pick: (r: EditPathResult) => LatencyStats) => results.map(r => (r.lsp ? `${ms(pick(r.lsp).medianMs)} / ${ms(pick(r.lsp).p90Ms)}` : '–'));
    return [
        ['LSP: edit → diagnostics (median / p90)', ...cell(r => r.editToDiagnostics)],
        ['LSP: 20 keys 50 ms apart, last → diagnostics', ...cell(r => r.burst)],
        ['LSP: completion (median / p90)', ...cell(r => r.completion)],
        ['LSP: completion right after an edit', ...cell(r => r.completionAfterEdit)],
    ];
}

/** Issue 11's edit-path targets, one line each, marked ✓ or ✗ (the sizes not run are left out). */
export function editPathTargets(results: ReadonlyArray<{ readonly departments: number; readonly lsp?: EditPathResult }>): string[] {
    const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
    const mark = (value: number, target: number) => (value <= target ? `✓ ≤ ${target} ms` : `✗ > ${target} ms`);
    const at = (departments: number) => results.find(r => r.departments === departments)?.lsp;
    const oneK = at(1_000);
    const tenK = at(10_000);
    const measured = results.flatMap(r => (r.lsp ? [r.lsp] : []));
    const worstCompletion = Math.max(...measured.map(r => Math.max(r.completion.p90Ms, r.completionAfterEdit.p90Ms)));
    return [
        oneK && `LSP edit → diagnostics, 1,000 departments: p90 ${ms(oneK.editToDiagnostics.p90Ms)} ${mark(oneK.editToDiagnostics.p90Ms, 50)}`,
        tenK && `LSP edit → diagnostics, 10,000 departments: median ${ms(tenK.editToDiagnostics.medianMs)} ${mark(tenK.editToDiagnostics.medianMs, 300)}`,
        tenK && `LSP 20 keystrokes 50 ms apart, 10,000 departments: last → diagnostics, worst ${ms(tenK.burst.maxMs)} ${mark(tenK.burst.maxMs, 500)}`,
        measured.length > 0 && `LSP completion, idle and right after an edit, any size: worst p90 ${ms(worstCompletion)} ${mark(worstCompletion, 50)}`,
    ].filter((line): line is string => typeof line === 'string');
}
