// `sipflow lsp` as Neovim, Helix and Emacs eglot start it: the installed CLI (bin/sipflow.cjs, built by
// `npm test`) spawned over stdio, initialized with the capabilities each editor sends, and driven as it
// drives a server. The commands spawned are the ones the README's "Other editors" snippets configure.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
    CodeActionRequest,
    CompletionRequest,
    DidOpenTextDocumentNotification,
    ExitNotification,
    InitializedNotification,
    ConfigurationRequest,
    InitializeRequest,
    RegistrationRequest,
    PublishDiagnosticsNotification,
    SemanticTokensRequest,
    ShutdownRequest,
    type ClientCapabilities,
    type CodeAction,
    type CompletionItem,
    type CompletionList,
    type Diagnostic,
    type InitializeParams,
    type InitializeResult,
    type InsertReplaceEdit,
    type TextEdit,
} from 'vscode-languageserver-protocol';
import { startLspProcess, type LspProcess } from '../support/lsp-stdio.js';
import { TextDocument } from 'vscode-languageserver-textdocument';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'bin/sipflow.cjs');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** How long to wait for any one server message before failing with a readable error. */
const WAIT_MS = 20_000;

/** Queues of integration globex, in their own file next to the department file; never opened. */
const QUEUES = `integration globex {
  queue desk {
    name "Globex – Kundeservice"
    did "+4570109999"
  }
}
`;

/** A department file that uses the queue of the sibling file; its DID is written with spaces after non-ASCII text. */
const SUPPORT = `integration globex {
  dixa {
    sip-domain "globex.sip.dixa.com"
    allowlist synthflow
  }
  synthflow {
    region eu
    workspace "ws_globex"
    trunk-auth credentials { username env:GLOBEX_SIP_USER password env:GLOBEX_SIP_PASS }
  }
  department support {
    flow "Kø – Støtte"  did "+45 35 55 12 34"
    assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"
    fallback desk
    escalate desk
  }
}
`;

/** Capabilities every client below shares: the text document features they all implement. */
const COMMON_TEXT_DOCUMENT: ClientCapabilities['textDocument'] = {
    synchronization: { dynamicRegistration: false, didSave: true },
    hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
    codeAction: { dynamicRegistration: false, codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor'] } } },
    publishDiagnostics: { relatedInformation: true },
    formatting: { dynamicRegistration: false },
    rename: { dynamicRegistration: false, prepareSupport: true },
};

interface EditorProfile {
    /** The command line the README's snippet for this editor configures. */
    readonly snippetCommand: readonly string[];
    /** A text the README's snippet for this editor contains (so the snippet and the test cannot drift apart). */
    readonly snippetMarker: string;
    readonly initialize: (folder: string) => Omit<InitializeParams, 'processId'>;
}

/**
 * What each editor sends in `initialize`, from their sources (Neovim runtime/lua/vim/lsp/protocol.lua 0.7 and 0.10,
 * Helix helix-lsp/src/client.rs, eglot.el `eglot-client-capabilities`), reduced to what matters here.
 */
const EDITORS: Readonly<Record<'neovim' | 'helix' | 'eglot', EditorProfile>> = {
    // Neovim with root_dir set to the file's folder: one workspace folder, nothing registered dynamically,
    // UTF-16 positions offered (0.10 also offers utf-8/utf-32 first).
    neovim: {
        snippetCommand: ['sipflow', 'lsp'],
        snippetMarker: "cmd = { 'sipflow', 'lsp' }",
        initialize: folder => ({
            rootUri: pathToFileURL(folder).toString(),
            workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: folder }],
            clientInfo: { name: 'Neovim', version: '0.10.0' },
            capabilities: {
                general: { positionEncodings: ['utf-8', 'utf-16', 'utf-32'] },
                workspace: { configuration: true, workspaceFolders: true, applyEdit: true, didChangeConfiguration: { dynamicRegistration: false } },
                textDocument: {
                    ...COMMON_TEXT_DOCUMENT,
                    completion: { dynamicRegistration: false, completionItem: { snippetSupport: false } },
                    semanticTokens: {
                        dynamicRegistration: false,
                        requests: { full: { delta: true }, range: false },
                        tokenTypes: ['namespace', 'type', 'class', 'enumMember', 'variable', 'keyword', 'string', 'comment', 'number', 'property'],
                        tokenModifiers: ['declaration', 'readonly'],
                        formats: ['relative'],
                        multilineTokenSupport: false,
                        overlappingTokenSupport: true,
                    },
                },
            },
        }),
    },
    // Helix on a file with no root marker: no workspace folders, no root; insert/replace completion edits;
    // file watching offered for dynamic registration; UTF-8 offered first.
    helix: {
        snippetCommand: ['sipflow', 'lsp'],
        snippetMarker: 'command = "sipflow"\nargs = ["lsp"]',
        initialize: () => ({
            rootUri: null,
            workspaceFolders: null,
            clientInfo: { name: 'helix', version: '24.7' },
            capabilities: {
                general: { positionEncodings: ['utf-8', 'utf-32', 'utf-16'] },
                workspace: {
                    configuration: true,
                    workspaceFolders: true,
                    applyEdit: true,
                    didChangeConfiguration: { dynamicRegistration: false },
                    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: false },
                },
                textDocument: {
                    ...COMMON_TEXT_DOCUMENT,
                    completion: { completionItem: { snippetSupport: true, insertReplaceSupport: true, resolveSupport: { properties: ['documentation', 'detail'] } } },
                },
            },
        }),
    },
    // eglot on a single file outside any project: no workspace folders; `workspace/configuration` answered but
    // no dynamic registration for it; file watching registered dynamically.
    eglot: {
        snippetCommand: ['sipflow', 'lsp'],
        snippetMarker: '("sipflow" "lsp")',
        initialize: () => ({
            rootUri: null,
            clientInfo: { name: 'Eglot', version: '1.17' },
            capabilities: {
                general: { positionEncodings: ['utf-32', 'utf-8', 'utf-16'] },
                workspace: {
                    applyEdit: true,
                    executeCommand: { dynamicRegistration: false },
                    workspaceEdit: { documentChanges: true },
                    didChangeWatchedFiles: { dynamicRegistration: true },
                    symbol: { dynamicRegistration: false },
                    configuration: true,
                    workspaceFolders: true,
                },
                textDocument: {
                    ...COMMON_TEXT_DOCUMENT,
                    synchronization: { dynamicRegistration: false, willSave: true, willSaveWaitUntil: true, didSave: true },
                    completion: {
                        dynamicRegistration: false,
                        completionItem: { snippetSupport: true, deprecatedSupport: true, tagSupport: { valueSet: [1] } },
                        contextSupport: true,
                    },
                },
            },
        }),
    },
};

