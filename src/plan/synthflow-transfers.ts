/**
 * Transfer actions (LIVE_TRANSFER), one per assistant and escalation target: matched among the
 * assistant's actions by target (or by the name sipflow gave them), adopted when one of ours was
 * left unattached, created otherwise, and attached in one step per assistant that keeps its other
 * actions. Twins are detached and deleted.
 */
import type { DesiredDepartment, DesiredEscalation } from '../model/types.js';
import { parseOwnership } from '../model/ownership.js';
import type { LiveSynthflowAction, LiveSynthflowAssistant } from '../providers/types.js';
import { assistantLabel, type PlanContext } from './context.js';
import { planIds } from './ids.js';
import { mergeTransfer, transferChanges } from './transfer-diff.js';
import { matchEscalation } from './transfer-identity.js';
import type { ActionRef } from './types.js';

type TransferBase = { id: string; vendor: 'synthflow'; resource: 'transfer-action'; key: string; departments: string[] };

/** What one assistant's attach step collects while its escalations are planned. */
interface PendingAttach {
    readonly refs: ActionRef[];
    readonly dependsOn: string[];
    readonly departments: string[];
    /** How each ref reads in the step's `actions` change. */
    readonly labels: string[];
}

export function planTransfers(ctx: PlanContext): void {
    for (const modelId of ctx.assistantIds()) {
        const assistant = ctx.usableAssistant(modelId);
        if (assistant) planAssistantTransfers(ctx, modelId, assistant);
    }
}

function planAssistantTransfers(ctx: PlanContext, modelId: string, assistant: LiveSynthflowAssistant): void {
    const label = assistantLabel(modelId, assistant);
    const attached = assistant.actionIds.map(id => ctx.liveActions.get(id)).filter((a): a is LiveSynthflowAction => a !== undefined);
    const pending: PendingAttach = { refs: [], dependsOn: [], departments: [], labels: [] };
    for (const { department, escalation } of escalationsOf(ctx, modelId)) {
        const base: TransferBase = {
            id: planIds.transfer(modelId, escalation.target),
            vendor: 'synthflow',
            resource: 'transfer-action',
            key: escalation.target,
            departments: [department.key],
        };
        const queueStep = escalation.queue ? ctx.queueItem.get(escalation.queue) : undefined;
        const queueDeps = queueStep?.operation ? [queueStep.id] : [];
        const matches = attached.filter(a => !ctx.claimedActions.has(a.actionId) && matchEscalation(a, escalation) !== undefined);
        if (matches.length > 0) {
            // Keep the one with our exact name, else the first the assistant lists; the rest are twins.
            const keep = matches.find(a => a.name === escalation.actionName) ?? matches[0]!;
            ctx.claimedActions.add(keep.actionId);
            transferDiff(ctx, base, modelId, label, keep, escalation, queueDeps);
            for (const twin of matches.filter(a => a !== keep)) removeTwin(ctx, modelId, label, twin, keep, department.key, true);
            continue;
        }
        const unattached = findOwnUnattached(ctx, escalation);
        if (unattached) {
            // Created by an earlier run that stopped before attaching it: attach it, never create a twin.
            ctx.claimedActions.add(unattached.actionId);
            transferDiff(ctx, base, modelId, label, unattached, escalation, queueDeps);
            pending.refs.push({ actionId: unattached.actionId });
            pending.dependsOn.push(...queueDeps);
            pending.labels.push(`${unattached.actionId} (escalate to ${escalation.target})`);
            pending.departments.push(department.key);
            continue;
        }
        const created = ctx.add({
            ...base,
            kind: 'create',
            summary: `create LIVE_TRANSFER to ${escalation.target} for ${label}`,
            changes: transferChanges(null, escalation.transfer),
            // The Dixa queue need not exist to create the action, only before the assistant uses it:
            // the attach waits for it, so the action can be created while Dixa's rate limit paces the queue.
            operation: { type: 'synthflow.createTransfer', modelId, name: escalation.actionName, config: escalation.transfer },
        });
        pending.refs.push({ createdBy: created.id });
        pending.dependsOn.push(created.id, ...queueDeps);
        pending.labels.push(`new LIVE_TRANSFER to ${escalation.target}`);
        pending.departments.push(department.key);
    }
    if (pending.refs.length > 0) planAttach(ctx, modelId, label, assistant, pending);
}

