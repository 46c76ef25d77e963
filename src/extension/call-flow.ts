import * as vscode from 'vscode';
import { callFlowGraph, revealTargets, type SourceLocation } from '../graph/index.js';
import { formatProblems, renderCallFlowDiagram, renderCallFlowPage, type CallFlowPageContent, type ProblemLine } from './call-flow-html.js';
import type { ExtensionLog } from './log.js';
import type { PlanStore } from './plan-store.js';
import type { LoadedModel, WorkspaceModel } from './workspace-model.js';

/**
 * "SIPflow: Show Call Flow": a webview with the diagram of the active file's integration, rebuilt as
 * you type (debounced), with the assistants' names once a plan, apply or checklist has read them. It
 * loads nothing; the CSP allows only this render's nonce'd style and script, and the script can only
 * post the key of a node the page was given: the panel maps it to the declaration and reveals it.
 */
export class CallFlowPanel implements vscode.Disposable {
    private panel: vscode.WebviewPanel | undefined;
    private document: vscode.TextDocument | undefined;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private readonly disposables: vscode.Disposable[] = [];
    private lastGood: { html: string; style: string } | undefined;
    /** What each node's key reveals, for the current render. */
    private targets = new Map<string, SourceLocation>();
    /** The integration's files, when the last render listed their errors. */
    private erroredFiles: ReadonlySet<string> | undefined;
    /** The last HTML set (for the test API). */
    html: string | undefined;
    /** Resolves after the next render (for tests). */
    private renderWaiters: Array<() => void> = [];

    constructor(
        private readonly model: WorkspaceModel,
        private readonly log: ExtensionLog,
        private readonly plans?: PlanStore,
    ) {
        this.disposables.push(
            vscode.workspace.onDidChangeTextDocument(e => {
                if (this.panel && this.document && e.document.uri.toString() === this.document.uri.toString()) this.schedule();
            }),
            vscode.window.onDidChangeActiveTextEditor(editor => {
                if (this.panel && editor?.document.languageId === 'sipflow' && editor.document !== this.document) {
                    this.document = editor.document;
                    this.lastGood = undefined;
                    this.schedule(0);
                }
            }),
            // The error list follows Problems: the language server publishes after the model is built.
            vscode.languages.onDidChangeDiagnostics(e => {
                if (this.panel && this.erroredFiles && e.uris.some(uri => this.erroredFiles!.has(uri.toString()))) this.schedule(100);
            }),
        );
        if (plans)
            this.disposables.push(
                plans.onDidChange(() => {
                    if (this.panel) this.schedule(0);
                }),
            );
    }

    async show(document: vscode.TextDocument): Promise<void> {
        // Another file's last valid diagram is not this one's.
        if (this.document?.uri.toString() !== document.uri.toString()) this.lastGood = undefined;
        this.document = document;
        if (!this.panel) {
            this.panel = vscode.window.createWebviewPanel(
                'sipflow.callFlow',
                'SIPflow Call Flow',
                { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
                {
                    enableScripts: true,
                    enableCommandUris: false,
                    localResourceRoots: [],
                },
            );
            this.panel.onDidDispose(
                () => {
                    this.panel = undefined;
                },
                undefined,
                this.disposables,
            );
            this.panel.webview.onDidReceiveMessage(
                (message: unknown) => {
                    const target = (message as { type?: unknown; target?: unknown } | null)?.target;
                    if ((message as { type?: unknown } | null)?.type === 'reveal' && typeof target === 'string') void this.reveal(target);
                },
                undefined,
                this.disposables,
            );
        } else {
            this.panel.reveal(undefined, true);
        }
        await this.render();
    }

    /** Resolves once the next render has happened. */
    nextRender(): Promise<void> {
        return new Promise(resolve => this.renderWaiters.push(resolve));
    }

    /** The keys a click can reveal and where they lead (for tests). */
    revealTargets(): ReadonlyMap<string, SourceLocation> {
        return this.targets;
    }

    /**
     * Opens the declaration of a node (by its key) in the editor column its file is in (else the first
     * column other than this panel's), with the declaration's name selected. false for an unknown key.
     */
    async reveal(key: string): Promise<boolean> {
        const location = this.targets.get(key);
        if (!location) return false;
        try {
            const uri = vscode.Uri.parse(location.uri);
            const document = await vscode.workspace.openTextDocument(uri);
            const { start, end } = location.range;
            const range = new vscode.Range(start.line, start.character, end.line, end.character);
            const editor = await vscode.window.showTextDocument(document, { viewColumn: this.columnOf(uri), selection: range, preview: false });
            editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
            return true;
        } catch (e) {
            this.log.error(`Call flow: cannot reveal ${key}: ${e instanceof Error ? e.message : String(e)}`);
            return false;
        }
    }

    private columnOf(uri: vscode.Uri): vscode.ViewColumn {
        const key = uri.toString();
        const visible = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === key)?.viewColumn;
        if (visible !== undefined) return visible;
        const group = vscode.window.tabGroups.all.find(g => g.tabs.some(t => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
        if (group) return group.viewColumn;
        return this.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    }

    private schedule(delay = 300): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.render(), delay);
    }

