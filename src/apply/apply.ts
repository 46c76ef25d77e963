/**
 * applyPlan: runs a plan's steps in dependency order with bounded concurrency, cancellable, with
 * progress events, and reports exactly what was done, what failed and what was not attempted.
 *
 * Safety rules:
 * - A plan with conflicts is refused before any request.
 * - Every attach re-reads the assistant's current list right before writing and sends that list plus
 *   the additions (Synthflow replaces lists wholesale): changes made elsewhere are never dropped. Steps
 *   of one run touching the same assistant are serialised.
 * - Nothing is rolled back and nothing is deleted. A failed step's dependents are skipped; independent
 *   steps still run. The next plan, read from the live accounts, shows only what remains.
 * - `env:` credentials are read from `options.env` when their step runs; a missing variable fails that
 *   step, naming the variable, never a value.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Plan, PlanItem, PlanOperation } from '../plan/types.js';
import { ProviderError } from '../providers/types.js';
import { PlanConflictError, StepPreconditionError } from './errors.js';
import type { Providers } from './live.js';
import { KeyedLocks } from './locks.js';
import type { ApplyOptions, ApplyResult, ApplyStatus, StepError, StepOutcome, StepStatus } from './types.js';

const DEFAULT_CONCURRENCY = 4;

interface Done {
    readonly message: string;
    readonly createdId?: string;
}

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
        const outcome: StepOutcome = {
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
    const counts: Record<StepStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0, excluded: 0 };
    for (const outcome of outcomes) counts[outcome.status]++;
    const status = overallStatus(counts, steps.length, signal?.aborted ?? false);
    return { integration: plan.integration, status, ok: status === 'succeeded' || status === 'nothing-to-do', outcomes, counts };
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
    return { vendor: null, operation: null, message: `internal error: ${error instanceof Error ? error.message : String(error)}`, status: null, outcome: 'unknown', kind: 'internal' };
}

interface RunContext {
    readonly providers: Providers;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly locks: KeyedLocks;
    readonly created: ReadonlyMap<string, string>;
}

function credential(env: RunContext['env'], name: string | null, what: string, e164: string): string | undefined {
    if (name === null) return undefined;
    const value = env[name];
    if (value === undefined || value === '') {
        throw new StepPreconditionError(`environment variable ${name} is not set (the trunk ${what} for ${e164}): set it and run apply again`);
    }
    return value;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

async function runOperation(operation: PlanOperation, ctx: RunContext): Promise<Done> {
    const { synthflow, dixa } = ctx.providers;
    switch (operation.type) {
        case 'dixa.createQueue': {
            const queue = await dixa.createQueue({ name: operation.name, ...(operation.offerAlgorithm ? { offerAlgorithm: operation.offerAlgorithm } : {}) });
            return { message: `created queue "${queue.name}" (${queue.id})`, createdId: queue.id };
        }
        case 'synthflow.importNumber': {
            const trunkUsername = credential(ctx.env, operation.trunkUsernameEnv, 'username', operation.e164);
            const trunkPassword = credential(ctx.env, operation.trunkPasswordEnv, 'password', operation.e164);
            await synthflow.importNumber({
                e164: operation.e164,
                friendlyName: operation.friendlyName,
                terminationUri: operation.terminationUri,
                ...(trunkUsername !== undefined ? { trunkUsername } : {}),
                ...(trunkPassword !== undefined ? { trunkPassword } : {}),
            });
            return { message: `imported ${operation.e164} as "${operation.friendlyName}"` };
        }
        case 'synthflow.updateNumber': {
            await synthflow.updateNumber(operation.e164, {
                ...(operation.friendlyName !== null ? { friendlyName: operation.friendlyName } : {}),
                ...(operation.terminationUri !== null ? { terminationUri: operation.terminationUri } : {}),
            });
            const fields = [operation.friendlyName !== null ? 'friendly_name' : '', operation.terminationUri !== null ? 'termination_uri' : ''].filter(Boolean);
            return { message: `updated ${operation.e164} (${fields.join(', ')})` };
        }
        case 'synthflow.attachNumbers': {
            const release = await ctx.locks.acquire([operation.modelId, ...operation.detachFrom.map(d => d.modelId)]);
            try {
                for (const move of operation.detachFrom) await synthflow.detachNumber(move.modelId, move.e164);
                const assistant = await synthflow.getAssistant(operation.modelId);
                if (!assistant) throw new StepPreconditionError(`assistant ${operation.modelId} no longer exists in Synthflow`);
                const missing = operation.add.filter(n => !assistant.attachedNumbers.includes(n));
                const moved = operation.detachFrom.map(d => d.e164).filter(n => !assistant.attachedNumbers.includes(n) && !missing.includes(n));
                const toAdd = [...missing, ...moved];
                const detached = operation.detachFrom.map(d => `detached ${d.e164} from ${d.modelId}`);
                if (toAdd.length === 0) return { message: [...detached, 'already attached'].join('; ') };
                await synthflow.setAssistantNumbers(operation.modelId, [...assistant.attachedNumbers, ...toAdd]);
                const kept = assistant.attachedNumbers.length;
                return { message: [...detached, `attached ${toAdd.join(', ')}${kept > 0 ? `, keeping ${plural(kept, 'number')} already there` : ''}`].join('; ') };
            } finally {
                release();
            }
        }
        case 'synthflow.createTransfer': {
            const actionId = await synthflow.createLiveTransfer(operation.config, operation.name);
            return { message: `created LIVE_TRANSFER ${actionId} to ${operation.config.phone}`, createdId: actionId };
        }
        case 'synthflow.updateTransfer': {
            await synthflow.updateLiveTransfer(operation.actionId, operation.config);
            return { message: `updated LIVE_TRANSFER ${operation.actionId}` };
        }
        case 'synthflow.attachActions': {
            const ids = operation.add.map(ref => {
                if ('actionId' in ref) return ref.actionId;
                const id = ctx.created.get(ref.createdBy);
                if (!id) throw new StepPreconditionError(`the action ${ref.createdBy} should have created is unknown`);
                return id;
            });
            const release = await ctx.locks.acquire([operation.modelId]);
            try {
                // Re-read right before writing: the list is replaced wholesale, so it must be the current one.
                const assistant = await synthflow.getAssistant(operation.modelId);
                if (!assistant) throw new StepPreconditionError(`assistant ${operation.modelId} no longer exists in Synthflow`);
                const missing = [...new Set(ids)].filter(id => !assistant.actionIds.includes(id));
                if (missing.length === 0) return { message: 'already attached' };
                await synthflow.setAssistantActions(operation.modelId, [...assistant.actionIds, ...missing]);
                const kept = assistant.actionIds.length;
                return { message: `attached ${missing.join(', ')}${kept > 0 ? `, keeping its ${plural(kept, 'other action')}` : ''}` };
            } finally {
                release();
            }
        }
        case 'synthflow.detachNumber': {
            const number = await synthflow.getNumber(operation.e164);
            if (!number || number.assistants.length === 0) return { message: 'already detached' };
            const release = await ctx.locks.acquire(number.assistants);
            try {
                for (const modelId of number.assistants) await synthflow.detachNumber(modelId, operation.e164);
                return { message: `detached ${operation.e164} from ${number.assistants.join(', ')} (the number is kept)` };
            } finally {
                release();
            }
        }
        case 'synthflow.detachActions': {
            const release = await ctx.locks.acquire([operation.modelId]);
            try {
                const assistant = await synthflow.getAssistant(operation.modelId);
                if (!assistant) return { message: 'the assistant no longer exists' };
                const remaining = assistant.actionIds.filter(id => !operation.remove.includes(id));
                if (remaining.length === assistant.actionIds.length) return { message: 'already removed' };
                await synthflow.setAssistantActions(operation.modelId, remaining);
                return { message: `removed ${operation.remove.join(', ')} from the assistant, keeping ${plural(remaining.length, 'other action')} (the action itself is kept)` };
            } finally {
                release();
            }
        }
    }
}
