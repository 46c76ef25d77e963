import { beforeAll, describe, expect, it } from 'vitest';
import type { DesiredState } from '../../src/model/index.js';
import { computePlan, EMPTY_LIVE_STATE, fingerprintLiveState, liveSectionFingerprints, type LiveState, type Plan, type PlanItem } from '../../src/plan/index.js';
import { desiredFrom, EXAMPLE, exampleWith } from '../model/helpers.js';
import { assistant, convergedLive, demoLive, IDS, number, ORDER_LOOKUP, SALES_URI, TIER1_URI } from './fixtures.js';

let desired: DesiredState;
beforeAll(async () => {
    desired = await desiredFrom(EXAMPLE);
});

const find = (plan: Plan, id: string): PlanItem => {
    const found = plan.items.find(i => i.id === id);
    if (!found) throw new Error(`no item ${id} in ${plan.items.map(i => i.id).join(', ')}`);
    return found;
};
const steps = (plan: Plan) => plan.items.filter(i => i.operation !== null);

/** A live state with some parts replaced. */
function withSynthflow(base: LiveState, patch: Partial<LiveState['synthflow']>): LiveState {
    return { ...base, synthflow: { ...base.synthflow, ...patch } };
}

describe('first plan on the demo account', () => {
    it('lists every step with stable ids, kinds and dependencies, in execution order', () => {
        const plan = computePlan(desired, demoLive());
        expect(steps(plan).map(i => [i.id, i.kind, i.dependsOn])).toEqual([
            ['dixa/queue/Phone – Sales', 'create', []],
            ['synthflow/number/+4535551234', 'create', []],
            ['synthflow/number/+4535555678', 'create', []],
            [`synthflow/assistant/${IDS.support}/number`, 'attach', ['synthflow/number/+4535551234']],
            [`synthflow/assistant/${IDS.sales}/number`, 'attach', ['synthflow/number/+4535555678']],
            [`synthflow/assistant/${IDS.support}/transfer/${TIER1_URI}`, 'create', []],
            [`synthflow/assistant/${IDS.sales}/transfer/${SALES_URI}`, 'create', []],
            [`synthflow/assistant/${IDS.support}/actions`, 'attach', [`synthflow/assistant/${IDS.support}/transfer/${TIER1_URI}`]],
            // the action goes live only once the Dixa queue it escalates to exists
            [`synthflow/assistant/${IDS.sales}/actions`, 'attach', [`synthflow/assistant/${IDS.sales}/transfer/${SALES_URI}`, 'dixa/queue/Phone – Sales']],
        ]);
        expect(plan.summary).toEqual({ create: 5, update: 0, adopt: 0, attach: 4, dedupe: 0, orphan: 0, noOp: 1, conflict: 0, manual: 5 });
        expect(plan.hasChanges).toBe(true);
    });

    it('carries the exact operations apply needs', () => {
        const plan = computePlan(desired, demoLive());
        expect(find(plan, 'dixa/queue/Phone – Sales').operation).toEqual({ type: 'dixa.createQueue', name: 'Phone – Sales', offerAlgorithm: 'AllAtOnce' });
        expect(find(plan, 'synthflow/number/+4535551234').operation).toEqual({
            type: 'synthflow.importNumber',
            e164: '+4535551234',
            friendlyName: 'sipflow:acme/support',
            terminationUri: 'acme.sip.dixa.com',
            trunkUsernameEnv: null,
            trunkPasswordEnv: null,
        });
        expect(find(plan, `synthflow/assistant/${IDS.support}/number`).operation).toEqual({
            type: 'synthflow.setInboundNumber',
            modelId: IDS.support,
            e164: '+4535551234',
        });
        expect(find(plan, `synthflow/assistant/${IDS.support}/transfer/${TIER1_URI}`).operation).toEqual({
            type: 'synthflow.createTransfer',
            modelId: IDS.support,
            name: 'sipflow:acme/support escalate tier1',
            config: {
                transferMode: 'warm_transfer',
                phone: TIER1_URI,
                instructions: 'The caller asks for a human, or the problem cannot be solved',
                initiatingMsg: 'One moment, I am putting you through to a colleague.',
            },
        });
    });

    it("the action attach adds only the new action and keeps the assistant's foreign one", () => {
        const plan = computePlan(desired, demoLive());
        const attach = find(plan, `synthflow/assistant/${IDS.support}/actions`);
        expect(attach.operation).toEqual({
            type: 'synthflow.attachActions',
            modelId: IDS.support,
            add: [{ createdBy: `synthflow/assistant/${IDS.support}/transfer/${TIER1_URI}` }],
        });
        expect(attach.changes).toEqual([
            {
                field: 'actions',
                before: [IDS.orderLookup],
                after: [IDS.orderLookup, `<new LIVE_TRANSFER to ${TIER1_URI}>`],
            },
        ]);
        expect(attach.summary).toContain('keeping its 1 current action');
        // The foreign action is neither an orphan nor touched.
        expect(plan.items.filter(i => i.key === IDS.orderLookup)).toEqual([]);
    });

    it('ends with the manual Dixa steps', () => {
        const plan = computePlan(desired, demoLive());
        expect(plan.items.filter(i => i.kind === 'manual').map(i => i.id)).toEqual([
            'dixa/manual/allowlist',
            'dixa/manual/phone-flow/+4535551234',
            'dixa/manual/phone-flow/+4535555678',
            'dixa/manual/queue-routing/+4570101111',
            'dixa/manual/queue-routing/+4570102222',
        ]);
        expect(find(plan, 'dixa/manual/phone-flow/+4535551234').summary).toBe(
            'phone flow "Support DK" on +4535551234: Transfer step to +4535551234@sip.eu.synthflow.ai:32681, UUI phone_number={caller}, timeout 30s, fallback queue "Phone – Tier 1"',
        );
    });

    it('on an empty account: everything is created, assistants are conflicts', () => {
        const plan = computePlan(desired, EMPTY_LIVE_STATE);
        expect(plan.items.filter(i => i.kind === 'conflict').map(i => i.id)).toEqual([`synthflow/assistant/${IDS.support}`, `synthflow/assistant/${IDS.sales}`]);
        expect(find(plan, `synthflow/assistant/${IDS.support}`).summary).toBe(`assistant ${IDS.support} does not exist in Synthflow workspace 1738660423280x428309622607052800`);
        // Nothing can be attached to an assistant that does not exist.
        expect(plan.items.filter(i => i.kind === 'attach')).toEqual([]);
    });
});

