import { fromDot } from 'ts-graphviz';
import { beforeAll, describe, expect, it } from 'vitest';
import { callFlowGraph, escapeMermaid, quoteDot, renderCallFlowDot, renderCallFlowMermaid, subgraphOf, touchedBy, type CallFlowGraph } from '../../src/graph/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { desiredFrom, EXAMPLE, exampleWith } from '../model/helpers.js';

const SUPPORT = 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6';
const SALES = '0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90';

let desired: DesiredState;
let graph: CallFlowGraph;
beforeAll(async () => {
    desired = await desiredFrom(EXAMPLE);
    graph = callFlowGraph(desired);
});

/** `from -kind-> to` by label, to read the example's edges at a glance. */
const edgeLines = (g: CallFlowGraph) => {
    const label = new Map(g.nodes.map(n => [n.id, n.label]));
    return g.edges.map(e => `${label.get(e.from)} -${e.kind}-> ${label.get(e.to)}`);
};

describe('call-flow graph of the canonical example', () => {
    it('has a DID, a flow and an assistant per department, and each queue once', () => {
        expect(graph.nodes.map(n => [n.id, n.kind, n.label])).toEqual([
            ['did:support', 'did', '+4535551234'],
            ['flow:support', 'flow', '“Support DK”'],
            ['assistant:support', 'assistant', 'assistant b336ab4e…'],
            ['q0', 'queue', 'Phone – Tier 1'],
            ['did:sales', 'did', '+4535555678'],
            ['flow:sales', 'flow', '“Sales DK”'],
            ['assistant:sales', 'assistant', 'assistant 0e4d6c2a…'],
            ['q1', 'queue', 'Phone – Sales'],
        ]);
        expect(graph.nodes.find(n => n.id === 'q1')?.detail).toBe('ring group sales_desk · +4570102222');
        expect(graph.rows).toBe(2);
    });

    it('links DID → flow → assistant → escalation queue, with the timeout fallback from the flow', () => {
        expect(edgeLines(graph)).toEqual([
            '+4535551234 -inbound-> “Support DK”',
            '“Support DK” -transfer-> assistant b336ab4e…',
            'assistant b336ab4e… -escalate-> Phone – Tier 1',
            '“Support DK” -fallback-> Phone – Tier 1',
            '+4535555678 -inbound-> “Sales DK”',
            '“Sales DK” -transfer-> assistant 0e4d6c2a…',
            'assistant 0e4d6c2a… -escalate-> Phone – Sales',
            '“Sales DK” -fallback-> Phone – Sales',
        ]);
        expect(graph.edges[3]?.label).toBe('no answer in 30s → fallback');
        expect(graph.edges[1]?.detail).toBe('Dixa dials +4535551234@sip.eu.synthflow.ai:32681 with UUI phone_number={caller}');
        expect(graph.edges[2]).toMatchObject({ department: 'support', target: 'sip:+4570101111@acme.sip.dixa.com', label: 'escalate (warm)' });
    });

    it('names the assistant when its name is known', () => {
        const named = callFlowGraph(desired, { assistantNames: new Map([[SUPPORT, 'Acme DK front door']]) });
        expect(named.nodes.find(n => n.id === 'assistant:support')?.label).toBe('Acme DK front door');
        expect(named.nodes.find(n => n.id === 'assistant:sales')?.label).toBe('assistant 0e4d6c2a…');
    });

    it('draws an explicit SIP URI escalation as its own target node', async () => {
        const g = callFlowGraph(await desiredFrom(exampleWith(['escalate sales_desk', 'escalate "sip:+4570109999@acme.sip.dixa.com"'])));
        expect(g.nodes.find(n => n.kind === 'uri')?.label).toBe('sip:+4570109999@acme.sip.dixa.com');
        expect(edgeLines(g)).toContain('assistant 0e4d6c2a… -escalate-> sip:+4570109999@acme.sip.dixa.com');
    });
});

