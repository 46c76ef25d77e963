import type { DesiredState } from '../model/index.js';
import type { CallFlowEdge, CallFlowGraph, CallFlowNode, SourceLocation } from '../graph/index.js';

/**
 * The Call Flow diagram as SVG, drawn at its natural size (1 user unit = 1 CSS px, never scaled down, so
 * its text stays 11–13 px; the page scrolls instead). Two layouts: `wide` puts the four stages in
 * columns left to right, `tall` stacks them top to bottom with the departments side by side, which fits
 * a narrow beside-editor panel; the page's CSS shows one of them (./call-flow-html.ts).
 */
export type CallFlowLayout = 'wide' | 'tall';

const STAGE_TITLES = ['DID (Dixa number)', 'Dixa phone flow', 'Synthflow assistant', 'Dixa queue'];
const NODE_W = 224;
const NODE_H = 56;
/** Wide: space between columns (edge labels sit there) and between rows. */
const WIDE_GAP = 96;
const WIDE_ROW = 104;
/** Tall: space between departments side by side and between stages. */
const TALL_GAP = 28;
const TALL_STAGE = 132;
const MARGIN = 16;
const TOP = 44;
/** Characters that fit a node at 13 px (label, semi-bold) and 11 px (detail). */
const LABEL_CHARS = 27;
const DETAIL_CHARS = 33;

interface Point {
    readonly x: number;
    readonly y: number;
}
interface LabelPoint extends Point {
    readonly anchor?: 'start' | 'middle' | 'end';
}