describe('converged account', () => {
    it('has no changes: everything is a no-op', () => {
        const plan = computePlan(desired, convergedLive());
        expect(plan.hasChanges).toBe(false);
        expect(steps(plan)).toEqual([]);
        expect(plan.summary).toEqual({ create: 0, update: 0, adopt: 0, attach: 0, dedupe: 0, orphan: 0, noOp: 8, conflict: 0, manual: 5 });
    });
});

describe('adopt and update', () => {
    it('adopts a number imported outside sipflow instead of importing a twin', () => {
        const live = withSynthflow(demoLive(), { numbers: [number('+4535551234', { friendlyName: 'Dixa – Support DK', sipTermUri: 'old.sip.dixa.com' })] });
        const item = find(computePlan(desired, live), 'synthflow/number/+4535551234');
        expect(item.kind).toBe('adopt');
        expect(item.changes).toEqual([
            { field: 'friendly_name', before: 'Dixa – Support DK', after: 'sipflow:acme/support' },
            { field: 'termination_uri', before: 'old.sip.dixa.com', after: 'acme.sip.dixa.com' },
        ]);
        expect(item.operation).toEqual({ type: 'synthflow.updateNumber', e164: '+4535551234', friendlyName: 'sipflow:acme/support', terminationUri: 'acme.sip.dixa.com' });
    });

    it('updates only the fields of its own number that differ', () => {
        const live = withSynthflow(convergedLive(), {
            numbers: [
                number('+4535551234', { friendlyName: 'sipflow:acme/support', sipTermUri: 'ACME.sip.dixa.com', assistants: [IDS.support] }),
                number('+4535555678', { friendlyName: 'sipflow:acme/sales', sipTermUri: 'other.sip.dixa.com', assistants: [IDS.sales] }),
            ],
        });
        const plan = computePlan(desired, live);
        expect(find(plan, 'synthflow/number/+4535551234').kind).toBe('no-op');
        const sales = find(plan, 'synthflow/number/+4535555678');
        expect(sales.kind).toBe('update');
        expect(sales.changes).toEqual([{ field: 'termination_uri', before: 'other.sip.dixa.com', after: 'acme.sip.dixa.com' }]);
        expect(sales.operation).toEqual({ type: 'synthflow.updateNumber', e164: '+4535555678', friendlyName: null, terminationUri: 'acme.sip.dixa.com' });
    });

    it('adopts an attached LIVE_TRANSFER by its target and updates only what differs', () => {
        const base = convergedLive();
        const live = withSynthflow(base, {
            actions: base.synthflow.actions.map(a =>
                a.actionId === 'act-support' ? { ...a, name: 'Escalate (made in the UI)', liveTransfer: { ...a.liveTransfer!, instructions: 'old', failedMsg: 'kept' } } : a,
            ),
        });
        const item = find(computePlan(desired, live), `synthflow/assistant/${IDS.support}/transfer/${TIER1_URI}`);
        expect(item.kind).toBe('update');
        expect(item.changes).toEqual([{ field: 'instructions', before: 'old', after: 'The caller asks for a human, or the problem cannot be solved' }]);
        // Sent in full; the optional field the file does not set is kept.
        expect(item.operation).toMatchObject({ type: 'synthflow.updateTransfer', actionId: 'act-support', config: { failedMsg: 'kept', phone: TIER1_URI } });
    });

    it('a transfer whose configuration cannot be read back is matched by its sipflow name', () => {
        const base = convergedLive();
        const live = withSynthflow(base, { actions: base.synthflow.actions.map(a => (a.actionId === 'act-support' ? { ...a, liveTransfer: undefined } : a)) });
        const item = find(computePlan(desired, live), `synthflow/assistant/${IDS.support}/transfer/${TIER1_URI}`);
        expect(item.kind).toBe('no-op');
        expect(item.detail).toBe('Synthflow did not return its configuration, so its fields cannot be compared.');
    });

    it('after a run that created an action but did not attach it, attaches it instead of creating a twin', () => {
        const base = convergedLive();
        const live = withSynthflow(base, {
            assistants: base.synthflow.assistants.map(a => (a.modelId === IDS.support ? { ...a, actionIds: [IDS.orderLookup] } : a)),
            // readLiveState reads our actions attached to none of the file's assistants with include_assistants.
            actions: base.synthflow.actions.map(a => (a.actionId === 'act-support' ? { ...a, assistants: [] } : a)),
        });
        const plan = computePlan(desired, live);
        expect(plan.items.filter(i => i.kind === 'create')).toEqual([]);
        expect(find(plan, `synthflow/assistant/${IDS.support}/actions`).operation).toEqual({
            type: 'synthflow.attachActions',
            modelId: IDS.support,
            add: [{ actionId: 'act-support' }],
        });
    });
});

