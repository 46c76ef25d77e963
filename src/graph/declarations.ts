import { GrammarUtils, type AstNode, type LangiumDocument } from 'langium';
import type { Department, Queue, SipflowFile } from '../language/generated/ast.js';
import type { CallFlowGraph } from './call-flow-graph.js';

/** A place in a source file: the document URI and a 0-based range (as LSP and VS Code count). */
export interface SourceLocation {
    readonly uri: string;
    readonly range: {
        readonly start: { readonly line: number; readonly character: number };
        readonly end: { readonly line: number; readonly character: number };
    };
}

export interface DepartmentDeclaration {
    /** The department's name in `department support { … }`. */
    readonly name: SourceLocation;
    readonly did: SourceLocation | null;
    readonly flow: SourceLocation | null;
    readonly assistant: SourceLocation | null;
    /** The queue name after `fallback`. */
    readonly fallback: SourceLocation | null;
    /** The target of each `escalate` (queue name or URI string), in file order. */
    readonly escalations: readonly SourceLocation[];
}

/** Where the integration's departments and queues are declared (top-level blocks, not environment overrides). */
export interface Declarations {
    readonly departments: ReadonlyMap<string, DepartmentDeclaration>;
    readonly queues: ReadonlyMap<string, SourceLocation>;
}

function locate(uri: string, node: AstNode, property: string, index?: number): SourceLocation | null {
    const cst = GrammarUtils.findNodeForProperty(node.$cstNode, property, index);
    return cst ? { uri, range: cst.range } : null;
}

/** Reads the declarations off validated documents of one integration; the first declaration of a key wins. */
export function declarationsOf(documents: readonly LangiumDocument<SipflowFile>[]): Declarations {
    const departments = new Map<string, DepartmentDeclaration>();
    const queues = new Map<string, SourceLocation>();
    for (const document of documents) {
        const uri = document.uri.toString();
        for (const member of document.parseResult.value.integration?.members ?? []) {
            if (member.$type === 'Queue') {
                const queue = member as Queue;
                const name = locate(uri, queue, 'name');
                if (name && !queues.has(queue.name)) queues.set(queue.name, name);
            } else if (member.$type === 'Department') {
                const department = member as Department;
                const name = locate(uri, department, 'name');
                if (!name || departments.has(department.name)) continue;
                departments.set(department.name, {
                    name,
                    did: locate(uri, department, 'did'),
                    flow: locate(uri, department, 'flow'),
                    assistant: locate(uri, department, 'assistant'),
                    fallback: locate(uri, department, 'fallback'),
                    escalations: department.escalations.flatMap(e => locate(uri, e, e.queue !== undefined ? 'queue' : 'uri') ?? []),
                });
            }
        }
    }
    return { departments, queues };
}

/** What a click on a node or an edge label reveals. Edges are keyed `edge:{index in graph.edges}`. */
export function revealTargets(graph: CallFlowGraph, declarations: Declarations): Map<string, SourceLocation> {
    const targets = new Map<string, SourceLocation>();
    const set = (key: string, location: SourceLocation | null | undefined) => {
        if (location) targets.set(key, location);
    };
    for (const node of graph.nodes) {
        const department = node.department !== null ? declarations.departments.get(node.department) : undefined;
        switch (node.kind) {
            case 'did':
                set(node.id, department?.name);
                break;
            case 'flow':
                set(node.id, department?.flow ?? department?.name);
                break;
            case 'assistant':
                set(node.id, department?.assistant ?? department?.name);
                break;
            case 'queue':
                set(node.id, node.queue !== null ? declarations.queues.get(node.queue) : undefined);
                break;
            case 'uri': {
                // An explicit SIP URI is declared where the first department escalates to it.
                const index = graph.edges.findIndex(e => e.to === node.id);
                if (index >= 0) set(node.id, escalationOf(graph, index, declarations));
                break;
            }
        }
    }
    graph.edges.forEach((edge, index) => {
        const department = declarations.departments.get(edge.department);
        if (edge.kind === 'escalate') set(`edge:${index}`, escalationOf(graph, index, declarations));
        else if (edge.kind === 'fallback') set(`edge:${index}`, department?.fallback);
    });
    return targets;
}

/** The `escalate` line of an escalation edge: the department's n-th escalation is its n-th escalate edge. */
function escalationOf(graph: CallFlowGraph, index: number, declarations: Declarations): SourceLocation | undefined {
    const edge = graph.edges[index]!;
    const nth = graph.edges.slice(0, index).filter(e => e.kind === 'escalate' && e.department === edge.department).length;
    return declarations.departments.get(edge.department)?.escalations[nth];
}
