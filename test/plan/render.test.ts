import { beforeAll, describe, expect, it } from 'vitest';
import type { DesiredState } from '../../src/model/index.js';
import { buildChecklist } from '../../src/checklist/index.js';
import {
    computePlan,
    contentHashOf,
    dependencyProblem,
    manualWorkLine,
    OPERATION_FIELDS,
    parsePlanJson,
    PlanFormatError,
    renderPlanJson,
    renderPlanText,
    summaryLine,
    type LiveState,
} from '../../src/plan/index.js';
import { desiredFrom, EXAMPLE, exampleWith } from '../model/helpers.js';
import { conflictingLive, convergedLive, demoLive, IDS, number } from './fixtures.js';

let desired: DesiredState;
beforeAll(async () => {
    desired = await desiredFrom(EXAMPLE);
});

const lines = (text: string) => text.split('\n');

describe('text rendering', () => {
    it('groups by vendor and resource, marks creates, summarises unchanged, ends with the counts', () => {
        const text = renderPlanText(computePlan(desired, demoLive()));
        const all = lines(text);
        expect(all[0]).toBe('Plan for integration acme  (Dixa acme.sip.dixa.com · Synthflow eu, workspace 1738660423280x428309622607052800)');
        expect(all).toContain('Dixa');
        expect(all).toContain('Synthflow');
        expect(all).toContain('  Queues');
        expect(all).toContain('    + create queue "Phone – Sales" as a ring group (offers to all agents at once)');
        expect(all).toContain('        offerAlgorithm: "AllAtOnce"');
        expect(all).toContain('    = 1 unchanged: Phone – Tier 1');
        expect(all).toContain('    + import +4535551234 as custom SIP number "sipflow:acme/support"');
        expect(all).toContain('        termination_uri: "acme.sip.dixa.com"');
        expect(all).toContain(`    + make +4535551234 the number of assistant "Acme DK front door" (${IDS.support})  (after number +4535551234)`);
        expect(all).toContain(`        actions: [${IDS.orderLookup}] → [${IDS.orderLookup}, <new LIVE_TRANSFER to sip:+4570101111@acme.sip.dixa.com>]`);
        expect(all).toContain('  ☐ allowlist 3 Synthflow signalling IPs (eu) in Dixa → Settings → Phone → SIP Settings: 34.185.212.150, 34.89.186.33, 35.242.217.198');
        expect(all.at(-2)).toBe('Plan: 5 to create, 4 to attach · 1 unchanged · 5 manual steps (sipflow checklist).');
        expect(text.endsWith('\n')).toBe(true);
        // The vendor groups come in order: Dixa, then Synthflow, then the manual steps.
        expect(all.indexOf('Dixa')).toBeLessThan(all.indexOf('Synthflow'));
        expect(all.indexOf('Synthflow')).toBeLessThan(all.findIndex(l => l.startsWith('Manual steps in Dixa')));
    });

    it('shows updates field by field: before → after', () => {
        const base = convergedLive();
        const live: LiveState = {
            ...base,
            synthflow: {
                ...base.synthflow,
                numbers: [number('+4535551234', { friendlyName: 'Dixa – Support DK', sipTermUri: 'old.sip.dixa.com', assistants: [IDS.support] }), base.synthflow.numbers[1]],
            },
        };
        const all = lines(renderPlanText(computePlan(desired, live)));
        expect(all).toContain('    ~ adopt number +4535551234 (imported outside sipflow) as "sipflow:acme/support"');
        expect(all).toContain('        friendly_name: "Dixa – Support DK" → "sipflow:acme/support"');
        expect(all).toContain('        termination_uri: "old.sip.dixa.com" → "acme.sip.dixa.com"');
        expect(all.at(-2)).toBe('Plan: 1 to adopt · 7 unchanged · 5 manual steps (sipflow checklist).');
    });

    it('says "No changes" for a converged account', () => {
        const all = lines(renderPlanText(computePlan(desired, convergedLive())));
        expect(all.at(-2)).toBe('No changes · 8 unchanged · 5 manual steps (sipflow checklist).');
        expect(all.some(l => /^ {4}[+~!-] /.test(l))).toBe(false);
    });

    it('marks conflicts with ! and their remedy, and orphans with - (needs --prune)', () => {
        const live = conflictingLive();
        const all = lines(renderPlanText(computePlan(desired, live)));
        expect(all).toContain(`    ! +4535551234 is already the number of assistant "Acme UK support" (${IDS.uk}), an inbound assistant the file does not name`);
        expect(all).toContain(
            '        A number serves one inbound assistant. Give that assistant another number in Synthflow (Agents → its phone number), or give department support another DID.',
        );
        expect(all).toContain(
            `    - LIVE_TRANSFER act-old "sipflow:acme/sales escalate old" to sip:+4570109999@acme.sip.dixa.com is no longer in the file: remove it from assistant "Acme DK sales" (${IDS.sales})  (needs --prune)`,
        );
        expect(all.at(-2)).toBe('Plan: 1 to detach with --prune · 1 conflict (apply refuses until it is resolved) · 6 unchanged · 5 manual steps (sipflow checklist).');
    });

    it('colours only when asked', () => {
        const plan = computePlan(desired, demoLive());
        expect(renderPlanText(plan)).not.toContain('\u001b[');
        const coloured = renderPlanText(plan, { color: true });
        expect(coloured).toContain('\u001b[32m    + create queue "Phone – Sales"');
        expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(plan));
    });

    it('verbose lists every unchanged item', () => {
        const all = lines(renderPlanText(computePlan(desired, convergedLive()), { verbose: true }));
        expect(all).toContain('    = number +4535551234 "sipflow:acme/support" matches');
    });
});

