/**
 * The instruments of the fault property test and the soak, checked on their own: schedules keep to
 * their bounds (checked with the sandbox's own parser and path matcher, not the generator's), and the
 * invariants see what they claim to see. A fault-free apply of the fixture satisfies every invariant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultSpec, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { pathMatches } from '../../src/sandbox/faults.js';
import { fixtureState } from '../support/fault-fixture.js';
import { ENDPOINTS, FAULT_KINDS, fixtureContext, MAX_FAULT_RATE, runSchedule, scheduleFor, specOf, type FixtureContext } from '../support/fault-schedules.js';
import { convergedViolations, duplicateCounts, duplicateViolations } from '../support/invariants.js';

const CLIENT_TIMEOUT = 300;

describe('fault schedules', () => {
    const schedules = Array.from({ length: 200 }, (_, i) => scheduleFor(i + 1, { clientTimeoutMs: CLIENT_TIMEOUT }));

    it('are a function of the seed', () => {
        expect(scheduleFor(42, { clientTimeoutMs: CLIENT_TIMEOUT })).toEqual(scheduleFor(42, { clientTimeoutMs: CLIENT_TIMEOUT }));
        expect(scheduleFor(42, { clientTimeoutMs: CLIENT_TIMEOUT })).not.toEqual(scheduleFor(43, { clientTimeoutMs: CLIENT_TIMEOUT }));
    });

    it('parse, and never give one request more than a 20 % chance of a fault', () => {
        for (const schedule of schedules) {
            const { rules, seed } = parseFaultSpec(specOf(schedule, 1));
            expect(seed).toBe(schedule.seed * 100 + 1);
            for (const endpoint of ENDPOINTS) {
                const hitting = rules.filter(
                    r => (r.vendor === '*' || r.vendor === endpoint.vendor) && (r.method === '*' || r.method === endpoint.method) && pathMatches(r.path ?? '*', endpoint.sample),
                );
                const total = hitting.reduce((sum, r) => sum + (r.probability ?? 1), 0);
                expect(total, `seed ${schedule.seed}, ${endpoint.method} ${endpoint.sample}`).toBeLessThanOrEqual(MAX_FAULT_RATE + 1e-9);
            }
        }
    });

    it('cover every fault kind, reads and writes of both vendors, delays below the client timeout', () => {
        const rules = schedules.flatMap(s => parseFaultSpec(specOf(s, 1)).rules);
        const kinds = new Set(
            rules.map(r => (r.action.kind === 'status' ? `${r.action.status}${r.action.retryAfter !== undefined ? `:${r.action.retryAfter}` : ''}` : r.action.kind)),
        );
        expect([...kinds].sort()).toEqual([...FAULT_KINDS].sort());
        for (const r of rules) if (r.action.kind === 'delay') expect(r.action.ms).toBeLessThan(CLIENT_TIMEOUT);
        for (const vendor of ['dixa', 'synthflow']) {
            for (const method of ['GET', 'POST']) {
                expect(
                    rules.some(r => (r.vendor === vendor || r.vendor === '*') && (r.method === method || r.method === '*')),
                    `${vendor} ${method}`,
                ).toBe(true);
            }
        }
    });
});

describe('invariants', () => {
    let context: FixtureContext;
    let sandbox: Sandbox;
    beforeAll(async () => {
        context = await fixtureContext();
        sandbox = await startSandbox({ port: 0, seed: 'demo', dixaRateLimit: false });
    });
    afterAll(async () => {
        await sandbox.close();
    });

    it('hold after a fault-free apply of the fixture, which converges in one run', async () => {
        const outcome = await runSchedule(sandbox, context, { seed: 0, rules: [] }, { maxRuns: 8, tuning: { timeoutMs: 5_000, retryBaseDelayMs: 1 } });
        expect(outcome.runs.map(r => r.status)).toEqual(['succeeded']);
        expect(outcome.convergedAfter).toBe(1);
        expect(outcome.finalViolations).toEqual([]);
        expect(duplicateCounts(sandbox.state, context.expectation)).toEqual({ transfers: 0, numbers: 0, queues: 0 });
    });

    it('see a duplicate number, queue and transfer, a lost foreign action and an adopted action', async () => {
        await runSchedule(sandbox, context, { seed: 0, rules: [] }, { maxRuns: 1, tuning: { timeoutMs: 5_000, retryBaseDelayMs: 1 } });
        const state = structuredClone(sandbox.state);
        state.synthflow.numbers.push({ ...state.synthflow.numbers.at(-1)!, key: 'twin' });
        state.dixa.queues.push({ ...state.dixa.queues.at(-1)!, id: 'twin' });
        const [first, second] = context.fixture.departments;
        const assistantOf = (id: string) => state.synthflow.assistants.find(a => a.model_id === id)!;
        // A twin of the first department's transfer, attached next to it.
        const own = state.synthflow.actions.find(a => a.name === context.expectation.transfers.find(t => t.assistantId === first!.assistantId)!.actionName)!;
        state.synthflow.actions.push({ ...own, action_id: 'twin-transfer' });
        assistantOf(first!.assistantId).actions.push('twin-transfer');
        // The second department's transfer replaced by the first's (same target: both escalate to tier1).
        const secondAssistant = assistantOf(second!.assistantId);
        secondAssistant.actions = secondAssistant.actions.map(id => (state.synthflow.actions.find(a => a.action_id === id)?.action_type === 'LIVE_TRANSFER' ? own.action_id : id));
        // (the second department's own action is now attached nowhere: a stray, counted with the twin)
        // The first assistant's foreign action dropped.
        const foreign = context.fixture.preexisting.find(p => p.assistantId === first!.assistantId)!;
        assistantOf(first!.assistantId).actions = assistantOf(first!.assistantId).actions.filter(id => id !== foreign.actionId);

        const duplicates = duplicateViolations(state);
        expect(duplicates.some(v => v.startsWith('duplicate number'))).toBe(true);
        expect(duplicates.some(v => v.startsWith('duplicate queue'))).toBe(true);
        expect(duplicates.some(v => v.startsWith('duplicate transfer'))).toBe(true);
        const converged = convergedViolations(state, context.expectation);
        expect(converged).toContain(`lost: pre-existing action ${foreign.actionId} is no longer attached to assistant ${first!.assistantId}`);
        expect(converged.some(v => v.startsWith(`${second!.key}: the LIVE_TRANSFER`) && v.includes('not its own'))).toBe(true);
        expect(converged.some(v => v.includes('is attached to 2 assistants'))).toBe(true);
        expect(duplicateCounts(state, context.expectation)).toEqual({ transfers: 2, numbers: 1, queues: 1 });
    });

    it('read the fixture state as not converged (nothing imported yet)', () => {
        const violations = convergedViolations(fixtureState(context.fixture), context.expectation);
        expect(violations.filter(v => v.includes('is not imported'))).toHaveLength(12);
        expect(violations.filter(v => v.startsWith('lost'))).toEqual([]);
        expect(duplicateViolations(fixtureState(context.fixture))).toEqual([]);
    });
});
