import * as vscode from 'vscode';
import { SIPFLOW_FILE_OPENED } from './context-keys.js';

/** Sets {@link SIPFLOW_FILE_OPENED} when a `.sipflow` document is open now or opens later (it stays set: the step is done). */
export function trackSipflowFileOpened(context: vscode.ExtensionContext): void {
    let set = false;
    const update = (document: vscode.TextDocument) => {
        if (set || document.languageId !== 'sipflow') return;
        set = true;
        void vscode.commands.executeCommand('setContext', SIPFLOW_FILE_OPENED, true);
    };
    vscode.workspace.textDocuments.forEach(update);
    context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(update));
}
