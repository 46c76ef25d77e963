import type { DesiredState } from '../model/index.js';
import type { CallFlowGraph, SourceLocation } from '../graph/index.js';
import { diagramSize, escapeXml, renderCallFlowSvg, renderCallFlowTable } from './call-flow-svg.js';

/**
 * The Call Flow webview's page, pure (no vscode import) so that vitest checks its structure. Theme
 * colours and the editor's font size come from VS Code's CSS variables; no text is smaller than 11 px
 * and nothing is scaled down to fit: the diagram switches to its tall layout when the panel is narrower
 * than the wide one, the table stacks its cells, and what is still wider scrolls.
 */

/** Below this panel width the table's rows become stacked cards. */
const TABLE_STACK_PX = 900;

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); color: var(--vscode-editor-foreground, var(--vscode-foreground)); background: var(--vscode-editor-background); padding: 8px 16px; }
h1 { font-size: 1.25em; font-weight: 600; }
h1 small, .stale, .names { color: var(--vscode-descriptionForeground); font-weight: normal; font-size: max(11px, .85em); }
.problems { color: var(--vscode-errorForeground); font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size, 13px); padding-left: 1.2em; }
.problems li { margin: 2px 0; overflow-wrap: anywhere; }
.diagram { overflow-x: auto; padding-bottom: 4px; }
svg.callflow { display: block; max-width: none; }
svg.callflow.tall { display: none; }
svg .column { fill: var(--vscode-descriptionForeground); font-size: 13px; font-weight: 600; }
svg .node rect { fill: var(--vscode-editorWidget-background, #252526); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, #888)); stroke-width: 1.2; }
svg .node.did rect { stroke: var(--vscode-charts-blue, #3794ff); }
svg .node.flow rect { stroke: var(--vscode-charts-purple, #b180d7); }
svg .node.assistant rect { stroke: var(--vscode-charts-green, #89d185); }
svg .node.queue rect, svg .node.uri rect { stroke: var(--vscode-charts-orange, #d18616); }
svg .node .label { fill: var(--vscode-editor-foreground, var(--vscode-foreground)); font-size: 13px; font-weight: 600; }
svg .node .detail { fill: var(--vscode-descriptionForeground); font-size: 11px; }
svg path.edge { fill: none; stroke: var(--vscode-editor-foreground, var(--vscode-foreground)); stroke-width: 1.4; opacity: .8; }
svg path.edge.fallback { stroke-dasharray: 6 4; stroke: var(--vscode-charts-red, #f14c4c); }
svg path.edge.escalate { stroke: var(--vscode-charts-orange, #d18616); }
svg .edge-label text { fill: var(--vscode-descriptionForeground); font-size: 11px; paint-order: stroke; stroke: var(--vscode-editor-background); stroke-width: 3px; }
svg .arrow { fill: var(--vscode-editor-foreground, var(--vscode-foreground)); }
svg .arrow.fallback { fill: var(--vscode-charts-red, #f14c4c); }
svg .arrow.escalate { fill: var(--vscode-charts-orange, #d18616); }
[data-target] { cursor: pointer; }
[data-target]:hover rect { stroke-width: 2.4; }
[data-target]:hover text { text-decoration: underline; }
[data-target]:focus { outline: 2px solid var(--vscode-focusBorder, #007fd4); outline-offset: 2px; }
[data-target]:focus rect { stroke: var(--vscode-focusBorder, #007fd4); stroke-width: 2.4; }
.legend { display: flex; flex-wrap: wrap; gap: .3em 1.5em; color: var(--vscode-descriptionForeground); }
table.details { border-collapse: collapse; margin-top: 1em; width: 100%; }
table.details th, table.details td { text-align: left; vertical-align: top; padding: 4px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, #444); overflow-wrap: anywhere; }
table.details code { font-family: var(--vscode-editor-font-family); font-size: max(11px, .95em); }
table.details small { font-size: max(11px, .85em); }
@media (max-width: ${TABLE_STACK_PX}px) {
  table.details, table.details tbody, table.details tr, table.details td { display: block; width: auto; }
  table.details thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.details tr { border: 1px solid var(--vscode-editorWidget-border, #444); border-radius: 4px; margin-bottom: .8em; padding: 4px 0; }
  table.details td { border: none; display: grid; grid-template-columns: minmax(8em, 30%) 1fr; gap: .8em; }
  table.details td::before { content: attr(data-label); color: var(--vscode-descriptionForeground); font-weight: 600; }
}
`;

/** The narrow-panel rule: the tall diagram replaces the wide one when the panel cannot show the wide one whole. */
function layoutSwitch(graph: CallFlowGraph): string {
    const wide = diagramSize(graph, 'wide').width;
    const tall = diagramSize(graph, 'tall').width;
    // Many departments side by side would be wider still: then the wide diagram scrolls.
    if (tall >= wide) return '';
    return `@media (max-width: ${wide + 40}px) { svg.callflow.wide { display: none; } svg.callflow.tall { display: block; } }`;
}

/**
 * Posts the key of the node activated (click, Enter or Space) to the extension, which owns the
 * locations: the page can only name a target it was given.
 */
const SCRIPT = `(() => {
  const vscode = acquireVsCodeApi();
  const targetOf = event => event.target instanceof Element ? event.target.closest('[data-target]') : null;
  const reveal = element => vscode.postMessage({ type: 'reveal', target: element.getAttribute('data-target') });
  document.addEventListener('click', event => { const element = targetOf(event); if (element) reveal(element); });
  document.addEventListener('keydown', event => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const element = targetOf(event);
    if (!element) return;
    event.preventDefault();
    reveal(element);
  });
})();`;

const LEGEND = '<p class="legend"><span>— inbound / SIP transfer</span><span>— escalation (Synthflow live transfer)</span><span>- - - timeout → fallback queue</span></p>';

/** One error as Problems shows it. `path` is relative to the workspace (VS Code's asRelativePath). */
export interface ProblemLine {
    readonly path: string;
    /** 1-based, as Problems shows them. */
    readonly line: number;
    readonly column: number;
    readonly message: string;
}

/** Each error once (Problems merges identical diagnostics too), in file and position order, as `path:line:col message`. */
export function formatProblems(problems: readonly ProblemLine[]): string[] {
    const seen = new Set<string>();
    const unique: ProblemLine[] = [];
    for (const p of problems) {
        const key = `${p.path}\u0000${p.line}\u0000${p.column}\u0000${p.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        unique.push(p);
    }
    unique.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
    return unique.map(p => `${p.path}:${p.line}:${p.column} ${p.message}`);
}

/** The diagram, its legend and its table for a valid file: what the page keeps showing while the file has errors. */
export function renderCallFlowDiagram(input: {
    readonly desired: DesiredState;
    readonly graph: CallFlowGraph;
    readonly targets: ReadonlyMap<string, SourceLocation>;
    readonly assistantNames?: ReadonlyMap<string, string>;
}): { html: string; style: string } {
    const svg = (['wide', 'tall'] as const).map(layout => renderCallFlowSvg(input.graph, { layout, targets: input.targets })).join('');
    return {
        html: `<div class="diagram">${svg}</div>${LEGEND}${renderCallFlowTable(input.desired, input.assistantNames)}`,
        style: layoutSwitch(input.graph),
    };
}

export type CallFlowPageContent =
    | {
          readonly kind: 'diagram';
          readonly integration: string;
          readonly fileName: string;
          readonly diagram: { html: string; style: string };
          /** Where the assistant names come from ("names read by the plan at 02:14"), or null before any read. */
          readonly namesNote: string | null;
      }
    | {
          readonly kind: 'errors';
          readonly fileName: string;
          /** formatProblems' lines; empty when the file cannot be built for another reason (`message`). */
          readonly problems: readonly string[];
          readonly message: string;
          readonly lastGood: { html: string; style: string } | undefined;
      };

export function renderCallFlowPage(content: CallFlowPageContent, nonce: string): string {
    let body: string;
    let extraStyle: string;
    if (content.kind === 'diagram') {
        body =
            `<h1>Integration ${escapeXml(content.integration)} <small>${escapeXml(content.fileName)}</small></h1>` +
            (content.namesNote ? `<p class="names">${escapeXml(content.namesNote)}</p>` : '') +
            content.diagram.html;
        extraStyle = content.diagram.style;
    } else {
        const count = content.problems.length;
        body =
            `<h1>${escapeXml(content.fileName)}</h1>` +
            (count > 0
                ? `<p>${count} error${count === 1 ? '' : 's'} to fix first:</p><ul class="problems">${content.problems.map(p => `<li>${escapeXml(p)}</li>`).join('')}</ul>`
                : `<p class="problems">${escapeXml(content.message)}</p>`) +
            (content.lastGood ? `<p class="stale">The last valid version of the file:</p>${content.lastGood.html}` : '');
        extraStyle = content.lastGood?.style ?? '';
    }
    const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src data:; font-src 'none'; script-src 'nonce-${nonce}'; connect-src 'none'; frame-src 'none'; form-action 'none'`;
    return (
        `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"><style nonce="${nonce}">${STYLE}${extraStyle}</style><title>SIPflow call flow</title></head>` +
        `<body>${body}<script nonce="${nonce}">${SCRIPT}</script></body></html>`
    );
}
