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

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise(r => setTimeout(r, 100));
    }
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
    const code = d.code;
    if (code === undefined) return undefined;
    return typeof code === 'object' ? String(code.value) : String(code);
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

/** Reverts and closes a document's editor without a save prompt (a prompt would block a headless run). */
export async function discard(document: vscode.TextDocument): Promise<void> {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
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
