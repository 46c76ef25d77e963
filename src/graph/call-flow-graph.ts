import type { DesiredState } from '../model/index.js';

/**
 * The call-flow diagram's graph, read off the desired state (src/model computes every value shown):
 * per department, DID → Dixa phone flow → (SIP transfer) → Synthflow assistant → (escalation) → queue,
 * and the flow's timeout → fallback queue edge. Pure; drawn by the extension (src/extension/call-flow-svg.ts)
 * and by `sipflow graph` / `plan --format markdown` (./render-mermaid.ts, ./render-dot.ts).
 */
export type CallFlowNodeKind = 'did' | 'flow' | 'assistant' | 'queue' | 'uri';
export type CallFlowEdgeKind = 'inbound' | 'transfer' | 'escalate' | 'fallback';

export interface CallFlowNode {
    readonly id: string;
    readonly kind: CallFlowNodeKind;
    readonly label: string;
    readonly detail: string;
    /** The department the node belongs to (DID, flow, assistant); null for queues and URIs, which departments share. */
    readonly department: string | null;
    /** The queue's file key, for queue nodes. */
    readonly queue: string | null;
    /** Layout column 0..3 and row within the column. */
    readonly column: number;
    readonly row: number;
}

export interface CallFlowEdge {
    readonly from: string;
    readonly to: string;
    readonly kind: CallFlowEdgeKind;
    /** Short, drawn on the edge. */
    readonly label: string;
    /** Complete, in the tooltip and the table. */
    readonly detail: string;
    /** The department whose call takes this edge. */
    readonly department: string;
    /** For escalations: the transfer target (the URI Synthflow dials). */
    readonly target: string | null;
}

export interface CallFlowGraph {
    readonly integration: string;
    readonly nodes: readonly CallFlowNode[];
    readonly edges: readonly CallFlowEdge[];
    /** Rows the layout needs (departments, or queues when there are more of them). */
    readonly rows: number;
}

export interface CallFlowGraphOptions {
    /** Synthflow assistant names by `model_id`, when they were read (the file only has the id, which stays the node's detail). */
    readonly assistantNames?: ReadonlyMap<string, string>;
}

export function callFlowGraph(desired: DesiredState, options: CallFlowGraphOptions = {}): CallFlowGraph {
    const nodes: CallFlowNode[] = [];
    const edges: CallFlowEdge[] = [];
    const queueNode = new Map<string, string>();
    const queueName = new Map(desired.queues.map(q => [q.key, q]));
    let queueRow = 0;
    const targetNode = (queue: string | null, uri: string): string => {
        const key = queue ?? `uri:${uri}`;
        let id = queueNode.get(key);
        if (!id) {
            id = `q${queueNode.size}`;
            queueNode.set(key, id);
            const q = queue ? queueName.get(queue) : undefined;
            nodes.push(
                q
                    ? {
                          id,
                          kind: 'queue',
                          label: q.name,
                          detail: `${q.kind === 'ring-group' ? 'ring group' : 'queue'} ${q.key} · ${q.did}`,
                          department: null,
                          queue: q.key,
                          column: 3,
                          row: queueRow++,
                      }
                    : { id, kind: 'uri', label: uri, detail: 'SIP URI', department: null, queue: null, column: 3, row: queueRow++ },
            );
        }
        return id;
    };

    desired.departments.forEach((d, row) => {
        const did = `did:${d.key}`;
        const flow = `flow:${d.key}`;
        const assistant = `assistant:${d.key}`;
        const department = d.key;
        // A blank name (Synthflow allows one) says less than the id.
        const assistantName = options.assistantNames?.get(d.assistantId)?.trim() || undefined;
        nodes.push(...departmentNodes(d, row, assistantName));
        edges.push({ from: did, to: flow, kind: 'inbound', label: 'inbound call', detail: `A call to ${d.did} enters Dixa's phone flow`, department, target: null });
        edges.push({
            from: flow,
            to: assistant,
            kind: 'transfer',
            label: 'SIP transfer',
            detail: `Dixa dials ${d.transferSipAddress} with UUI ${d.uui.header}`,
            department,
            target: null,
        });
        for (const e of d.escalations) {
            edges.push({
                from: assistant,
                to: targetNode(e.queue, e.target),
                kind: 'escalate',
                label: `escalate (${e.mode})`,
                detail: `Synthflow live transfer (${e.mode}) to ${e.target}`,
                department,
                target: e.target,
            });
        }
        if (d.fallbackQueue) {
            const q = queueName.get(d.fallbackQueue);
            edges.push({
                from: flow,
                to: targetNode(d.fallbackQueue, q?.escalationUri ?? d.fallbackQueue),
                kind: 'fallback',
                label: `no answer in ${d.timeoutSeconds}s → fallback`,
                detail: `If Synthflow does not answer within ${d.timeoutSeconds}s, Dixa routes the call to ${q?.name ?? d.fallbackQueue}`,
                department,
                target: null,
            });
        }
    });
    // Declared queues nobody reaches still belong in the picture.
    for (const q of desired.queues) targetNode(q.key, q.escalationUri);
    return { integration: desired.integration, nodes, edges, rows: Math.max(desired.departments.length, queueRow, 1) };
}

/** A department's row: its DID, its Dixa flow and its assistant (by name when one was read). */
function departmentNodes(d: DesiredState['departments'][number], row: number, assistantName: string | undefined): CallFlowNode[] {
    const department = d.key;
    return [
        { id: `did:${department}`, kind: 'did', label: d.did, detail: `department ${department}`, department, queue: null, column: 0, row },
        {
            id: `flow:${department}`,
            kind: 'flow',
            label: d.flow ? `“${d.flow}”` : 'Dixa phone flow',
            detail: `Dixa flow · timeout ${d.timeoutSeconds}s`,
            department,
            queue: null,
            column: 1,
            row,
        },
        {
            id: `assistant:${department}`,
            kind: 'assistant',
            label: assistantName !== undefined ? assistantName : `assistant ${d.assistantId.slice(0, 8)}…`,
            detail: d.assistantId,
            department,
            queue: null,
            column: 2,
            row,
        },
    ];
}
