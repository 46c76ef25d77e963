// A real language-server session: the bundled server (out/server.cjs, built by `npm test`) spawned over
// stdio, spoken to in JSON-RPC the way an editor does.
import { type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    CodeActionRequest,
    CompletionRequest,
    CompletionResolveRequest,
    DidChangeTextDocumentNotification,
    DidOpenTextDocumentNotification,
    DocumentFormattingRequest,
    ExitNotification,
    HoverRequest,
    InitializedNotification,
    InitializeRequest,
    PublishDiagnosticsNotification,
    ShutdownRequest,
    type CodeAction,
    type Command,
    type CompletionItem,
    type CompletionList,
    type Diagnostic,
    type Hover,
    type InitializeResult,
    type MarkupContent,
    type ProtocolConnection,
    type PublishDiagnosticsParams,
    type Range,
    type TextEdit,
} from 'vscode-languageserver-protocol';
import { startLspProcess } from '../support/lsp-stdio.js';
import { TextDocument } from 'vscode-languageserver-textdocument';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_BUNDLE = path.join(ROOT, 'out/server.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

/** How long to wait for any one server message before failing with a readable error. */
const WAIT_MS = 20_000;

/** Queues of integration globex, kept in their own file on disk. */
const GLOBEX_QUEUES = `integration globex {
  queue desk {
    name "Globex desk"
    did "+4570109999"
  }
}
`;

/** A department file of globex with three problems: no allowlist, a DID with spaces, a 2 s timeout. */
const GLOBEX_BROKEN = `integration globex {
  dixa {
    sip-domain "globex.sip.dixa.com"
  }
  synthflow {
    region eu
    workspace "ws_globex"
  }
  department support {
    did "+45 35 55 12 34"
    assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"
    timeout 2s
    fallback desk
    escalate desk
  }
}
`;

/** The 0-based range of the `occurrence`-th appearance of `search` (on one line) in `text`. */
function rangeOf(text: string, search: string, occurrence = 1): Range {
    let offset = -1;
    for (let i = 0; i < occurrence; i++) {
        offset = text.indexOf(search, offset + 1);
        if (offset < 0) throw new Error(`"${search}" (#${occurrence}) is not in the text`);
    }
    const document = TextDocument.create('file:///x', 'sipflow', 0, text);
    return { start: document.positionAt(offset), end: document.positionAt(offset + search.length) };
}

/** The position just after `search` (its first appearance). */
const after = (text: string, search: string) => rangeOf(text, search).end;

const applyEdits = (text: string, edits: readonly TextEdit[]) => TextDocument.applyEdits(TextDocument.create('file:///x', 'sipflow', 0, text), [...edits]);

/** Records every publishDiagnostics and lets a test wait for the next one that satisfies a predicate. */
class DiagnosticsRecorder {
    private readonly latest = new Map<string, Diagnostic[]>();
    private waiters: Array<{ uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];

    constructor(connection: ProtocolConnection) {
        connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
            this.latest.set(params.uri, params.diagnostics);
            this.waiters = this.waiters.filter(waiter => {
                if (waiter.uri !== params.uri || !waiter.accept(params.diagnostics)) return true;
                waiter.resolve(params.diagnostics);
                return false;
            });
        });
    }

    /** The next publication for `uri` that `accept`s, or the current one if it already does and `allowCurrent`. */
    next(uri: string, accept: (diagnostics: Diagnostic[]) => boolean, what: string, allowCurrent = false): Promise<Diagnostic[]> {
        const current = this.latest.get(uri);
        if (allowCurrent && current && accept(current)) return Promise.resolve(current);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                reject(
                    new Error(`no publishDiagnostics for ${path.basename(uri)} with ${what} within ${WAIT_MS} ms; last: ${JSON.stringify(this.latest.get(uri)?.map(d => d.code))}`),
                );
            }, WAIT_MS);
            this.waiters.push({
                uri,
                accept,
                resolve: diagnostics => {
                    clearTimeout(timer);
                    resolve(diagnostics);
                },
            });
        });
    }
}

const codesOf = (diagnostics: readonly Diagnostic[]) => diagnostics.map(d => String(d.code)).sort();
const hasCodes =
    (...codes: string[]) =>
    (diagnostics: readonly Diagnostic[]) =>
        JSON.stringify(codesOf(diagnostics)) === JSON.stringify([...codes].sort());