describe('conflicts', () => {
    it('a number that is the number of an inbound assistant the file does not name', () => {
        const live = withSynthflow(demoLive(), {
            numbers: [number('+4535551234', { friendlyName: 'UK line', assistants: [IDS.uk], isAvailable: false })],
            otherAssistants: [assistant(IDS.uk, 'Acme UK support', { phoneNumber: '+4535551234' })],
        });
        const plan = computePlan(desired, live);
        const conflict = find(plan, 'synthflow/number/+4535551234/assistant');
        expect(conflict.kind).toBe('conflict');
        expect(conflict.summary).toBe(`+4535551234 is already the number of assistant "Acme UK support" (${IDS.uk}), an inbound assistant the file does not name`);
        expect(plan.items.find(i => i.id === `synthflow/assistant/${IDS.support}/number`)).toBeUndefined();
        // Serving someone else, it is not adopted (renamed) either.
        expect(plan.items.find(i => i.id === 'synthflow/number/+4535551234')).toBeUndefined();
    });

    it('judged on inbound agents only: an outbound agent using the number as its caller id is no conflict', () => {
        const live = withSynthflow(demoLive(), {
            numbers: [number('+4535551234', { friendlyName: 'sipflow:acme/support', assistants: [IDS.uk], isAvailable: true })],
        });
        const plan = computePlan(desired, live);
        expect(plan.items.filter(i => i.kind === 'conflict')).toEqual([]);
        expect(find(plan, `synthflow/assistant/${IDS.support}/number`).operation).toEqual({ type: 'synthflow.setInboundNumber', modelId: IDS.support, e164: '+4535551234' });
    });

    it('is_available false but no assistant read shows which agent has it: still a conflict', () => {
        const live = withSynthflow(demoLive(), { numbers: [number('+4535551234', { friendlyName: 'x', assistants: [], isAvailable: false })] });
        expect(find(computePlan(desired, live), 'synthflow/number/+4535551234/assistant').summary).toContain('is already the number of another inbound assistant');
    });

    it("a number moving between two of the file's assistants waits for the holder's new number; a swap is a conflict", async () => {
        // sales's assistant still answers support's DID; it gets its own number first.
        const base = demoLive();
        const live = withSynthflow(base, {
            numbers: [
                number('+4535551234', { friendlyName: 'sipflow:acme/support', assistants: [IDS.sales], isAvailable: false }),
                number('+4535555678', { friendlyName: 'sipflow:acme/sales' }),
            ],
            assistants: [base.synthflow.assistants[0]!, assistant(IDS.sales, 'Acme DK sales', { phoneNumber: '+4535551234' })],
        });
        const plan = computePlan(desired, live);
        expect(find(plan, `synthflow/assistant/${IDS.support}/number`).dependsOn).toEqual([`synthflow/assistant/${IDS.sales}/number`]);
        expect(plan.summary.conflict).toBe(0);
        // Swapped: each holds the other's number.
        const swapped = withSynthflow(base, {
            numbers: [
                number('+4535551234', { friendlyName: 'sipflow:acme/support', assistants: [IDS.sales], isAvailable: false }),
                number('+4535555678', { friendlyName: 'sipflow:acme/sales', assistants: [IDS.support], isAvailable: false }),
            ],
            assistants: [
                assistant(IDS.support, 'Acme DK front door', { phoneNumber: '+4535555678', actionIds: [IDS.orderLookup] }),
                assistant(IDS.sales, 'Acme DK sales', { phoneNumber: '+4535551234' }),
            ],
        });
        const conflicts = computePlan(desired, swapped).items.filter(i => i.kind === 'conflict');
        expect(conflicts.map(c => c.summary)).toEqual([
            expect.stringContaining('+4535551234 cannot move to assistant "Acme DK front door"'),
            expect.stringContaining('+4535555678 cannot move to assistant "Acme DK sales"'),
        ]);
        expect(conflicts[0]!.summary).toContain('a cycle');
    });

    it('a number of another integration, a provider-bought number, an outbound assistant, duplicate queue names', () => {
        const base = demoLive();
        const live: LiveState = {
            synthflow: {
                ...base.synthflow,
                numbers: [number('+4535551234', { friendlyName: 'sipflow:globex/support' }), number('+4535555678', { providerName: 'twilio' })],
                assistants: [base.synthflow.assistants[0], assistant(IDS.sales, 'Sales dialler', { type: 'outbound' })],
            },
            dixa: { ...base.dixa, queues: [...base.dixa.queues, { id: 'dup', name: 'Phone – Tier 1', offeringAlgorithm: null, usages: {} }] },
        };
        const plan = computePlan(desired, live);
        expect(plan.items.filter(i => i.kind === 'conflict').map(i => [i.id, i.summary])).toEqual([
            [`synthflow/assistant/${IDS.sales}`, `assistant "Sales dialler" (${IDS.sales}) is an outbound assistant, not an inbound one`],
            ['synthflow/number/+4535551234', '+4535551234 belongs to sipflow integration globex ("sipflow:globex/support")'],
            ['synthflow/number/+4535555678', '+4535555678 is a twilio number in Synthflow, not a custom SIP number'],
        ]);
        expect(plan.summary.conflict).toBe(3);
        // Twin queues block nothing: one is used (the one that routes the DID, else the first listed), the other is a manual step.
        expect(find(plan, 'dixa/manual/queue-twins/Phone – Tier 1')).toMatchObject({
            kind: 'manual',
            summary: `2 Dixa queues are named "Phone – Tier 1": sipflow uses ${IDS.tier1Queue} (it routes +4570101111); remove or rename dup in Dixa → Settings → Queues`,
        });
        expect(find(plan, 'dixa/queue/Phone – Tier 1').summary).toBe(`queue "Phone – Tier 1" exists (${IDS.tier1Queue})`);
    });

    it('twin queues of which none routes the DID: the first Dixa lists, the same choice every run', () => {
        const base = demoLive();
        const twins = [
            { id: 'q-b', name: 'Phone – Tier 1', offeringAlgorithm: null, usages: {} },
            { id: 'q-a', name: 'Phone – Tier 1', offeringAlgorithm: null, usages: {} },
        ];
        const live: LiveState = { ...base, dixa: { ...base.dixa, queues: [base.dixa.queues[0]!, ...twins] } };
        expect(find(computePlan(desired, live), 'dixa/queue/Phone – Tier 1').summary).toBe('queue "Phone – Tier 1" exists (q-b)');
        expect(computePlan(desired, live).summary.conflict).toBe(0);
    });

    it('twin transfer actions on an assistant: one kept (ours by name, else the first), the other detached and deleted', () => {
        const base = convergedLive();
        const support = base.synthflow.actions.find(a => a.actionId === 'act-support')!;
        const live = withSynthflow(base, {
            assistants: base.synthflow.assistants.map(a => (a.modelId === IDS.support ? { ...a, actionIds: [IDS.orderLookup, 'act-twin', 'act-support'] } : a)),
            actions: [...base.synthflow.actions, { ...support, actionId: 'act-twin', name: 'Live transfer' }],
        });
        const plan = computePlan(desired, live);
        expect(steps(plan).map(i => [i.id, i.kind, i.operation])).toEqual([
            [`synthflow/assistant/${IDS.support}/twin/act-twin`, 'dedupe', { type: 'synthflow.detachActions', modelId: IDS.support, remove: ['act-twin'] }],
            ['synthflow/action/act-twin/delete', 'dedupe', { type: 'synthflow.deleteAction', actionId: 'act-twin' }],
        ]);
        expect(find(plan, 'synthflow/action/act-twin/delete').dependsOn).toEqual([`synthflow/assistant/${IDS.support}/twin/act-twin`]);
        expect(plan.hasChanges).toBe(true);
    });

    it('an unattached twin of ours beside the attached one is deleted; one of another department is never adopted', () => {
        const base = convergedLive();
        const support = base.synthflow.actions.find(a => a.actionId === 'act-support')!;
        const live = withSynthflow(base, {
            actions: [
                ...base.synthflow.actions,
                { ...support, actionId: 'act-stray', assistants: [] },
                { ...support, actionId: 'act-other', name: 'sipflow:acme/sales escalate tier1', assistants: [] },
            ],
        });
        const plan = computePlan(desired, live);
        // act-other names an escalation the file does not declare: neither adopted nor deleted.
        expect(steps(plan).map(i => i.id)).toEqual(['synthflow/action/act-stray/delete']);
    });
});

