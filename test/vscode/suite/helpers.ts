import { appendFileSync } from 'node:fs';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SipflowExtensionApi } from '../../../src/extension/main.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index.js';

export const EXTENSION_ID = 'sipflow.sipflow';

export async function extensionApi(): Promise<SipflowExtensionApi> {
    const ext = vscode.extensions.getExtension<SipflowExtensionApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    return ext.activate();
}

export function fixtureUri(relative: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    return vscode.Uri.joinPath(folder.uri, relative);
}

export async function openFixture(relative: string): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument(fixtureUri(relative));
    await vscode.window.showTextDocument(document);
    return document;
}

/** Polls `probe` until it gives a value. `what` names it in the timeout's message; a function is asked at the timeout, to say what there was instead. */
export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
        await new Promise(r => setTimeout(r, 100));
    }
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
    const code = d.code;
    if (code === undefined) return undefined;
    return typeof code === 'object' ? String(code.value) : String(code);
}

/** A document's state for a failure message: what the editor holds and what the language server last published. */
export function documentState(document: vscode.TextDocument): string {
    const diagnostics = vscode.languages.getDiagnostics(document.uri).map(d => codeOf(d) ?? d.message);
    return `${document.uri.toString()}: ${document.languageId}, version ${document.version}, ${document.getText().length} characters${document.isClosed ? ', closed' : ''}; diagnostics [${diagnostics.join(', ')}]`;
}

export async function diagnosticsOf(uri: vscode.Uri, minimum = 1): Promise<vscode.Diagnostic[]> {
    return waitFor(`${minimum}+ diagnostics on ${uri.path}`, () => {
        const ds = vscode.languages.getDiagnostics(uri);
        return ds.length >= minimum ? ds : undefined;
    });
}

/** An untitled sipflow document (not on disk, so tests may edit it freely). */
export async function untitled(content: string): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument({ language: 'sipflow', content });
    await vscode.window.showTextDocument(document);
    return document;
}

/** What the workbench has active, for a failure message: the active command acts on it, and a webview beside can hold the focus. */
function activeEditorSummary(): string {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    return `active editor ${vscode.window.activeTextEditor?.document.uri.toString() ?? 'none'}, active tab "${tab?.label ?? 'none'}"`;
}

/**
 * Runs an active-editor command on `document` until `done`: the command acts on the active editor, and under
 * load a webview beside (the Call Flow panel) can still be active right after showTextDocument.
 */
async function runOnDocumentUntil(document: vscode.TextDocument, command: string, done: () => boolean, what: string): Promise<void> {
    await waitFor(
        what,
        async () => {
            await vscode.window.showTextDocument(document);
            if (vscode.window.activeTextEditor?.document === document) await vscode.commands.executeCommand(command);
            return done() || undefined;
        },
        10_000,
    ).catch(error => {
        throw new Error(`${error instanceof Error ? error.message : String(error)} (${activeEditorSummary()})`);
    });
}

/** Reverts a document to its text on disk. */
export async function revertFile(document: vscode.TextDocument): Promise<void> {
    await runOnDocumentUntil(document, 'workbench.action.files.revert', () => !document.isDirty, `${document.uri.path} reverted`);
}

/** Reverts and closes a document's editor without a save prompt (a prompt would block a headless run). */
export async function discard(document: vscode.TextDocument): Promise<void> {
    const open = () =>
        vscode.window.tabGroups.all.some(group => group.tabs.some(tab => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === document.uri.toString()));
    await runOnDocumentUntil(document, 'workbench.action.revertAndCloseActiveEditor', () => !open(), `${document.uri.toString()} closed`);
}

/**
 * An untitled document under its own name, holding `content`: "Untitled-N" names are reused once closed, and a
 * document opened under the name of one just closed was at times not analysed for 20 s (seen with three in a row).
 */
export async function namedUntitled(name: string, content: string): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(`untitled:${name}`));
    await vscode.window.showTextDocument(document);
    // A workspace edit, not the editor's: it applies whichever editor is active (the editor's can be refused once another is).
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), content);
    assert.ok(await vscode.workspace.applyEdit(edit), `the text is inserted into ${name}`);
    assert.equal(document.languageId, 'sipflow', `${name} is a sipflow document`);
    assert.equal(document.getText(), content);
    return document;
}

/** A line for the launcher's output (the report file the code-server launcher streams, and the console). */
export function report(line: string): void {
    console.log(line);
    const file = process.env.SIPFLOW_E2E_REPORT;
    if (file) appendFileSync(file, `${line}\n`);
}

/**
 * Starts the demo sandbox with these credentials and points the extension's live target at it
 * (the settings are global: a suite's after() clears them). Storing the credentials is left to the caller.
 */
export async function sandboxAsLive(credentials: { dixa: string; synthflow: string }, options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
    const sandbox = await startSandbox({ port: 0, seed: 'demo', dixaToken: credentials.dixa, synthflowKey: credentials.synthflow, dixaRateLimit: false, ...options });
    const config = vscode.workspace.getConfiguration('sipflow');
    await config.update('dixa.baseUrl', sandbox.dixaBaseUrl, vscode.ConfigurationTarget.Global);
    await config.update('synthflow.baseUrl', sandbox.synthflowBaseUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('sipflow.useLive');
    return sandbox;
}
