/**
 * Saved plans (`sipflow plan FILE --out PLAN`, then `sipflow apply PLAN`): applied exactly as shown,
 * and only while still true. Refused when the `.sipflow` files or the live accounts changed since the
 * plan was made (Terraform's stale-plan rule).
 */
import { liveSectionFingerprints, fingerprintLiveState } from '../plan/live-state.js';
import type { Plan } from '../plan/types.js';
import { applyPlan } from './apply.js';
import { StalePlanError } from './errors.js';
import { readLiveState, type Providers } from './live.js';
import type { ApplyOptions, ApplyResult } from './types.js';

export interface SavedPlanCheck {
    /**
     * The hash of the plan's source files as they are now (`sourceHashOf` over their texts; the files
     * are `plan.desired.sources`). null when they cannot be read: the plan is then refused.
     */
    readonly sourceHash: string | null;
}

/** Throws StalePlanError when the source files or the live accounts changed since the plan was made. */
export async function checkSavedPlan(plan: Plan, providers: Providers, check: SavedPlanCheck): Promise<void> {
    if (check.sourceHash !== plan.sourceHash) {
        const files = plan.desired.sources.map(s => s.uri).join(', ');
        throw new StalePlanError(
            'source',
            [],
            check.sourceHash === null
                ? `The plan's source files (${files}) cannot be read, so the plan cannot be checked: nothing was applied. Make a new plan.`
                : `The .sipflow file changed since this plan was made (${files}): nothing was applied. Make a new plan with sipflow plan FILE --out PLAN, review it, and apply that.`,
        );
    }
    const live = await readLiveState(plan.desired, providers);
    if (fingerprintLiveState(live) === plan.liveFingerprint) return;
    const now = liveSectionFingerprints(live);
    const changed = Object.keys({ ...now, ...plan.liveSections }).filter(k => now[k] !== plan.liveSections[k]);
    throw new StalePlanError(
        'live',
        changed,
        `The live accounts changed since this plan was made (${changed.join(', ') || 'their content'}): nothing was applied. Make a new plan with sipflow plan FILE --out PLAN, review it, and apply that.`,
    );
}

/** Checks a saved plan is still current, then applies it exactly as it was shown. */
export async function applySavedPlan(plan: Plan, providers: Providers, options: ApplyOptions & SavedPlanCheck): Promise<ApplyResult> {
    await checkSavedPlan(plan, providers, options);
    return applyPlan(plan, providers, options);
}
