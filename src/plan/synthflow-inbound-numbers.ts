/**
 * Each department's DID as its assistant's inbound number (PUT /assistants/{id} phone_number). A number
 * moving from one of the file's assistants to another waits until that one has its new number; a move
 * that can never happen by API (the holder gets no new number, or numbers swapped in a cycle) is a
 * conflict instead.
 */
import type { DesiredDepartment } from '../model/types.js';
import type { LiveSynthflowAssistant } from '../providers/types.js';
import { assistantLabel, UNKNOWN_INBOUND, type PlanContext } from './context.js';
import { planIds } from './ids.js';
import type { PlanItem } from './types.js';

/** A department whose assistant does not answer its DID yet; `from`: the file's assistant that still does. */
interface PendingMove {
    readonly department: DesiredDepartment;
    readonly assistant: LiveSynthflowAssistant;
    readonly from: string | null;
}

export function planInboundNumbers(ctx: PlanContext): void {
    const pending = pendingMoves(ctx);
    const itemFor = new Map<string, PlanItem>();
    for (const move of pending) {
        const planned = planMove(ctx, move);
        itemFor.set(move.department.assistantId, planned);
        ctx.inboundNumberItem.set(move.department.assistantId, planned);
    }
    for (const move of pending) {
        const problem = moveProblem(ctx, move, pending);
        if (problem) replaceWithConflict(ctx, move, itemFor.get(move.department.assistantId)!, problem);
    }
}

/** No-op items for the numbers already in place; the moves still to make, in file order. */
function pendingMoves(ctx: PlanContext): PendingMove[] {
    const pending: PendingMove[] = [];
    for (const department of ctx.desired.departments) {
        if (ctx.blockedNumbers.has(department.key)) continue;
        const assistant = ctx.usableAssistant(department.assistantId);
        if (!assistant) continue;
        if (assistant.phoneNumber === department.did) {
            ctx.add({
                vendor: 'synthflow',
                resource: 'assistant-numbers',
                departments: [department.key],
                id: `${planIds.inboundNumber(department.assistantId)}/set`,
                kind: 'no-op',
                key: department.did,
                summary: `${department.did} is the number of ${assistantLabel(department.assistantId, assistant)}`,
            });
            continue;
        }
        const holder = ctx.inboundHolder(department.did);
        pending.push({ department, assistant, from: holder !== null && holder !== UNKNOWN_INBOUND && holder !== department.assistantId ? holder : null });
    }
    return pending;
}

function planMove(ctx: PlanContext, { department, assistant, from }: PendingMove): PlanItem {
    const numberStep = ctx.numberItem.get(department.key);
    const previous = assistant.phoneNumber;
    return ctx.add({
        id: planIds.inboundNumber(department.assistantId),
        vendor: 'synthflow',
        resource: 'assistant-numbers',
        kind: 'attach',
        key: department.assistantId,
        departments: [department.key],
        summary: `make ${department.did} the number of ${assistantLabel(department.assistantId, assistant)}`,
        changes: [{ field: 'phone_number', before: previous, after: department.did }],
        detail:
            [
                previous ? `It answers ${previous} until then; that number stays imported.` : '',
                from ? `${department.did} is still the number of ${ctx.labelOf(from)}, which gets its new number first.` : '',
            ]
                .filter(Boolean)
                .join(' ') || null,
        dependsOn: [...(numberStep?.operation ? [numberStep.id] : []), ...(from ? [planIds.inboundNumber(from)] : [])],
        operation: { type: 'synthflow.setInboundNumber', modelId: department.assistantId, e164: department.did },
    });
}

/** Why a move waiting on another assistant can never be applied by API, or undefined when it can. */
function moveProblem(ctx: PlanContext, move: PendingMove, pending: readonly PendingMove[]): string | undefined {
    if (!move.from) return undefined;
    let cursor: string | undefined = move.from;
    const seen = new Set<string>([move.department.assistantId]);
    while (cursor !== undefined) {
        if (seen.has(cursor)) return 'the numbers are swapped between assistants (a cycle)';
        seen.add(cursor);
        const next = pending.find(p => p.department.assistantId === cursor);
        if (!next) return `${ctx.labelOf(cursor)} keeps it: no department gives it another number`;
        cursor = next.from ?? undefined;
    }
    return undefined;
}

function replaceWithConflict(ctx: PlanContext, { department }: PendingMove, planned: PlanItem, problem: string): void {
    ctx.remove(planned);
    ctx.inboundNumberItem.delete(department.assistantId);
    ctx.add({
        id: planIds.numberAttachment(department.did),
        vendor: 'synthflow',
        resource: 'assistant-numbers',
        kind: 'conflict',
        key: department.did,
        departments: [department.key],
        summary: `${department.did} cannot move to ${assistantLabel(department.assistantId, ctx.liveAssistants.get(department.assistantId))}: ${problem}`,
        detail: 'A number serves one inbound assistant and the API has no call that takes it away: give the holder another number first (in Synthflow or in one apply per step).',
    });
}
