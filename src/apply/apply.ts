/**
 * applyPlan: runs a plan's steps in dependency order with bounded concurrency, cancellable, with
 * progress events, and reports exactly what was done, what failed and what was not attempted.
 *
 * Safety rules:
 * - A plan with conflicts is refused before any request.
 * - Every attach re-reads the assistant's current list right before writing and sends that list plus
 *   the additions (Synthflow replaces lists wholesale): changes made elsewhere are never dropped. Steps
 *   of one run touching the same assistant are serialised.
 * - Nothing is rolled back and nothing is deleted (except twins of transfer actions, attached nowhere).
 *   A failed step's dependents are skipped; independent steps still run.
 * - Success is proven, not assumed: after the last step the live accounts are read again and planned
 *   against; anything left to do (a write that did not stick, a twin a concurrent run made) makes the
 *   run a failure that names it, so a run that reports success is always followed by an empty plan.
 * - `env:` credentials are read from `options.env` when their step runs; a missing variable fails that
 *   step, naming the variable, never a value.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { computePlan } from '../plan/compute.js';
import type { Plan, PlanItem } from '../plan/types.js';
import { ProviderError } from '../providers/types.js';
import { PlanConflictError, StepPreconditionError } from './errors.js';
import { readLiveState, type Providers } from './live.js';
import { KeyedLocks } from './locks.js';
import { runOperation } from './operations.js';
import type { ApplyOptions, ApplyResult, ApplyStatus, ApplyVerification, StepError, StepOutcome, StepStatus } from './types.js';

const DEFAULT_CONCURRENCY = 4;

export async function applyPlan(plan: Plan, providers: Providers, options: ApplyOptions = {}): Promise<ApplyResult> {
    const conflicts = plan.items.filter(i => i.kind === 'conflict');
    if (conflicts.length > 0) throw new PlanConflictError(conflicts);

    const steps = plan.items.filter(i => i.operation !== null);
    const byId = new Map(steps.map(s => [s.id, s]));
    const env = options.env ?? process.env;
    const signal = options.signal;
    // One limit per vendor: a Dixa step waiting for its rate limit must not hold a Synthflow slot.
    const perVendor = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    const limits: Record<PlanItem['vendor'], LimitFunction> = { dixa: pLimit(perVendor), synthflow: pLimit(perVendor) };
    const locks = new KeyedLocks();
    /** Ids produced by create steps, for the attach steps that reference them. */
    const created = new Map<string, string>();
    const runs = new Map<string, Promise<StepOutcome>>();
    let completed = 0;
    const total = steps.length;

    const finish = (step: PlanItem, status: StepStatus, fields: Partial<StepOutcome> = {}): StepOutcome => {
        const outcome = outcomeOf(step, status, fields);
        completed++;
        const type = status === 'succeeded' ? 'step-succeeded' : status === 'failed' ? 'step-failed' : 'step-skipped';
        options.onProgress?.({ type, step, outcome, completed, total });
        return outcome;
    };

    const execute = async (step: PlanItem): Promise<StepOutcome> => {
        if (signal?.aborted) return finish(step, 'cancelled', { message: 'not started: the run was cancelled' });
        options.onProgress?.({ type: 'step-started', step, completed, total });
        try {
            const done = await runOperation(step.operation!, { providers, env, locks, created });
            if (done.createdId) created.set(step.id, done.createdId);
            return finish(step, 'succeeded', { message: done.message, createdId: done.createdId ?? null });
        } catch (error) {
            const stepError = toStepError(error);
            const cancelled = error instanceof ProviderError && error.kind === 'cancelled';
            return finish(step, cancelled ? 'cancelled' : 'failed', {
                error: stepError,
                message: cancelled ? 'interrupted: the run was cancelled' : null,
            });
        }
    };

    const run = (step: PlanItem): Promise<StepOutcome> => {
        let promise = runs.get(step.id);
        if (!promise) {
            promise = (async () => {
                if (step.requiresPrune && !options.prune) {
                    return finish(step, 'excluded', { message: 'not run: detaching what the file no longer declares needs --prune' });
                }
                const dependencies = await Promise.all(step.dependsOn.filter(id => byId.has(id)).map(id => run(byId.get(id)!)));
                const blocker = dependencies.find(d => d.status !== 'succeeded');
                if (blocker?.status === 'cancelled') {
                    return finish(step, 'cancelled', { message: 'not started: the run was cancelled', blockedBy: blocker.id });
                }
                if (blocker) {
                    const why = blocker.status === 'failed' ? 'failed' : blocker.status === 'excluded' ? 'needs --prune' : 'was not done';
                    return finish(step, 'skipped', {
                        message: `not attempted: it depends on ${blocker.id}, which ${why}`,
                        blockedBy: blocker.id,
                    });
                }
                if (signal?.aborted) return finish(step, 'cancelled', { message: 'not started: the run was cancelled' });
                return limits[step.vendor](() => execute(step));
            })();
            runs.set(step.id, promise);
        }
        return promise;
    };

    const outcomes = await Promise.all(steps.map(run));
    return resultOf(plan, providers, options, outcomes);
}

