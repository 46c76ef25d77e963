import { PLAIN_STYLES, type Styles } from '../text/styles.js';
import type { Checklist, ChecklistItem, ChecklistStatus } from './types.js';

const MARK: Readonly<Record<ChecklistStatus, string>> = {
    verified: '✔ verified',
    failed: '✘ failed',
    unverifiable: '? cannot be verified',
    'not-checked': '· not checked',
};

export function checklistSummary(checklist: Checklist): string {
    const { verified, failed, unverifiable } = checklist.counts;
    const notChecked = checklist.counts['not-checked'];
    const parts = [`${verified} verified`, `${failed} failed`, `${unverifiable} cannot be verified`];
    if (notChecked > 0) parts.push(`${notChecked} not checked`);
    return `Manual checklist: ${checklist.items.length} steps — ${parts.join(', ')}`;
}

/** Plain text for terminals: sections, one step each with its exact values indented beneath. */
export function renderChecklistText(checklist: Checklist, styles: Styles = PLAIN_STYLES): string {
    const colour: Record<ChecklistStatus, (t: string) => string> = {
        verified: styles.green,
        failed: styles.red,
        unverifiable: styles.yellow,
        'not-checked': styles.dim,
    };
    const lines: string[] = [styles.bold(`Manual steps for integration ${checklist.integration} (no API can do these)`), ''];
    for (const [section, items] of bySection(checklist.items)) {
        lines.push(styles.bold(section));
        for (const item of items) {
            lines.push(`  [${colour[item.status](MARK[item.status])}] ${item.title}`);
            lines.push(styles.dim(`      where: ${item.where}`));
            const width = Math.max(0, ...item.values.map(v => v.label.length));
            for (const value of item.values) lines.push(`      ${`${value.label}:`.padEnd(width + 1)} ${value.value}`);
            lines.push(styles.dim(`      ${item.detail}`));
        }
        lines.push('');
    }
    lines.push(styles.bold(checklistSummary(checklist)));
    return lines.join('\n');
}

/** Markdown for the editor: a task list per section, values in code spans so they copy exactly. */
export function renderChecklistMarkdown(checklist: Checklist): string {
    const icon: Record<ChecklistStatus, string> = { verified: '✅', failed: '❌', unverifiable: '❔', 'not-checked': '⏺' };
    const lines: string[] = [`# Manual steps for integration \`${checklist.integration}\``, '', `_${checklistSummary(checklist)}_`, ''];
    for (const [section, items] of bySection(checklist.items)) {
        lines.push(`## ${section}`, '');
        for (const item of items) {
            lines.push(`- [${item.status === 'verified' ? 'x' : ' '}] ${icon[item.status]} **${escapeMarkdown(item.title)}**  `);
            lines.push(`  _${escapeMarkdown(item.where)}_`);
            for (const value of item.values) lines.push(`  - ${escapeMarkdown(value.label)}: \`${value.value}\``);
            lines.push(`  - ${MARK[item.status]}: ${escapeMarkdown(item.detail)}`);
        }
        lines.push('');
    }
    return lines.join('\n');
}

function bySection(items: readonly ChecklistItem[]): Map<string, ChecklistItem[]> {
    const sections = new Map<string, ChecklistItem[]>();
    for (const item of items) {
        const list = sections.get(item.section) ?? [];
        list.push(item);
        sections.set(item.section, list);
    }
    return sections;
}

function escapeMarkdown(text: string): string {
    return text.replace(/([\\`*_[\]<>])/g, '\\$1');
}