    private async render(): Promise<void> {
        const panel = this.panel;
        const document = this.document;
        if (!panel || !document) return;
        const fileName = document.uri.path.split('/').pop() ?? '';
        let content: CallFlowPageContent;
        try {
            const result = await this.model.load(document);
            if (result.ok) {
                const read = this.plans?.assistantNames(result.desired.integration);
                const graph = callFlowGraph(result.desired, { assistantNames: read?.names });
                this.targets = revealTargets(graph, result.declarations);
                this.erroredFiles = undefined;
                this.lastGood = renderCallFlowDiagram({ desired: result.desired, graph, targets: this.targets, assistantNames: read?.names });
                panel.title = `Call Flow: ${result.desired.integration}`;
                const named = read ? result.desired.departments.filter(d => read.names.get(d.assistantId)?.trim()).length : 0;
                content = {
                    kind: 'diagram',
                    integration: result.desired.integration,
                    fileName,
                    diagram: this.lastGood,
                    namesNote: read && named > 0 ? `Assistant names as read by the ${read.by} at ${read.at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.` : null,
                };
            } else {
                this.erroredFiles = new Set(result.files);
                content = { kind: 'errors', fileName, problems: this.problemsOf(result), message: result.message, lastGood: this.lastGood };
            }
        } catch (e) {
            this.log.error(`Call flow: ${e instanceof Error ? e.message : String(e)}`);
            content = { kind: 'errors', fileName, problems: [], message: e instanceof Error ? e.message : String(e), lastGood: undefined };
        }
        const nonce = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
        this.html = renderCallFlowPage(content, nonce);
        panel.webview.html = this.html;
        const waiters = this.renderWaiters;
        this.renderWaiters = [];
        for (const w of waiters) w();
    }

    /**
     * The errors Problems shows for the integration's files (the language server's diagnostics); the
     * model's own list until the server has published.
     */
    private problemsOf(result: LoadedModel & { ok: false }): string[] {
        const files = new Set(result.files);
        const relative = (uri: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);
        const published: ProblemLine[] = vscode.languages
            .getDiagnostics()
            .filter(([uri]) => files.has(uri.toString()))
            .flatMap(([uri, diagnostics]) =>
                diagnostics
                    .filter(d => d.severity === vscode.DiagnosticSeverity.Error)
                    .map(d => ({ path: relative(uri.toString()), line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message })),
            );
        if (published.length > 0) return formatProblems(published);
        return formatProblems(result.problems.map(p => ({ path: p.uri ? relative(p.uri) : '', line: p.line ?? 1, column: p.column ?? 1, message: p.message })));
    }

    dispose(): void {
        if (this.timer) clearTimeout(this.timer);
        this.panel?.dispose();
        for (const d of this.disposables) d.dispose();
    }
}
