// Completion lists over a real LSP connection: the edit range said once for the list (LSP 3.17 itemDefaults)
// when the client takes it, in each item when it does not, and the same text inserted either way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
    CompletionRequest,
    CompletionResolveRequest,
    DidOpenTextDocumentNotification,
    InitializeRequest,
    InitializedNotification,
    type ClientCapabilities,
    type CompletionItem,
    type CompletionList,
    type Range,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VSCODE_COMPLETION_CAPABILITIES } from '../../bench/edit-path.js';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { REFERENCE_CANDIDATES_SHOWN } from '../../src/language/lsp/reference-candidates.js';
import { startLspProcess, type LspProcess } from '../support/lsp-stdio.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_BUNDLE = path.join(ROOT, 'out/server.cjs');
// 80 departments: 10 queues, enough for the list's size to be mostly its items.
const TEXT = toSipflow(generateIntegration(80));
const MIDDLE = TEXT.indexOf('department line_00041 {');
const CURSOR = TEXT.indexOf('fallback ', MIDDLE) + 'fallback '.length;
const BEFORE = TextDocument.create('file:///x.sipflow', 'sipflow', 1, TEXT);

/** What vscode-languageclient 9 declares for completion lists (the bench's client declares the same). */
const VSCODE: ClientCapabilities = {
    textDocument: { completion: { ...VSCODE_COMPLETION_CAPABILITIES.textDocument.completion, completionItem: { snippetSupport: true } } },
};
const WITHOUT_ITEM_DEFAULTS: ClientCapabilities = { textDocument: { completion: { completionItem: { snippetSupport: true } } } };

const workspaces: string[] = [];
const servers: LspProcess[] = [];
afterAll(() => {
    for (const server of servers) {
        server.connection.dispose();
        server.process.kill();
    }
    for (const folder of workspaces) rmSync(folder, { recursive: true, force: true });
});

async function completeWith(capabilities: ClientCapabilities, text = TEXT, cursor = CURSOR): Promise<{ list: CompletionList; server: LspProcess }> {
    const folder = mkdtempSync(path.join(tmpdir(), 'sipflow-completion-list-'));
    workspaces.push(folder);
    const server = startLspProcess(SERVER_BUNDLE, ['--stdio'], folder);
    servers.push(server);
    await server.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities });
    await server.connection.sendNotification(InitializedNotification.type, {});
    const uri = pathToFileURL(path.join(folder, 'bench.sipflow')).toString();
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sipflow', version: 1, text } });
    const position = TextDocument.create(uri, 'sipflow', 1, text).positionAt(cursor);
    const list = (await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionList;
    return { list, server };
}

/** The text after accepting `item`, as LSP 3.17 says a client applies it: its own edit, else the list's range with its insertText or label. */
function accept(list: CompletionList, item: CompletionItem): string {
    const edit = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
    const defaultRange = list.itemDefaults?.editRange as Range | undefined;
    const range = edit?.range ?? defaultRange;
    expect(range, `${item.label} has an edit range`).toBeDefined();
    const newText = edit?.newText ?? item.textEditText ?? item.insertText ?? item.label;
    return TextDocument.applyEdits(BEFORE, [{ range: range!, newText }]);
}

describe('a completion list', () => {
    it('says the shared edit range once to a client that takes item defaults, and inserts what it inserts for one that does not', async () => {
        const [compact, full] = await Promise.all([completeWith(VSCODE), completeWith(WITHOUT_ITEM_DEFAULTS)]);
        const labels = (list: CompletionList) => list.items.map(item => item.label);
        expect(labels(full.list)).toHaveLength(10);
        expect(labels(compact.list)).toEqual(labels(full.list));

        // Without item defaults every item carries its edit; with them none of these does, and the list says the range.
        expect(full.list.itemDefaults).toBeUndefined();
        expect(full.list.items.every(item => item.textEdit !== undefined)).toBe(true);
        expect(compact.list.items.filter(item => item.textEdit !== undefined)).toEqual([]);
        expect(compact.list.itemDefaults?.editRange).toEqual((full.list.items[0].textEdit as { range: Range }).range);

        for (const [index, item] of compact.list.items.entries()) expect(accept(compact.list, item)).toBe(accept(full.list, full.list.items[index]));
        expect(accept(compact.list, compact.list.items[0])).toContain('fallback team_0000\n');

        // The rest of each item is the same: detail, kind, sort order.
        const rest = ({ textEdit: _edit, ...item }: CompletionItem) => item;
        expect(compact.list.items).toEqual(full.list.items.map(rest));
        const compactSize = JSON.stringify(compact.list).length;
        const fullSize = JSON.stringify(full.list).length;
        expect(compactSize, `${compactSize} against ${fullSize} characters`).toBeLessThan(fullSize * 0.75);

        // completionItem/resolve documents a queue from the item alone.
        const resolved = await compact.server.connection.sendRequest(CompletionResolveRequest.type, compact.list.items[1]);
        const documentation = resolved.documentation as { kind: string; value: string };
        expect(documentation.value).toContain('**queue team_0001**: Dixa queue "Phone – Team 1", reached at `+4570200001`');
    });
});

describe('a completion list of queues in a large file', () => {
    // 10,000 departments: 1,250 queues, team_0000 … team_1249.
    const large = toSipflow(generateIntegration(10_000));
    const line = large.indexOf('department line_05001 {');
    const fallback = large.indexOf('fallback ', line) + 'fallback '.length;
    /** The file with `typed` after `fallback ` in place of the queue's name, and the cursor after it. */
    const typing = (typed: string) => {
        const end = large.indexOf('\n', fallback);
        return { text: large.slice(0, fallback) + typed + large.slice(end), cursor: fallback + typed.length };
    };
    const queueLabels = (list: CompletionList) => list.items.filter(item => String(item.detail).startsWith('queue')).map(item => item.label);

    it(`offers the first ${REFERENCE_CANDIDATES_SHOWN} queues by name, and says the list is incomplete`, async () => {
        const { list } = await completeWith(VSCODE, large, fallback);
        expect(list.isIncomplete).toBe(true);
        expect(queueLabels(list)).toEqual(Array.from({ length: REFERENCE_CANDIDATES_SHOWN }, (_, i) => `team_${String(i).padStart(4, '0')}`));
    }, 60_000);

    it('narrows to what is typed: names that start with it first, then other matches, still at most the cap', async () => {
        const { text, cursor } = typing('team_12');
        const { list } = await completeWith(VSCODE, text, cursor);
        const labels = queueLabels(list);
        expect(labels).toHaveLength(REFERENCE_CANDIDATES_SHOWN);
        // team_1200 … team_1249 start with it; the rest of the cap are other fuzzy matches (team_0012, …), by name.
        expect(labels.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `team_${1200 + i}`));
        expect(labels.slice(50)).toEqual([...labels.slice(50)].sort());
        expect(labels.slice(50).every(label => !label.startsWith('team_12'))).toBe(true);
        // The last queue is reachable by typing its name, though it is never in the first list.
        const last = typing('team_1249');
        expect(queueLabels((await completeWith(VSCODE, last.text, last.cursor)).list)[0]).toBe('team_1249');
    }, 60_000);
});
