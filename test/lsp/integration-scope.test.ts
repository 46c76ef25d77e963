// The language server and the CLI agree on which files form an integration
// (src/language/references/integration-scope.ts): the bundled server (out/server.cjs) over stdio, on a
// workspace it loads recursively, publishes for every file exactly the diagnostics `sipflow validate`
// reports for it; an untitled pulled document and the live view of Compare with Live publish none (a
// view reports nothing; the untitled copy stands alone).
import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { URI } from 'langium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    DidOpenTextDocumentNotification,
    ExitNotification,
    InitializedNotification,
    InitializeRequest,
    PublishDiagnosticsNotification,
    ShutdownRequest,
    type Diagnostic,
    type ProtocolConnection,
} from 'vscode-languageserver-protocol';
import { startLspProcess } from '../support/lsp-stdio.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_BUNDLE = path.join(ROOT, 'out/server.cjs');
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const WAIT_MS = 20_000;

const SALES_DESK = '  queue sales_desk {\n    name "Phone – Sales"\n    did "+4570102222"\n    kind ring-group\n  }\n';
if (!EXAMPLE.includes(SALES_DESK)) throw new Error('the example no longer declares sales_desk as this test expects');
const DEPARTMENTS = EXAMPLE.replace(SALES_DESK, '');
const QUEUES = `integration acme {\n${SALES_DESK}}\n`;
const CLASHING = 'integration acme {\n  queue overflow {\n    name "Phone – Overflow"\n    did "+4570101111"\n  }\n}\n';
const PULLED = `// sipflow pull: live state of integration acme, read from Dixa and Synthflow.\n${EXAMPLE}`;

/** relative path → text: the cases of test/cli/integration-scope.test.ts, side by side in one workspace. */
const FILES: Record<string, string> = {
    'clash/a.sipflow': EXAMPLE,
    'clash/b.sipflow': CLASHING,
    'split/departments.sipflow': DEPARTMENTS,
    'split/queues.sipflow': QUEUES,
    'subfolder/departments.sipflow': DEPARTMENTS,
    'subfolder/more/queues.sipflow': QUEUES,
    'pulled/acme.sipflow': EXAMPLE,
    'pulled/pulled.sipflow': PULLED,
};

interface Essential {
    readonly code: string;
    readonly severity: number;
    readonly line: number;
    readonly character: number;
}

const SEVERITIES: Record<string, number> = { error: 1, warning: 2, info: 3, hint: 4 };
const byPosition = (a: Essential, b: Essential) => a.line - b.line || a.character - b.character || a.code.localeCompare(b.code);
const essentials = (diagnostics: readonly Diagnostic[]): Essential[] =>
    diagnostics.map(d => ({ code: String(d.code), severity: d.severity ?? 1, line: d.range.start.line, character: d.range.start.character })).sort(byPosition);

let workspace: string;
let server: ChildProcessWithoutNullStreams;
let connection: ProtocolConnection;
const latest = new Map<string, Diagnostic[]>();
let waiters: Array<() => boolean> = [];

/** Resolves once `accept` holds for the latest publication for `uri` (checked on each publication). */
function published(uri: string, accept: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
        const check = () => {
            const current = latest.get(uri);
            if (current === undefined || !accept(current)) return false;
            clearTimeout(timer);
            resolve(current);
            return true;
        };
        const timer = setTimeout(() => reject(new Error(`${what}: not published within ${WAIT_MS} ms; last: ${JSON.stringify(latest.get(uri)?.map(d => d.code))}`)), WAIT_MS);
        if (!check()) waiters.push(check);
    });
}

