/**
 * computePlan: desired state + live state → plan. Pure: no I/O, no clock, no environment; the same
 * inputs give the same plan (same ids, same order, same text).
 *
 * Rules:
 * - Natural keys, never duplicates: Dixa queues by name, Synthflow numbers by E.164, transfer actions by
 *   their target URI among the assistant's actions (or by the name sipflow gave them).
 * - Existing objects are adopted, not recreated; what sipflow creates carries an ownership marker.
 * - An inbound assistant answers one number, its `phone_number`; "serves another assistant" is judged
 *   on inbound agents only (outbound agents may share a number as caller id).
 * - Actions are added with attach and removed with detach; the assistant's other actions stay.
 * - A twin survives no plan: Dixa queue twins (no API removes one) are resolved by one deterministic
 *   choice and a manual step; transfer-action twins are detached and deleted.
 * - Numbers are never deleted; orphans are detached only with --prune.
 */
import type { DesiredState } from '../model/types.js';
import { PlanContext } from './context.js';
import { planManualSteps } from './dixa-manual.js';
import { planQueues } from './dixa-queues.js';
import { fingerprintLiveState, liveSectionFingerprints, type LiveState } from './live-state.js';
import { planOrphans } from './orphans.js';
import { planAssistants } from './synthflow-assistants.js';
import { planInboundNumbers } from './synthflow-inbound-numbers.js';
import { planNumbers } from './synthflow-numbers.js';
import { planStrayTransfers, planTransfers } from './synthflow-transfers.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, type Plan, type PlanItem, type PlanItemKind, type PlanSummary } from './types.js';

export { planIds } from './ids.js';
export { transferChanges } from './transfer-diff.js';

/**
 * The planners in the order they run: each may read what earlier ones decided (the queue a transfer
 * waits for, a blocked number, a claimed action). Items are sorted into execution order afterwards.
 */
const PLANNERS: ReadonlyArray<(ctx: PlanContext) => void> = [
    planQueues,
    planAssistants,
    planNumbers,
    planInboundNumbers,
    planTransfers,
    planStrayTransfers,
    planOrphans,
    planManualSteps,
];

export function computePlan(desired: DesiredState, live: LiveState): Plan {
    const ctx = new PlanContext(desired, live);
    for (const plan of PLANNERS) plan(ctx);
    const items = ctx.sorted();
    const summary = summarise(items);
    return {
        format: PLAN_FORMAT,
        formatVersion: PLAN_FORMAT_VERSION,
        integration: desired.integration,
        environment: desired.environment,
        sourceHash: desired.sourceHash,
        liveFingerprint: fingerprintLiveState(live),
        liveSections: liveSectionFingerprints(live),
        desired,
        items,
        summary,
        hasChanges: summary.create + summary.update + summary.adopt + summary.attach + summary.dedupe + summary.orphan > 0,
    };
}

export function summarise(items: readonly PlanItem[]): PlanSummary {
    const count = (kind: PlanItemKind) => items.filter(i => i.kind === kind).length;
    return {
        create: count('create'),
        update: count('update'),
        adopt: count('adopt'),
        attach: count('attach'),
        dedupe: count('dedupe'),
        orphan: items.filter(i => i.kind === 'orphan' && i.operation !== null).length,
        noOp: count('no-op'),
        conflict: count('conflict'),
        manual: count('manual'),
    };
}