describe('orphans', () => {
    it('a number of ours the file no longer declares (read with --prune) is a manual step: never deleted, no API detaches it', () => {
        const base = convergedLive();
        const live = withSynthflow(base, {
            numbers: [...base.synthflow.numbers, number('+4535559999', { friendlyName: 'sipflow:acme/old', assistants: [IDS.uk], isAvailable: false })],
            otherAssistants: [assistant(IDS.uk, 'Old line', { phoneNumber: '+4535559999' })],
        });
        const plan = computePlan(desired, live);
        const orphan = find(plan, 'synthflow/manual/number/+4535559999');
        expect(orphan).toMatchObject({ kind: 'manual', operation: null, departments: ['old'] });
        expect(orphan.summary).toContain(`still the number of assistant "Old line" (${IDS.uk})`);
        expect(plan.hasChanges).toBe(false);
    });

    it('numbers of other owners are not orphans', () => {
        const base = convergedLive();
        const live = withSynthflow(base, {
            numbers: [
                ...base.synthflow.numbers,
                number('+441134960123', { friendlyName: 'UK line', assistants: [IDS.uk] }),
                number('+4535550000', { friendlyName: 'sipflow:globex/x', assistants: [IDS.uk] }),
            ],
        });
        expect(computePlan(desired, live).hasChanges).toBe(false);
    });

    it('an escalation removed from the file leaves an orphan action, removed from the list only with --prune', async () => {
        const noEscalation = await desiredFrom(exampleWith([/    escalate tier1 \{[^}]*\}\n/, '']));
        const plan = computePlan(noEscalation, convergedLive());
        expect(find(plan, `synthflow/assistant/${IDS.support}/action/act-support`)).toMatchObject({
            kind: 'orphan',
            requiresPrune: true,
            operation: { type: 'synthflow.detachActions', modelId: IDS.support, remove: ['act-support'] },
        });
        // The foreign action on the same assistant is left alone.
        expect(plan.items.some(i => i.key === ORDER_LOOKUP.actionId)).toBe(false);
    });
});