const hoverText = (hover: Hover | null) => {
    const contents = hover?.contents;
    if (!contents) return '';
    if (typeof contents === 'string') return contents;
    if (Array.isArray(contents)) return contents.map(c => (typeof c === 'string' ? c : c.value)).join('\n');
    return (contents as MarkupContent).value;
};
const completionLabels = (result: CompletionItem[] | CompletionList | null) => (Array.isArray(result) ? result : (result?.items ?? [])).map(item => item.label);

let workspace: string;
let server: ChildProcessWithoutNullStreams;
let connection: ProtocolConnection;
let diagnostics: DiagnosticsRecorder;
let serverStderr: () => string = () => '';
let initializeResult: InitializeResult;
const exited = { promise: undefined as unknown as Promise<number | null> };

const uriOf = (name: string) => pathToFileURL(path.join(workspace, name)).toString();
const versions = new Map<string, number>();
async function open(name: string, text: string): Promise<void> {
    versions.set(name, 1);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(name), languageId: 'sipflow', version: 1, text } });
}
async function change(name: string, text: string): Promise<void> {
    const version = (versions.get(name) ?? 1) + 1;
    versions.set(name, version);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(name), version }, contentChanges: [{ text }] });
}

beforeAll(async () => {
    if (!existsSync(SERVER_BUNDLE)) {
        throw new Error(`${SERVER_BUNDLE} is missing: run "npm run build" first ("npm test" builds before testing).`);
    }
    workspace = mkdtempSync(path.join(tmpdir(), 'sipflow-lsp-'));
    mkdirSync(path.join(workspace, 'globex'));
    writeFileSync(path.join(workspace, 'acme.sipflow'), EXAMPLE);
    writeFileSync(path.join(workspace, 'globex/queues.sipflow'), GLOBEX_QUEUES);
    // Never opened: its problems must still reach the Problems panel.
    mkdirSync(path.join(workspace, 'initech'));
    writeFileSync(path.join(workspace, 'initech/lines.sipflow'), EXAMPLE.replace('integration acme', 'integration initech').replace('did "+4535551234"', 'did "+45 3555"'));

    const started = startLspProcess(SERVER_BUNDLE, ['--stdio'], workspace, c => {
        diagnostics = new DiagnosticsRecorder(c);
    });
    server = started.process;
    serverStderr = started.stderr;
    exited.promise = started.exited;
    connection = started.connection;

    initializeResult = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).toString(),
        workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'workspace' }],
        capabilities: {
            textDocument: {
                synchronization: { didSave: true },
                completion: { completionItem: { snippetSupport: true } },
                hover: { contentFormat: ['markdown', 'plaintext'] },
                codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
                publishDiagnostics: { relatedInformation: true },
            },
            workspace: { workspaceFolders: true },
        },
    });
    await connection.sendNotification(InitializedNotification.type, {});
});