/** One editor's session with `sipflow lsp`: what it received, and helpers to drive it. */
class EditorSession {
    private readonly diagnostics = new Map<string, Diagnostic[]>();
    private waiters: Array<{ uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
    initializeResult!: InitializeResult;

    private constructor(private readonly server: LspProcess) {}

    get process() {
        return this.server.process;
    }
    get connection() {
        return this.server.connection;
    }
    get exited() {
        return this.server.exited;
    }
    get stderr() {
        return this.server.stderr();
    }
    get serverRequests() {
        return this.server.serverRequests;
    }
    get registrations() {
        return this.server.registrations;
    }

    private record(uri: string, diagnostics: Diagnostic[]): void {
        this.diagnostics.set(uri, diagnostics);
        this.waiters = this.waiters.filter(waiter => {
            if (waiter.uri !== uri || !waiter.accept(diagnostics)) return true;
            waiter.resolve(diagnostics);
            return false;
        });
    }

    /** Spawns `command` as the editor does (resolving `sipflow` to this repository's CLI) and initializes it. */
    static async start(command: readonly string[], params: Omit<InitializeParams, 'processId'>, cwd: string): Promise<EditorSession> {
        expect(command[0]).toBe('sipflow');
        if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
        // Messages arrive only after this function's synchronous part, by which time the box holds the session.
        const box: { session?: EditorSession } = {};
        const server = startLspProcess(CLI, command.slice(1), cwd, connection =>
            connection.onNotification(PublishDiagnosticsNotification.type, params => box.session?.record(params.uri, params.diagnostics)),
        );
        const session = new EditorSession(server);
        box.session = session;
        session.initializeResult = await server.connection.sendRequest(InitializeRequest.type, { processId: process.pid, ...params });
        await server.connection.sendNotification(InitializedNotification.type, {});
        return session;
    }

    async open(file: string, text: string): Promise<string> {
        const uri = pathToFileURL(file).toString();
        await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sipflow', version: 1, text } });
        return uri;
    }

    /** The next diagnostics for `uri` that `accept` (or the last ones, if they already do). */
    diagnosticsFor(uri: string, accept: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
        const current = this.diagnostics.get(uri);
        if (current && accept(current)) return Promise.resolve(current);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`no diagnostics for ${path.basename(uri)} with ${what} within ${WAIT_MS} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}`)),
                WAIT_MS,
            );
            this.waiters.push({
                uri,
                accept,
                resolve: d => {
                    clearTimeout(timer);
                    resolve(d);
                },
            });
        });
    }

    /** Shuts down as an editor does on quit; resolves with the exit code. */
    async stop(): Promise<number | null> {
        if (this.process.exitCode !== null) return this.process.exitCode;
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
        const code = await Promise.race([this.exited, new Promise<string>(resolve => setTimeout(() => resolve('still running'), WAIT_MS))]);
        this.connection.dispose();
        return code as number | null;
    }
}

