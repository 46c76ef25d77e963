import { beforeAll, describe, expect, it } from 'vitest';
import type { DesiredState } from '../../src/model/index.js';
import { codeSpan, computePlan, EMPTY_LIVE_STATE, escapeMarkdown, renderPlanMarkdown, type LiveState, type Plan } from '../../src/plan/index.js';
import { desiredFrom, EXAMPLE } from '../model/helpers.js';
import { convergedLive, demoLive, IDS, number } from './fixtures.js';

let desired: DesiredState;
beforeAll(async () => {
    desired = await desiredFrom(EXAMPLE);
});

const lines = (text: string) => text.split('\n');

/** The body of the one ```mermaid block, or undefined. */
function mermaidBlock(markdown: string): string[] | undefined {
    const all = lines(markdown);
    const start = all.indexOf('```mermaid');
    if (start < 0) return undefined;
    const end = all.indexOf('```', start + 1);
    expect(end).toBeGreaterThan(start);
    return all.slice(start + 1, end);
}

/** Every line of a rendered flowchart is one of the statements we write, with ids that are declared before use. */
function expectWellFormedFlowchart(body: readonly string[]): { nodes: Map<string, string>; edges: Array<[string, string]>; highlighted: string[]; linkStyled: number[] } {
    expect(body[0]).toBe('flowchart LR');
    const nodes = new Map<string, string>();
    const edges: Array<[string, string]> = [];
    let highlighted: string[] = [];
    let linkStyled: number[] = [];
    for (const line of body.slice(1)) {
        const node = /^ {4}(n\d+)(?:\(\[|\[\[|\[\(|\[|>)"([^"[\]|<>]*)"(?:\]\)|\]\]|\)\]|\])$/.exec(line);
        const edge = /^ {4}(n\d+) (?:-->|-\.->)\|"([^"|]*)"\| (n\d+)$/.exec(line);
        const cls = /^ {4}class ((?:n\d+,?)+) changed$/.exec(line);
        const link = /^ {4}linkStyle ([\d,]+) stroke:#d29922,stroke-width:3px$/.exec(line);
        if (node) nodes.set(node[1]!, node[2]!);
        else if (edge) {
            expect(nodes.has(edge[1]!) && nodes.has(edge[3]!)).toBe(true);
            edges.push([edge[1]!, edge[3]!]);
        } else if (cls) highlighted = cls[1]!.split(',');
        else if (link) linkStyled = link[1]!.split(',').map(Number);
        else expect(line).toBe('    classDef changed stroke:#d29922,stroke-width:3px');
    }
    for (const id of highlighted) expect(nodes.has(id)).toBe(true);
    for (const index of linkStyled) expect(index).toBeLessThan(edges.length);
    return { nodes, edges, highlighted, linkStyled };
}

describe('Markdown rendering of a plan (for a pull request)', () => {
    it('puts the verdict and counts first, then the diagram, the vendors and the manual steps', () => {
        const text = renderPlanMarkdown(computePlan(desired, demoLive()), { desired });
        const all = lines(text);
        expect(all.slice(0, 7)).toEqual([
            '## sipflow plan for integration `acme`',
            '',
            '**Apply would change the accounts as listed below.**',
            '',
            'Plan: 5 to create, 4 to attach · 1 unchanged · 5 manual steps (sipflow checklist).',
            '',
            '| | count |',
        ]);
        expect(all).toContain('| create | 5 |');
        expect(all).toContain('| attach | 4 |');
        expect(all).not.toContain('| update | 0 |');
        const order = ['### What changes in the call flow', '<summary><b>Dixa</b>: 1 to change, 1 unchanged</summary>', '<summary><b>Synthflow</b>: 8 to change</summary>'].map(l =>
            all.indexOf(l),
        );
        expect(order.every(i => i > 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        expect(all.findIndex(l => l.startsWith('<summary><b>Manual steps in Dixa</b>: 5'))).toBeGreaterThan(order[2]!);
        expect(all).toContain('- [ ] allowlist 3 Synthflow signalling IPs (eu) in Dixa → Settings → Phone → SIP Settings: 34.185.212.150, 34.89.186.33, 35.242.217.198');
        // Creates show the new value; attaches before → after, with values in code spans (no raw `<new …>` HTML).
        expect(all).toContain('- ➕ create queue "Phone – Sales" as a ring group (offers to all agents at once)');
        expect(all).toContain('  - `offerAlgorithm`: `"AllAtOnce"`');
        expect(all).toContain('  - `actions`: `[]` → `[<new LIVE_TRANSFER to sip:+4570102222@acme.sip.dixa.com>]`');
        expect(all).toContain('- ＝ unchanged: Phone – Tier 1');
        // <details> bodies start after a blank line, so that GitHub renders their Markdown.
        all.forEach((line, i) => {
            if (line.startsWith('<summary>')) expect(all[i + 1]).toBe('');
        });
        expect(all.filter(l => l === '<details>')).toHaveLength(all.filter(l => l === '</details>').length);
    });

    it('draws the touched departments and highlights what apply changes (not the manual steps)', () => {
        const chart = expectWellFormedFlowchart(mermaidBlock(renderPlanMarkdown(computePlan(desired, demoLive()), { desired }))!);
        expect([...chart.nodes.values()]).toEqual([
            '+4535551234',
            '“Support DK”',
            'assistant b336ab4e…',
            'Phone – Tier 1',
            '+4535555678',
            '“Sales DK”',
            'assistant 0e4d6c2a…',
            'Phone – Sales',
        ]);
        // Numbers (DIDs), assistants, the new queue; not the flows (manual steps) nor the existing Tier 1 queue node itself.
        expect(chart.highlighted.map(id => chart.nodes.get(id))).toEqual([
            '+4535551234',
            'assistant b336ab4e…',
            'Phone – Tier 1',
            '+4535555678',
            'assistant 0e4d6c2a…',
            'Phone – Sales',
        ]);
        // Transfers and escalations, and the fallback into the new queue; not the inbound calls.
        expect(chart.linkStyled).toEqual([1, 2, 5, 6, 7]);
    });

    it('shows only the department a change touches, with before → after', () => {
        const base = convergedLive();
        const live: LiveState = {
            ...base,
            synthflow: {
                ...base.synthflow,
                numbers: [number('+4535551234', { friendlyName: 'Dixa – Support DK', sipTermUri: 'old.sip.dixa.com', assistants: [IDS.support] }), base.synthflow.numbers[1]!],
            },
        };
        const text = renderPlanMarkdown(computePlan(desired, live), { desired, assistantNames: new Map([[IDS.support, 'Acme DK front door']]) });
        expect(lines(text)).toContain('  - `termination_uri`: `"old.sip.dixa.com"` → `"acme.sip.dixa.com"`');
        const chart = expectWellFormedFlowchart(mermaidBlock(text)!);
        expect([...chart.nodes.values()]).toEqual(['+4535551234', '“Support DK”', 'Acme DK front door', 'Phone – Tier 1']);
        expect(chart.highlighted.map(id => chart.nodes.get(id))).toEqual(['+4535551234']);
        expect(chart.linkStyled).toEqual([1]);
    });

    it('says so when nothing changes, with no diagram', () => {
        const text = renderPlanMarkdown(computePlan(desired, convergedLive()), { desired });
        expect(lines(text)[2]).toBe('**✅ No changes: the accounts match the file.**');
        expect(mermaidBlock(text)).toBeUndefined();
        expect(lines(text)).toContain('Nothing in the call flow changes.');
    });

    it('puts conflicts prominently, before the diagram', () => {
        const text = renderPlanMarkdown(computePlan(desired, EMPTY_LIVE_STATE), { desired });
        const all = lines(text);
        expect(all[2]).toBe('**⛔ Apply refuses this plan: 2 conflicts to resolve first.**');
        const conflicts = all.indexOf('### ⛔ Conflicts');
        expect(conflicts).toBeGreaterThan(0);
        expect(conflicts).toBeLessThan(all.indexOf('### What changes in the call flow'));
        expect(all[conflicts + 2]).toBe(`- ⛔ assistant ${IDS.support} does not exist in Synthflow workspace 1738660423280x428309622607052800`);
    });

    it('leaves the diagram out, saying why, without the desired state', () => {
        const text = renderPlanMarkdown(computePlan(desired, demoLive()));
        expect(mermaidBlock(text)).toBeUndefined();
        expect(text).toContain("*No diagram: the plan's `.sipflow` files could not be read as they were when it was made.*");
    });

    it('shows values from the plan as text, never as Markdown or HTML', () => {
        const plan = computePlan(desired, demoLive());
        const hostile: Plan = {
            ...plan,
            items: plan.items.map(item =>
                item.resource === 'queue' && item.kind === 'create'
                    ? { ...item, summary: 'create <img src=x onerror=alert(1)> *bold* [link](http://x) | `code`', changes: [{ field: 'name', before: null, after: 'a ``b`` c' }] }
                    : item,
            ),
        };
        const all = lines(renderPlanMarkdown(hostile, { desired }));
        expect(all).toContain('- ➕ create &lt;img src=x onerror=alert(1)&gt; \\*bold\\* \\[link\\](http://x) \\| \\`code\\`');
        expect(all).toContain('  - `name`: ```"a ``b`` c"```');
        expect(all.join('\n')).not.toContain('<img');
    });
});

describe('Markdown helpers', () => {
    it('code spans hold any backticks', () => {
        expect(codeSpan('plain')).toBe('`plain`');
        expect(codeSpan('a`b')).toBe('``a`b``');
        expect(codeSpan('`x')).toBe('`` `x ``');
    });

    it('escapes emphasis, code, links, tables and HTML', () => {
        expect(escapeMarkdown('a_b *c* `d` [e] | <f> & ~g~ \\')).toBe('a\\_b \\*c\\* \\`d\\` \\[e\\] \\| &lt;f&gt; &amp; \\~g\\~ \\\\');
        expect(escapeMarkdown('two\nlines')).toBe('two lines');
    });
});