afterAll(async () => {
    if (server && server.exitCode === null) server.kill();
    connection?.dispose();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('language server over stdio', () => {
    it('initializes with the editor features the issue asks for', () => {
        const capabilities = initializeResult.capabilities;
        expect(capabilities.completionProvider?.triggerCharacters).toEqual([' ', ':']);
        expect(capabilities.completionProvider?.resolveProvider).toBe(true);
        expect(capabilities.hoverProvider).toBeTruthy();
        expect(capabilities.codeActionProvider).toBeTruthy();
        expect(capabilities.documentFormattingProvider).toBeTruthy();
        expect(capabilities.documentSymbolProvider).toBeTruthy();
        expect(capabilities.definitionProvider).toBeTruthy();
        expect(capabilities.referencesProvider).toBeTruthy();
        expect(capabilities.renameProvider).toBeTruthy();
        expect(capabilities.foldingRangeProvider).toBeTruthy();
        expect(capabilities.semanticTokensProvider).toBeTruthy();
    });

    it('publishes the diagnostics of files nobody opened, found in the workspace folder at start-up', async () => {
        const found = await diagnostics.next(uriOf('initech/lines.sipflow'), d => d.length > 0, 'any diagnostic', true);
        expect(found.map(d => ({ code: d.code, range: d.range }))).toEqual([
            { code: 'e164-invalid', range: rangeOf(EXAMPLE.replace('integration acme', 'integration initech').replace('did "+4535551234"', 'did "+45 3555"'), '"+45 3555"') },
        ]);
    });

    it('didOpen of the canonical example publishes no diagnostics', async () => {
        const published = diagnostics.next(uriOf('acme.sipflow'), () => true, 'any publication');
        await open('acme.sipflow', EXAMPLE);
        expect(await published).toEqual([]);
    });

    // globex/queues.sipflow is on disk and never opened: the server found it in the workspace folder.
    it('didOpen of a broken file publishes the expected codes, severities and ranges; queues of unopened files resolve', async () => {
        const queuesUsed = diagnostics.next(uriOf('globex/queues.sipflow'), d => d.length === 0, 'queue-unused gone');
        const published = diagnostics.next(uriOf('globex/support.sipflow'), () => true, 'any publication');
        await open('globex/support.sipflow', GLOBEX_BROKEN);
        const found = await published;
        expect(found.map(d => ({ code: d.code, severity: d.severity, range: d.range })).sort((a, b) => String(a.code).localeCompare(String(b.code)))).toEqual([
            { code: 'allowlist-missing', severity: 1, range: rangeOf(GLOBEX_BROKEN, 'dixa') },
            { code: 'e164-not-canonical', severity: 2, range: rangeOf(GLOBEX_BROKEN, '"+45 35 55 12 34"') },
            { code: 'timeout-range', severity: 1, range: rangeOf(GLOBEX_BROKEN, '2s') },
        ]);
        // No linking-error: `desk` resolved to the queue on disk. That file is revalidated too, without
        // queue-unused now that a department uses its queue.
        expect(await queuesUsed).toEqual([]);
    });

    it('completion proposes queues (also from other files), regions and keywords', async () => {
        const queues = await connection.sendRequest(CompletionRequest.type, {
            textDocument: { uri: uriOf('globex/support.sipflow') },
            position: after(GLOBEX_BROKEN, 'fallback '),
        });
        expect(completionLabels(queues)).toContain('desk');
        // A queue item's documentation comes on completionItem/resolve.
        const desk = (Array.isArray(queues) ? queues : (queues?.items ?? [])).find(item => item.label === 'desk')!;
        expect(desk.documentation).toBeUndefined();
        const resolved = await connection.sendRequest(CompletionResolveRequest.type, desk);
        expect(JSON.stringify(resolved.documentation)).toContain('**queue desk**: Dixa queue \\"Globex desk\\"');

        const regions = await connection.sendRequest(CompletionRequest.type, {
            textDocument: { uri: uriOf('acme.sipflow') },
            position: after(EXAMPLE, '    region '),
        });
        expect(completionLabels(regions)).toEqual(expect.arrayContaining(['global', 'us', 'eu']));

        const modes = await connection.sendRequest(CompletionRequest.type, {
            textDocument: { uri: uriOf('acme.sipflow') },
            position: after(EXAMPLE, '      mode '),
        });
        expect(completionLabels(modes)).toEqual(expect.arrayContaining(['warm', 'warm-with-context', 'cold']));

        // At the start of a new line in a department: the settings it may still take (not those already
        // written, except escalate, which may repeat).
        const keywords = await connection.sendRequest(CompletionRequest.type, {
            textDocument: { uri: uriOf('globex/support.sipflow') },
            position: rangeOf(GLOBEX_BROKEN, '    fallback desk').start,
        });
        const labels = completionLabels(keywords);
        expect(labels).toEqual(expect.arrayContaining(['flow', 'uui', 'escalate']));
        expect(labels).not.toContain('did');
    });

    it('hover on a department shows the SIP address Dixa dials; on a queue, the URI that reaches it', async () => {
        const department = await connection.sendRequest(HoverRequest.type, {
            textDocument: { uri: uriOf('acme.sipflow') },
            position: rangeOf(EXAMPLE, 'support {').start,
        });
        const departmentText = hoverText(department);
        expect(departmentText).toContain('+4535551234@sip.eu.synthflow.ai:32681');
        expect(departmentText).toContain('phone_number');
        expect(departmentText).toContain('sip:+4570101111@acme.sip.dixa.com');

        const queue = await connection.sendRequest(HoverRequest.type, {
            textDocument: { uri: uriOf('acme.sipflow') },
            position: rangeOf(EXAMPLE, 'tier1 {').start,
        });
        expect(hoverText(queue)).toContain('sip:+4570101111@acme.sip.dixa.com');

        const keyword = await connection.sendRequest(HoverRequest.type, {
            textDocument: { uri: uriOf('acme.sipflow') },
            position: rangeOf(EXAMPLE, 'fallback tier1').start,
        });
        expect(hoverText(keyword).length).toBeGreaterThan(10);
    });

    it('code actions canonicalise a DID and add the missing allowlist', async () => {
        const uri = uriOf('globex/support.sipflow');
        const current = await diagnostics.next(uri, hasCodes('allowlist-missing', 'e164-not-canonical', 'timeout-range'), 'the three problems', true);
        const actionsFor = async (code: string) => {
            const diagnostic = current.find(d => d.code === code)!;
            const actions = await connection.sendRequest(CodeActionRequest.type, {
                textDocument: { uri },
                range: diagnostic.range,
                context: { diagnostics: [diagnostic], only: ['quickfix'] },
            });
            return (actions ?? []).filter((a): a is CodeAction => !('command' in a && typeof (a as Command).command === 'string'));
        };

        const didFixes = await actionsFor('e164-not-canonical');
        expect(didFixes.map(a => a.title)).toContain('Write the DID as "+4535551234"');
        const didEdits = didFixes[0].edit?.changes?.[uri] ?? [];
        expect(applyEdits(GLOBEX_BROKEN, didEdits)).toBe(GLOBEX_BROKEN.replace('"+45 35 55 12 34"', '"+4535551234"'));

        const allowlistFixes = await actionsFor('allowlist-missing');
        expect(allowlistFixes.map(a => a.title)).toContain('Add "allowlist synthflow"');
        const fixed = applyEdits(GLOBEX_BROKEN, allowlistFixes[0].edit?.changes?.[uri] ?? []);
        expect(fixed).toMatch(/dixa \{\n\s+sip-domain "globex\.sip\.dixa\.com"\n\s+allowlist synthflow\n\s+\}/);
    });

    it('formatting messy text returns edits that produce canonical, stable text', async () => {
        const messy = EXAMPLE.replace(/^ +/gm, '').replace(/ \{$/gm, '   {').replace('timeout 30s', 'timeout    30s');
        const name = 'messy.sipflow';
        const published = diagnostics.next(uriOf(name), () => true, 'any publication');
        await open(name, messy);
        await published;
        const options = { tabSize: 2, insertSpaces: true };
        const edits = await connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: uriOf(name) }, options });
        expect(edits?.length ?? 0).toBeGreaterThan(0);
        const formatted = applyEdits(messy, edits ?? []);
        expect(formatted).toBe(EXAMPLE);

        // Idempotent: formatting the result changes nothing.
        const republished = diagnostics.next(uriOf(name), () => true, 'any publication');
        await change(name, formatted);
        await republished;
        const again = await connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: uriOf(name) }, options });
        expect(applyEdits(formatted, again ?? [])).toBe(formatted);
    });

    it('didChange publishes updated diagnostics', async () => {
        const name = 'globex/support.sipflow';
        const uri = uriOf(name);
        const repaired = GLOBEX_BROKEN.replace('"+45 35 55 12 34"', '"+4535551234"').replace(
            'sip-domain "globex.sip.dixa.com"',
            'sip-domain "globex.sip.dixa.com"\n    allowlist synthflow',
        );
        const onlyTimeout = diagnostics.next(uri, hasCodes('timeout-range'), 'only timeout-range');
        await change(name, repaired);
        expect((await onlyTimeout)[0].range).toEqual(rangeOf(repaired, '2s'));

        const clean = diagnostics.next(uri, d => d.length === 0, 'no diagnostics');
        await change(name, repaired.replace('timeout 2s', 'timeout 30s'));
        await clean;

        const broken = repaired.replace('timeout 2s', 'timeout 30s').replace('escalate desk\n  }', 'escalate desk\n  ');
        const parseError = diagnostics.next(uri, d => d.some(x => x.code === 'parse-error'), 'a parse-error');
        await change(name, broken);
        const found = await parseError;
        expect(found.every(d => d.range.end.line < broken.split('\n').length)).toBe(true);
    });

    it('shuts down and exits cleanly', async () => {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
        const code = await Promise.race([exited.promise, new Promise<string>(resolve => setTimeout(() => resolve('still running'), WAIT_MS))]);
        expect(code).toBe(0);
        // Nothing alarming on stderr (a crash or an unhandled error would show up here).
        expect(serverStderr()).not.toMatch(/Error|at .+:\d+:\d+/);
    });
});
