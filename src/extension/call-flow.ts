import * as vscode from 'vscode';
import { callFlowGraph } from '../graph/index.js';
import { escapeXml, renderCallFlowSvg, renderCallFlowTable } from './call-flow-svg.js';
import type { ExtensionLog } from './log.js';
import type { WorkspaceModel } from './workspace-model.js';

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 8px 16px; }
h1 { font-size: 1.2em; font-weight: 600; }
.problems { color: var(--vscode-errorForeground); white-space: pre-wrap; font-family: var(--vscode-editor-font-family); }
.stale { color: var(--vscode-descriptionForeground); }
svg.callflow { max-width: 100%; height: auto; }
svg .column { fill: var(--vscode-descriptionForeground); font-size: 13px; font-weight: 600; }
svg .node rect { fill: var(--vscode-editorWidget-background, #252526); stroke: var(--vscode-editorWidget-border, #888); stroke-width: 1.2; }
svg .node.did rect { stroke: var(--vscode-charts-blue, #3794ff); }
svg .node.flow rect { stroke: var(--vscode-charts-purple, #b180d7); }
svg .node.assistant rect { stroke: var(--vscode-charts-green, #89d185); }
svg .node.queue rect, svg .node.uri rect { stroke: var(--vscode-charts-orange, #d18616); }
svg .node .label { fill: var(--vscode-foreground); font-size: 13px; font-weight: 600; }
svg .node .detail { fill: var(--vscode-descriptionForeground); font-size: 11px; }
svg .edge path { fill: none; stroke: var(--vscode-foreground); stroke-width: 1.4; opacity: .8; }
svg .edge.fallback path { stroke-dasharray: 6 4; stroke: var(--vscode-charts-red, #f14c4c); }
svg .edge.escalate path { stroke: var(--vscode-charts-orange, #d18616); }
svg .edge text { fill: var(--vscode-descriptionForeground); font-size: 10.5px; }
svg .arrow { fill: var(--vscode-foreground); }
svg .arrow.fallback { fill: var(--vscode-charts-red, #f14c4c); }
svg .arrow.escalate { fill: var(--vscode-charts-orange, #d18616); }
.legend span { margin-right: 1.5em; }
table.details { border-collapse: collapse; margin-top: 1em; font-size: 12px; }
table.details th, table.details td { text-align: left; vertical-align: top; padding: 4px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, #444); }
table.details code { font-family: var(--vscode-editor-font-family); }
`;

/**
 * "SIPflow: Show Call Flow": a webview with the diagram of the active file's integration, rebuilt as
 * you type (debounced). No script runs in it and it loads nothing: the CSP allows only the inline
 * style carrying this render's nonce.
 */
export class CallFlowPanel implements vscode.Disposable {
    private panel: vscode.WebviewPanel | undefined;
    private document: vscode.TextDocument | undefined;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private readonly disposables: vscode.Disposable[] = [];
    private lastGoodSvg: string | undefined;
    /** The last HTML set (for the test API). */
    html: string | undefined;
    /** Resolves after the next render (for tests). */
    private renderWaiters: Array<() => void> = [];

    constructor(
        private readonly model: WorkspaceModel,
        private readonly log: ExtensionLog,
    ) {
        this.disposables.push(
            vscode.workspace.onDidChangeTextDocument(e => {
                if (this.panel && this.document && e.document.uri.toString() === this.document.uri.toString()) this.schedule();
            }),
            vscode.window.onDidChangeActiveTextEditor(editor => {
                if (this.panel && editor?.document.languageId === 'sipflow' && editor.document !== this.document) {
                    this.document = editor.document;
                    this.lastGoodSvg = undefined;
                    this.schedule(0);
                }
            }),
        );
    }

    async show(document: vscode.TextDocument): Promise<void> {
        this.document = document;
        if (!this.panel) {
            this.panel = vscode.window.createWebviewPanel('sipflow.callFlow', 'SIPflow Call Flow', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
                enableScripts: false,
                enableCommandUris: false,
                localResourceRoots: [],
            });
            this.panel.onDidDispose(() => { this.panel = undefined; }, undefined, this.disposables);
        } else {
            this.panel.reveal(undefined, true);
        }
        await this.render();
    }

    /** Resolves once the next render has happened. */
    nextRender(): Promise<void> {
        return new Promise(resolve => this.renderWaiters.push(resolve));
    }

    private schedule(delay = 300): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.render(), delay);
    }

    private async render(): Promise<void> {
        const panel = this.panel;
        const document = this.document;
        if (!panel || !document) return;
        let body: string;
        try {
            const result = await this.model.load(document);
            const name = document.uri.path.split('/').pop() ?? '';
            if (result.ok) {
                this.lastGoodSvg = renderCallFlowSvg(callFlowGraph(result.desired)) + renderCallFlowTable(result.desired);
                panel.title = `Call Flow: ${result.desired.integration}`;
                body = `<h1>Integration ${escapeXml(result.desired.integration)} <small class="stale">${escapeXml(name)}</small></h1>${this.lastGoodSvg}${LEGEND}`;
            } else {
                body = `<h1>${escapeXml(name)}</h1><p class="problems">${escapeXml(result.message)}</p>`
                    + (this.lastGoodSvg ? `<p class="stale">The last valid version of the file:</p>${this.lastGoodSvg}${LEGEND}` : '');
            }
        } catch (e) {
            this.log.error(`Call flow: ${e instanceof Error ? e.message : String(e)}`);
            body = `<p class="problems">${escapeXml(e instanceof Error ? e.message : String(e))}</p>`;
        }
        const nonce = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
        const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src data:; font-src 'none'; script-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'`;
        this.html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">`
            + `<meta name="viewport" content="width=device-width, initial-scale=1"><style nonce="${nonce}">${STYLE}</style><title>SIPflow call flow</title></head><body>${body}</body></html>`;
        panel.webview.html = this.html;
        const waiters = this.renderWaiters;
        this.renderWaiters = [];
        for (const w of waiters) w();
    }

    dispose(): void {
        if (this.timer) clearTimeout(this.timer);
        this.panel?.dispose();
        for (const d of this.disposables) d.dispose();
    }
}

const LEGEND = '<p class="legend"><span>— inbound / SIP transfer</span><span>— escalation (Synthflow live transfer)</span><span>- - - timeout → fallback queue</span></p>';
