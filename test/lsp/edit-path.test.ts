// The edit path over a real LSP connection (JSON-RPC over a pair of in-process streams, the services the
// server bundle starts): a burst of didChange is built on its latest text, a request sent right after a
// change is answered from the new text, and completion and hover do not wait for validation. In process
// so that a test can hold one validation open (a check that waits for the test) and assert the order.
import { PassThrough } from 'node:stream';
import { EmptyFileSystem, type AstNode, type Cancellation, type LangiumDocument } from 'langium';
import { afterEach, describe, expect, it } from 'vitest';
import {
    CompletionRequest,
    DidChangeTextDocumentNotification,
    DidOpenTextDocumentNotification,
    HoverRequest,
    InitializedNotification,
    InitializeRequest,
    PublishDiagnosticsNotification,
    type CompletionItem,
    type CompletionList,
    type Diagnostic,
    type ProtocolConnection,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isDepartment } from '../../src/language/generated/ast.js';
import { startSipflowLanguageServerHandlers } from '../../src/language/lsp/sipflow-language-server.js';
import { SipflowLinker } from '../../src/language/references/sipflow-linker.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE, validate } from '../language/helpers.js';

const URI_OF_FILE = 'file:///edit-path/acme.sipflow';
/** Breaks a deadlock (a request that waits for a held validation) so that the test fails on the order instead of hanging. */
const DEADLOCK_BREAKER_MS = 15_000;

interface Session {
    client: ProtocolConnection;
    /** Every publishDiagnostics for the file, in arrival order, with what happened before it (see `events`). */
    published: Diagnostic[][];
    /** What happened, in order: `validation held`, `completion`, `hover`, `validation released`, `diagnostics`. */
    events: string[];
    /** Holds the validation of department `slow` until `release` (only while `hold` is set). */
    gate: { hold: boolean; entered?: () => void; release?: () => void };
    /** Holds the next link of the file until `release` (only while `hold` is set). */
    linkGate: { hold: boolean; entered?: () => void; release?: () => void };
    version: number;
    change(text: string): Promise<void>;
}

const sessions: Session[] = [];

async function startSession(initial: string): Promise<Session> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const gate: Session['gate'] = { hold: false };
    const linkGate: Session['linkGate'] = { hold: false };
    const events: string[] = [];
    // The services' own linker, waiting first while the test holds linkGate.
    class HeldLinker extends SipflowLinker {
        override async link(document: LangiumDocument, cancelToken?: Cancellation.CancellationToken): Promise<void> {
            if (linkGate.hold) {
                events.push('linking held');
                await new Promise<void>(resolve => {
                    linkGate.release = () => {
                        events.push('linking released');
                        linkGate.hold = false;
                        resolve();
                    };
                    linkGate.entered?.();
                });
            }
            return super.link(document, cancelToken);
        }
    }
    const { shared, Sipflow } = createSipflowServices(
        { connection, ...EmptyFileSystem },
        {
            // createSipflowServices takes a module (factories), typed as the services it makes.
            references: { Linker: ((services: ConstructorParameters<typeof SipflowLinker>[0]) => new HeldLinker(services)) as unknown as SipflowLinker },
        },
    );
    const session: Session = {
        client: createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)),
        published: [],
        events,
        gate,
        linkGate,
        version: 1,
        async change(text: string) {
            await session.client.sendNotification(DidChangeTextDocumentNotification.type, {
                textDocument: { uri: URI_OF_FILE, version: ++session.version },
                contentChanges: [{ text }],
            });
        },
    };
    // A check that, while the test holds the gate, waits in the middle of validating department slow.
    Sipflow.validation.ValidationRegistry.register({
        Department: async (node: AstNode) => {
            if (!isDepartment(node) || node.name !== 'slow' || !gate.hold) return;
            session.events.push('validation held');
            await new Promise<void>(resolve => {
                gate.release = () => {
                    session.events.push('validation released');
                    gate.hold = false;
                    resolve();
                };
                gate.entered?.();
            });
        },
    });
    startSipflowLanguageServerHandlers(shared);
    session.client.onNotification(PublishDiagnosticsNotification.type, params => {
        if (params.uri !== URI_OF_FILE) return;
        session.events.push('diagnostics');
        session.published.push(params.diagnostics);
    });
    session.client.listen();
    await session.client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, workspaceFolders: null });
    await session.client.sendNotification(InitializedNotification.type, {});
    await session.client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI_OF_FILE, languageId: 'sipflow', version: 1, text: initial } });
    sessions.push(session);
    return session;
}

afterEach(() => {
    for (const session of sessions.splice(0)) {
        session.gate.release?.();
        session.linkGate.release?.();
        session.client.dispose();
    }
});

/** Resolves when `accept` holds for a publication (already made, or the next ones). */
function publishedSuch(session: Session, accept: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
            const found = session.published.find(accept);
            if (found) return resolve(found);
            if (Date.now() - started > DEADLOCK_BREAKER_MS)
                return reject(new Error(`no diagnostics with ${what}; published ${JSON.stringify(session.published.map(d => d.map(x => x.code)))}`));
            setTimeout(poll, 5);
        };
        poll();
    });
}

const labels = (result: CompletionItem[] | CompletionList | null) => (Array.isArray(result) ? result : (result?.items ?? [])).map(item => item.label);
const positionAfter = (text: string, search: string) => {
    const offset = text.indexOf(search);
    if (offset < 0) throw new Error(`"${search}" is not in the text`);
    return TextDocument.create(URI_OF_FILE, 'sipflow', 0, text).positionAt(offset + search.length);
};
const sameDiagnostics = (expected: readonly Diagnostic[]) => (diagnostics: readonly Diagnostic[]) => JSON.stringify(diagnostics) === JSON.stringify(expected);
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The example with its support department's timeout typed as `digits` (`timeout 3` … `timeout 30s`). */
const withTimeout = (written: string) => EXAMPLE.replace('timeout 30s', `timeout ${written}`);

