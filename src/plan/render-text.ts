/**
 * The human rendering of a plan: grouped by vendor and resource, one line per change with its
 * fields underneath, unchanged things summarised, conflicts and manual steps marked, and a final
 * one-line summary of counts.
 *
 *   + create   ~ update / adopt   + attach   - orphan (detached only with --prune)
 *   = no change (summarised per group)   ! conflict   ☐ manual step (Dixa UI)
 */
import type { DesiredState } from '../model/types.js';
import { PLAIN_STYLES, stylesOf, type StyleOptions, type Styles } from '../text/styles.js';
import type { FieldChange, FieldValue, Plan, PlanItem, PlanResource, PlanSummary, PlanVendor } from './types.js';

export interface RenderOptions extends StyleOptions {
    /** List every unchanged item instead of one summary line per group. */
    readonly verbose?: boolean;
}

const VENDOR_TITLES: Record<PlanVendor, string> = { dixa: 'Dixa', synthflow: 'Synthflow' };

const RESOURCE_TITLES: Record<PlanResource, string> = {
    queue: 'Queues',
    assistant: 'Assistants',
    number: 'Numbers',
    'assistant-numbers': 'Numbers on assistants',
    'transfer-action': 'Transfer actions (escalations to Dixa)',
    'assistant-actions': 'Actions on assistants',
    'sip-settings': 'SIP settings',
    'phone-flow': 'Phone flows',
    'queue-routing': 'Queue routing',
};

const RESOURCE_ORDER: readonly PlanResource[] = [
    'queue',
    'assistant',
    'number',
    'assistant-numbers',
    'transfer-action',
    'assistant-actions',
    'sip-settings',
    'phone-flow',
    'queue-routing',
];

export function formatValue(value: FieldValue): string {
    if (value === null) return '(none)';
    if (Array.isArray(value)) return `[${value.join(', ')}]`;
    if (typeof value === 'string') return JSON.stringify(value);
    return String(value);
}

/** What the text needs of a plan: a saved plan (`sipflow show`) has all but the desired state, which only adds the header's targets. */
export type PlanForText = Pick<Plan, 'integration' | 'items' | 'summary'> & { readonly environment?: string | null; readonly desired?: DesiredState };

export function renderPlanText(plan: PlanForText, options: RenderOptions = {}): string {
    const s = stylesOf(options);
    const { desired } = plan;
    const lines: string[] = [];
    lines.push(
        s.bold(`Plan for integration ${plan.integration}${plan.environment ? `, environment ${plan.environment}` : ''}`) +
            (desired ? s.dim(`  (Dixa ${desired.dixa.sipDomain} · Synthflow ${desired.synthflow.region}, workspace ${desired.synthflow.workspace})`) : ''),
    );

    const byId = new Map(plan.items.map(i => [i.id, i]));
    const after = (item: PlanItem) => (item.dependsOn.length === 0 ? '' : s.dim(`  (after ${item.dependsOn.map(id => shortLabel(byId.get(id), id)).join(', ')})`));
    const actionable = plan.items.filter(i => i.kind !== 'manual');
    for (const vendor of ['dixa', 'synthflow'] as const) {
        const ofVendor = actionable.filter(i => i.vendor === vendor);
        if (ofVendor.length === 0) continue;
        lines.push('', s.bold(VENDOR_TITLES[vendor]));
        for (const resource of RESOURCE_ORDER) {
            const group = ofVendor.filter(i => i.resource === resource);
            if (group.length === 0) continue;
            lines.push(`  ${RESOURCE_TITLES[resource]}`);
            for (const item of group) if (item.kind !== 'no-op' || options.verbose) lines.push(...renderItem(item, s, after(item)));
            const unchanged = group.filter(i => i.kind === 'no-op');
            if (unchanged.length > 0 && !options.verbose) {
                const notes = unchanged.filter(i => i.detail !== null);
                lines.push(s.dim(`    = ${unchanged.length} unchanged: ${unchanged.map(i => i.key).join(', ')}`));
                for (const note of notes) lines.push(s.dim(`        ${note.key}: ${note.detail}`));
            }
        }
    }

    const manual = plan.items.filter(i => i.kind === 'manual');
    if (manual.length > 0) {
        lines.push('', s.bold('Manual steps in Dixa') + s.dim(' (no API: `sipflow checklist` prints them exactly and verifies what can be read)'));
        for (const item of manual) {
            lines.push(s.cyan(`  ☐ ${item.summary}`));
            for (const change of item.changes) lines.push(s.dim(`      ${change.field}: ${formatValue(change.before)} → ${formatValue(change.after)}`));
            if (item.detail && item.detail !== manual[0].detail) lines.push(s.dim(`      ${item.detail}`));
        }
    }

    lines.push('', summaryLine(plan.summary, s));
    return `${lines.join('\n')}\n`;
}

