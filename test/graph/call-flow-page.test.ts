import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblems, renderCallFlowDiagram, renderCallFlowPage } from '../../src/extension/call-flow-html.js';
import { diagramSize } from '../../src/extension/call-flow-svg.js';
import { callFlowGraph, declarationsOf, revealTargets, type CallFlowGraph, type SourceLocation } from '../../src/graph/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { EXAMPLE, loadDocuments } from '../model/helpers.js';
import { buildDesiredState } from '../../src/model/index.js';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

const SUPPORT = 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6';
const NONCE = '0123456789abcdef0123456789abcdef';

function elements(node: Node, out: Element[] = []): Element[] {
    if ('tagName' in node) out.push(node);
    if ('childNodes' in node) for (const child of node.childNodes) elements(child, out);
    if ('content' in node && node.content) elements(node.content, out);
    return out;
}
const attr = (el: Element, name: string) => el.attrs.find(a => a.name === name)?.value;
const textOf = (node: Node): string => ('value' in node && node.nodeName === '#text' ? node.value : 'childNodes' in node ? node.childNodes.map(textOf).join('') : '');
const byClass = (els: Element[], tag: string, cls: string) => els.filter(e => e.tagName === tag && (attr(e, 'class') ?? '').split(/\s+/).includes(cls));

/** The text a location covers in `texts` (by URI). */
function covered(texts: ReadonlyMap<string, string>, location: SourceLocation): string {
    const lines = texts.get(location.uri)!.split('\n');
    const { start, end } = location.range;
    expect(end.line).toBe(start.line);
    return lines[start.line]!.slice(start.character, end.character);
}

let desired: DesiredState;
let graph: CallFlowGraph;
let targets: Map<string, SourceLocation>;
let texts: Map<string, string>;
beforeAll(async () => {
    const documents = await loadDocuments(EXAMPLE);
    desired = buildDesiredState(documents[0]!, []);
    graph = callFlowGraph(desired);
    targets = revealTargets(graph, declarationsOf(documents));
    texts = new Map(documents.map(d => [d.uri.toString(), d.textDocument.getText()]));
});

describe('reveal targets', () => {
    it('lead each node and each escalation/fallback edge to its declaration in the file', () => {
        const lineOf = (key: string) => texts.get(targets.get(key)!.uri)!.split('\n')[targets.get(key)!.range.start.line]!.trim();
        expect(Object.fromEntries([...targets].map(([key, location]) => [key, `${covered(texts, location)} @ ${lineOf(key)}`]))).toEqual({
            'did:support': 'support @ department support {',
            'flow:support': '"Support DK" @ flow "Support DK"',
            'assistant:support': `"${SUPPORT}" @ assistant "${SUPPORT}"`,
            'q0': 'tier1 @ queue tier1 {',
            'did:sales': 'sales @ department sales {',
            'flow:sales': '"Sales DK" @ flow "Sales DK"',
            'assistant:sales': '"0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90" @ assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90"',
            'q1': 'sales_desk @ queue sales_desk {',
            'edge:2': 'tier1 @ escalate tier1 {',
            'edge:3': 'tier1 @ fallback tier1',
            'edge:6': 'sales_desk @ escalate sales_desk',
            'edge:7': 'sales_desk @ fallback sales_desk',
        });
    });

    it('find a department declared in another file of the integration, and an explicit SIP URI where it is escalated to', async () => {
        const sales = EXAMPLE.slice(EXAMPLE.indexOf('  department sales'), EXAMPLE.lastIndexOf('}'));
        const main = EXAMPLE.replace(sales, '');
        const other = `integration acme {\n${sales.replace('escalate sales_desk', 'escalate "sip:+4570109999@acme.sip.dixa.com"')}}\n`;
        const documents = await loadDocuments(main, other);
        const g = callFlowGraph(buildDesiredState(documents[0]!, [documents[1]!]));
        const t = revealTargets(g, declarationsOf(documents));
        const otherUri = documents[1]!.uri.toString();
        const files = new Map(documents.map(d => [d.uri.toString(), d.textDocument.getText()]));
        expect(t.get('did:sales')?.uri).toBe(otherUri);
        expect(covered(files, t.get('did:sales')!)).toBe('sales');
        const uriNode = g.nodes.find(n => n.kind === 'uri')!;
        expect(t.get(uriNode.id)?.uri).toBe(otherUri);
        expect(covered(files, t.get(uriNode.id)!)).toBe('"sip:+4570109999@acme.sip.dixa.com"');
        // Every node of the graph can be revealed.
        for (const n of g.nodes) expect(t.has(n.id), n.id).toBe(true);
    });
});

