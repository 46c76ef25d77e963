import type { CallFlowGraph, CallFlowNodeKind } from './call-flow-graph.js';
import type { CallFlowSelection } from './highlight.js';

/** A DOT quoted string: only `"` and `\` need escaping; newlines become `\n` (a centred line break). */
export function quoteDot(text: string): string {
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

const SHAPES: Record<CallFlowNodeKind, string> = { did: 'ellipse', flow: 'box', assistant: 'component', queue: 'cylinder', uri: 'note' };

export interface DotOptions {
    readonly highlight?: CallFlowSelection;
}

/** A Graphviz digraph of the call flow, left to right; escalations orange, fallbacks dashed red. */
export function renderCallFlowDot(graph: CallFlowGraph, options: DotOptions = {}): string {
    const lines = [`digraph ${quoteDot(graph.integration)} {`, '    rankdir=LR;', '    node [fontname="Helvetica"];', '    edge [fontname="Helvetica", fontsize=10];'];
    const changed = options.highlight;
    for (const node of graph.nodes) {
        const attributes = [`label=${quoteDot(node.label)}`, `tooltip=${quoteDot(node.detail)}`, `shape=${SHAPES[node.kind]}`];
        if (changed?.nodes.has(node.id)) attributes.push('color="#d29922"', 'penwidth=3');
        lines.push(`    ${quoteDot(node.id)} [${attributes.join(', ')}];`);
    }
    graph.edges.forEach((edge, index) => {
        const attributes = [`label=${quoteDot(edge.label)}`, `tooltip=${quoteDot(edge.detail)}`];
        if (edge.kind === 'fallback') attributes.push('style=dashed', 'color="#f14c4c"');
        if (edge.kind === 'escalate') attributes.push('color="#d18616"');
        if (changed?.edges.has(index)) attributes.push('penwidth=3');
        lines.push(`    ${quoteDot(edge.from)} -> ${quoteDot(edge.to)} [${attributes.join(', ')}];`);
    });
    lines.push('}');
    return `${lines.join('\n')}\n`;
}