/** How a dependency is named in `(after …)`. */
function shortLabel(item: PlanItem | undefined, id: string): string {
    switch (item?.resource) {
        case 'queue':
            return `queue "${item.key}"`;
        case 'number':
            return `number ${item.key}`;
        case 'assistant-numbers':
            return 'attaching its numbers';
        case 'transfer-action':
            return `LIVE_TRANSFER to ${item.key}`;
        default:
            return id;
    }
}

function renderItem(item: PlanItem, s: Styles, deps: string): string[] {
    const lines: string[] = [];
    switch (item.kind) {
        case 'create':
            lines.push(s.green(`    + ${item.summary}`) + deps);
            for (const change of item.changes) lines.push(`        ${change.field}: ${s.green(formatValue(change.after))}`);
            break;
        case 'update':
        case 'adopt':
            lines.push(s.yellow(`    ~ ${item.summary}`) + deps);
            for (const change of item.changes) lines.push(renderChange(change, s));
            break;
        case 'attach':
            lines.push(s.green(`    + ${item.summary}`) + deps);
            for (const change of item.changes) lines.push(renderChange(change, s));
            break;
        case 'orphan':
            lines.push(s.red(`    - ${item.summary}`) + s.dim('  (needs --prune)'));
            break;
        case 'conflict':
            lines.push(s.red(s.bold(`    ! ${item.summary}`)));
            break;
        case 'no-op':
            lines.push(s.dim(`    = ${item.summary}`));
            break;
        case 'manual':
            lines.push(s.cyan(`    ☐ ${item.summary}`));
            break;
    }
    if (item.detail && item.kind !== 'manual') lines.push(s.dim(`        ${item.detail}`));
    return lines;
}

function renderChange(change: FieldChange, s: Styles): string {
    return `        ${change.field}: ${s.red(formatValue(change.before))} → ${s.green(formatValue(change.after))}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
    return `${count} ${count === 1 ? one : many}`;
}

/** The one-line summary: `Plan: 3 to create, 1 to update, 4 to attach · 5 unchanged · 5 manual steps.` */
export function summaryLine(summary: PlanSummary, s: Styles = PLAIN_STYLES): string {
    const changes = [
        summary.create > 0 ? `${summary.create} to create` : '',
        summary.update > 0 ? `${summary.update} to update` : '',
        summary.adopt > 0 ? `${summary.adopt} to adopt` : '',
        summary.attach > 0 ? `${summary.attach} to attach` : '',
        summary.orphan > 0 ? `${summary.orphan} to detach with --prune` : '',
    ].filter(Boolean);
    const head = changes.length > 0 ? `Plan: ${changes.join(', ')}` : 'No changes';
    const tail = [
        summary.conflict > 0 ? s.red(`${plural(summary.conflict, 'conflict')} (apply refuses until ${summary.conflict === 1 ? 'it is' : 'they are'} resolved)`) : '',
        `${summary.noOp} unchanged`,
        summary.manual > 0 ? `${plural(summary.manual, 'manual step')} (sipflow checklist)` : '',
    ].filter(Boolean);
    return `${s.bold(head)} · ${tail.join(' · ')}.`;
}

/** The checklist's counts, as `buildChecklist` makes them (structural: the plan does not depend on the checklist). */
export interface ChecklistCounts {
    readonly steps: number;
    readonly verified: number;
    readonly failed: number;
    readonly unverifiable: number;
    readonly notChecked: number;
}

/**
 * The one line the editor's plan header and apply confirmation say about manual work. The plan's
 * manual steps (its footer) are the Dixa UI changes this plan needs; the checklist checks the whole
 * setup (those steps and the settings around them), so its count is larger: the line says both, and why.
 */
export function manualWorkLine(summary: Pick<PlanSummary, 'manual'>, checklist: ChecklistCounts): string {
    const steps = summary.manual > 0 ? `${plural(summary.manual, 'manual step')} in Dixa that apply cannot make (listed at the end)` : 'No manual steps in Dixa';
    const verdicts = [`${checklist.verified} verified`, `${checklist.failed} failed`, `${checklist.unverifiable} cannot be verified`];
    if (checklist.notChecked > 0) verdicts.push(`${checklist.notChecked} not checked`);
    const scope = summary.manual > 0 ? ' (these steps and the settings around them)' : '';
    return `${steps}; the manual checklist checks the whole setup${scope} in ${plural(checklist.steps, 'check')}: ${verdicts.join(', ')}`;
}
