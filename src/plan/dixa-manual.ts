/**
 * The Dixa steps no API can do, one item each: the SIP allowlist, each DID's phone flow (the Transfer
 * step), each queue's DID routing. `sipflow checklist` prints them in full and verifies what it can read.
 */
import type { DesiredQueue } from '../model/types.js';
import type { PlanContext } from './context.js';
import { planIds } from './ids.js';

const CHECKLIST = 'No API: `sipflow checklist` prints the exact steps and verifies what can be read.';

export function planManualSteps(ctx: PlanContext): void {
    const { dixa, synthflow } = ctx.desired;
    ctx.add({
        id: planIds.manualAllowlist(),
        vendor: 'dixa',
        resource: 'sip-settings',
        kind: 'manual',
        key: dixa.sipDomain,
        summary: `allowlist ${dixa.allowlist.ips.length} Synthflow signalling IP${dixa.allowlist.ips.length === 1 ? '' : 's'} (${synthflow.region}) in Dixa → Settings → Phone → SIP Settings: ${dixa.allowlist.ips.join(', ')}`,
        detail: CHECKLIST,
    });
    const queueByKey = new Map<string, DesiredQueue>(ctx.desired.queues.map(q => [q.key, q]));
    for (const department of ctx.desired.departments) {
        const fallback = department.fallbackQueue ? queueByKey.get(department.fallbackQueue) : undefined;
        const flow = department.flow ? `phone flow "${department.flow}"` : 'the phone flow';
        ctx.add({
            id: planIds.manualPhoneFlow(department.did),
            vendor: 'dixa',
            resource: 'phone-flow',
            kind: 'manual',
            key: department.did,
            departments: [department.key],
            summary: `${flow} on ${department.did}: Transfer step to ${department.transferSipAddress}, UUI ${department.uui.header}, timeout ${department.timeoutSeconds}s${fallback ? `, fallback queue "${fallback.name}"` : ''}`,
            detail: CHECKLIST,
        });
    }
    for (const queue of ctx.desired.queues) {
        ctx.add({
            id: planIds.manualQueueRouting(queue.did),
            vendor: 'dixa',
            resource: 'queue-routing',
            kind: 'manual',
            key: queue.did,
            departments: [queue.key],
            summary: `route ${queue.did} to queue "${queue.name}" (escalations arrive at ${queue.escalationUri})`,
            detail: CHECKLIST,
        });
    }
}