function planAttach(ctx: PlanContext, modelId: string, label: string, assistant: LiveSynthflowAssistant, pending: PendingAttach): void {
    const toAttach = pending.refs;
    const kept = assistant.actionIds.length;
    ctx.add({
        id: planIds.assistantActions(modelId),
        vendor: 'synthflow',
        resource: 'assistant-actions',
        kind: 'attach',
        key: modelId,
        departments: pending.departments,
        summary: `attach ${toAttach.length} action${toAttach.length === 1 ? '' : 's'} to ${label}${kept > 0 ? `, keeping its ${kept} current action${kept === 1 ? '' : 's'}` : ''}`,
        changes: [
            {
                field: 'actions',
                before: [...assistant.actionIds],
                after: [...assistant.actionIds, ...toAttach.map((ref, i) => ('actionId' in ref ? ref.actionId : `<${pending.labels[i]}>`))],
            },
        ],
        detail: "Sent with /actions/attach (only the new actions) and read back: the assistant's other actions stay.",
        dependsOn: [...new Set(pending.dependsOn)],
        operation: { type: 'synthflow.attachActions', modelId, add: toAttach },
    });
}

/**
 * A twin of a transfer action the plan keeps: detached from the assistant (when attached there), then
 * deleted unless it is attached anywhere when that step runs.
 */
function removeTwin(
    ctx: PlanContext,
    modelId: string | null,
    label: string,
    twin: LiveSynthflowAction,
    keep: LiveSynthflowAction | undefined,
    department: string,
    attachedHere: boolean,
): void {
    ctx.claimedActions.add(twin.actionId);
    const target = twin.liveTransfer?.phone ?? twin.name ?? twin.actionId;
    const why = keep ? `a twin of ${keep.actionId}` : 'a second copy of an escalation the plan already has';
    const detach =
        attachedHere && modelId
            ? ctx.add({
                  id: planIds.twinDetach(modelId, twin.actionId),
                  vendor: 'synthflow',
                  // In the transfer-action group, so the detach comes before the delete that waits for it.
                  resource: 'transfer-action',
                  kind: 'dedupe',
                  key: twin.actionId,
                  departments: [department],
                  summary: `detach LIVE_TRANSFER ${twin.actionId} to ${target} from ${label}: ${why}`,
                  detail: 'Left by a lost response or a concurrent run. The assistant keeps one transfer per target.',
                  operation: { type: 'synthflow.detachActions', modelId, remove: [twin.actionId] },
              })
            : undefined;
    ctx.add({
        id: planIds.twinDelete(twin.actionId),
        vendor: 'synthflow',
        resource: 'transfer-action',
        kind: 'dedupe',
        key: twin.actionId,
        departments: [department],
        summary: `delete LIVE_TRANSFER ${twin.actionId} to ${target}: ${why}, attached nowhere${detach ? ' once detached' : ''}`,
        detail: 'Deleted only if it is attached to no assistant when the step runs.',
        dependsOn: detach ? [detach.id] : [],
        operation: { type: 'synthflow.deleteAction', actionId: twin.actionId },
    });
}

/**
 * Transfer actions attached nowhere that no escalation adopted but that are twins of one: left
 * behind by a lost response or a concurrent run.
 */