describe('the Call Flow page', () => {
    const page = (names?: ReadonlyMap<string, string>) => {
        const g = callFlowGraph(desired, { assistantNames: names });
        const diagram = renderCallFlowDiagram({ desired, graph: g, targets, assistantNames: names });
        return { graph: g, html: renderCallFlowPage({ kind: 'diagram', integration: 'acme', fileName: 'acme.sipflow', diagram, namesNote: null }, NONCE) };
    };

    it('gives every node, in both layouts, a focusable button with a label and a declaration to reveal', () => {
        const { graph: g, html } = page();
        const els = elements(parse(html));
        const svgs = els.filter(e => e.tagName === 'svg');
        expect(svgs.map(s => attr(s, 'class'))).toEqual(['callflow wide', 'callflow tall']);
        for (const svg of svgs) {
            const nodes = byClass(elements(svg), 'g', 'node');
            expect(nodes.map(n => attr(n, 'data-id'))).toEqual(g.nodes.map(n => n.id));
            for (const n of nodes) {
                expect(attr(n, 'tabindex'), attr(n, 'data-id')).toBe('0');
                expect(attr(n, 'role')).toBe('button');
                expect(attr(n, 'aria-label')).toMatch(/\S+.*Reveal its declaration$/);
                expect(targets.has(attr(n, 'data-target')!)).toBe(true);
                expect(attr(n, 'data-target')).toBe(attr(n, 'data-id'));
            }
            // The escalation and fallback labels reveal their lines too; inbound and transfer have no line of their own.
            const labels = byClass(elements(svg), 'g', 'edge-label');
            expect(labels.filter(l => attr(l, 'tabindex') === '0').map(l => attr(l, 'data-target'))).toEqual(['edge:2', 'edge:3', 'edge:6', 'edge:7']);
            expect(labels.filter(l => attr(l, 'data-target') === undefined).map(l => attr(l, 'class'))).toEqual([
                'edge-label inbound',
                'edge-label transfer',
                'edge-label inbound',
                'edge-label transfer',
            ]);
        }
        expect(byClass(els, 'g', 'node')[0] && attr(byClass(els, 'g', 'node')[0]!, 'aria-label')).toBe('DID +4535551234, department support. Reveal its declaration');
    });

    it('shows the assistant id before any read, the name after one (the id stays in the tooltip, label and table)', () => {
        const assistantNode = (html: string) => byClass(elements(parse(html)), 'g', 'assistant')[0]!;
        const before = assistantNode(page().html);
        expect(textOf(byClass(elements(before), 'text', 'label')[0]!)).toBe('assistant b336ab4e…');
        const afterHtml = page(new Map([[SUPPORT, 'Acme DK support front door']])).html;
        const after = assistantNode(afterHtml);
        expect(textOf(byClass(elements(after), 'text', 'label')[0]!)).toBe('Acme DK support front door');
        expect(textOf(byClass(elements(after), 'text', 'detail')[0]!)).toBe(`${SUPPORT.slice(0, 32)}…`);
        expect(textOf(elements(after).find(e => e.tagName === 'title')!)).toBe(`Acme DK support front door\n${SUPPORT}`);
        expect(attr(after, 'aria-label')).toBe(`Synthflow assistant Acme DK support front door, id ${SUPPORT}. Reveal its declaration`);
        const cell = elements(parse(afterHtml)).find(e => e.tagName === 'td' && attr(e, 'data-label') === 'Synthflow assistant')!;
        expect(textOf(cell)).toBe(`Acme DK support front door${SUPPORT}`);
        // A blank name says less than the id.
        expect(textOf(byClass(elements(assistantNode(page(new Map([[SUPPORT, '  ']])).html)), 'text', 'label')[0]!)).toBe('assistant b336ab4e…');
    });

    it('draws the diagram 1:1 with no text under 11 px, and switches to the tall layout when the wide one does not fit', () => {
        const { html } = page();
        const els = elements(parse(html));
        for (const svg of els.filter(e => e.tagName === 'svg')) {
            const [, , w, h] = attr(svg, 'viewBox')!.split(' ').map(Number);
            expect([Number(attr(svg, 'width')), Number(attr(svg, 'height'))]).toEqual([w, h]);
        }
        const style = textOf(els.find(e => e.tagName === 'style')!);
        const sizes = [...style.matchAll(/font-size:\s*([^;}]+)/g)].map(m => m[1]!.trim());
        expect(sizes.length).toBeGreaterThan(5);
        for (const size of sizes) {
            // Each size is a px value ≥ 11, a theme variable, or max(11px, …): never below 11 px.
            expect(size).toMatch(/^(\d+(\.\d+)?px|var\(--vscode-[\w-]+(, \d+px)?\)|max\(11px, [\d.]+em\)|[\d.]+em)$/);
            const px = /^(\d+(\.\d+)?)px$/.exec(size);
            if (px) expect(Number(px[1])).toBeGreaterThanOrEqual(11);
        }
        expect(style).not.toMatch(/svg[^{]*\{[^}]*max-width:\s*100%/);
        const wide = diagramSize(graph, 'wide').width;
        expect(diagramSize(graph, 'tall').width).toBeLessThan(700 - 32);
        expect(style).toContain(`@media (max-width: ${wide + 40}px) { svg.callflow.wide { display: none; } svg.callflow.tall { display: block; } }`);
    });

    it('labels each table cell with its column, so that narrow panels stack the cells as labelled lines', () => {
        const els = elements(parse(page().html));
        const headings = els.filter(e => e.tagName === 'th').map(textOf);
        const rows = els.filter(e => e.tagName === 'tr').slice(1);
        expect(rows).toHaveLength(desired.departments.length);
        for (const row of rows) expect(row.childNodes.filter((c): c is Element => 'tagName' in c).map(c => attr(c, 'data-label'))).toEqual(headings);
        expect(textOf(els.find(e => e.tagName === 'style')!)).toMatch(/@media \(max-width: \d+px\) \{[^@]*table\.details td::before \{ content: attr\(data-label\)/);
    });

    it("runs only its nonce'd script and loads nothing", () => {
        const { html } = page();
        const els = elements(parse(html));
        const csp = attr(
            els.find(e => e.tagName === 'meta' && attr(e, 'http-equiv') === 'Content-Security-Policy')!,
            'content',
        )!;
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain(`script-src 'nonce-${NONCE}'`);
        const scripts = els.filter(e => e.tagName === 'script');
        expect(scripts.map(s => [attr(s, 'nonce'), attr(s, 'src')])).toEqual([[NONCE, undefined]]);
        expect(textOf(scripts[0]!)).toContain("postMessage({ type: 'reveal'");
        expect(els.filter(e => attr(e, 'src') !== undefined || /^https?:/.test(attr(e, 'href') ?? ''))).toEqual([]);
    });
});

describe('the errors to fix first', () => {
    it('lists each error once, as path:line:col message, in file order', () => {
        const problem = { path: 'acme.sipflow', line: 46, column: 14, message: "Could not resolve reference to Queue named 'tier9'." };
        expect(
            formatProblems([problem, { path: 'sub/b.sipflow', line: 2, column: 1, message: 'Second' }, problem, { path: 'acme.sipflow', line: 3, column: 5, message: 'First' }]),
        ).toEqual(['acme.sipflow:3:5 First', "acme.sipflow:46:14 Could not resolve reference to Queue named 'tier9'.", 'sub/b.sipflow:2:1 Second']);
    });

    it("are the page's list, counted once each, with the last valid diagram below", () => {
        const diagram = renderCallFlowDiagram({ desired, graph, targets });
        const problems = formatProblems([
            { path: 'acme.sipflow', line: 46, column: 14, message: 'unknown queue tier9' },
            { path: 'acme.sipflow', line: 46, column: 14, message: 'unknown queue tier9' },
        ]);
        const html = renderCallFlowPage({ kind: 'errors', fileName: 'acme.sipflow', problems, message: 'Cannot plan …', lastGood: diagram }, NONCE);
        const els = elements(parse(html));
        expect(els.filter(e => e.tagName === 'p').map(textOf)).toContain('1 error to fix first:');
        expect(els.filter(e => e.tagName === 'li').map(textOf)).toEqual(['acme.sipflow:46:14 unknown queue tier9']);
        expect(html).not.toContain('file:///');
        expect(els.filter(e => e.tagName === 'svg')).toHaveLength(2);
        // A file that cannot be built for another reason says so.
        const other = elements(
            parse(renderCallFlowPage({ kind: 'errors', fileName: 'x.sipflow', problems: [], message: 'The file declares no integration.', lastGood: undefined }, NONCE)),
        );
        expect(byClass(other, 'p', 'problems').map(textOf)).toEqual(['The file declares no integration.']);
    });
});
