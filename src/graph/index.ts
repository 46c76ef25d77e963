/**
 * src/graph — the call flow of an integration as a graph, read off the desired state, and its text
 * renderings. Pure: no I/O.
 *
 *   const graph = callFlowGraph(desired);
 *   renderCallFlowMermaid(graph);   // flowchart LR, for Markdown
 *   renderCallFlowDot(graph);       // Graphviz
 *   touchedBy(graph, plan.items);   // what a plan changes, to highlight
 */
export {
    callFlowGraph,
    type CallFlowEdge,
    type CallFlowEdgeKind,
    type CallFlowGraph,
    type CallFlowGraphOptions,
    type CallFlowNode,
    type CallFlowNodeKind,
} from './call-flow-graph.js';
export { subgraphOf, touchedBy, type CallFlowSelection, type TouchingItem } from './highlight.js';
export { escapeMermaid, renderCallFlowMermaid, type MermaidOptions } from './render-mermaid.js';
export { quoteDot, renderCallFlowDot, type DotOptions } from './render-dot.js';
export { declarationsOf, revealTargets, type Declarations, type DepartmentDeclaration, type SourceLocation } from './declarations.js';
