/**
 * The pull-request rendering of a plan (`plan --format markdown`, `show PLAN --format markdown`): the
 * verdict and counts first, conflicts next (they block apply), the Mermaid diagram of the part of the
 * call flow the plan changes (GitHub and GitLab draw it), then one collapsed `<details>` section per
 * vendor with each item's changes, before → after, and the manual steps as a task list.
 * Pure. Every value from the plan or the file is escaped: it is shown, never interpreted as Markdown or HTML.
 */
import { callFlowGraph, renderCallFlowMermaid, subgraphOf, touchedBy } from '../graph/index.js';
import type { DesiredState } from '../model/types.js';
import { formatValue, summaryLine } from './render-text.js';
import type { FieldChange, Plan, PlanItem, PlanVendor } from './types.js';

/** What the Markdown needs of a plan: a computed plan and a saved one both have it. */
export type PlanForMarkdown = Pick<Plan, 'integration' | 'items' | 'summary' | 'hasChanges'> & { readonly environment?: string | null };

export interface MarkdownRenderOptions {
    /** The plan's desired state, for the diagram; without it the diagram is left out (and the reason given). */
    readonly desired?: DesiredState;
    /** Synthflow assistant names by `model_id`, to name them in the diagram. */
    readonly assistantNames?: ReadonlyMap<string, string>;
}

const VENDOR_TITLES: Record<PlanVendor, string> = { dixa: 'Dixa', synthflow: 'Synthflow' };

const MARKERS: Record<PlanItem['kind'], string> = {
    create: '➕',
    update: '✏️',
    adopt: '✏️',
    attach: '➕',
    dedupe: '➖',
    'no-op': '＝',
    conflict: '⛔',
    orphan: '➖',
    manual: '☐',
};

/**
 * Text shown as is in Markdown and in the HTML of `<details>`: HTML is neutralised, and the characters
 * that start inline markup (emphasis, code, links, tables, strikethrough) are backslash-escaped. Every
 * line this goes into starts with a marker of ours, so line-start markup (`#`, `-`, `1.`) cannot occur.
 */
export function escapeMarkdown(text: string): string {
    return text
        .replace(/[\r\n]+/g, ' ')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/** An inline code span that holds any text: the fence is longer than any run of backticks inside. */
export function codeSpan(text: string): string {
    const flat = text.replace(/[\r\n]+/g, ' ');
    const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map(m => m[0].length));
    const fence = '`'.repeat(longest + 1);
    const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
    return `${fence}${pad}${flat}${pad}${fence}`;
}

function verdict(plan: PlanForMarkdown): string {
    const { conflict } = plan.summary;
    if (conflict > 0) return `**⛔ Apply refuses this plan: ${conflict === 1 ? '1 conflict' : `${conflict} conflicts`} to resolve first.**`;
    if (plan.hasChanges) return '**Apply would change the accounts as listed below.**';
    return '**✅ No changes: the accounts match the file.**';
}

function countsTable(plan: PlanForMarkdown): string[] {
    const s = plan.summary;
    const rows: Array<[string, number]> = [
        ['create', s.create],
        ['update', s.update],
        ['adopt', s.adopt],
        ['attach', s.attach],
        ['dedupe', s.dedupe],
        ['detach with --prune', s.orphan],
        ['conflict', s.conflict],
        ['manual step', s.manual],
        ['unchanged', s.noOp],
    ];
    const shown = rows.filter(([, count]) => count > 0);
    if (shown.length === 0) return [];
    return ['| | count |', '|---|---:|', ...shown.map(([label, count]) => `| ${label} | ${count} |`), ''];
}

function changeLine(change: FieldChange, kind: PlanItem['kind']): string {
    const after = codeSpan(formatValue(change.after));
    return kind === 'create' ? `  - ${codeSpan(change.field)}: ${after}` : `  - ${codeSpan(change.field)}: ${codeSpan(formatValue(change.before))} → ${after}`;
}

function itemLines(item: PlanItem): string[] {
    const lines = [`- ${MARKERS[item.kind]} ${escapeMarkdown(item.summary)}${item.requiresPrune ? ' *(needs --prune)*' : ''}`];
    for (const change of item.changes) lines.push(changeLine(change, item.kind));
    if (item.detail) lines.push(`  <br>*${escapeMarkdown(item.detail)}*`);
    return lines;
}

function vendorSection(plan: PlanForMarkdown, vendor: PlanVendor): string[] {
    const items = plan.items.filter(i => i.vendor === vendor && i.kind !== 'manual');
    if (items.length === 0) return [];
    const changed = items.filter(i => i.kind !== 'no-op');
    const unchanged = items.filter(i => i.kind === 'no-op');
    const counts = [changed.length > 0 ? `${changed.length} to change` : '', unchanged.length > 0 ? `${unchanged.length} unchanged` : ''].filter(Boolean).join(', ');
    const lines = ['<details>', `<summary><b>${VENDOR_TITLES[vendor]}</b>: ${counts}</summary>`, ''];
    for (const item of changed) lines.push(...itemLines(item));
    if (unchanged.length > 0) lines.push(`- ${MARKERS['no-op']} unchanged: ${unchanged.map(i => escapeMarkdown(i.key)).join(', ')}`);
    lines.push('', '</details>', '');
    return lines;
}

function diagram(plan: PlanForMarkdown, options: MarkdownRenderOptions): string[] {
    const lines = ['### What changes in the call flow', ''];
    if (!options.desired) {
        return [...lines, "*No diagram: the plan's `.sipflow` files could not be read as they were when it was made.*", ''];
    }
    const graph = callFlowGraph(options.desired, { assistantNames: options.assistantNames });
    // Manual steps are listed on every plan, changed or not: only what apply changes is highlighted.
    const touched = touchedBy(
        graph,
        plan.items.filter(i => i.kind !== 'manual'),
    );
    if (touched.nodes.size === 0 && touched.edges.size === 0) return [...lines, 'Nothing in the call flow changes.', ''];
    const part = subgraphOf(graph, touched);
    return [
        ...lines,
        'The departments this plan touches; what changes is drawn bold in orange.',
        '',
        '```mermaid',
        renderCallFlowMermaid(part.graph, { highlight: part.selection }).trimEnd(),
        '```',
        '',
    ];
}

export function renderPlanMarkdown(plan: PlanForMarkdown, options: MarkdownRenderOptions = {}): string {
    const lines = [
        `## sipflow plan for integration ${codeSpan(plan.integration)}${plan.environment ? `, environment ${codeSpan(plan.environment)}` : ''}`,
        '',
        verdict(plan),
        '',
        escapeMarkdown(summaryLine(plan.summary)),
        '',
    ];
    lines.push(...countsTable(plan));
    const conflicts = plan.items.filter(i => i.kind === 'conflict');
    if (conflicts.length > 0) {
        lines.push('### ⛔ Conflicts', '');
        for (const item of conflicts) lines.push(...itemLines(item));
        lines.push('');
    }
    lines.push(...diagram(plan, options));
    lines.push(...vendorSection(plan, 'dixa'), ...vendorSection(plan, 'synthflow'));
    const manual = plan.items.filter(i => i.kind === 'manual');
    if (manual.length > 0) {
        lines.push('<details>', `<summary><b>Manual steps in Dixa</b>: ${manual.length} (no API; <code>sipflow checklist</code> verifies them)</summary>`, '');
        for (const item of manual) {
            lines.push(`- [ ] ${escapeMarkdown(item.summary)}`);
            for (const change of item.changes) lines.push(changeLine(change, item.kind));
        }
        lines.push('', '</details>', '');
    }
    return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
