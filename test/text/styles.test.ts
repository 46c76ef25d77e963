import { describe, expect, it } from 'vitest';
import { renderApplyText } from '../../src/apply/index.js';
import { renderChecklistText } from '../../src/checklist/index.js';
import { renderPlanText } from '../../src/plan/index.js';
import { colorEnabled, PLAIN_STYLES, styles, stylesFor, stylesOf } from '../../src/text/styles.js';

const ANSI = /\u001b\[\d+m/;

describe('one Styles for every renderer', () => {
    it('colours only a terminal without NO_COLOR', () => {
        expect(colorEnabled({ isTTY: true }, {})).toBe(true);
        expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
        // no-color.org: an empty NO_COLOR does not turn colour off.
        expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
        expect(colorEnabled({ isTTY: false }, {})).toBe(false);
        expect(colorEnabled({}, {})).toBe(false);
        expect(stylesFor({ isTTY: true }, {}).green('x')).toBe('\u001b[32mx\u001b[39m');
        expect(stylesFor({ isTTY: true }, { NO_COLOR: '1' }).green('x')).toBe('x');
    });

    it('resolves renderer options: explicit styles, then color, then plain', () => {
        const marked = { ...PLAIN_STYLES, bold: (t: string) => `<b>${t}</b>` };
        expect(stylesOf({ styles: marked, color: true }).bold('x')).toBe('<b>x</b>');
        expect(stylesOf({ color: true }).bold('x')).toBe(styles(true).bold('x'));
        expect(stylesOf({}).bold('x')).toBe('x');
    });

    it('plan, apply and checklist renderers all take the same Styles', () => {
        const marked = { ...PLAIN_STYLES, bold: (t: string) => `<b>${t}</b>` };
        const summary = { create: 1, update: 0, adopt: 0, attach: 0, dedupe: 0, orphan: 0, noOp: 0, conflict: 0, manual: 0 };
        const plan = { integration: 'acme', items: [], summary };
        expect(renderPlanText(plan, { styles: marked })).toContain('<b>Plan for integration acme</b>');
        expect(renderPlanText(plan, { styles: marked })).toContain('<b>Plan: 1 to create</b> · 0 unchanged.');
        expect(renderPlanText(plan)).not.toMatch(ANSI);
        expect(renderPlanText(plan, { color: true })).toMatch(ANSI);
        const checklist = { integration: 'acme', items: [], counts: { verified: 0, failed: 0, unverifiable: 0, 'not-checked': 0 } } as unknown as Parameters<
            typeof renderChecklistText
        >[0];
        expect(renderChecklistText(checklist, marked)).toContain('<b>Manual steps for integration acme');
        const result = {
            status: 'nothing-to-do',
            ok: true,
            outcomes: [],
            counts: { succeeded: 0, failed: 0, skipped: 0, cancelled: 0, excluded: 0 },
            verification: { status: 'skipped' },
        } as unknown as Parameters<typeof renderApplyText>[0];
        expect(renderApplyText(result, { styles: marked })).toContain('<b>Nothing to apply: the accounts already match the file.</b>');
        expect(renderApplyText(result, { color: true })).toMatch(ANSI);
        expect(renderApplyText(result)).not.toMatch(ANSI);
    });
});
