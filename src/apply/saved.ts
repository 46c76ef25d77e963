/**
 * Saved plans (`sipflow plan FILE --out PLAN`, then `sipflow apply PLAN`): the file is the approval,
 * never the source of truth. apply rebuilds the desired state from the `.sipflow` files (the caller
 * loads them; hosts and keys come from them and the environment, never from the plan file), reads the
 * live accounts, recomputes the plan, and runs only if it equals the saved one. Refused when the files or
 * the live accounts changed since (Terraform's stale-plan rule), or when the items differ.
 */
import { canonicalJson } from '../model/hash.js';
import type { DesiredState } from '../model/types.js';
import { computePlan } from '../plan/compute.js';
import { fingerprintLiveState, liveSectionFingerprints } from '../plan/live-state.js';
import type { Plan, PlanItem, SavedPlan, SavedPlanSource } from '../plan/types.js';
import { applyPlan } from './apply.js';
import { SavedPlanMismatchError, StalePlanError } from './errors.js';
import { readLiveState, type Providers, type ReadLiveStateOptions } from './live.js';
import type { ApplyOptions, ApplyResult } from './types.js';

/** The integration as it is now, rebuilt from its files. */
export interface CurrentSources {
    /** Built from the files the saved plan names (its main file and the files of the integration beside it). */
    readonly desired: DesiredState;
    /** Those files, with paths relative to the plan file as the plan stores them, main file first. */
    readonly sources: readonly SavedPlanSource[];
}

const REMAKE = 'Make a new plan with sipflow plan FILE --out PLAN, review it, and apply that.';

/**
 * Recomputes the plan from the current files and live accounts and returns it when it equals the saved
 * one. Throws StalePlanError (files or live accounts changed) or SavedPlanMismatchError (items differ).
 * Only reads.
 */
export async function checkSavedPlan(saved: SavedPlan, current: CurrentSources, providers: Providers, read: ReadLiveStateOptions = {}): Promise<Plan> {
    const { desired } = current;
    const changedFiles = sourceDifferences(saved.sources, current.sources);
    if (changedFiles.length > 0 || desired.sourceHash !== saved.sourceHash) {
        const files = changedFiles.length > 0 ? changedFiles.join(', ') : saved.sources.map(s => s.path).join(', ');
        throw new StalePlanError('source', [], `The .sipflow file changed since this plan was made (${files}): nothing was applied. ${REMAKE}`);
    }
    if ((desired.environment ?? null) !== (saved.environment ?? null)) {
        throw new SavedPlanMismatchError(
            `The plan is for ${saved.environment ? `environment ${saved.environment}` : 'the default configuration'}, but its files were built for ${desired.environment ? `environment ${desired.environment}` : 'the default'}: nothing was applied. ${REMAKE}`,
        );
    }
    if (desired.integration !== saved.integration) {
        throw new SavedPlanMismatchError(`The plan is for integration ${saved.integration}, but its files declare ${desired.integration}: nothing was applied. ${REMAKE}`);
    }
    const live = await readLiveState(desired, providers, read);
    if (fingerprintLiveState(live) !== saved.liveFingerprint) {
        const now = liveSectionFingerprints(live);
        const changed = Object.keys({ ...now, ...saved.liveSections }).filter(k => now[k] !== saved.liveSections[k]);
        throw new StalePlanError('live', changed, `The live accounts changed since this plan was made (${changed.join(', ') || 'their content'}): nothing was applied. ${REMAKE}`);
    }
    const fresh = computePlan(desired, live);
    const difference = planDifference(saved, fresh);
    if (difference !== null) throw new SavedPlanMismatchError(`${difference}: nothing was applied. ${REMAKE}`);
    return fresh;
}

/** Checks a saved plan against a fresh one, then applies it. */
export async function applySavedPlan(saved: SavedPlan, current: CurrentSources, providers: Providers, options: ApplyOptions = {}): Promise<ApplyResult> {
    return applyPlan(await checkSavedPlan(saved, current, providers, { prune: options.prune === true }), providers, options);
}

/** The plan's source paths that changed, appeared or are gone. */
function sourceDifferences(saved: readonly SavedPlanSource[], current: readonly SavedPlanSource[]): string[] {
    const now = new Map(current.map(s => [s.path, s.sha256]));
    const before = new Map(saved.map(s => [s.path, s.sha256]));
    const changed = saved.filter(s => now.get(s.path) !== s.sha256).map(s => (now.has(s.path) ? s.path : `${s.path} is gone`));
    const added = current.filter(s => !before.has(s.path)).map(s => `${s.path} is new`);
    const mainMoved = saved[0] && current[0] && saved[0].path !== current[0].path ? [`the main file is now ${current[0].path}`] : [];
    return [...changed, ...added, ...mainMoved];
}

/** null when the saved plan says what a fresh plan says; otherwise one line saying what differs. */
export function planDifference(saved: SavedPlan, fresh: Plan): string | null {
    const freshById = new Map(fresh.items.map(item => [item.id, item]));
    const savedIds = new Set(saved.items.map(item => item.id));
    const changed = saved.items.filter(item => freshById.has(item.id) && !sameItem(item, freshById.get(item.id)!)).map(item => item.id);
    const extra = saved.items.filter(item => !freshById.has(item.id)).map(item => item.id);
    const missing = fresh.items.filter(item => !savedIds.has(item.id)).map(item => item.id);
    const parts = [
        changed.length > 0 ? `${changed.length} changed (${sample(changed)})` : null,
        extra.length > 0 ? `${extra.length} not in a fresh plan (${sample(extra)})` : null,
        missing.length > 0 ? `${missing.length} missing (${sample(missing)})` : null,
    ].filter((part): part is string => part !== null);
    if (parts.length === 0 && canonicalJson(saved.items.map(i => i.id)) !== canonicalJson(fresh.items.map(i => i.id))) parts.push('they are in another order');
    if (parts.length > 0) return `The plan's items differ from a fresh plan: ${parts.join(', ')}`;
    if (canonicalJson(saved.summary) !== canonicalJson(fresh.summary) || saved.hasChanges !== fresh.hasChanges) {
        return "The plan's summary differs from a fresh plan's";
    }
    if (canonicalJson(saved.liveSections) !== canonicalJson(fresh.liveSections)) return "The plan's live-state fingerprints differ from a fresh plan's";
    return null;
}

function sameItem(a: PlanItem, b: PlanItem): boolean {
    return canonicalJson(a) === canonicalJson(b);
}

function sample(ids: readonly string[]): string {
    const shown = ids
        .slice(0, 3)
        .map(id => (id.length > 80 ? `${id.slice(0, 80)}…` : id))
        .join(', ');
    return ids.length > 3 ? `${shown}, …` : shown;
}