describe('the edit path over LSP', () => {
    it('builds a burst of changes on its latest text: the last diagnostics equal a fresh validation of it', async () => {
        const session = await startSession(EXAMPLE);
        await publishedSuch(session, diagnostics => diagnostics.length === 0, 'the example clean');
        const opened = session.published.length;
        // 20 keystrokes: the timeout retyped as 1, 12, 123, …, ending at a value out of range.
        const typed = Array.from({ length: 20 }, (_, i) => withTimeout(`${'1234567890'.repeat(2).slice(0, i + 1)}s`));
        for (const text of typed) {
            await session.change(text);
            await sleep(10);
        }
        const final = typed[typed.length - 1];
        const expected = (await validate(final)).diagnostics;
        expect(expected.map(d => d.code)).toEqual(['timeout-range']);
        await publishedSuch(session, sameDiagnostics(expected), "the final version's");
        await sleep(300); // nothing older may be published after it
        expect(session.published[session.published.length - 1]).toEqual(expected);
        // Coalesced: fewer builds than changes.
        expect(session.published.length - opened).toBeLessThan(typed.length);
    }, 60_000);

    it('answers a completion sent right after a change from the new text, not from the AST of the old', async () => {
        const slow = EXAMPLE.replace('department sales {', 'department slow {');
        const session = await startSession(slow);
        await publishedSuch(session, diagnostics => diagnostics.length === 0, 'the file clean');
        const held = new Promise<void>(resolve => (session.gate.entered = resolve));
        session.gate.hold = true;
        // The first change's validation is held; the second declares a queue; a completion then needs the second.
        await session.change(slow.replace('department slow {\n    flow "Sales DK"', 'department slow {\n    flow "Sales DK2"'));
        await held;
        const withQueue = slow.replace('  department support {', '  queue zed_desk {\n    name "Zed"\n    did "+4570103333"\n  }\n\n  department support {');
        await session.change(withQueue);
        const completion = session.client.sendRequest(CompletionRequest.type, { textDocument: { uri: URI_OF_FILE }, position: positionAfter(withQueue, 'fallback ') });
        // Give a completion from the old AST every chance to answer first; then let the superseded build end.
        await sleep(300);
        session.gate.release?.();
        expect(labels(await completion)).toContain('zed_desk');
    }, 60_000);

    it('answers completion and hover while a validation is still running', async () => {
        const slow = EXAMPLE.replace('department sales {', 'department slow {');
        const session = await startSession(slow);
        await publishedSuch(session, diagnostics => diagnostics.length === 0, 'the file clean');
        const held = new Promise<void>(resolve => (session.gate.entered = resolve));
        session.gate.hold = true;
        // An edit in department slow: its checks run again, and the gate holds them.
        const edited = slow.replace('department slow {\n    flow "Sales DK"', 'department slow {\n    flow "Sales DK2"');
        await session.change(edited);
        await held;
        const breaker = setTimeout(() => session.gate.release?.(), DEADLOCK_BREAKER_MS);
        const completion = await session.client.sendRequest(CompletionRequest.type, { textDocument: { uri: URI_OF_FILE }, position: positionAfter(edited, 'fallback ') });
        session.events.push('completion');
        const hover = await session.client.sendRequest(HoverRequest.type, { textDocument: { uri: URI_OF_FILE }, position: positionAfter(edited, '    fallb') });
        session.events.push('hover');
        clearTimeout(breaker);
        const before = session.published.length;
        session.gate.release?.();
        await publishedSuch(session, () => session.published.length > before, "the edited file's");
        expect(labels(completion)).toContain('tier1');
        expect(hover).not.toBeNull();
        const order = session.events.slice(session.events.indexOf('validation held'));
        expect(order).toEqual(['validation held', 'completion', 'hover', 'validation released', 'diagnostics']);
        // The held validation's result is the edited file's.
        expect(session.published[session.published.length - 1]).toEqual((await validate(edited)).diagnostics);
    }, 60_000);

    it('answers completion right after a change while the new text is still being linked (hover waits for the link)', async () => {
        const session = await startSession(EXAMPLE);
        await publishedSuch(session, diagnostics => diagnostics.length === 0, 'the example clean');
        const held = new Promise<void>(resolve => (session.linkGate.entered = resolve));
        session.linkGate.hold = true;
        // A new queue: completion can only offer it from the new text's scopes.
        const edited = EXAMPLE.replace('  department support {', '  queue overflow {\n    name "Phone – Overflow"\n    did "+4570103333"\n  }\n  department support {');
        await session.change(edited);
        await held;
        const breaker = setTimeout(() => session.linkGate.release?.(), DEADLOCK_BREAKER_MS);
        const completion = await session.client.sendRequest(CompletionRequest.type, { textDocument: { uri: URI_OF_FILE }, position: positionAfter(edited, 'fallback ') });
        session.events.push('completion');
        const hover = session.client.sendRequest(HoverRequest.type, { textDocument: { uri: URI_OF_FILE }, position: positionAfter(edited, '    fallb') }).then(result => {
            session.events.push('hover');
            return result;
        });
        await sleep(50);
        session.linkGate.release?.();
        clearTimeout(breaker);
        expect(await hover).not.toBeNull();
        expect(labels(completion)).toEqual(expect.arrayContaining(['tier1', 'sales_desk', 'overflow']));
        const order = session.events.slice(session.events.indexOf('linking held'));
        expect(order.slice(0, 4)).toEqual(['linking held', 'completion', 'linking released', 'hover']);
    }, 60_000);
});