function outcomeOf(step: PlanItem, status: StepStatus, fields: Partial<StepOutcome>): StepOutcome {
    return {
        id: step.id,
        vendor: step.vendor,
        resource: step.resource,
        kind: step.kind,
        summary: step.summary,
        status,
        message: fields.message ?? null,
        error: fields.error ?? null,
        blockedBy: fields.blockedBy ?? null,
        createdId: fields.createdId ?? null,
    };
}

/** The run's status from its steps' outcomes, and (when every step succeeded) the verifying re-plan. */
async function resultOf(plan: Plan, providers: Providers, options: ApplyOptions, outcomes: StepOutcome[]): Promise<ApplyResult> {
    const counts: Record<StepStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0, excluded: 0 };
    for (const outcome of outcomes) counts[outcome.status]++;
    const stepsStatus = overallStatus(counts, outcomes.length, options.signal?.aborted ?? false);
    const verification =
        stepsStatus === 'succeeded' && options.verify !== false ? await verify(plan, providers, options.prune === true) : { status: 'skipped' as const, residue: [], error: null };
    const status: ApplyStatus = verification.status === 'residue' || verification.status === 'unreadable' ? 'unverified' : stepsStatus;
    return { integration: plan.integration, status, ok: status === 'succeeded' || status === 'nothing-to-do', outcomes, counts, verification };
}

/**
 * Reads the live accounts again and plans against them: what is still to do is residue. Orphans count
 * only with --prune (without it they were never to be done).
 */
async function verify(plan: Plan, providers: Providers, prune: boolean): Promise<ApplyVerification> {
    try {
        const fresh = computePlan(plan.desired, await readLiveState(plan.desired, providers, { prune }));
        const residue = fresh.items.filter(i => i.kind === 'conflict' || (i.operation !== null && (prune || !i.requiresPrune)));
        return residue.length === 0 ? { status: 'verified', residue: [], error: null } : { status: 'residue', residue, error: null };
    } catch (error) {
        return { status: 'unreadable', residue: [], error: error instanceof Error ? error.message : String(error) };
    }
}

function overallStatus(counts: Record<StepStatus, number>, steps: number, aborted: boolean): ApplyStatus {
    if (steps - counts.excluded === 0) return 'nothing-to-do';
    if (aborted || counts.cancelled > 0) return 'cancelled';
    if (counts.failed > 0 || counts.skipped > 0) return counts.succeeded > 0 ? 'partial' : 'failed';
    return 'succeeded';
}

function toStepError(error: unknown): StepError {
    if (error instanceof ProviderError) {
        return { vendor: error.vendor, operation: error.operation, message: error.message, status: error.status ?? null, outcome: error.outcome, kind: error.kind };
    }
    if (error instanceof StepPreconditionError) {
        return { vendor: null, operation: null, message: error.message, status: null, outcome: 'failed', kind: 'precondition' };
    }
    // A bug of ours, not the vendor's: say so, and do not claim nothing happened.
    return {
        vendor: null,
        operation: null,
        message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
        status: null,
        outcome: 'unknown',
        kind: 'internal',
    };
}