export function escapeXml(text: string): string {
    return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Nodes per stage; queues and URIs (shared by departments) are counted on their own. */
function lanes(graph: CallFlowGraph): number {
    return Math.max(graph.rows, 1);
}

function position(graph: CallFlowGraph, node: CallFlowNode, layout: CallFlowLayout): Point {
    const inStage = graph.nodes.filter(n => n.column === node.column).length;
    // A stage with fewer nodes than lanes is centred, so that shared queues sit between their users.
    const spread = inStage < lanes(graph) ? (lanes(graph) - inStage) / 2 : 0;
    const lane = spread + node.row;
    return layout === 'wide'
        ? { x: MARGIN + node.column * (NODE_W + WIDE_GAP), y: TOP + lane * WIDE_ROW }
        : { x: MARGIN + lane * (NODE_W + TALL_GAP), y: TOP + node.column * TALL_STAGE };
}

export function diagramSize(graph: CallFlowGraph, layout: CallFlowLayout): { width: number; height: number } {
    return layout === 'wide'
        ? { width: 2 * MARGIN + 4 * NODE_W + 3 * WIDE_GAP, height: TOP + lanes(graph) * WIDE_ROW + 24 }
        : { width: 2 * MARGIN + lanes(graph) * NODE_W + (lanes(graph) - 1) * TALL_GAP + 40, height: TOP + 3 * TALL_STAGE + NODE_H + 24 };
}

/** What a node is, said in words: the accessible name of its focusable element. */
export function describeNode(n: CallFlowNode): string {
    switch (n.kind) {
        case 'did':
            return `DID ${n.label}, ${n.detail}`;
        case 'flow':
            return `Dixa phone flow ${n.label}, ${n.detail}`;
        case 'assistant':
            return `Synthflow assistant ${n.label}${n.label.includes(n.detail) ? '' : `, id ${n.detail}`}`;
        case 'queue':
            return `Dixa queue ${n.label}, ${n.detail}`;
        case 'uri':
            return `Escalation target ${n.label}`;
    }
}

/**
 * An SVG element for the graph. Self-contained: no script, no external reference; colours come from
 * CSS classes. A node or an escalation/fallback label with a declaration in `targets` is a focusable
 * button (`tabindex`, `role`, `aria-label`) whose `data-target` is its key there (node id, or
 * `edge:{index}`); the page's script reveals it.
 */
export function renderCallFlowSvg(graph: CallFlowGraph, options: { layout?: CallFlowLayout; targets?: ReadonlyMap<string, SourceLocation> } = {}): string {
    const layout = options.layout ?? 'wide';
    const targets = options.targets ?? new Map<string, SourceLocation>();
    const at = new Map(graph.nodes.map(n => [n.id, position(graph, n, layout)]));
    const { width, height } = diagramSize(graph, layout);
    const titles =
        layout === 'wide'
            ? STAGE_TITLES.map((t, i) => `<text class="column" x="${MARGIN + i * (NODE_W + WIDE_GAP) + NODE_W / 2}" y="24" text-anchor="middle">${escapeXml(t)}</text>`).join('')
            : STAGE_TITLES.map((t, i) => `<text class="column" x="${MARGIN}" y="${TOP + i * TALL_STAGE - 10}">${escapeXml(t)}</text>`).join('');
    const routed = graph.edges.map(e => route(e, at, layout));
    const paths = graph.edges.map((e, i) => `<path class="edge ${e.kind}" d="${routed[i]!.d}" marker-end="url(#arrow-${layout}-${e.kind})"/>`).join('');
    const nodes = graph.nodes.map(n => node(n, at.get(n.id)!, targets.get(n.id) ? n.id : undefined)).join('');
    const labels = graph.edges.map((e, i) => edgeLabel(e, routed[i]!.label, targets.get(`edge:${i}`) ? `edge:${i}` : undefined)).join('');
    return (
        `<svg xmlns="http://www.w3.org/2000/svg" class="callflow ${layout}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="Call flow of integration ${escapeXml(graph.integration)}">` +
        '<defs>' +
        ['inbound', 'transfer', 'escalate', 'fallback']
            .map(
                k =>
                    `<marker id="arrow-${layout}-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow ${k}" d="M0,0 L10,5 L0,10 z"/></marker>`,
            )
            .join('') +
        '</defs>' +
        titles +
        paths +
        nodes +
        labels +
        '</svg>'
    );
}

function interactive(target: string | undefined, label: string): string {
    return target === undefined ? '' : ` tabindex="0" role="button" data-target="${escapeXml(target)}" aria-label="${escapeXml(`${label}. Reveal its declaration`)}"`;
}

function node(n: CallFlowNode, p: Point, target: string | undefined): string {
    return (
        `<g class="node ${n.kind}" data-id="${escapeXml(n.id)}"${interactive(target, describeNode(n))}><title>${escapeXml(`${n.label}\n${n.detail}`)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="8"/>` +
        `<text class="label" x="${p.x + 12}" y="${p.y + 23}">${escapeXml(truncate(n.label, LABEL_CHARS))}</text>` +
        `<text class="detail" x="${p.x + 12}" y="${p.y + 42}">${escapeXml(truncate(n.detail, DETAIL_CHARS))}</text></g>`
    );
}

function edgeLabel(e: CallFlowEdge, at: LabelPoint, target: string | undefined): string {
    return (
        `<g class="edge-label ${e.kind}"${interactive(target, e.detail)}><title>${escapeXml(e.detail)}</title>` +
        `<text x="${at.x}" y="${at.y}" text-anchor="${at.anchor ?? 'middle'}">${escapeXml(truncate(e.label, 28))}</text></g>`
    );
}

/** The edge's path and where its label goes. */
function route(e: CallFlowEdge, at: ReadonlyMap<string, Point>, layout: CallFlowLayout): { d: string; label: LabelPoint } {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    if (layout === 'wide') {
        if (e.kind === 'fallback') {
            // From the flow's bottom edge, under the assistant column, into the queue's left side.
            const x1 = a.x + NODE_W / 2;
            const y1 = a.y + NODE_H;
            const x2 = b.x;
            const y2 = b.y + NODE_H - 12;
            const dip = Math.max(y1, y2) + 26;
            return { d: `M${x1},${y1} C${x1},${dip} ${x2 - 120},${dip} ${x2},${y2}`, label: { x: (x1 + x2) / 2, y: dip + 12 } };
        }
        const shift = e.kind === 'escalate' ? 6 : 0;
        const x1 = a.x + NODE_W;
        const y1 = a.y + NODE_H / 2 - shift;
        const x2 = b.x;
        const y2 = b.y + NODE_H / 2 - shift;
        const mx = (x1 + x2) / 2;
        return { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, label: { x: mx, y: (y1 + y2) / 2 - 6 } };
    }
    if (e.kind === 'fallback') {
        // From the flow's right side, past the assistant, into the queue's top right; labelled under the assistant.
        const x1 = a.x + NODE_W;
        const y1 = a.y + NODE_H / 2;
        const x2 = b.x + NODE_W - 24;
        const y2 = b.y;
        const side = Math.max(x1, x2) + 16;
        return { d: `M${x1},${y1} C${side},${y1} ${side},${y2 - 60} ${x2},${y2}`, label: { x: a.x + NODE_W + 10, y: a.y + TALL_STAGE + NODE_H + 34, anchor: 'end' } };
    }
    // Vertical edges run right of centre, clear of the stage titles on the left; labels start beside them.
    const along = e.kind === 'escalate' ? 0.5 : 0.75;
    const x1 = a.x + NODE_W * along;
    const y1 = a.y + NODE_H;
    const x2 = b.x + NODE_W * along;
    const y2 = b.y;
    const my = (y1 + y2) / 2;
    return { d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`, label: { x: Math.min(x1, x2) + 6, y: e.kind === 'escalate' ? y1 + 16 : my - 4, anchor: 'start' } };
}

/**
 * The same information as a table (readable by screen readers, and with the full addresses). Each cell
 * carries its column's name, so that the narrow layout can stack a row's cells as labelled lines.
 */
export function renderCallFlowTable(desired: DesiredState, assistantNames?: ReadonlyMap<string, string>): string {
    const headings = ['Department', 'DID', 'Dixa flow', 'Dixa transfer dials', 'Synthflow assistant', 'Timeout → fallback', 'Escalations'];
    const queueName = new Map(desired.queues.map(q => [q.key, q.name]));
    // One element per value, so that the stacked layout's grid has two items: the label and the value.
    const cell = (column: number, html: string) => `<td data-label="${escapeXml(headings[column]!)}"><div>${html}</div></td>`;
    const rows = desired.departments
        .map(d => {
            const name = assistantNames?.get(d.assistantId)?.trim();
            return (
                '<tr>' +
                cell(0, escapeXml(d.key)) +
                cell(1, escapeXml(d.did)) +
                cell(2, escapeXml(d.flow ?? '—')) +
                cell(3, `<code>${escapeXml(d.transferSipAddress)}</code><br><small>UUI <code>${escapeXml(d.uui.header)}</code></small>`) +
                cell(4, name ? `${escapeXml(name)}<br><small><code>${escapeXml(d.assistantId)}</code></small>` : `<code>${escapeXml(d.assistantId)}</code>`) +
                cell(5, d.fallbackQueue ? `${d.timeoutSeconds}s → ${escapeXml(queueName.get(d.fallbackQueue) ?? d.fallbackQueue)}` : '—') +
                cell(6, d.escalations.map(e => `${escapeXml(e.mode)} → <code>${escapeXml(e.target)}</code>`).join('<br>') || '—') +
                '</tr>'
            );
        })
        .join('');
    return `<table class="details"><thead><tr>${headings.map(h => `<th scope="col">${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
}
