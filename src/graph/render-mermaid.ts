import type { CallFlowGraph, CallFlowNodeKind } from './call-flow-graph.js';
import type { CallFlowSelection } from './highlight.js';

/**
 * Mermaid's `#…;` entity codes for every character that could end a label or start markup inside one:
 * quotes, brackets and braces (shape delimiters), `|` (edge-label delimiter), `<`/`>` (HTML), `#`, `&`
 * and `;`. Other characters (en dashes, `→`, `“…”`) are plain UTF-8, which Mermaid draws as they are.
 */
export function escapeMermaid(text: string): string {
    return text.replace(/[\n\r]+/g, ' ').replace(/["#&;<>[\]{}|()`]/g, ch => `#${ch.codePointAt(0)};`);
}

const SHAPES: Record<CallFlowNodeKind, readonly [string, string]> = {
    did: ['([', '])'],
    flow: ['[', ']'],
    assistant: ['[[', ']]'],
    queue: ['[(', ')]'],
    uri: ['>', ']'],
};

export interface MermaidOptions {
    /** Drawn bold in a highlight colour (the plan's changes). */
    readonly highlight?: CallFlowSelection;
}

/** A Mermaid `flowchart LR` of the call flow. Node ids are `n0…` (Mermaid ids may not hold `:`). */
export function renderCallFlowMermaid(graph: CallFlowGraph, options: MermaidOptions = {}): string {
    const ids = new Map(graph.nodes.map((n, index) => [n.id, `n${index}`]));
    const lines = ['flowchart LR'];
    for (const node of graph.nodes) {
        const [open, close] = SHAPES[node.kind];
        lines.push(`    ${ids.get(node.id)}${open}"${escapeMermaid(node.label)}"${close}`);
    }
    for (const edge of graph.edges) {
        const arrow = edge.kind === 'fallback' ? '-.->' : '-->';
        lines.push(`    ${ids.get(edge.from)} ${arrow}|"${escapeMermaid(edge.label)}"| ${ids.get(edge.to)}`);
    }
    const highlight = options.highlight;
    if (highlight && (highlight.nodes.size > 0 || highlight.edges.size > 0)) {
        lines.push('    classDef changed stroke:#d29922,stroke-width:3px');
        const changed = graph.nodes.filter(n => highlight.nodes.has(n.id)).map(n => ids.get(n.id)!);
        if (changed.length > 0) lines.push(`    class ${changed.join(',')} changed`);
        const edges = [...highlight.edges].filter(i => i < graph.edges.length).sort((a, b) => a - b);
        if (edges.length > 0) lines.push(`    linkStyle ${edges.join(',')} stroke:#d29922,stroke-width:3px`);
    }
    return `${lines.join('\n')}\n`;
}
