/**
 * What the file no longer declares: numbers of ours become a manual step (sipflow never deletes
 * numbers, and no call detaches one from an inbound agent); transfer actions of ours are detached
 * (with --prune), the actions themselves kept.
 */
import { parseOwnership } from '../model/ownership.js';
import type { LiveSynthflowAction } from '../providers/types.js';
import { assistantLabel, UNKNOWN_INBOUND, type PlanContext } from './context.js';
import { planIds } from './ids.js';
import { isOnSipDomain } from './transfer-identity.js';

export function planOrphans(ctx: PlanContext): void {
    planOrphanNumbers(ctx);
    planOrphanActions(ctx);
}

function planOrphanNumbers(ctx: PlanContext): void {
    const declared = new Set(ctx.desired.departments.map(d => d.did));
    const numbers = [...ctx.live.synthflow.numbers].sort((a, b) => (a.e164 < b.e164 ? -1 : 1));
    for (const number of numbers) {
        const owner = parseOwnership(number.friendlyName);
        if (owner?.integration !== ctx.desired.owner || declared.has(number.e164)) continue;
        const holder = ctx.inboundHolder(number.e164);
        // The spec has no call that takes a number away from an inbound agent, and sipflow never deletes numbers.
        ctx.add({
            id: planIds.manualOrphanNumber(number.e164),
            vendor: 'synthflow',
            resource: 'number',
            kind: 'manual',
            key: number.e164,
            departments: [owner.department],
            summary: `number ${number.e164} "${number.friendlyName}" is no longer in the file${holder && holder !== UNKNOWN_INBOUND ? ` but is still the number of ${assistantLabel(holder, ctx.allAssistants.get(holder))}` : holder === UNKNOWN_INBOUND ? ' but an inbound assistant still answers it' : ''}: release it in Synthflow → Phone Numbers if it is no longer needed`,
            detail: 'sipflow never deletes numbers, and no API call detaches a number from an inbound agent.',
        });
    }
}

function planOrphanActions(ctx: PlanContext): void {
    const domain = ctx.desired.dixa.sipDomain;
    const isOurs = (action: LiveSynthflowAction, onFileAssistant: boolean) => {
        if (action.actionType !== 'LIVE_TRANSFER' || ctx.claimedActions.has(action.actionId)) return false;
        const owner = parseOwnership(action.name);
        if (owner) return owner.integration === ctx.desired.owner;
        // Without a sipflow name, a transfer into our Dixa domain is ours only on the file's own
        // assistants (whose escalations to that domain the file declares in full).
        return onFileAssistant && action.liveTransfer !== undefined && isOnSipDomain(action.liveTransfer.phone, domain);
    };
    for (const modelId of ctx.assistantIds()) {
        const assistant = ctx.usableAssistant(modelId);
        if (!assistant) continue;
        for (const actionId of assistant.actionIds) {
            const action = ctx.liveActions.get(actionId);
            if (action && isOurs(action, true)) planOrphanAction(ctx, modelId, action);
        }
    }
    // Ours by name on assistants the file no longer names (a removed department's assistant).
    for (const action of ctx.live.synthflow.actions) {
        for (const modelId of action.assistants ?? []) {
            if (ctx.liveAssistants.has(modelId.toLowerCase()) || !isOurs(action, false)) continue;
            planOrphanAction(ctx, modelId.toLowerCase(), action);
        }
    }
}

function planOrphanAction(ctx: PlanContext, modelId: string, action: LiveSynthflowAction): void {
    ctx.claimedActions.add(action.actionId);
    ctx.add({
        id: planIds.orphanAction(modelId, action.actionId),
        vendor: 'synthflow',
        resource: 'assistant-actions',
        kind: 'orphan',
        key: action.actionId,
        departments: [parseOwnership(action.name)?.department ?? ''].filter(Boolean),
        summary: `LIVE_TRANSFER ${action.actionId}${action.name ? ` "${action.name}"` : ''}${action.liveTransfer ? ` to ${action.liveTransfer.phone}` : ''} is no longer in the file: remove it from ${ctx.labelOf(modelId)}`,
        detail: "Detached with /actions/detach; the action itself is kept, and the assistant's other actions stay.",
        operation: { type: 'synthflow.detachActions', modelId, remove: [action.actionId] },
        requiresPrune: true,
    });
}
