import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions } from 'vscode-languageclient/browser';
import { CallFlowPanel } from './call-flow.js';
import { EXAMPLE_TEXT } from './example.js';
import { ExtensionLog } from './log.js';
import { WorkspaceModel } from './workspace-model.js';
import { registerEnvironmentCommand } from './environment-command.js';
import { trackSipflowFileOpened } from './file-opened-context.js';

/**
 * The extension in VS Code for the web (vscode.dev, github.dev): the language server runs in a web
 * worker, so diagnostics, completion, hover, quick fixes and formatting work as on the desktop, and
 * the call-flow diagram too (it needs no network). Commands that call the Dixa and Synthflow APIs
 * need the desktop: the vendors' APIs are not reachable from a browser page, and the API keys must
 * stay on the user's machine.
 */
declare const Worker: new (url: string, options?: { name?: string }) => ConstructorParameters<typeof LanguageClient>[2];

const DESKTOP_ONLY: Readonly<Record<string, string>> = {
    'sipflow.plan': 'Plan Changes',
    'sipflow.compareWithLive': 'Compare with Live',
    'sipflow.apply': 'Apply to Dixa/Synthflow',
    'sipflow.pull': 'Pull from Dixa/Synthflow',
    'sipflow.showChecklist': 'Show Manual Checklist',
    'sipflow.setCredentials': 'Set API Credentials',
    'sipflow.clearCredentials': 'Clear API Credentials',
    'sipflow.useSandbox': 'Use Sandbox',
    'sipflow.useLive': 'Use Live Accounts',
};

export function desktopOnlyMessage(title: string): string {
    return (
        `SIPflow: "${title}" needs VS Code desktop — it talks to the Dixa and Synthflow APIs (or the local sandbox), ` +
        'which VS Code for the web cannot reach, and API keys stay on your machine. Open this repository in VS Code desktop, ' +
        'or run the sipflow CLI (sipflow plan / apply / pull / checklist) in a terminal.'
    );
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient; desktopOnly: readonly string[] }> {
    const log = new ExtensionLog();
    context.subscriptions.push(log);
    const serverMain = vscode.Uri.joinPath(context.extensionUri, 'out/server-browser.js');
    const worker = new Worker(serverMain.toString(true), { name: 'SIPflow Language Server' });
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ language: 'sipflow' }],
        outputChannelName: 'SIPflow Language Server',
    };
    client = new LanguageClient('sipflow', 'SIPflow Language Server', worker, clientOptions);

    for (const [command, title] of Object.entries(DESKTOP_ONLY)) {
        context.subscriptions.push(
            vscode.commands.registerCommand(command, async () => {
                log.warn(desktopOnlyMessage(title));
                const choice = await vscode.window.showWarningMessage(desktopOnlyMessage(title), 'Learn More');
                if (choice === 'Learn More') await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'sipflow.sipflow#sipflow.getStarted', false);
            }),
        );
    }
    registerEnvironmentCommand(context, log);
    trackSipflowFileOpened(context);
    const callFlow = new CallFlowPanel(new WorkspaceModel(), log);
    context.subscriptions.push(
        callFlow,
        vscode.commands.registerCommand('sipflow.showCallFlow', async (uri?: vscode.Uri) => {
            const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
            if (document?.languageId !== 'sipflow') {
                void vscode.window.showWarningMessage('SIPflow: open a .sipflow file first.');
                return;
            }
            await callFlow.show(document);
        }),
        vscode.commands.registerCommand('sipflow.showLog', () => log.show()),
        vscode.commands.registerCommand('sipflow.createExample', async () => {
            const document = await vscode.workspace.openTextDocument({ language: 'sipflow', content: EXAMPLE_TEXT });
            await vscode.window.showTextDocument(document);
        }),
    );

    await client.start();
    log.info('SIPflow (web) activated: language server in a web worker; vendor commands need VS Code desktop.');
    return { client, desktopOnly: Object.keys(DESKTOP_ONLY) };
}

export async function deactivate(): Promise<void> {
    await client?.stop();
    client = undefined;
}
