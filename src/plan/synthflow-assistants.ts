/**
 * Synthflow assistants are never created or changed: each one the file routes to must exist and be
 * inbound, else a conflict says which department needs what.
 */
import { assistantLabel, type PlanContext } from './context.js';
import { planIds } from './ids.js';

export function planAssistants(ctx: PlanContext): void {
    for (const modelId of ctx.assistantIds()) {
        const departments = ctx.departmentsOfAssistant(modelId).map(d => d.key);
        const live = ctx.liveAssistants.get(modelId);
        const base = { id: planIds.assistant(modelId), vendor: 'synthflow' as const, resource: 'assistant' as const, key: modelId, departments };
        if (!live) {
            ctx.add({
                ...base,
                kind: 'conflict',
                summary: `assistant ${modelId} does not exist in Synthflow workspace ${ctx.desired.synthflow.workspace}`,
                detail: `Department ${departments.join(', ')} routes to it. Copy the assistant's model_id from Synthflow → Assistants (and check the region: ${ctx.desired.synthflow.region}).`,
            });
        } else if (live.type !== 'inbound') {
            ctx.add({
                ...base,
                kind: 'conflict',
                summary: `${assistantLabel(modelId, live)} is an ${live.type} assistant, not an inbound one`,
                detail: `Department ${departments.join(', ')} routes inbound calls to it: choose an inbound assistant.`,
            });
        }
    }
}
