/**
 * The state one computePlan run shares between its resource planners (./dixa-queues.ts,
 * ./synthflow-*.ts, ./orphans.ts, ./dixa-manual.ts): the inputs indexed by natural key, the items
 * added so far, and what earlier planners decided that later ones depend on (the queue a transfer
 * waits for, a number that cannot be attached, an action already claimed).
 */
import type { DesiredDepartment, DesiredState } from '../model/types.js';
import type { LiveSynthflowAction, LiveSynthflowAssistant, LiveSynthflowNumber } from '../providers/types.js';
import type { LiveState } from './live-state.js';
import type { FieldChange, PlanItem, PlanItemKind, PlanOperation, PlanResource, PlanVendor } from './types.js';

export interface ItemInput {
    id: string;
    vendor: PlanVendor;
    resource: PlanResource;
    kind: PlanItemKind;
    key: string;
    summary: string;
    changes?: FieldChange[];
    detail?: string | null;
    departments?: string[];
    dependsOn?: string[];
    operation?: PlanOperation | null;
    requiresPrune?: boolean;
}

function item(input: ItemInput): PlanItem {
    return {
        id: input.id,
        vendor: input.vendor,
        resource: input.resource,
        kind: input.kind,
        key: input.key,
        summary: input.summary,
        changes: input.changes ?? [],
        detail: input.detail ?? null,
        departments: input.departments ?? [],
        dependsOn: input.dependsOn ?? [],
        operation: input.operation ?? null,
        requiresPrune: input.requiresPrune ?? false,
    };
}

/** `inboundHolder`: an inbound agent has the number (is_available says so), but which one is not known. */
export const UNKNOWN_INBOUND = 'an inbound assistant';

/** Labels an assistant the way people recognise it: its name and its id. */
export function assistantLabel(modelId: string, live: LiveSynthflowAssistant | undefined): string {
    return live?.name ? `assistant "${live.name}" (${modelId})` : `assistant ${modelId}`;
}

/** Group order = execution order: what others depend on comes first. */
const GROUP_ORDER: ReadonlyArray<[PlanVendor, PlanResource]> = [
    ['dixa', 'queue'],
    ['synthflow', 'assistant'],
    ['synthflow', 'number'],
    ['synthflow', 'assistant-numbers'],
    ['synthflow', 'transfer-action'],
    ['synthflow', 'assistant-actions'],
    ['dixa', 'sip-settings'],
    ['dixa', 'phone-flow'],
    ['dixa', 'queue-routing'],
];

export class PlanContext {
    readonly items: PlanItem[] = [];
    /** The create item of each Dixa queue (by queue key) sipflow creates. */
    readonly queueItem = new Map<string, PlanItem>();
    /** The import/update item of each department's number (by department key). */
    readonly numberItem = new Map<string, PlanItem>();
    /** The attach item of each assistant that gets a new inbound number. */
    readonly inboundNumberItem = new Map<string, PlanItem>();
    readonly liveNumbers: ReadonlyMap<string, LiveSynthflowNumber>;
    /** The file's assistants, by lower-case model_id. */
    readonly liveAssistants: ReadonlyMap<string, LiveSynthflowAssistant>;
    readonly liveActions: ReadonlyMap<string, LiveSynthflowAction>;
    /** Departments whose number cannot be attached (a conflict on the number). */
    readonly blockedNumbers = new Set<string>();
    /** Actions the plan already uses (or removes), so that two escalations never adopt the same one. */
    readonly claimedActions = new Set<string>();
    /** Every live assistant by lower-case model_id: the file's and the others read for their numbers. */
    readonly allAssistants: ReadonlyMap<string, LiveSynthflowAssistant>;

    constructor(
        readonly desired: DesiredState,
        readonly live: LiveState,
    ) {
        this.liveNumbers = new Map(live.synthflow.numbers.map(n => [n.e164, n]));
        this.liveAssistants = new Map(live.synthflow.assistants.map(a => [a.modelId.toLowerCase(), a]));
        this.allAssistants = new Map([...live.synthflow.otherAssistants, ...live.synthflow.assistants].map(a => [a.modelId.toLowerCase(), a]));
        this.liveActions = new Map(live.synthflow.actions.map(a => [a.actionId, a]));
    }

    add(input: ItemInput): PlanItem {
        const result = item(input);
        this.items.push(result);
        return result;
    }

    /** Takes an item out again (a step found impossible once the whole picture is known). */
    remove(planned: PlanItem): void {
        this.items.splice(this.items.indexOf(planned), 1);
    }

    sorted(): PlanItem[] {
        const rank = (i: PlanItem) => GROUP_ORDER.findIndex(([v, r]) => v === i.vendor && r === i.resource);
        // Stable sort: within a group, the order items were added in (file order, then natural keys).
        return this.items
            .map((item, index) => ({ item, index }))
            .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
            .map(x => x.item);
    }

    departmentsOfAssistant(modelId: string): DesiredDepartment[] {
        return this.desired.departments.filter(d => d.assistantId === modelId);
    }

    assistantIds(): string[] {
        return [...new Set(this.desired.departments.map(d => d.assistantId))];
    }

    /** The file's assistant when it exists and is inbound (else the assistants planner reported a conflict). */
    usableAssistant(modelId: string): LiveSynthflowAssistant | undefined {
        const live = this.liveAssistants.get(modelId);
        return live && live.type === 'inbound' ? live : undefined;
    }

    /** Labels any live assistant (the file's or another) by its model_id. */
    labelOf(modelId: string): string {
        return assistantLabel(modelId, this.allAssistants.get(modelId));
    }

    /**
     * The inbound agent whose number `e164` is: the file's assistant that reads it back as its
     * `phone_number`, or another inbound assistant that does; UNKNOWN_INBOUND when `is_available` says an
     * inbound agent has it but none of the assistants read shows which; null when none does.
     */
    inboundHolder(e164: string): string | typeof UNKNOWN_INBOUND | null {
        for (const assistant of this.allAssistants.values()) {
            if (assistant.type === 'inbound' && assistant.phoneNumber === e164) return assistant.modelId.toLowerCase();
        }
        return this.liveNumbers.get(e164)?.isAvailable === false ? UNKNOWN_INBOUND : null;
    }
}