/** What `sipflow validate --format json .` reports, per file: the CLI's side of the comparison. */
function cliDiagnostics(): Map<string, Essential[]> {
    const result = spawnSync(process.execPath, [CLI_BIN, 'validate', '--format', 'json', '.'], { cwd: workspace, encoding: 'utf8', timeout: 60_000 });
    const reported = JSON.parse(result.stdout) as Array<{ file: string; code: string; severity: string; range: { start: { line: number; character: number } } }>;
    const perFile = new Map<string, Essential[]>(Object.keys(FILES).map(file => [file, []]));
    for (const d of reported) {
        perFile.get(d.file.split(path.sep).join('/'))?.push({ code: d.code, severity: SEVERITIES[d.severity], line: d.range.start.line, character: d.range.start.character });
    }
    for (const list of perFile.values()) list.sort(byPosition);
    return perFile;
}

beforeAll(async () => {
    if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run "npm run build" first.`);
    workspace = mkdtempSync(path.join(tmpdir(), 'sipflow-lsp-scope-'));
    for (const [relative, text] of Object.entries(FILES)) {
        mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
        writeFileSync(path.join(workspace, relative), text);
    }
    const started = startLspProcess(SERVER_BUNDLE, ['--stdio'], workspace, c =>
        c.onNotification(PublishDiagnosticsNotification.type, params => {
            latest.set(params.uri, params.diagnostics);
            waiters = waiters.filter(check => !check());
        }),
    );
    server = started.process;
    connection = started.connection;
    await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).toString(),
        workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'workspace' }],
        capabilities: { workspace: { workspaceFolders: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
});

afterAll(async () => {
    if (connection && server?.exitCode === null) {
        await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
        await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    }
    if (server && server.exitCode === null) server.kill();
    connection?.dispose();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('the language server agrees with sipflow validate on which files form an integration', () => {
    it('publishes for every file what the CLI reports for it', async () => {
        const expected = cliDiagnostics();
        // The cases really differ (so that agreeing means something): a clash, a clean split, a subfolder, a pulled copy.
        expect(
            expected
                .get('clash/b.sipflow')
                ?.filter(d => d.severity === 1)
                .map(d => d.code),
        ).toEqual(['did-duplicate']);
        expect(expected.get('split/departments.sipflow')).toEqual([]);
        expect(expected.get('subfolder/departments.sipflow')?.map(d => d.code)).toEqual(['linking-error', 'linking-error']);
        expect(expected.get('pulled/acme.sipflow')).toEqual([]);
        expect(expected.get('pulled/pulled.sipflow')).toEqual([]);
        for (const [file, diagnostics] of expected) {
            const uri = pathToFileURL(path.join(workspace, file)).toString();
            const want = JSON.stringify(diagnostics);
            const got = await published(uri, d => JSON.stringify(essentials(d)) === want, `${file} with ${want}`);
            expect(essentials(got)).toEqual(diagnostics);
        }
    });

    it('an untitled pulled document and the live side of Compare with Live publish no diagnostics', async () => {
        const untitled = 'untitled:Untitled-1';
        // As VS Code sends it: its own URI string form (the server publishes under the same form).
        const live = URI.from({
            scheme: 'sipflow-view',
            path: '/live/acme (live).sipflow',
            query: pathToFileURL(path.join(workspace, 'pulled/acme.sipflow')).toString(),
        }).toString();
        // The live view: even without the marker it stands alone, being a view, and it reports nothing
        // (here a department without a fallback, a warning anywhere else).
        const liveText = EXAMPLE.replace('    fallback tier1\n', '');
        expect(liveText).not.toBe(EXAMPLE);
        await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: live, languageId: 'sipflow', version: 1, text: liveText } });
        await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: untitled, languageId: 'sipflow', version: 1, text: PULLED } });
        expect(await published(live, () => true, 'the live view')).toEqual([]);
        expect(await published(untitled, () => true, 'the untitled document')).toEqual([]);
        // Opening them changed nothing for the files on disk.
        expect(await published(pathToFileURL(path.join(workspace, 'pulled/acme.sipflow')).toString(), d => d.length === 0, 'pulled/acme.sipflow clean')).toEqual([]);
    });
});
