import type { DesiredState } from '../model/index.js';
import type { CallFlowEdge, CallFlowGraph, CallFlowNode } from '../graph/index.js';

const COLUMN_X = [20, 390, 760, 1130];
const COLUMN_TITLES = ['DID (Dixa number)', 'Dixa phone flow', 'Synthflow assistant', 'Dixa queue'];
const NODE_W = 230;
const NODE_H = 56;
const ROW_H = 112;
const TOP = 56;

export function escapeXml(text: string): string {
    return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Rows of a column spread over the diagram's height so that shared queues sit between their users. */
function position(graph: CallFlowGraph, node: CallFlowNode): { x: number; y: number } {
    const inColumn = graph.nodes.filter(n => n.column === node.column).length;
    const spread = inColumn < graph.rows ? (graph.rows - inColumn) * ROW_H / 2 : 0;
    return { x: COLUMN_X[node.column]!, y: TOP + spread + node.row * ROW_H };
}

/** An SVG document for the graph. Self-contained: no script, no external reference; colours come from CSS classes. */
export function renderCallFlowSvg(graph: CallFlowGraph): string {
    const at = new Map(graph.nodes.map(n => [n.id, position(graph, n)]));
    const width = COLUMN_X[3]! + NODE_W + 20;
    const height = TOP + graph.rows * ROW_H + 20;
    const titles = COLUMN_TITLES.map((t, i) => `<text class="column" x="${COLUMN_X[i]! + NODE_W / 2}" y="28" text-anchor="middle">${escapeXml(t)}</text>`).join('');
    const edges = graph.edges.map(e => edge(e, at)).join('');
    const nodes = graph.nodes.map(n => node(n, at.get(n.id)!)).join('');
    return `<svg xmlns="http://www.w3.org/2000/svg" class="callflow" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Call flow of integration ${escapeXml(graph.integration)}">`
        + '<defs>'
        + ['inbound', 'transfer', 'escalate', 'fallback'].map(k => `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow ${k}" d="M0,0 L10,5 L0,10 z"/></marker>`).join('')
        + '</defs>'
        + titles + edges + nodes + '</svg>';
}

function node(n: CallFlowNode, p: { x: number; y: number }): string {
    return `<g class="node ${n.kind}" data-id="${escapeXml(n.id)}"><title>${escapeXml(`${n.label}\n${n.detail}`)}</title>`
        + `<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="8"/>`
        + `<text class="label" x="${p.x + 12}" y="${p.y + 23}">${escapeXml(truncate(n.label, 30))}</text>`
        + `<text class="detail" x="${p.x + 12}" y="${p.y + 42}">${escapeXml(truncate(n.detail, 34))}</text></g>`;
}

function edge(e: CallFlowEdge, at: Map<string, { x: number; y: number }>): string {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    let d: string;
    let lx: number;
    let ly: number;
    if (e.kind === 'fallback') {
        // From the flow's bottom edge, under the assistant column, into the queue's left side.
        const x1 = a.x + NODE_W / 2;
        const y1 = a.y + NODE_H;
        const x2 = b.x;
        const y2 = b.y + NODE_H - 12;
        const dip = Math.max(y1, y2) + 30;
        d = `M${x1},${y1} C${x1},${dip} ${x2 - 120},${dip} ${x2},${y2}`;
        lx = (x1 + x2) / 2;
        ly = dip + 12;
    } else {
        const x1 = a.x + NODE_W;
        const y1 = a.y + NODE_H / 2 - (e.kind === 'escalate' ? 6 : 0);
        const x2 = b.x;
        const y2 = b.y + NODE_H / 2 - (e.kind === 'escalate' ? 6 : 0);
        const mx = (x1 + x2) / 2;
        d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
        lx = mx;
        ly = (y1 + y2) / 2 - 6;
    }
    return `<g class="edge ${e.kind}"><title>${escapeXml(e.detail)}</title><path d="${d}" marker-end="url(#arrow-${e.kind})"/>`
        + `<text x="${lx}" y="${ly}" text-anchor="middle">${escapeXml(truncate(e.label, 28))}</text></g>`;
}

/** The same information as a table (readable by screen readers, and with the full addresses). */
export function renderCallFlowTable(desired: DesiredState): string {
    const queueName = new Map(desired.queues.map(q => [q.key, q.name]));
    const rows = desired.departments.map(d => '<tr>'
        + `<td>${escapeXml(d.key)}</td><td>${escapeXml(d.did)}</td><td>${escapeXml(d.flow ?? '—')}</td>`
        + `<td><code>${escapeXml(d.transferSipAddress)}</code><br><small>UUI <code>${escapeXml(d.uui.header)}</code></small></td>`
        + `<td><code>${escapeXml(d.assistantId)}</code></td>`
        + `<td>${d.fallbackQueue ? `${d.timeoutSeconds}s → ${escapeXml(queueName.get(d.fallbackQueue) ?? d.fallbackQueue)}` : '—'}</td>`
        + `<td>${d.escalations.map(e => `${escapeXml(e.mode)} → <code>${escapeXml(e.target)}</code>`).join('<br>') || '—'}</td>`
        + '</tr>').join('');
    return '<table class="details"><thead><tr><th>Department</th><th>DID</th><th>Dixa flow</th><th>Dixa transfer dials</th>'
        + `<th>Synthflow assistant</th><th>Timeout → fallback</th><th>Escalations</th></tr></thead><tbody>${rows}</tbody></table>`;
}
