import type { CallFlowEdge, CallFlowGraph } from './call-flow-graph.js';

/** What a plan item is about, as far as the call flow is concerned (PlanItem has these fields). */
export interface TouchingItem {
    readonly resource: string;
    readonly kind: string;
    readonly key: string;
    readonly departments: readonly string[];
}

/** Part of a call-flow graph: node ids, and edges by their index in `graph.edges`. */
export interface CallFlowSelection {
    readonly nodes: ReadonlySet<string>;
    readonly edges: ReadonlySet<number>;
}

/**
 * The nodes and edges a plan's items change: a number is the DID's way in, the transfer action is the
 * escalation edge to its target, a queue is its node, a phone flow is the flow and its edges, and so on.
 * Unchanged items touch nothing.
 */
export function touchedBy(graph: CallFlowGraph, items: readonly TouchingItem[]): CallFlowSelection {
    const nodes = new Set<string>();
    const edges = new Set<number>();
    const markEdges = (match: (edge: CallFlowEdge) => boolean, withTarget = false) => {
        graph.edges.forEach((edge, index) => {
            if (!match(edge)) return;
            edges.add(index);
            if (withTarget) nodes.add(edge.to);
        });
    };
    const departmentNode = (department: string, kind: string) => graph.nodes.find(n => n.department === department && n.kind === kind)?.id;
    for (const item of items) {
        if (item.kind === 'no-op') continue;
        const departments = new Set(item.departments);
        const ofItem = (edge: CallFlowEdge, kind: CallFlowEdge['kind']) => edge.kind === kind && departments.has(edge.department);
        const mark = (kind: string) => {
            for (const department of departments) {
                const id = departmentNode(department, kind);
                if (id !== undefined) nodes.add(id);
            }
        };
        switch (item.resource) {
            case 'queue':
            case 'queue-routing': {
                const queueNodes = graph.nodes.filter(n => n.kind === 'queue' && (n.label === item.key || (n.queue !== null && departments.has(n.queue))));
                for (const node of queueNodes) nodes.add(node.id);
                markEdges(edge => queueNodes.some(n => n.id === edge.to) && (departments.size === 0 || departments.has(edge.department) || item.resource === 'queue'));
                break;
            }
            case 'number':
                mark('did');
                markEdges(edge => ofItem(edge, 'transfer'));
                break;
            case 'assistant-numbers':
                mark('assistant');
                markEdges(edge => ofItem(edge, 'transfer'));
                break;
            case 'assistant':
            case 'assistant-actions':
                mark('assistant');
                break;
            case 'transfer-action': {
                mark('assistant');
                const exact = graph.edges.some(edge => ofItem(edge, 'escalate') && edge.target === item.key);
                markEdges(edge => ofItem(edge, 'escalate') && (!exact || edge.target === item.key), true);
                break;
            }
            case 'phone-flow':
                mark('flow');
                markEdges(edge => departments.has(edge.department) && edge.kind !== 'escalate', true);
                break;
            case 'sip-settings':
                // The allowlist and the SIP settings concern every transfer to Synthflow (of the departments named, else all).
                markEdges(edge => edge.kind === 'transfer' && (departments.size === 0 || departments.has(edge.department)));
                break;
            default:
                mark('did');
        }
    }
    return { nodes, edges };
}

/**
 * The graph reduced to the departments a selection touches (their whole path, so the change is shown in
 * context), with the queues they reach. Edge indices in the selection are renumbered to the new graph.
 */
export function subgraphOf(graph: CallFlowGraph, selection: CallFlowSelection): { graph: CallFlowGraph; selection: CallFlowSelection } {
    const departments = new Set<string>();
    for (const id of selection.nodes) {
        const node = graph.nodes.find(n => n.id === id);
        if (node?.department) departments.add(node.department);
    }
    for (const index of selection.edges) departments.add(graph.edges[index]!.department);
    // A queue changed on its own (no department reaches it yet) still belongs in the picture.
    const keptEdges = graph.edges.map((edge, index) => ({ edge, index })).filter(({ edge }) => departments.has(edge.department));
    const reached = new Set(keptEdges.flatMap(({ edge }) => [edge.from, edge.to]));
    const nodes = graph.nodes.filter(n => (n.department !== null ? departments.has(n.department) : reached.has(n.id) || selection.nodes.has(n.id)));
    const renumbered = new Set<number>();
    keptEdges.forEach(({ index }, newIndex) => {
        if (selection.edges.has(index)) renumbered.add(newIndex);
    });
    return {
        graph: { integration: graph.integration, nodes, edges: keptEdges.map(({ edge }) => edge), rows: Math.max(departments.size, 1) },
        selection: { nodes: new Set([...selection.nodes].filter(id => nodes.some(n => n.id === id))), edges: renumbered },
    };
}
