/**
 * Property (issue 7, "never a duplicate, never a silent loss"): under any random fault schedule — on
 * every vendor, method and path, reads as well as writes, every fault kind, at most 20 % per request —
 * repeated plan → apply runs of the 12-department fixture (test/support/fault-fixture.ts):
 *
 * 1. never leave a duplicate after any run (test/support/invariants.ts duplicateViolations);
 * 2. never report success (exit 0) while a fault-free plan still has changes;
 * 3. converge within 8 runs: with faults cleared the plan is empty and every invariant holds
 *    (one transfer per declared assistant and target, no stray twins, the foreign actions still
 *    attached, each assistant answering on its department's DID).
 *
 * 200 seeded schedules per run (seeds 1–200; scheduleFor(seed) rebuilds one). A failure prints each
 * failing seed with its schedule and runs. Direct to the sandbox: Prism would turn transport faults
 * into its own 5xx.
 */
import { describe, expect, it } from 'vitest';
import { describeOutcome, failed, fixtureContext, runSchedules, type ScheduleOutcome } from '../support/fault-schedules.js';

const SCHEDULES = 200;
const FIRST_SEED = 1;
const MAX_RUNS = 8;
/**
 * Short client timeouts and backoff so that 200 schedules fit in the suite; delays stay below the
 * timeout. 300 ms, not less: with ten sandboxes in one process on a shared 2-core machine, 150 ms
 * timed out a third of fault-free runs, which would test the machine rather than apply.
 */
const TUNING = { timeoutMs: 300, retryBaseDelayMs: 1 };
/** Sandboxes at once: the time is mostly the Dixa client's throttle waiting, not CPU. */
const WORKERS = 10;

describe('apply under random fault schedules (12 departments)', () => {
    it(`${SCHEDULES} schedules: no duplicate after any run, exit 0 ⇒ next plan empty, converged within ${MAX_RUNS} runs with every invariant`, { timeout: 300_000 }, async () => {
        const context = await fixtureContext();
        const seeds = Array.from({ length: SCHEDULES }, (_, i) => FIRST_SEED + i);
        const outcomes = await runSchedules(context, seeds, { workers: WORKERS, maxRuns: MAX_RUNS, tuning: TUNING });

        const failures = outcomes.filter(failed);
        const seedsWhere = (broken: (o: ScheduleOutcome) => boolean) => outcomes.filter(broken).map(o => o.schedule.seed);
        const report = [
            `${failures.length} of ${outcomes.length} schedules broke a promise`,
            `  duplicates after a run: seeds ${seedsWhere(o => o.duplicates.length > 0).join(', ') || 'none'}`,
            `  false successes (exit 0, next plan not empty): seeds ${seedsWhere(o => o.falseSuccesses.length > 0).join(', ') || 'none'}`,
            `  not converged in ${MAX_RUNS} runs: seeds ${seedsWhere(o => o.convergedAfter === null).join(', ') || 'none'}`,
            `  final invariants violated: seeds ${seedsWhere(o => o.finalViolations.some(v => !v.startsWith('not converged'))).join(', ') || 'none'}`,
            '',
            ...failures.map(describeOutcome),
        ].join('\n');
        if (failures.length > 0) console.error(report);
        expect(failures.length, report).toBe(0);
    });
});