describe('JSON rendering and saved plans', () => {
    const SOURCES = [{ path: 'acme.sipflow', sha256: 'a'.repeat(64) }];
    const savedJson = () => JSON.parse(renderPlanJson(computePlan(desired, demoLive()), SOURCES));
    /** Re-hashes an edited plan, as an attacker who knows the format would: the deeper checks must still refuse. */
    const rehashed = (plan: Record<string, unknown>) => JSON.stringify({ ...plan, contentHash: contentHashOf(plan as never) });

    it('round-trips exactly, without the desired state', () => {
        const plan = computePlan(desired, demoLive());
        const json = renderPlanJson(plan, SOURCES);
        const parsed = parsePlanJson(json);
        const { desired: _desired, ...rest } = plan;
        expect(parsed).toEqual({ ...rest, sources: SOURCES, contentHash: parsed.contentHash });
        expect(`${JSON.stringify(parsed, null, 2)}\n`).toBe(json);
        expect(json).not.toContain('apiBaseUrl');
        expect(json).not.toContain('file://');
    });

    it('is stable and self-describing', () => {
        const json = savedJson();
        expect(Object.keys(json)).toEqual([
            'format',
            'formatVersion',
            'integration',
            'environment',
            'sources',
            'sourceHash',
            'liveFingerprint',
            'liveSections',
            'items',
            'summary',
            'hasChanges',
            'contentHash',
        ]);
        expect(json.format).toBe('sipflow-plan');
        expect(json.formatVersion).toBe(3);
        expect(json.sourceHash).toBe(desired.sourceHash);
        expect(json.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(Object.keys(json.items[0])).toEqual([
            'id',
            'vendor',
            'resource',
            'kind',
            'key',
            'summary',
            'changes',
            'detail',
            'departments',
            'dependsOn',
            'operation',
            'requiresPrune',
        ]);
        expect(renderPlanJson(computePlan(desired, demoLive()), SOURCES)).toBe(renderPlanJson(computePlan(desired, demoLive()), SOURCES));
    });

    it('holds credential references, never values', async () => {
        process.env.ACME_SIP_PASSWORD = 'hunter2-plan-test';
        try {
            const withCredentials = await desiredFrom(exampleWith(['trunk-auth ip', 'trunk-auth credentials { username env:ACME_SIP_USER password env:ACME_SIP_PASSWORD }']));
            const plan = computePlan(withCredentials, demoLive());
            const json = renderPlanJson(plan, SOURCES);
            expect(json).not.toContain('hunter2-plan-test');
            expect(json).toContain('"trunkPasswordEnv": "ACME_SIP_PASSWORD"');
            expect(renderPlanText(plan)).toContain('        trunk_pwd: "env:ACME_SIP_PASSWORD"');
        } finally {
            delete process.env.ACME_SIP_PASSWORD;
        }
    });

    it('refuses what is not a current sipflow plan, saying why', () => {
        const json = savedJson();
        expect(() => parsePlanJson('{')).toThrow(PlanFormatError);
        expect(() => parsePlanJson('{"format":"terraform"}')).toThrow(/not a sipflow plan/i);
        expect(() => parsePlanJson(JSON.stringify({ ...json, formatVersion: 1 }))).toThrow(/format version 1; this sipflow reads version 3/);
        expect(() => parsePlanJson(rehashed({ ...json, liveFingerprint: undefined }))).toThrow('The plan is malformed: the plan lacks "liveFingerprint".');
    });

    it('refuses any edit through the content hash', () => {
        const json = savedJson();
        expect(parsePlanJson(JSON.stringify(json)).contentHash).toBe(json.contentHash);
        const edited = { ...json, items: json.items.map((i: { summary: string }, n: number) => (n === 0 ? { ...i, summary: `${i.summary} (reviewed)` } : i)) };
        expect(() => parsePlanJson(JSON.stringify(edited))).toThrow('The plan file was edited after sipflow wrote it: its content hash does not match.');
        expect(() => parsePlanJson(JSON.stringify({ ...json, contentHash: `sha256:${'0'.repeat(64)}` }))).toThrow(/content hash does not match/);
    });

    it('validates every field against the schema, naming the item and field', () => {
        const json = savedJson();
        const importIndex = json.items.findIndex((i: { operation: { type: string } | null }) => i.operation?.type === 'synthflow.importNumber');
        const withItem = (edit: (item: Record<string, unknown>) => Record<string, unknown>) =>
            rehashed({ ...json, items: json.items.map((i: Record<string, unknown>, n: number) => (n === importIndex ? edit(i) : i)) });
        const id = json.items[importIndex].id;
        expect(() => parsePlanJson(withItem(i => ({ ...i, operation: { ...(i.operation as object), type: 'synthflow.deleteEverything' } })))).toThrow(
            `The plan is malformed: item ${id}, field operation: unknown operation type "synthflow.deleteEverything"`,
        );
        expect(() => parsePlanJson(withItem(i => ({ ...i, operation: { ...(i.operation as object), terminationUri: undefined } })))).toThrow(
            `item ${id}, field operation lacks "terminationUri"`,
        );
        expect(() => parsePlanJson(withItem(i => ({ ...i, operation: { ...(i.operation as object), host: 'evil.example' } })))).toThrow(
            `item ${id}, field operation has an unknown field "host"`,
        );
        expect(() => parsePlanJson(withItem(i => ({ ...i, requiresPrune: 'no' })))).toThrow(`item ${id}, field requiresPrune must be boolean`);
        expect(() => parsePlanJson(withItem(i => ({ ...i, kind: 'delete' })))).toThrow(/field kind must be one of "create", "update"/);
        expect(() => parsePlanJson(withItem(i => ({ ...i, operation: { ...(i.operation as object), e164: '45 3555' } })))).toThrow(
            `item ${id}, field operation.e164 must match pattern`,
        );
        expect(() => parsePlanJson(rehashed({ ...json, desired: { synthflow: { apiBaseUrl: 'https://evil.example/v2' } } }))).toThrow('the plan has an unknown field "desired"');
        expect(() => parsePlanJson(rehashed({ ...json, items: 'all of them' }))).toThrow('field items must be array');
    });

    it('refuses duplicate ids, dangling dependencies and cycles, however long, without recursion', () => {
        const json = savedJson();
        const dependsOn = (edits: Record<number, string[]>) =>
            rehashed({ ...json, items: json.items.map((i: { dependsOn: string[] }, n: number) => (n in edits ? { ...i, dependsOn: edits[n] } : i)) });
        expect(() => parsePlanJson(dependsOn({ 3: ['nowhere'] }))).toThrow(`item ${json.items[3].id} depends on nowhere, which is not in the plan`);
        expect(() => parsePlanJson(dependsOn({ 3: [json.items[3].id] }))).toThrow(`item ${json.items[3].id} depends on itself`);
        expect(() => parsePlanJson(dependsOn({ 0: [json.items[2].id], 2: [json.items[0].id] }))).toThrow(
            `the dependencies form a cycle (${json.items[0].id} → ${json.items[2].id} → ${json.items[0].id})`,
        );
        expect(() => parsePlanJson(rehashed({ ...json, items: [...json.items, json.items[1]] }))).toThrow(`item ${json.items[1].id} appears twice`);
        // 50,000 items in one long cycle: a recursive check would overflow the stack.
        const chain = Array.from({ length: 50_000 }, (_, n) => ({ id: `i${n}`, dependsOn: [`i${(n + 1) % 50_000}`] }));
        expect(dependencyProblem(chain)).toBe('the dependencies form a cycle (i0 → i1 → i2 → i3 → … → i49999 → i0; 50000 items)');
        expect(dependencyProblem(chain.map((item, n) => ({ ...item, dependsOn: n === 49_999 ? [] : item.dependsOn })))).toBeNull();
    });

    it('has a schema entry for every operation type computePlan produces', () => {
        const types = new Set(computePlan(desired, demoLive()).items.flatMap(i => (i.operation ? [i.operation.type] : [])));
        for (const type of types) expect(Object.keys(OPERATION_FIELDS)).toContain(type);
    });
});

describe("the manual-work line (the editor's plan header and apply confirmation)", () => {
    it("uses the footer's count of manual steps and says why the checklist counts more", () => {
        const plan = computePlan(desired, demoLive());
        const checklist = buildChecklist(desired, {});
        const counts = {
            steps: checklist.items.length,
            verified: checklist.counts.verified,
            failed: checklist.counts.failed,
            unverifiable: checklist.counts.unverifiable,
            notChecked: checklist.counts['not-checked'],
        };
        const line = manualWorkLine(plan.summary, counts);
        const stepsInLine = Number(/^(\d+) manual steps? in Dixa/.exec(line)?.[1]);
        const stepsInFooter = Number(/(\d+) manual steps? \(sipflow checklist\)/.exec(summaryLine(plan.summary))?.[1]);
        expect(stepsInLine).toBeGreaterThan(0);
        expect(stepsInLine).toBe(stepsInFooter);
        expect(checklist.items.length).toBeGreaterThan(stepsInLine);
        expect(line).toContain(`checks the whole setup (these steps and the settings around them) in ${checklist.items.length} checks: `);
        expect(line).toContain(`${counts.verified} verified, ${counts.failed} failed, ${counts.unverifiable} cannot be verified`);
        expect(line).toContain(`${counts.notChecked} not checked`);
    });

    it('says plainly when there is no manual step, and leaves out an empty "not checked"', () => {
        expect(manualWorkLine({ manual: 0 }, { steps: 1, verified: 1, failed: 0, unverifiable: 0, notChecked: 0 })).toBe(
            'No manual steps in Dixa; the manual checklist checks the whole setup in 1 check: 1 verified, 0 failed, 0 cannot be verified',
        );
    });
});