describe('Mermaid rendering', () => {
    it('is the flowchart LR of the example', () => {
        expect(renderCallFlowMermaid(graph)).toBe(
            [
                'flowchart LR',
                '    n0(["+4535551234"])',
                '    n1["“Support DK”"]',
                '    n2[["assistant b336ab4e…"]]',
                '    n3[("Phone – Tier 1")]',
                '    n4(["+4535555678"])',
                '    n5["“Sales DK”"]',
                '    n6[["assistant 0e4d6c2a…"]]',
                '    n7[("Phone – Sales")]',
                '    n0 -->|"inbound call"| n1',
                '    n1 -->|"SIP transfer"| n2',
                '    n2 -->|"escalate #40;warm#41;"| n3',
                '    n1 -.->|"no answer in 30s → fallback"| n3',
                '    n4 -->|"inbound call"| n5',
                '    n5 -->|"SIP transfer"| n6',
                '    n6 -->|"escalate #40;warm#41;"| n7',
                '    n5 -.->|"no answer in 30s → fallback"| n7',
                '',
            ].join('\n'),
        );
    });

    it('escapes quotes, brackets and bars so that a label cannot end early', async () => {
        expect(escapeMermaid('Say "hi" [now] | {x} <b> #1; a&b')).toBe('Say #34;hi#34; #91;now#93; #124; #123;x#125; #60;b#62; #35;1#59; a#38;b');
        expect(escapeMermaid('Phone – Tier 1')).toBe('Phone – Tier 1');
        const tricky = await desiredFrom(exampleWith(['"Phone – Tier 1"', '"Tier \\"1\\" [DK] | – main"'], ['"Support DK"', '"Support ]) DK"']));
        const text = renderCallFlowMermaid(callFlowGraph(tricky));
        // Structure: every node line is `id<open>"label"<close>` with nothing special left inside the quotes.
        const nodeLines = text.split('\n').filter(l => /^ {4}n\d+[([>]/.test(l));
        expect(nodeLines).toHaveLength(8);
        for (const line of nodeLines) expect(line).toMatch(/^ {4}n\d+(\(\[|\[\[|\[\(|\[|>)"[^"[\]|(){}<>]*"(\]\)|\]\]|\)\]|\])$/);
        expect(text).toContain('n3[("Tier #34;1#34; #91;DK#93; #124; – main")]');
        expect(text).toContain('n1["“Support #93;#41; DK”"]');
    });

    it('highlights what is selected with a class and link styles', () => {
        const text = renderCallFlowMermaid(graph, { highlight: { nodes: new Set(['q1']), edges: new Set([6, 7]) } });
        expect(text.split('\n').slice(-4)).toEqual([
            '    classDef changed stroke:#d29922,stroke-width:3px',
            '    class n7 changed',
            '    linkStyle 6,7 stroke:#d29922,stroke-width:3px',
            '',
        ]);
    });
});

describe('DOT rendering', () => {
    it('is the digraph of the example', () => {
        const text = renderCallFlowDot(graph);
        expect(text.split('\n').slice(0, 6)).toEqual([
            'digraph "acme" {',
            '    rankdir=LR;',
            '    node [fontname="Helvetica"];',
            '    edge [fontname="Helvetica", fontsize=10];',
            '    "did:support" [label="+4535551234", tooltip="department support", shape=ellipse];',
            '    "flow:support" [label="“Support DK”", tooltip="Dixa flow · timeout 30s", shape=box];',
        ]);
        expect(text).toContain('    "q1" [label="Phone – Sales", tooltip="ring group sales_desk · +4570102222", shape=cylinder];');
        expect(text).toContain(
            '    "flow:sales" -> "q1" [label="no answer in 30s → fallback", tooltip="If Synthflow does not answer within 30s, Dixa routes the call to Phone – Sales", style=dashed, color="#f14c4c"];',
        );
        expect(text.endsWith('}\n')).toBe(true);
    });

    it('parses with a DOT parser to the same nodes, edges and labels, tricky labels included', async () => {
        const tricky = callFlowGraph(await desiredFrom(exampleWith(['"Phone – Tier 1"', '"Tier \\"1\\" [DK] | – main"'])));
        const parsed = fromDot(renderCallFlowDot(tricky, { highlight: touchedBy(tricky, [{ resource: 'queue', kind: 'create', key: 'Phone – Sales', departments: ['sales'] }]) }));
        expect(parsed.directed).toBe(true);
        expect(parsed.nodes.map(n => [n.id, n.attributes.get('label')])).toEqual(tricky.nodes.map(n => [n.id, n.label]));
        expect(parsed.nodes.find(n => n.id === 'q0')?.attributes.get('label')).toBe('Tier "1" [DK] | – main');
        expect(parsed.edges.map(e => e.targets.map(t => ('id' in t ? t.id : '')))).toEqual(tricky.edges.map(e => [e.from, e.to]));
        expect(parsed.edges.map(e => e.attributes.get('label'))).toEqual(tricky.edges.map(e => e.label));
        expect(parsed.nodes.find(n => n.id === 'q1')?.attributes.get('penwidth')).toBe('3');
        expect(parsed.nodes.find(n => n.id === 'q0')?.attributes.get('penwidth')).toBeUndefined();
    });

    // A backslash stays doubled at the lexical level (Graphviz's escString reads `\\` as one when it draws).
    it('quotes backslashes and quotes', () => {
        expect(quoteDot('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    });
});

describe('what a plan touches', () => {
    it('maps items to their nodes and edges; unchanged items touch nothing', () => {
        const touched = touchedBy(graph, [
            { resource: 'number', kind: 'create', key: '+4535555678', departments: ['sales'] },
            { resource: 'transfer-action', kind: 'create', key: 'sip:+4570102222@acme.sip.dixa.com', departments: ['sales'] },
            { resource: 'queue', kind: 'no-op', key: 'Phone – Tier 1', departments: ['support'] },
        ]);
        expect([...touched.nodes].sort()).toEqual(['assistant:sales', 'did:sales', 'q1']);
        expect([...touched.edges].sort()).toEqual([5, 6]);
    });

    it('a created queue is its node and the edges into it', () => {
        const touched = touchedBy(graph, [{ resource: 'queue', kind: 'create', key: 'Phone – Sales', departments: ['sales'] }]);
        expect([...touched.nodes]).toEqual(['q1']);
        expect([...touched.edges].sort()).toEqual([6, 7]);
    });

    it('the subgraph keeps only the touched departments, renumbering the highlighted edges', () => {
        const touched = touchedBy(graph, [{ resource: 'assistant-numbers', kind: 'attach', key: '+4535555678', departments: ['sales'] }]);
        const { graph: sub, selection } = subgraphOf(graph, touched);
        expect(sub.nodes.map(n => n.id)).toEqual(['did:sales', 'flow:sales', 'assistant:sales', 'q1']);
        expect(edgeLines(sub)).toHaveLength(4);
        expect([...selection.edges]).toEqual([1]);
        expect(sub.edges[1]?.kind).toBe('transfer');
        expect([...selection.nodes]).toEqual(['assistant:sales']);
        expect(sub.nodes.find(n => n.id === 'assistant:sales')?.detail).toBe(SALES);
    });
});