const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map(d => String(d.code)).sort();
const items = (result: CompletionItem[] | CompletionList | null) => (Array.isArray(result) ? result : (result?.items ?? []));
const applyEdits = (text: string, edits: readonly TextEdit[]) => TextDocument.applyEdits(TextDocument.create('file:///x', 'sipflow', 0, text), [...edits]);
const positionAfter = (text: string, search: string) => TextDocument.create('file:///x', 'sipflow', 0, text).positionAt(text.indexOf(search) + search.length);

/** A folder with the two files of globex; `bom` writes the queue file with a UTF-8 byte order mark. */
function integrationFolder(options: { bom?: boolean; queues?: string } = {}): string {
    const folder = mkdtempSync(path.join(tmpdir(), 'sipflow-editor-'));
    writeFileSync(path.join(folder, 'queues.sipflow'), `${options.bom ? '\uFEFF' : ''}${options.queues ?? QUEUES}`);
    return folder;
}

const folders: string[] = [];
let session: EditorSession | undefined;
afterEach(async () => {
    // Every test stops its server; one that failed midway is stopped here.
    if (session && session.process.exitCode === null) session.process.kill();
    session = undefined;
});
afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function startEditor(name: keyof typeof EDITORS, folder: string): Promise<EditorSession> {
    folders.push(folder);
    const editor = EDITORS[name];
    session = await EditorSession.start(editor.snippetCommand, editor.initialize(folder), folder);
    return session;
}

describe('the README snippets start the server these tests spawn', () => {
    const section = README.slice(README.indexOf('## Other editors'), README.indexOf('\n## ', README.indexOf('## Other editors') + 1));

    it.each(Object.entries(EDITORS))('%s', (_name, editor) => {
        expect(section.length).toBeGreaterThan(0);
        expect(section).toContain(editor.snippetMarker);
    });
});