describe('Dixa queues', () => {
    it('a queue whose offering algorithm differs cannot be changed by API: a manual step', () => {
        const base = convergedLive();
        const live: LiveState = {
            ...base,
            dixa: { ...base.dixa, queues: base.dixa.queues.map(q => (q.name === 'Phone – Sales' ? { ...q, offeringAlgorithm: 'LongestIdle' } : q)) },
        };
        const plan = computePlan(desired, live);
        expect(find(plan, 'dixa/manual/queue-settings/Phone – Sales')).toMatchObject({
            kind: 'manual',
            changes: [{ field: 'offeringAlgorithm', before: 'LongestIdle', after: 'AllAtOnce' }],
        });
        expect(plan.hasChanges).toBe(false);
    });
});

describe('stability', () => {
    it('the same inputs give the same plan, whatever order the APIs listed things in', () => {
        const live = demoLive();
        const shuffled: LiveState = {
            synthflow: { ...live.synthflow, assistants: [...live.synthflow.assistants].reverse() },
            dixa: { ...live.dixa, queues: [...live.dixa.queues].reverse(), telephonyEndpoints: [...live.dixa.telephonyEndpoints].reverse() },
        };
        expect(computePlan(desired, shuffled)).toEqual(computePlan(desired, live));
    });

    it('the live fingerprint changes with the live state, and names the section that changed', () => {
        const live = demoLive();
        const changed: LiveState = { ...live, dixa: { ...live.dixa, queues: [...live.dixa.queues, { id: 'x', name: 'New', offeringAlgorithm: null, usages: {} }] } };
        expect(fingerprintLiveState(changed)).not.toBe(fingerprintLiveState(live));
        const before = liveSectionFingerprints(live);
        const after = liveSectionFingerprints(changed);
        expect(Object.keys(before).filter(k => before[k] !== after[k])).toEqual(['dixa queues']);
        expect(fingerprintLiveState(live)).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it('records the source hash of the file', async () => {
        const plan = computePlan(desired, demoLive());
        expect(plan.sourceHash).toBe(desired.sourceHash);
        const edited = await desiredFrom(EXAMPLE.replace('Support DK', 'Support Denmark'));
        expect(computePlan(edited, demoLive()).sourceHash).not.toBe(plan.sourceHash);
    });
});
