import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import type { DesiredState } from '../../src/model/index.js';
import { renderApplyText } from '../../src/apply/render.js';
import type { ApplyResult, StepOutcome } from '../../src/apply/types.js';
import { computePlan, renderPlanText, type LiveState } from '../../src/plan/index.js';
import { desiredFrom, EXAMPLE } from '../model/helpers.js';
import { conflictingLive, convergedLive, demoLive, IDS, number } from '../plan/fixtures.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const GRAMMAR_PATH = root('syntaxes/sipflow-plan.tmLanguage.json');

let grammar: IGrammar;
let desired: DesiredState;

beforeAll(async () => {
    // VS Code's own tokenizer and regex engine, so the test sees what the editor paints.
    const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
        onigLib: Promise.resolve({ createOnigScanner: sources => new oniguruma.OnigScanner(sources), createOnigString: text => new oniguruma.OnigString(text) }),
        loadGrammar: async scopeName => (scopeName === 'text.sipflow-plan' ? parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null),
    });
    const loaded = await registry.loadGrammar('text.sipflow-plan');
    if (!loaded) throw new Error('the sipflow-plan grammar did not load');
    grammar = loaded;
    desired = await desiredFrom(EXAMPLE);
});

/** The scopes of each line's text after its mark (the innermost scope of the line's last token). */
function lineScopes(text: string): Array<{ line: string; scopes: string[] }> {
    let state = INITIAL;
    return text.split('\n').map(line => {
        const result = grammar.tokenizeLine(line, state);
        state = result.ruleStack;
        const last = result.tokens.at(-1);
        return { line, scopes: last ? last.scopes : [] };
    });
}

const scopeOf = (lines: ReturnType<typeof lineScopes>, mark: string) => {
    const found = lines.find(l => l.line.trimStart().startsWith(`${mark} `));
    expect(found, `a "${mark}" line`).toBeDefined();
    return found!.scopes.at(-1)!;
};

describe('the sipflow-plan grammar', () => {
    it('gives create, update, unchanged, conflict, orphan and manual lines of a rendered plan distinct scopes', () => {
        const fresh = lineScopes(renderPlanText(computePlan(desired, demoLive())));
        // An adoption (~), as in test/plan/render.test.ts: a number imported outside sipflow.
        const base = convergedLive();
        const adopting: LiveState = {
            ...base,
            synthflow: {
                ...base.synthflow,
                numbers: [number('+4535551234', { friendlyName: 'Dixa – Support DK', sipTermUri: 'old.sip.dixa.com', assistants: [IDS.support] }), base.synthflow.numbers[1]!],
            },
        };
        // A conflict (!) and an orphan (-): the DID belongs to an assistant the file does not name; an old transfer action.
        const conflicting = conflictingLive();
        const all = [...fresh, ...lineScopes(renderPlanText(computePlan(desired, adopting))), ...lineScopes(renderPlanText(computePlan(desired, conflicting)))];
        const scopes = {
            '+': scopeOf(all, '+'),
            '~': scopeOf(all, '~'),
            '=': scopeOf(all, '='),
            '!': scopeOf(all, '!'),
            '-': scopeOf(all, '-'),
            '☐': scopeOf(all, '☐'),
        };
        expect(scopes['+']).toMatch(/^markup\.inserted\./);
        expect(scopes['~']).toMatch(/^markup\.changed\./);
        expect(scopes['=']).toMatch(/^comment\./);
        expect(scopes['!']).toMatch(/^invalid\./);
        expect(scopes['-']).toMatch(/^markup\.deleted\./);
        expect(new Set(Object.values(scopes)).size).toBe(6);
    });

    it("colours a field change's before and after apart, and leaves the header a comment", () => {
        const text = `# applied at 00:41 — re-planned\n    ~ update queue "Phone – Tier 1"\n        offerTimeout: 30 → 45\n`;
        const lines = text.split('\n');
        const change = grammar.tokenizeLine(lines[2]!, INITIAL).tokens.map(t => [lines[2]!.slice(t.startIndex, t.endIndex), t.scopes.at(-1)]);
        expect(change).toContainEqual(['offerTimeout', 'variable.other.property.sipflow-plan']);
        expect(change).toContainEqual(['30', 'markup.deleted.before.sipflow-plan']);
        expect(change).toContainEqual(['45', 'markup.inserted.after.sipflow-plan']);
        expect(grammar.tokenizeLine(lines[0]!, INITIAL).tokens[0]!.scopes.at(-1)).toBe('comment.line.number-sign.sipflow-plan');
    });

    it("colours an apply result's done, failed and not-attempted steps, and its head, apart", () => {
        const step = (id: string, status: StepOutcome['status'], summary: string): StepOutcome => ({
            id,
            vendor: 'dixa',
            resource: 'queue',
            kind: 'create',
            summary,
            status,
            message: status === 'succeeded' ? 'created' : status === 'skipped' ? 'not attempted: its queue failed' : null,
            error: status === 'failed' ? { vendor: 'dixa', operation: 'POST /v1/queues', message: 'HTTP 500', status: 500, outcome: 'failed', kind: 'server' } : null,
            blockedBy: null,
            createdId: null,
        });
        const result: ApplyResult = {
            integration: 'acme',
            status: 'partial',
            ok: false,
            outcomes: [
                step('a', 'succeeded', 'create queue "Phone – Tier 1"'),
                step('b', 'failed', 'create queue "Phone – Sales"'),
                step('c', 'skipped', 'update flow "Sales DK"'),
            ],
            counts: { succeeded: 1, failed: 1, skipped: 1, cancelled: 0, excluded: 0 },
            verification: { status: 'skipped', residue: [], error: null },
        } as ApplyResult;
        const lines = lineScopes(renderApplyText(result));
        const scopeAfter = (mark: string) => scopeOf(lines, mark);
        expect(scopeAfter('✓')).toMatch(/^markup\.inserted\./);
        expect(scopeAfter('✗')).toMatch(/^invalid\./);
        expect(scopeAfter('·')).toMatch(/^markup\.changed\./);
        const head = lines.find(l => l.line.startsWith('Apply incomplete'));
        expect(head?.scopes.at(-1)).toMatch(/^invalid\.illegal\.summary/);
        expect(lines.find(l => l.line === 'Failed')?.scopes.at(-1)).toBe('markup.heading.sipflow-plan');
    });
});
