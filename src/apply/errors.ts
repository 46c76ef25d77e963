import { SipflowError } from '../errors.js';
import type { PlanItem } from '../plan/types.js';

/** apply refused to start: the plan has conflicts. Nothing was changed. */
export class PlanConflictError extends SipflowError {
    constructor(readonly conflicts: readonly PlanItem[]) {
        const lines = conflicts.map(c => `  ! ${c.summary}${c.detail ? `\n      ${c.detail}` : ''}`);
        super(
            'plan-conflict',
            `The plan has ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}; nothing was applied. Resolve ${conflicts.length === 1 ? 'it' : 'them'} and plan again:\n${lines.join('\n')}`,
        );
    }
}

/**
 * A saved plan no longer matches: the `.sipflow` files or the live accounts changed since it was made
 * (Terraform's stale-plan rule). Nothing was changed.
 */
export class StalePlanError extends SipflowError {
    constructor(
        readonly reason: 'source' | 'live',
        /** For `live`: the sections that changed (`synthflow numbers`, `dixa queues`, …). */
        readonly changed: readonly string[],
        message: string,
    ) {
        super('stale-plan', message);
    }
}

/** A step cannot run for a reason of ours, before any request (e.g. a missing environment variable). */
export class StepPreconditionError extends SipflowError {
    constructor(message: string) {
        super('step-precondition', message);
    }
}

/**
 * A saved plan is not what sipflow would plan now from the same files and the same live accounts: its
 * items (or integration, summary) were edited. Nothing was changed.
 */
export class SavedPlanMismatchError extends SipflowError {
    constructor(message: string) {
        super('saved-plan-mismatch', message);
    }
}