export function planStrayTransfers(ctx: PlanContext): void {
    const escalations = ctx.desired.departments.flatMap(d => d.escalations.map(e => ({ department: d, escalation: e })));
    for (const action of ctx.live.synthflow.actions) {
        if (action.actionType !== 'LIVE_TRANSFER' || ctx.claimedActions.has(action.actionId)) continue;
        if (action.assistants === undefined || action.assistants.length > 0) continue;
        // A twin carries a declared escalation's exact name, or (no sipflow name) its exact configuration.
        // Anything else of ours left unattached (an orphan detached with --prune) is kept.
        const owner = parseOwnership(action.name);
        const twinOf = escalations.find(
            ({ escalation }) =>
                action.name === escalation.actionName ||
                (owner === undefined && action.liveTransfer !== undefined && transferChanges(action.liveTransfer, escalation.transfer).length === 0),
        );
        if (!twinOf) continue;
        removeTwin(ctx, null, '', action, undefined, twinOf.department.key, false);
    }
}

/** The escalations an assistant must have, one per target; two departments sharing an assistant may not disagree. */
function escalationsOf(ctx: PlanContext, modelId: string): Array<{ department: DesiredDepartment; escalation: DesiredEscalation }> {
    const byTarget = new Map<string, { department: DesiredDepartment; escalation: DesiredEscalation }>();
    for (const department of ctx.departmentsOfAssistant(modelId)) {
        for (const escalation of department.escalations) {
            const first = byTarget.get(escalation.target);
            if (!first) {
                byTarget.set(escalation.target, { department, escalation });
            } else if (transferChanges(first.escalation.transfer, escalation.transfer).length > 0) {
                ctx.add({
                    id: `${planIds.transfer(modelId, escalation.target)}/${department.key}`,
                    vendor: 'synthflow',
                    resource: 'transfer-action',
                    kind: 'conflict',
                    key: escalation.target,
                    departments: [first.department.key, department.key],
                    summary: `departments ${first.department.key} and ${department.key} share ${assistantLabel(modelId, ctx.liveAssistants.get(modelId))} but escalate to ${escalation.target} differently`,
                    detail: 'An assistant has one transfer action per target: give both escalations the same mode, when, say and failed, or give each department its own assistant.',
                });
            }
        }
    }
    return [...byTarget.values()];
}

/**
 * A transfer action of ours attached to no assistant, for this escalation: adopted instead of
 * creating a twin. One that carries a sipflow name must carry this escalation's (never the other
 * department's); one without (names not kept) must match the escalation's whole configuration.
 */
function findOwnUnattached(ctx: PlanContext, escalation: DesiredEscalation): LiveSynthflowAction | undefined {
    return ctx.live.synthflow.actions
        .filter(a => a.actionType === 'LIVE_TRANSFER' && !ctx.claimedActions.has(a.actionId))
        .filter(a => a.assistants !== undefined && a.assistants.length === 0)
        .find(a =>
            parseOwnership(a.name) !== undefined
                ? a.name === escalation.actionName && matchEscalation(a, escalation) !== undefined
                : a.liveTransfer !== undefined && transferChanges(a.liveTransfer, escalation.transfer).length === 0,
        );
}

function transferDiff(ctx: PlanContext, base: TransferBase, modelId: string, label: string, action: LiveSynthflowAction, escalation: DesiredEscalation, queueDeps: string[]): void {
    if (!action.liveTransfer) {
        ctx.add({
            ...base,
            kind: 'no-op',
            summary: `LIVE_TRANSFER ${action.actionId} to ${escalation.target} exists on ${label}`,
            detail: 'Synthflow did not return its configuration, so its fields cannot be compared.',
        });
        return;
    }
    const changes = transferChanges(action.liveTransfer, escalation.transfer);
    if (changes.length === 0) {
        ctx.add({ ...base, kind: 'no-op', summary: `LIVE_TRANSFER ${action.actionId} to ${escalation.target} on ${label} matches` });
        return;
    }
    ctx.add({
        ...base,
        kind: 'update',
        summary: `update LIVE_TRANSFER ${action.actionId} to ${escalation.target} on ${label}`,
        changes,
        detail: "Sent as the full action (Synthflow's PUT replaces it).",
        dependsOn: queueDeps,
        operation: { type: 'synthflow.updateTransfer', modelId, actionId: action.actionId, config: mergeTransfer(action.liveTransfer, escalation.transfer) },
    });
}