describe('sipflow lsp', () => {
    it('initializes with serverInfo, UTF-16 positions and the editor features', async () => {
        const editor = await startEditor('neovim', integrationFolder());
        const { serverInfo, capabilities } = editor.initializeResult;
        expect(serverInfo).toEqual({ name: 'sipflow', version: PACKAGE_VERSION });
        expect(capabilities.positionEncoding).toBe('utf-16');
        expect(capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
        for (const provider of [
            'completionProvider',
            'hoverProvider',
            'codeActionProvider',
            'documentFormattingProvider',
            'definitionProvider',
            'referencesProvider',
            'renameProvider',
            'documentSymbolProvider',
            'foldingRangeProvider',
        ] as const) {
            expect(capabilities[provider], provider).toBeTruthy();
        }
        expect(capabilities.semanticTokensProvider?.legend.tokenTypes).toEqual(expect.arrayContaining(['keyword', 'string', 'comment', 'number', 'type']));
        expect(await editor.stop()).toBe(0);
        expect(editor.stderr).toBe('');
        // The CLI bundle loads the server bundle on demand instead of containing it: other commands do not pay for it.
        expect(readFileSync(path.join(ROOT, 'out/cli.cjs'), 'utf8')).not.toContain('function startSipflowLanguageServer(');
    });

    it('exits when the editor closes its end of the pipe without shutting down', async () => {
        const editor = await startEditor('neovim', integrationFolder());
        editor.process.stdin.end();
        expect(await editor.exited).not.toBeNull();
    });
});

describe('Neovim', () => {
    it('registers nothing with a client that offers no dynamic registration', async () => {
        const folder = integrationFolder();
        const editor = await startEditor('neovim', folder);
        const uri = await editor.open(path.join(folder, 'support.sipflow'), SUPPORT);
        // By the time the file's diagnostics arrive, the server has sent whatever it sends after `initialized`.
        await editor.diagnosticsFor(uri, () => true, 'any publication');
        expect(editor.serverRequests).not.toContain(RegistrationRequest.method);
        expect(await editor.stop()).toBe(0);
    });

    it('a quick fix on a line with non-ASCII text is right although Neovim echoes the range in byte columns', async () => {
        const folder = integrationFolder();
        const editor = await startEditor('neovim', folder);
        const uri = await editor.open(path.join(folder, 'support.sipflow'), SUPPORT);
        const published = await editor.diagnosticsFor(uri, d => codes(d).includes('e164-not-canonical'), 'e164-not-canonical');
        const diagnostic = published.find(d => d.code === 'e164-not-canonical')!;
        const line = SUPPORT.split('\n')[diagnostic.range.start.line];
        const bytes = (character: number) => Buffer.byteLength(line.slice(0, character), 'utf8');
        const echoed: Diagnostic = {
            ...diagnostic,
            range: {
                start: { ...diagnostic.range.start, character: bytes(diagnostic.range.start.character) },
                end: { ...diagnostic.range.end, character: bytes(diagnostic.range.end.character) },
            },
        };
        expect(echoed.range).not.toEqual(diagnostic.range);
        const actions = (await editor.connection.sendRequest(CodeActionRequest.type, {
            textDocument: { uri },
            range: echoed.range,
            context: { diagnostics: [echoed], only: ['quickfix'] },
        })) as CodeAction[];
        const fix = actions.find(a => a.title === 'Write the DID as "+4535551234"');
        expect(fix).toBeDefined();
        expect(applyEdits(SUPPORT, fix!.edit!.changes![uri])).toBe(SUPPORT.replace('"+45 35 55 12 34"', '"+4535551234"'));
        expect(await editor.stop()).toBe(0);
    });

    it('semantic tokens colour keywords, strings, comments and numbers, not only names', async () => {
        const folder = integrationFolder();
        const editor = await startEditor('neovim', folder);
        const text = `// globex support\n${SUPPORT}`;
        const uri = await editor.open(path.join(folder, 'support.sipflow'), text);
        await editor.diagnosticsFor(uri, () => true, 'any publication');
        const tokens = await editor.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
        const legend = editor.initializeResult.capabilities.semanticTokensProvider!.legend.tokenTypes;
        const document = TextDocument.create(uri, 'sipflow', 1, text);
        const decoded: Array<[string, string]> = [];
        let line = 0;
        let character = 0;
        for (let i = 0; i < (tokens?.data.length ?? 0); i += 5) {
            const [deltaLine, deltaStart, length, type] = tokens!.data.slice(i, i + 4);
            line += deltaLine;
            character = deltaLine === 0 ? character + deltaStart : deltaStart;
            const start = document.offsetAt({ line, character });
            decoded.push([text.slice(start, start + length), legend[type]]);
        }
        expect(decoded).toEqual(
            expect.arrayContaining([
                ['// globex support', 'comment'],
                ['integration', 'keyword'],
                ['globex', 'namespace'],
                ['"globex.sip.dixa.com"', 'string'],
                ['"Kø – Støtte"', 'string'],
                ['"+45 35 55 12 34"', 'number'],
                ['department', 'keyword'],
                ['support', 'class'],
                ['desk', 'type'],
            ]),
        );
        expect(await editor.stop()).toBe(0);
    });
});

describe('Helix (no workspace folder)', () => {
    it('finds the queues of the sibling file: no false linking-error', async () => {
        const folder = integrationFolder();
        const editor = await startEditor('helix', folder);
        const supportUri = await editor.open(path.join(folder, 'support.sipflow'), SUPPORT);
        const queuesUri = pathToFileURL(path.join(folder, 'queues.sipflow')).toString();
        const published = await editor.diagnosticsFor(supportUri, d => codes(d).includes('e164-not-canonical'), 'the validation result');
        expect(codes(published)).toEqual(['e164-not-canonical']);
        // The sibling is validated as part of the integration too: its queue is used, so no queue-unused.
        expect(await editor.diagnosticsFor(queuesUri, d => d.length === 0, 'no diagnostics')).toEqual([]);
        expect(await editor.stop()).toBe(0);
    });

    it('env: completion replaces the whole env: token, in insert and in replace mode', async () => {
        const folder = integrationFolder();
        const editor = await startEditor('helix', folder);
        // The cursor in the middle of the reference: env:DIXA|_SIP_PA
        const typing = SUPPORT.replace('password env:GLOBEX_SIP_PASS', 'password env:DIXA_SIP_PA');
        const uri = await editor.open(path.join(folder, 'support.sipflow'), typing);
        await editor.diagnosticsFor(uri, () => true, 'any publication');
        const result = await editor.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAfter(typing, 'password env:DIXA') });
        const suggested = items(result).find(item => item.label === 'env:DIXA_SIP_PASSWORD');
        expect(suggested, JSON.stringify(items(result).map(item => item.label))).toBeDefined();
        const edit = suggested!.textEdit as TextEdit | InsertReplaceEdit;
        const ranges = 'range' in edit ? [edit.range] : [edit.insert, edit.replace];
        for (const range of ranges) {
            const completed = applyEdits(typing, [{ range, newText: edit.newText }]);
            expect(completed).toContain('password env:DIXA_SIP_PASSWORD }');
            expect(completed).not.toContain('env:env:');
        }
        // Only the names that match what is typed.
        expect(items(result).map(item => item.label)).not.toContain('env:GLOBEX_SIP_USER');
        expect(await editor.stop()).toBe(0);
    });

    it('registers the file watcher it was offered, for .sipflow files only, and nothing else', async () => {
        const folder = integrationFolder();
        const editor = await startEditor('helix', folder);
        const uri = await editor.open(path.join(folder, 'support.sipflow'), SUPPORT);
        await editor.diagnosticsFor(uri, () => true, 'any publication');
        expect(editor.registrations.map(r => [r.method, r.registerOptions])).toEqual([['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/*.sipflow' }] }]]);
        expect(await editor.stop()).toBe(0);
    });
});

