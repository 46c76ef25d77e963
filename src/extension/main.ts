import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CallFlowPanel } from './call-flow.js';
import { PlanCodeLens } from './codelens.js';
import { registerCommands } from './commands/index.js';
import { registerEnvironmentCommand } from './environment-command.js';
import { trackSipflowFileOpened } from './file-opened-context.js';
import { Connections } from './connection.js';
import { Credentials } from './credentials.js';
import { ExtensionLog } from './log.js';
import { PlanStore } from './plan-store.js';
import { StatusBar } from './status-bar.js';
import { VIEW_SCHEME, ViewDocuments } from './views.js';
import { WorkspaceModel } from './workspace-model.js';

/**
 * What `activate` returns: for the extension's own tests (and nothing else should rely on it).
 */
export interface SipflowExtensionApi {
    /** Every line written to the SIPflow log so far, after redaction. */
    logLines(): readonly string[];
    /** The status bar text. */
    statusText(): string;
    /** The call-flow webview's current HTML. */
    callFlowHtml(): string | undefined;
    /** Resolves after the call-flow view next renders. */
    nextCallFlowRender(): Promise<void>;
    /** The call-flow view's node keys (its `data-target`s) and the declarations they reveal. */
    callFlowTargets(): ReadonlyMap<string, { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>;
    /** Whether each API credential is in SecretStorage (never the values). */
    storedCredentials(): Promise<{ dixa: boolean; synthflow: boolean }>;
    /** The in-process sandbox's URL, once started. */
    sandboxUrl(): string | undefined;
    /** Milliseconds from activate() to a running language client. */
    readonly activationMs: number;
    readonly client: LanguageClient;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<SipflowExtensionApi> {
    const started = performance.now();
    const log = new ExtensionLog();
    context.subscriptions.push(log);

    // The language server: the bundled out/server.cjs over Node IPC.
    const serverModule = context.asAbsolutePath('out/server.cjs');
    const serverOptions: ServerOptions = {
        run: { module: serverModule, transport: TransportKind.ipc },
        debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.sipflow');
    context.subscriptions.push(watcher);
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ language: 'sipflow' }],
        synchronize: { fileEvents: watcher },
        outputChannelName: 'SIPflow Language Server',
    };
    client = new LanguageClient('sipflow', 'SIPflow Language Server', serverOptions, clientOptions);

    const model = new WorkspaceModel();
    const credentials = new Credentials(context, log);
    const connections = new Connections(credentials, log);
    const plans = new PlanStore();
    const views = new ViewDocuments();
    const callFlow = new CallFlowPanel(model, log, plans);
    const statusBar = new StatusBar(plans);
    const codeLens = new PlanCodeLens(plans);
    context.subscriptions.push(
        connections,
        plans,
        views,
        callFlow,
        statusBar,
        codeLens,
        vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, views),
        vscode.languages.registerCodeLensProvider({ language: 'sipflow' }, codeLens),
        vscode.workspace.onDidChangeConfiguration(e => {
            if (
                e.affectsConfiguration('sipflow.target') ||
                e.affectsConfiguration('sipflow.environment') ||
                e.affectsConfiguration('sipflow.dixa.baseUrl') ||
                e.affectsConfiguration('sipflow.synthflow.baseUrl')
            )
                plans.clear();
        }),
    );
    registerCommands(context, { log, model, connections, credentials, plans, views, callFlow });
    registerEnvironmentCommand(context, log);
    trackSipflowFileOpened(context);

    await client.start();
    const activationMs = performance.now() - started;
    log.info(`SIPflow ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(0)} ms (language server running).`);

    return {
        logLines: () => log.lines(),
        statusText: () => statusBar.text,
        callFlowHtml: () => callFlow.html,
        nextCallFlowRender: () => callFlow.nextRender(),
        callFlowTargets: () => callFlow.revealTargets(),
        storedCredentials: async () => {
            const keys = await credentials.get();
            return { dixa: keys.dixa !== undefined, synthflow: keys.synthflow !== undefined };
        },
        sandboxUrl: () => connections.sandboxUrl,
        activationMs,
        client,
    };
}

export async function deactivate(): Promise<void> {
    await client?.stop();
    client = undefined;
}
