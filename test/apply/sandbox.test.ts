/**
 * apply over real HTTP: the real providers → Prism validating proxies (vendor OpenAPI files) → the
 * sandbox (demo seed, reset for each test).
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
    applyPlan,
    applySavedPlan,
    PlanConflictError,
    planDifference,
    readLiveState,
    renderApplyText,
    SavedPlanMismatchError,
    StalePlanError,
    type ApplyProgressEvent,
} from '../../src/apply/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { computePlan, parsePlanJson, renderPlanJson, type Plan, type PlanOperation, type SavedPlan } from '../../src/plan/index.js';
import { DEMO } from '../../src/sandbox/index.js';
import { desiredFrom, EXAMPLE, exampleWith } from '../model/helpers.js';
import { closeContractEnvironment, harness, type Harness } from './helpers.js';

const SUPPORT = DEMO.synthflow.assistants.support;
const SALES = DEMO.synthflow.assistants.sales;
const ORDER_LOOKUP = DEMO.synthflow.actions.orderLookup;
const TIER1_URI = 'sip:+4570101111@acme.sip.dixa.com';
const SALES_URI = 'sip:+4570102222@acme.sip.dixa.com';

let desired: DesiredState;
let h: Harness | undefined;
beforeAll(async () => {
    desired = await desiredFrom(EXAMPLE);
});
afterEach(async () => {
    await h?.close();
    h = undefined;
});
afterAll(closeContractEnvironment);

const stepIds = (plan: Plan) => plan.items.filter(i => i.operation !== null).map(i => i.id);

describe('first apply on the demo seed', () => {
    it('applies every step, and the next plan is empty', async () => {
        h = await harness(desired);
        const plan = await h.plan(desired);
        expect(plan.summary).toMatchObject({ create: 5, attach: 4, conflict: 0 });
        const events: ApplyProgressEvent[] = [];
        const result = await applyPlan(plan, h.providers, { onProgress: e => events.push(e) });
        expect(result.status).toBe('succeeded');
        expect(result.ok).toBe(true);
        expect(result.counts).toEqual({ succeeded: 9, failed: 0, skipped: 0, cancelled: 0, excluded: 0 });
        expect(events.filter(e => e.type === 'step-started')).toHaveLength(9);
        expect(events.filter(e => e.type === 'step-succeeded').map(e => e.completed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(result.verification).toEqual({ status: 'verified', residue: [], error: null });
        expect(renderApplyText(result).trimEnd().split('\n').at(-1)).toBe('Apply complete: 9 of 9 steps done; a fresh read confirms the accounts match the file.');

        const again = await h.plan(desired);
        expect(again.hasChanges).toBe(false);
        expect(stepIds(again)).toEqual([]);
        expect(again.summary).toEqual({ create: 0, update: 0, adopt: 0, attach: 0, dedupe: 0, orphan: 0, noOp: 8, conflict: 0, manual: 5 });
        // The inbound numbers went through PUT /assistants/{id} (phone_number), never the outbound pool.
        expect(h.sandbox.requests.filter(r => r.method === 'PUT' && r.path.endsWith('/phone_numbers'))).toEqual([]);
        const record = (id: string) => h!.sandbox.state.synthflow.assistants.find(a => a.model_id === id)!;
        expect([record(SUPPORT).inbound_phone_slug, record(SALES).inbound_phone_slug]).toEqual(['4535551234', '4535555678']);
    });

    it('keeps the action that was already on the support assistant, and one made meanwhile', async () => {
        h = await harness(desired);
        const plan = await h.plan(desired);
        // Someone attaches another action in Synthflow between plan and apply.
        const smsFollowUp = DEMO.synthflow.actions.smsFollowUp;
        await h.providers.synthflow.attachActions(SUPPORT, [smsFollowUp]);
        const result = await applyPlan(plan, h.providers);
        expect(result.ok).toBe(true);
        const support = await h.providers.synthflow.getAssistant(SUPPORT);
        expect(support!.actionIds.slice(0, 2)).toEqual([ORDER_LOOKUP, smsFollowUp]);
        expect(support!.actionIds).toHaveLength(3);
        const transfer = await h.providers.synthflow.getAction(support!.actionIds[2]);
        expect(transfer?.liveTransfer?.phone).toBe(TIER1_URI);
        expect(transfer?.name).toBe('sipflow:acme/support escalate tier1');
    });

    it('a stale plan applied a second time: no queue or number twice, the twin actions it made are reported and removed by the next run', async () => {
        h = await harness(desired);
        const plan = await h.plan(desired);
        expect((await applyPlan(plan, h.providers)).ok).toBe(true);
        // A stale second run of the same plan creates its transfer actions again: the read after it says so.
        const stale = await applyPlan(plan, h.providers);
        // The re-imports are refused (Synthflow keeps one number per DID): the run fails and says so.
        expect(stale.ok).toBe(false);
        expect(stale.outcomes.filter(o => o.status === 'failed').map(o => o.id)).toEqual(['synthflow/number/+4535551234', 'synthflow/number/+4535555678']);
        const queues = (await h.providers.dixa.listQueues()).filter(q => q.name === 'Phone – Sales');
        expect(queues).toHaveLength(1);
        const next = await h.plan(desired);
        expect(next.summary.dedupe).toBe(4);
        expect((await applyPlan(next, h.providers)).ok).toBe(true);
        expect((await h.plan(desired)).hasChanges).toBe(false);
        const transfers = h.sandbox.state.synthflow.actions.filter(a => a.action_type === 'LIVE_TRANSFER' && String(a.config.phone).endsWith('@acme.sip.dixa.com'));
        expect(transfers).toHaveLength(2);
    });
});

describe('partial failure', () => {
    it("reports what was done, what failed with the vendor's message, what was not attempted; the next plan shows only the rest", async () => {
        h = await harness(desired, { faults: `synthflow:PUT:/assistants/${SUPPORT}=500` });
        const plan = await h.plan(desired);
        const result = await applyPlan(plan, h.providers);
        expect(result.status).toBe('partial');
        expect(result.ok).toBe(false);
        expect(result.verification.status).toBe('skipped');
        expect(result.counts).toEqual({ succeeded: 8, failed: 1, skipped: 0, cancelled: 0, excluded: 0 });
        const byId = new Map(result.outcomes.map(o => [o.id, o]));
        const failed = byId.get(`synthflow/assistant/${SUPPORT}/number`)!;
        expect(failed.status).toBe('failed');
        expect(failed.error).toMatchObject({ vendor: 'synthflow', status: 500, operation: 'PUT /assistants/{model_id}' });
        expect(failed.error!.message).toContain('Synthflow');
        // Independent steps still ran: the escalation does not wait for the number.
        expect(byId.get(`synthflow/assistant/${SUPPORT}/actions`)?.status).toBe('succeeded');
        expect(byId.get(`synthflow/assistant/${SALES}/number`)?.status).toBe('succeeded');
        expect(byId.get('dixa/queue/Phone – Sales')?.status).toBe('succeeded');

        const text = renderApplyText(result);
        expect(text).toContain('\nFailed\n  ✗ make +4535551234 the number of assistant');
        expect(text).toContain('Apply incomplete: 8 of 9 steps done, 1 failed, 0 not attempted.');
        expect(text).toContain('Run `sipflow plan` to see what remains');

        h.sandbox.clearFaults();
        const remaining = await h.plan(desired);
        expect(stepIds(remaining)).toEqual([`synthflow/assistant/${SUPPORT}/number`]);
        expect((await applyPlan(remaining, h.providers)).ok).toBe(true);
        expect((await h.plan(desired)).hasChanges).toBe(false);
    });

    it('an action created but not attached is attached by the next run, never created twice', async () => {
        h = await harness(desired, { faults: `synthflow:POST:/actions/attach=400` });
        const first = await applyPlan(await h.plan(desired), h.providers);
        expect(first.counts).toMatchObject({ succeeded: 7, failed: 2 });
        h.sandbox.clearFaults();
        const remaining = await h.plan(desired);
        expect(remaining.items.filter(i => i.kind === 'create')).toEqual([]);
        expect(stepIds(remaining)).toEqual([`synthflow/assistant/${SUPPORT}/actions`, `synthflow/assistant/${SALES}/actions`]);
        expect((await applyPlan(remaining, h.providers)).ok).toBe(true);
        const transfers = (await h.providers.synthflow.listActions()).filter(a => a.liveTransfer?.phone === TIER1_URI || a.liveTransfer?.phone === SALES_URI);
        expect(transfers).toHaveLength(2);
        expect((await h.plan(desired)).hasChanges).toBe(false);
    });
});

describe('cancellation', () => {
    it('reports a step cancelled while its request was in flight as interrupted (it may have been made), not as not attempted', async () => {
        const controller = new AbortController();
        h = await harness(desired, { latencyMs: 400, via: 'direct' }, { signal: controller.signal });
        const plan = await h.plan(desired);
        const result = await applyPlan(plan, h.providers, {
            signal: controller.signal,
            concurrency: 1,
            onProgress: e => {
                if (e.type === 'step-started') setTimeout(() => controller.abort(), 100);
            },
        });
        expect(result.status).toBe('cancelled');
        const interrupted = result.outcomes.filter(o => o.status === 'cancelled' && o.error !== null);
        expect(interrupted.length).toBeGreaterThan(0);
        const text = renderApplyText(result);
        expect(text).toContain('Interrupted by the cancel (may have been made: the next plan shows whether it was)');
        expect(text).toMatch(new RegExp(`Apply cancelled: \\d+ of 9 steps done, 0 failed, ${interrupted.length} interrupted \\(may have been made\\), \\d+ not attempted\\.`));
        const notAttempted = text.slice(text.indexOf('Not attempted'));
        for (const o of interrupted) expect(notAttempted).not.toContain(o.summary);
    });

    it('stops scheduling, lets in-flight steps finish, reports, and the next plan shows the rest', async () => {
        h = await harness(desired, { latencyMs: 30, via: 'direct' });
        const plan = await h.plan(desired);
        const controller = new AbortController();
        const result = await applyPlan(plan, h.providers, {
            signal: controller.signal,
            onProgress: e => {
                if (e.type === 'step-succeeded') controller.abort();
            },
        });
        expect(result.status).toBe('cancelled');
        expect(result.ok).toBe(false);
        // The queue, the two imports and the two transfer creates were in flight together: they finish; nothing else starts.
        expect(result.counts).toEqual({ succeeded: 5, failed: 0, skipped: 0, cancelled: 4, excluded: 0 });
        expect(result.outcomes.filter(o => o.status === 'cancelled').every(o => o.message === 'not started: the run was cancelled')).toBe(true);
        expect(renderApplyText(result)).toContain('Apply cancelled: 5 of 9 steps done, 0 failed, 4 not attempted.');

        const remaining = await h.plan(desired);
        expect(remaining.summary).toMatchObject({ create: 0, attach: 4 });
        const rest = await applyPlan(remaining, h.providers);
        expect(rest.ok).toBe(true);
        expect((await h.plan(desired)).hasChanges).toBe(false);
    });

    it('an already-aborted signal starts nothing', async () => {
        h = await harness(desired);
        const controller = new AbortController();
        controller.abort();
        const result = await applyPlan(await h.plan(desired), h.providers, { signal: controller.signal });
        expect(result.counts.cancelled).toBe(9);
        expect(h.sandbox.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });
});

describe('saved plans', () => {
    const sources = (d: DesiredState) => d.sources.map((source, n) => ({ path: `file${n}.sipflow`, sha256: source.sha256 }));
    const save = async (d: DesiredState) => parsePlanJson(renderPlanJson(await h!.plan(d), sources(d)));

    it('applies a saved plan when a fresh plan equals it', async () => {
        h = await harness(desired);
        const saved = await save(desired);
        const result = await applySavedPlan(saved, { desired, sources: sources(desired) }, h.providers);
        expect(result.ok).toBe(true);
        expect((await h.plan(desired)).hasChanges).toBe(false);
    });

    it('refuses when the file changed since', async () => {
        h = await harness(desired);
        const saved = await save(desired);
        const edited = await desiredFrom(`${EXAMPLE}// edited\n`);
        const error = await applySavedPlan(saved, { desired: edited, sources: sources(edited) }, h.providers).catch(e => e);
        expect(error).toBeInstanceOf(StalePlanError);
        expect(error.reason).toBe('source');
        expect(error.message).toBe(
            'The .sipflow file changed since this plan was made (file0.sipflow): nothing was applied. Make a new plan with sipflow plan FILE --out PLAN, review it, and apply that.',
        );
        expect(h.sandbox.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });

    it('refuses when the live accounts changed since, naming what changed', async () => {
        h = await harness(desired);
        const saved = await save(desired);
        await h.providers.dixa.createQueue({ name: 'Phone – Sales' });
        const before = h.sandbox.requests.filter(r => r.method !== 'GET').length;
        const error = await applySavedPlan(saved, { desired, sources: sources(desired) }, h.providers).catch(e => e);
        expect(error).toBeInstanceOf(StalePlanError);
        expect(error.reason).toBe('live');
        expect(error.changed).toEqual(['dixa queues']);
        expect(error.message).toBe(
            'The live accounts changed since this plan was made (dixa queues): nothing was applied. Make a new plan with sipflow plan FILE --out PLAN, review it, and apply that.',
        );
        expect(h.sandbox.requests.filter(r => r.method !== 'GET').length).toBe(before);
    });

    it('refuses items that differ from a fresh plan, saying which', async () => {
        h = await harness(desired);
        const saved = await save(desired);
        const number = saved.items.find(i => i.operation?.type === 'synthflow.importNumber')!;
        const edited: SavedPlan = {
            ...saved,
            items: saved.items.map(i => (i === number ? { ...i, operation: { ...i.operation!, terminationUri: 'evil.example' } as PlanOperation } : i)),
        };
        const error = await applySavedPlan(edited, { desired, sources: sources(desired) }, h.providers).catch(e => e);
        expect(error).toBeInstanceOf(SavedPlanMismatchError);
        expect(error.message).toBe(
            `The plan's items differ from a fresh plan: 1 changed (${number.id}): nothing was applied. Make a new plan with sipflow plan FILE --out PLAN, review it, and apply that.`,
        );
        const reordered: SavedPlan = { ...saved, items: [saved.items[1]!, saved.items[0]!, ...saved.items.slice(2)] };
        expect(planDifference(reordered, await h.plan(desired))).toBe("The plan's items differ from a fresh plan: they are in another order");
        expect(planDifference({ ...saved, items: saved.items.slice(1) }, await h.plan(desired))).toBe(
            `The plan's items differ from a fresh plan: 1 missing (${saved.items[0]!.id})`,
        );
        expect(h.sandbox.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });
});

describe('conflicts, orphans and credentials', () => {
    it('refuses a plan with conflicts before any request', async () => {
        h = await harness(desired);
        const wrong = await desiredFrom(exampleWith(['assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90"', 'assistant "00000000-0000-4000-8000-000000000000"']));
        const plan = await h.plan(wrong);
        const before = h.sandbox.requests.length;
        const error = await applyPlan(plan, h.providers).catch(e => e);
        expect(error).toBeInstanceOf(PlanConflictError);
        expect(error.message).toContain('assistant 00000000-0000-4000-8000-000000000000 does not exist in Synthflow workspace');
        expect(h.sandbox.requests.length).toBe(before);
    });

    it('a removed department: its transfer on the assistant the file no longer names is detached only with --prune; its number is never deleted', async () => {
        h = await harness(desired);
        await applyPlan(await h.plan(desired), h.providers);
        const salesTransfer = h.sandbox.state.synthflow.assistants.find(a => a.model_id === SALES)!.actions[0]!;
        const withoutSales = await desiredFrom(exampleWith([/  department sales \{[^}]*\}\n/, '']));
        const plan = await h.plan(withoutSales);
        expect(plan.items.filter(i => i.kind === 'orphan').map(i => i.id)).toEqual([`synthflow/assistant/${SALES}/action/${salesTransfer}`]);

        const kept = await applyPlan(plan, h.providers);
        expect(kept.status).toBe('nothing-to-do');
        expect(h.sandbox.state.synthflow.assistants.find(a => a.model_id === SALES)!.actions).toEqual([salesTransfer]);

        // With --prune, the number of the removed department is found too: a manual step, never a delete.
        const prunePlan = computePlan(withoutSales, await readLiveState(withoutSales, h.providers, { prune: true }));
        expect(prunePlan.items.find(i => i.id === 'synthflow/manual/number/+4535555678')).toMatchObject({ kind: 'manual', operation: null });
        const pruned = await applyPlan(prunePlan, h.providers, { prune: true });
        expect(pruned.ok).toBe(true);
        expect(pruned.verification.status).toBe('verified');
        expect(h.sandbox.state.synthflow.assistants.find(a => a.model_id === SALES)!.actions).toEqual([]);
        expect(h.sandbox.state.synthflow.actions.some(a => a.action_id === salesTransfer)).toBe(true);
        expect(await h.providers.synthflow.getNumber('+4535555678')).toBeDefined();
        expect((await h.plan(withoutSales)).hasChanges).toBe(false);
        expect(h.sandbox.requests.filter(r => r.method === 'DELETE')).toEqual([]);
    });

    it('a number still answered by an assistant the file no longer names is a conflict with its remedy (no API takes it away)', async () => {
        h = await harness(desired);
        await applyPlan(await h.plan(desired), h.providers);
        const UK = DEMO.synthflow.assistants.uk;
        const moved = await desiredFrom(exampleWith(['assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90"', `assistant "${UK}"`]));
        const plan = await h.plan(moved);
        const conflict = plan.items.find(i => i.id === 'synthflow/number/+4535555678/assistant')!;
        expect(conflict.kind).toBe('conflict');
        expect(conflict.summary).toBe(`+4535555678 is already the number of assistant "Acme DK sales front door" (${SALES}), an inbound assistant the file does not name`);
        const before = h.sandbox.requests.length;
        expect(await applyPlan(plan, h.providers).catch(e => e)).toBeInstanceOf(PlanConflictError);
        expect(h.sandbox.requests.length).toBe(before);
    });

    it('reads trunk credentials from env at apply time, and reports a missing variable by name', async () => {
        const withCredentials = await desiredFrom(exampleWith(['trunk-auth ip', 'trunk-auth credentials { username env:ACME_SIP_USER password env:ACME_SIP_PASSWORD }']));
        h = await harness(withCredentials);
        const plan = await h.plan(withCredentials);

        const missing = await applyPlan(plan, h.providers, { env: { ACME_SIP_USER: 'acme-trunk' } });
        const imports = missing.outcomes.filter(o => o.id.startsWith('synthflow/number/'));
        expect(imports.map(o => [o.status, o.error?.message])).toEqual([
            ['failed', 'environment variable ACME_SIP_PASSWORD is not set (the trunk password for +4535551234): set it and run apply again'],
            ['failed', 'environment variable ACME_SIP_PASSWORD is not set (the trunk password for +4535555678): set it and run apply again'],
        ]);
        expect(missing.outcomes.find(o => o.id === 'dixa/queue/Phone – Sales')?.status).toBe('succeeded');

        const secret = 'pa55-w0rd-apply-test';
        const result = await applyPlan(await h.plan(withCredentials), h.providers, { env: { ACME_SIP_USER: 'acme-trunk', ACME_SIP_PASSWORD: secret } });
        expect(result.ok).toBe(true);
        const record = h.sandbox.state.synthflow.numbers.find(n => n.phone_number === '+4535551234');
        expect(record?.trunk_username).toBe('acme-trunk');
        expect(record?.trunk_pwd_sha256).toBe(createHash('sha256').update(secret).digest('hex'));
        expect(JSON.stringify(result)).not.toContain(secret);
        expect(renderApplyText(result)).not.toContain(secret);
    });
});