describe('Emacs eglot (single file, no workspace folder)', () => {
    it('does not register didChangeConfiguration, which eglot did not offer, but still asks for the configuration', async () => {
        const folder = integrationFolder();
        const editor = await startEditor('eglot', folder);
        const uri = await editor.open(path.join(folder, 'support.sipflow'), SUPPORT);
        await editor.diagnosticsFor(uri, () => true, 'any publication');
        expect(editor.registrations.map(r => r.method)).toEqual(['workspace/didChangeWatchedFiles']);
        expect(editor.serverRequests).toContain(ConfigurationRequest.method);
        expect(await editor.stop()).toBe(0);
    });

    it('reports the columns of a sibling file saved with a UTF-8 byte order mark as the editor shows them', async () => {
        // A one-line queue file with an invalid DID on line 1, where the byte order mark would shift the columns.
        const queues = 'integration globex { queue desk { did "+45 70" } }\n';
        const folder = integrationFolder({ bom: true, queues });
        const editor = await startEditor('eglot', folder);
        await editor.open(path.join(folder, 'support.sipflow'), SUPPORT);
        const queuesUri = pathToFileURL(path.join(folder, 'queues.sipflow')).toString();
        const published = await editor.diagnosticsFor(queuesUri, d => codes(d).includes('e164-invalid'), 'e164-invalid');
        const start = queues.indexOf('"+45 70"');
        expect(published.find(d => d.code === 'e164-invalid')!.range).toEqual({ start: { line: 0, character: start }, end: { line: 0, character: start + '"+45 70"'.length } });
        expect(await editor.stop()).toBe(0);
    });
});

// A folder inside a workspace folder is scanned at start-up, not again on open: one load per file.
describe('a file inside the workspace folder', () => {
    it('resolves queues from a nested sibling folder scanned at start-up', async () => {
        const folder = mkdtempSync(path.join(tmpdir(), 'sipflow-editor-'));
        mkdirSync(path.join(folder, 'globex'));
        writeFileSync(path.join(folder, 'globex/queues.sipflow'), QUEUES);
        const editor = await startEditor('neovim', folder);
        const uri = await editor.open(path.join(folder, 'globex/support.sipflow'), SUPPORT);
        expect(codes(await editor.diagnosticsFor(uri, d => codes(d).includes('e164-not-canonical'), 'the validation result'))).toEqual(['e164-not-canonical']);
        expect(await editor.stop()).toBe(0);
    });
});
