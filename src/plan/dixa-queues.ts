/**
 * Dixa queues, by name: created when missing, otherwise used as they are. A twin (two queues with one
 * name) is resolved by one deterministic choice and a manual step; settings Dixa's API cannot change
 * become manual steps too.
 */
import type { DesiredQueue } from '../model/types.js';
import { chooseQueue } from '../providers/dixa/queue-choice.js';
import type { LiveDixaQueue } from '../providers/types.js';
import type { PlanContext } from './context.js';
import { planIds } from './ids.js';

export function planQueues(ctx: PlanContext): void {
    for (const queue of ctx.desired.queues) {
        const users = ctx.desired.departments.filter(d => d.fallbackQueue === queue.key || d.escalations.some(e => e.queue === queue.key)).map(d => d.key);
        const matches = ctx.live.dixa.queues.filter(q => q.name === queue.name);
        const base = { vendor: 'dixa' as const, resource: 'queue' as const, key: queue.name, departments: users };
        if (matches.length > 1) planTwins(ctx, queue, matches, base);
        if (matches.length === 0) {
            ctx.queueItem.set(
                queue.key,
                ctx.add({
                    ...base,
                    id: planIds.queue(queue.name),
                    kind: 'create',
                    summary: `create queue "${queue.name}"${queue.kind === 'ring-group' ? ' as a ring group (offers to all agents at once)' : ''}`,
                    changes: [
                        { field: 'name', before: null, after: queue.name },
                        ...(queue.offerAlgorithm ? [{ field: 'offerAlgorithm', before: null, after: queue.offerAlgorithm }] : []),
                        { field: 'callFunctionality', before: null, after: true },
                    ],
                    operation: { type: 'dixa.createQueue', name: queue.name, offerAlgorithm: queue.offerAlgorithm },
                }),
            );
        } else {
            planExisting(ctx, queue, chooseQueue(matches, queue.did)!, base);
        }
    }
}

type QueueBase = { vendor: 'dixa'; resource: 'queue'; key: string; departments: string[] };

/**
 * Twins (a race, or a manual create): Dixa can neither rename nor delete one by API, so refusing would
 * block the integration until someone steps in. Use one, say which and why.
 */
function planTwins(ctx: PlanContext, queue: DesiredQueue, matches: readonly LiveDixaQueue[], base: QueueBase): void {
    const chosen = chooseQueue(matches, queue.did)!;
    const routes = (chosen.usages['PstnPhone'] ?? []).includes(queue.did);
    const others = matches.filter(q => q !== chosen);
    ctx.add({
        ...base,
        id: planIds.manualQueueTwins(queue.name),
        resource: 'queue-routing',
        kind: 'manual',
        summary: `${matches.length} Dixa queues are named "${queue.name}": sipflow uses ${chosen.id} (${routes ? `it routes ${queue.did}` : 'the first Dixa lists'}); remove or rename ${others.map(q => q.id).join(', ')} in Dixa → Settings → Queues`,
        detail: 'Dixa has no API to rename or delete a queue. Until the twin is gone, check that agents and routing are on the queue sipflow uses.',
    });
}

function planExisting(ctx: PlanContext, queue: DesiredQueue, existing: LiveDixaQueue, base: QueueBase): void {
    ctx.add({ ...base, id: planIds.queue(queue.name), kind: 'no-op', summary: `queue "${queue.name}" exists (${existing.id})` });
    if (queue.offerAlgorithm && existing.offeringAlgorithm && existing.offeringAlgorithm !== queue.offerAlgorithm) {
        ctx.add({
            ...base,
            id: planIds.manualQueueSettings(queue.name),
            resource: 'queue-routing',
            kind: 'manual',
            summary: `queue "${queue.name}" offers ${existing.offeringAlgorithm}, the file says ${queue.kind} (${queue.offerAlgorithm})`,
            changes: [{ field: 'offeringAlgorithm', before: existing.offeringAlgorithm, after: queue.offerAlgorithm }],
            detail: 'Dixa queues cannot be changed through the API: change the offering algorithm in Dixa → Settings → Queues, or change kind in the file.',
        });
    }
}
