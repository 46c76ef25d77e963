/**
 * Property: whatever faults hit the writes of a first apply (5xx, 429, lost responses, resets,
 * timeouts, malformed bodies), running plan → apply again converges: no number, action or queue is ever
 * duplicated, the accounts end up as the file says, the foreign action survives, and the next plan is
 * empty. With at most two single-shot faults, within three runs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { DEMO } from '../../src/sandbox/index.js';
import { desiredFrom, EXAMPLE } from '../model/helpers.js';
import { harness, type Harness } from './helpers.js';

const SUPPORT = DEMO.synthflow.assistants.support;
const SALES = DEMO.synthflow.assistants.sales;

const WRITES = ['dixa:POST:/queues', 'synthflow:POST:/custom-numbers', 'synthflow:PUT:/assistants/{id}', 'synthflow:POST:/actions', 'synthflow:POST:/actions/attach'] as const;
const ACTIONS = ['500', '502', '503', '429', '429:0', 'lost', 'reset', 'timeout', 'malformed'] as const;

const faultRule = fc.record({
    target: fc.constantFrom(...WRITES),
    action: fc.constantFrom(...ACTIONS),
    at: fc.integer({ min: 1, max: 2 }),
});

let desired: DesiredState;
let h: Harness;
beforeAll(async () => {
    desired = await desiredFrom(EXAMPLE);
    // direct: the fault schedules include lost responses and timeouts, which Prism would turn into its own 5xx
    h = await harness(desired, { via: 'direct' }, { timeoutMs: 300 });
});
afterAll(async () => {
    await h.close();
});

function assertNoDuplicates(): void {
    const state = h.sandbox.state;
    const phones = state.synthflow.numbers.map(n => n.phone_number);
    expect(new Set(phones).size).toBe(phones.length);
    const queueNames = state.dixa.queues.map(q => q.name);
    expect(new Set(queueNames).size).toBe(queueNames.length);
    for (const assistant of state.synthflow.assistants) {
        expect(new Set(assistant.actions).size).toBe(assistant.actions.length);
    }
}

describe('convergence under faults', () => {
    it('repeated applies converge without duplicates', { timeout: 180_000 }, async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(faultRule, { minLength: 1, maxLength: 2 }), async rules => {
                h.sandbox.reset('demo');
                h.sandbox.setFaults(rules.map(r => `${r.target}=${r.action}*1@${r.at}`).join(','));
                let runs = 0;
                for (; runs < 3; runs++) {
                    const plan = await h.plan(desired);
                    if (!plan.hasChanges) break;
                    await applyPlan(plan, h.providers);
                    assertNoDuplicates();
                }
                h.sandbox.clearFaults();
                const final = await h.plan(desired);
                expect(final.hasChanges, `not converged after ${runs} runs with ${JSON.stringify(rules)}`).toBe(false);

                // The accounts are what the file says.
                const transfers = (await h.providers.synthflow.listActions()).filter(a => a.actionType === 'LIVE_TRANSFER');
                const support = await h.providers.synthflow.getAssistant(SUPPORT);
                const sales = await h.providers.synthflow.getAssistant(SALES);
                expect(support!.phoneNumber).toBe('+4535551234');
                expect(sales!.phoneNumber).toBe('+4535555678');
                expect(support!.actionIds[0]).toBe(DEMO.synthflow.actions.orderLookup);
                const phoneOf = (id: string) => transfers.find(t => t.actionId === id)?.liveTransfer?.phone;
                expect(support!.actionIds.map(phoneOf).filter(Boolean)).toEqual(['sip:+4570101111@acme.sip.dixa.com']);
                expect(sales!.actionIds.map(phoneOf)).toEqual(['sip:+4570102222@acme.sip.dixa.com']);
                // No stray transfer action to our targets either.
                expect(transfers.filter(t => t.liveTransfer?.phone?.endsWith('@acme.sip.dixa.com')).length).toBe(2);
                expect((await h.providers.dixa.listQueues()).filter(q => q.name === 'Phone – Sales')).toHaveLength(1);
            }),
            { numRuns: 8, seed: 20260, endOnFailure: true },
        );
    });
});
