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
import { parseOwnership } from '../model/ownership.js';
import { chooseQueue } from '../providers/dixa/queue-choice.js';
import type { DesiredDepartment, DesiredEscalation, DesiredQueue, DesiredState } from '../model/types.js';
import type { LiveSynthflowAction, LiveSynthflowAssistant, LiveSynthflowNumber, LiveTransferConfig } from '../providers/types.js';
import { fingerprintLiveState, liveSectionFingerprints, type LiveState } from './live-state.js';
import { isOnSipDomain, matchEscalation } from './transfer-identity.js';
import { TRANSFER_FIELDS } from '../vendors/transfer-fields.js';
import {
    PLAN_FORMAT,
    PLAN_FORMAT_VERSION,
    type ActionRef,
    type FieldChange,
    type Plan,
    type PlanItem,
    type PlanItemKind,
    type PlanOperation,
    type PlanResource,
    type PlanSummary,
    type PlanVendor,
} from './types.js';

/** Stable item ids (addresses). */
export const planIds = {
    queue: (name: string) => `dixa/queue/${name}`,
    assistant: (modelId: string) => `synthflow/assistant/${modelId}`,
    number: (e164: string) => `synthflow/number/${e164}`,
    numberAttachment: (e164: string) => `synthflow/number/${e164}/assistant`,
    inboundNumber: (modelId: string) => `synthflow/assistant/${modelId}/number`,
    transfer: (modelId: string, target: string) => `synthflow/assistant/${modelId}/transfer/${target}`,
    assistantActions: (modelId: string) => `synthflow/assistant/${modelId}/actions`,
    orphanAction: (modelId: string, actionId: string) => `synthflow/assistant/${modelId}/action/${actionId}`,
    twinDetach: (modelId: string, actionId: string) => `synthflow/assistant/${modelId}/twin/${actionId}`,
    twinDelete: (actionId: string) => `synthflow/action/${actionId}/delete`,
    manualQueueTwins: (name: string) => `dixa/manual/queue-twins/${name}`,
    manualOrphanNumber: (e164: string) => `synthflow/manual/number/${e164}`,
    manualAllowlist: () => 'dixa/manual/allowlist',
    manualPhoneFlow: (did: string) => `dixa/manual/phone-flow/${did}`,
    manualQueueRouting: (did: string) => `dixa/manual/queue-routing/${did}`,
    manualQueueSettings: (name: string) => `dixa/manual/queue-settings/${name}`,
} as const;

const CHECKLIST = 'No API: `sipflow checklist` prints the exact steps and verifies what can be read.';

interface ItemInput {
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
const UNKNOWN_INBOUND = 'an inbound assistant';

/** Labels an assistant the way people recognise it: its name and its id. */
function assistantLabel(modelId: string, live: LiveSynthflowAssistant | undefined): string {
    return live?.name ? `assistant "${live.name}" (${modelId})` : `assistant ${modelId}`;
}

export function computePlan(desired: DesiredState, live: LiveState): Plan {
    const ctx = new PlanContext(desired, live);
    ctx.queues();
    ctx.assistants();
    ctx.numbers();
    ctx.inboundNumbers();
    ctx.transfers();
    ctx.strayTransfers();
    ctx.orphans();
    ctx.manualSteps();
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

class PlanContext {
    private readonly items: PlanItem[] = [];
    private readonly queueItem = new Map<string, PlanItem>();
    private readonly numberItem = new Map<string, PlanItem>();
    private readonly inboundNumberItem = new Map<string, PlanItem>();
    private readonly liveNumbers: ReadonlyMap<string, LiveSynthflowNumber>;
    private readonly liveAssistants: ReadonlyMap<string, LiveSynthflowAssistant>;
    private readonly liveActions: ReadonlyMap<string, LiveSynthflowAction>;
    /** Departments whose number cannot be attached (a conflict on the number). */
    private readonly blockedNumbers = new Set<string>();
    /** Actions the plan already uses (or removes), so that two escalations never adopt the same one. */
    private readonly claimedActions = new Set<string>();
    /** Every live assistant by lower-case model_id: the file's and the others read for their numbers. */
    private readonly allAssistants: ReadonlyMap<string, LiveSynthflowAssistant>;

    constructor(
        private readonly desired: DesiredState,
        private readonly live: LiveState,
    ) {
        this.liveNumbers = new Map(live.synthflow.numbers.map(n => [n.e164, n]));
        this.liveAssistants = new Map(live.synthflow.assistants.map(a => [a.modelId.toLowerCase(), a]));
        this.allAssistants = new Map([...live.synthflow.otherAssistants, ...live.synthflow.assistants].map(a => [a.modelId.toLowerCase(), a]));
        this.liveActions = new Map(live.synthflow.actions.map(a => [a.actionId, a]));
    }

    private add(input: ItemInput): PlanItem {
        const result = item(input);
        this.items.push(result);
        return result;
    }

    sorted(): PlanItem[] {
        const rank = (i: PlanItem) => GROUP_ORDER.findIndex(([v, r]) => v === i.vendor && r === i.resource);
        // Stable sort: within a group, the order items were added in (file order, then natural keys).
        return this.items.map((item, index) => ({ item, index }))
            .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
            .map(x => x.item);
    }

    private departmentsOfAssistant(modelId: string): DesiredDepartment[] {
        return this.desired.departments.filter(d => d.assistantId === modelId);
    }

    private assistantIds(): string[] {
        return [...new Set(this.desired.departments.map(d => d.assistantId))];
    }

    // ─── Dixa queues ─────────────────────────────────────────────────────────────────────────────

    queues(): void {
        for (const queue of this.desired.queues) {
            const users = this.desired.departments
                .filter(d => d.fallbackQueue === queue.key || d.escalations.some(e => e.queue === queue.key))
                .map(d => d.key);
            const matches = this.live.dixa.queues.filter(q => q.name === queue.name);
            const base = { vendor: 'dixa' as const, resource: 'queue' as const, key: queue.name, departments: users };
            if (matches.length > 1) {
                // Twins (a race, or a manual create): Dixa can neither rename nor delete one by API, so
                // refusing would block the integration until someone steps in. Use one, say which and why.
                const chosen = chooseQueue(matches, queue.did)!;
                const routes = (chosen.usages['PstnPhone'] ?? []).includes(queue.did);
                const others = matches.filter(q => q !== chosen);
                this.add({
                    ...base,
                    id: planIds.manualQueueTwins(queue.name),
                    resource: 'queue-routing',
                    kind: 'manual',
                    summary: `${matches.length} Dixa queues are named "${queue.name}": sipflow uses ${chosen.id} (${routes ? `it routes ${queue.did}` : 'the first Dixa lists'}); remove or rename ${others.map(q => q.id).join(', ')} in Dixa → Settings → Queues`,
                    detail: 'Dixa has no API to rename or delete a queue. Until the twin is gone, check that agents and routing are on the queue sipflow uses.',
                });
            }
            if (matches.length === 0) {
                this.queueItem.set(queue.key, this.add({
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
                }));
            } else {
                const existing = chooseQueue(matches, queue.did)!;
                this.add({ ...base, id: planIds.queue(queue.name), kind: 'no-op', summary: `queue "${queue.name}" exists (${existing.id})` });
                if (queue.offerAlgorithm && existing.offeringAlgorithm && existing.offeringAlgorithm !== queue.offerAlgorithm) {
                    this.add({
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
        }
    }

    // ─── Synthflow assistants ────────────────────────────────────────────────────────────────────

    assistants(): void {
        for (const modelId of this.assistantIds()) {
            const departments = this.departmentsOfAssistant(modelId).map(d => d.key);
            const live = this.liveAssistants.get(modelId);
            const base = { id: planIds.assistant(modelId), vendor: 'synthflow' as const, resource: 'assistant' as const, key: modelId, departments };
            if (!live) {
                this.add({
                    ...base,
                    kind: 'conflict',
                    summary: `assistant ${modelId} does not exist in Synthflow workspace ${this.desired.synthflow.workspace}`,
                    detail: `Department ${departments.join(', ')} routes to it. Copy the assistant's model_id from Synthflow → Assistants (and check the region: ${this.desired.synthflow.region}).`,
                });
            } else if (live.type !== 'inbound') {
                this.add({
                    ...base,
                    kind: 'conflict',
                    summary: `${assistantLabel(modelId, live)} is an ${live.type} assistant, not an inbound one`,
                    detail: `Department ${departments.join(', ')} routes inbound calls to it: choose an inbound assistant.`,
                });
            }
        }
    }

    private usableAssistant(modelId: string): LiveSynthflowAssistant | undefined {
        const live = this.liveAssistants.get(modelId);
        return live && live.type === 'inbound' ? live : undefined;
    }

    // ─── Synthflow numbers ───────────────────────────────────────────────────────────────────────

    numbers(): void {
        for (const department of this.desired.departments) {
            const wanted = department.number;
            const live = this.liveNumbers.get(wanted.e164);
            const base = { id: planIds.number(wanted.e164), vendor: 'synthflow' as const, resource: 'number' as const, key: wanted.e164, departments: [department.key] };
            if (!live) {
                const credentials = wanted.trunkUsernameEnv && wanted.trunkPasswordEnv
                    ? [
                        { field: 'trunk_username', before: null, after: `env:${wanted.trunkUsernameEnv}` },
                        { field: 'trunk_pwd', before: null, after: `env:${wanted.trunkPasswordEnv}` },
                    ]
                    : [];
                this.numberItem.set(department.key, this.add({
                    ...base,
                    kind: 'create',
                    summary: `import ${wanted.e164} as custom SIP number "${wanted.friendlyName}"`,
                    changes: [
                        { field: 'friendly_name', before: null, after: wanted.friendlyName },
                        { field: 'provider_name', before: null, after: wanted.providerName },
                        { field: 'termination_uri', before: null, after: wanted.terminationUri },
                        ...credentials,
                    ],
                    operation: {
                        type: 'synthflow.importNumber',
                        e164: wanted.e164,
                        friendlyName: wanted.friendlyName,
                        terminationUri: wanted.terminationUri,
                        trunkUsernameEnv: wanted.trunkUsernameEnv,
                        trunkPasswordEnv: wanted.trunkPasswordEnv,
                    },
                }));
                continue;
            }
            const owner = parseOwnership(live.friendlyName);
            if (live.providerName !== null && live.providerName !== 'custom') {
                this.blockedNumbers.add(department.key);
                this.add({
                    ...base,
                    kind: 'conflict',
                    summary: `${wanted.e164} is a ${live.providerName} number in Synthflow, not a custom SIP number`,
                    detail: `Department ${department.key} needs the Dixa DID imported as a custom SIP number. Release or re-import it in Synthflow → Phone Numbers, or use another DID.`,
                });
                continue;
            }
            if (owner && owner.integration !== this.desired.owner) {
                this.blockedNumbers.add(department.key);
                this.add({
                    ...base,
                    kind: 'conflict',
                    summary: `${wanted.e164} belongs to sipflow integration ${owner.integration} ("${live.friendlyName}")`,
                    detail: `Two integrations cannot manage the same number: remove it from integration ${owner.integration} first, or use another DID for department ${department.key}.`,
                });
                continue;
            }
            const holder = this.inboundHolder(wanted.e164);
            if (holder !== null && !this.liveAssistants.has(holder)) {
                // The number of an inbound agent the file does not name: taking it would silently cut that
                // agent off (and the spec has no call to take it away), so neither adopt nor attach it.
                this.blockedNumbers.add(department.key);
                const others = live.assistants.map(a => a.toLowerCase()).filter(a => !this.liveAssistants.has(a));
                this.add({
                    id: planIds.numberAttachment(wanted.e164),
                    vendor: 'synthflow',
                    resource: 'assistant-numbers',
                    kind: 'conflict',
                    key: wanted.e164,
                    departments: [department.key],
                    summary: holder === UNKNOWN_INBOUND
                        ? `${wanted.e164} is already the number of another inbound assistant (one of ${others.map(a => assistantLabel(a, this.allAssistants.get(a))).join(', ') || 'the workspace\'s assistants'})`
                        : `${wanted.e164} is already the number of ${assistantLabel(holder, this.allAssistants.get(holder))}, an inbound assistant the file does not name`,
                    detail: `A number serves one inbound assistant. Give that assistant another number in Synthflow (Agents → its phone number), or give department ${department.key} another DID.`,
                });
                continue;
            }
            const changes: FieldChange[] = [];
            if (live.friendlyName !== wanted.friendlyName) changes.push({ field: 'friendly_name', before: live.friendlyName, after: wanted.friendlyName });
            if (!sameHost(live.sipTermUri, wanted.terminationUri)) changes.push({ field: 'termination_uri', before: live.sipTermUri, after: wanted.terminationUri });
            if (changes.length === 0) {
                this.add({ ...base, kind: 'no-op', summary: `number ${wanted.e164} "${wanted.friendlyName}" matches` });
                continue;
            }
            const adopt = owner === undefined;
            const patch = (field: string) => changes.find(c => c.field === field)?.after as string | undefined;
            this.numberItem.set(department.key, this.add({
                ...base,
                kind: adopt ? 'adopt' : 'update',
                summary: adopt
                    ? `adopt number ${wanted.e164} (imported outside sipflow) as "${wanted.friendlyName}"`
                    : `update number ${wanted.e164} "${wanted.friendlyName}"`,
                changes,
                detail: wanted.trunkPasswordEnv
                    ? 'Trunk credentials are write-only in Synthflow: they are sent on import only and cannot be compared.'
                    : null,
                operation: {
                    type: 'synthflow.updateNumber',
                    e164: wanted.e164,
                    friendlyName: patch('friendly_name') ?? null,
                    terminationUri: patch('termination_uri') ?? null,
                },
            }));
        }
    }

    /**
     * The inbound agent whose number `e164` is: the file's assistant that reads it back as its
     * `phone_number`, or another inbound assistant that does; UNKNOWN_INBOUND when `is_available` says an
     * inbound agent has it but none of the assistants read shows which; null when none does.
     */
    private inboundHolder(e164: string): string | typeof UNKNOWN_INBOUND | null {
        for (const assistant of this.allAssistants.values()) {
            if (assistant.type === 'inbound' && assistant.phoneNumber === e164) return assistant.modelId.toLowerCase();
        }
        return this.liveNumbers.get(e164)?.isAvailable === false ? UNKNOWN_INBOUND : null;
    }

    // ─── Inbound numbers (PUT /assistants/{id} phone_number) ─────────────────────────────────────

    inboundNumbers(): void {
        const pending: Array<{ department: DesiredDepartment; assistant: LiveSynthflowAssistant; from: string | null }> = [];
        for (const department of this.desired.departments) {
            if (this.blockedNumbers.has(department.key)) continue;
            const assistant = this.usableAssistant(department.assistantId);
            if (!assistant) continue;
            const label = assistantLabel(department.assistantId, assistant);
            const base = { vendor: 'synthflow' as const, resource: 'assistant-numbers' as const, departments: [department.key] };
            if (assistant.phoneNumber === department.did) {
                this.add({ ...base, id: `${planIds.inboundNumber(department.assistantId)}/set`, kind: 'no-op', key: department.did, summary: `${department.did} is the number of ${label}` });
                continue;
            }
            const holder = this.inboundHolder(department.did);
            pending.push({ department, assistant, from: holder !== null && holder !== UNKNOWN_INBOUND && holder !== department.assistantId ? holder : null });
        }
        // A number moving from one of the file's assistants to another waits until that one has its new number.
        const itemFor = new Map<string, PlanItem>();
        for (const { department, assistant, from } of pending) {
            const numberStep = this.numberItem.get(department.key);
            const previous = assistant.phoneNumber;
            const item = this.add({
                id: planIds.inboundNumber(department.assistantId),
                vendor: 'synthflow',
                resource: 'assistant-numbers',
                kind: 'attach',
                key: department.assistantId,
                departments: [department.key],
                summary: `make ${department.did} the number of ${assistantLabel(department.assistantId, assistant)}`,
                changes: [{ field: 'phone_number', before: previous, after: department.did }],
                detail: [
                    previous ? `It answers ${previous} until then; that number stays imported.` : '',
                    from ? `${department.did} is still the number of ${assistantLabel(from, this.allAssistants.get(from))}, which gets its new number first.` : '',
                ].filter(Boolean).join(' ') || null,
                dependsOn: [
                    ...(numberStep?.operation ? [numberStep.id] : []),
                    ...(from ? [planIds.inboundNumber(from)] : []),
                ],
                operation: { type: 'synthflow.setInboundNumber', modelId: department.assistantId, e164: department.did },
            });
            itemFor.set(department.assistantId, item);
            this.inboundNumberItem.set(department.assistantId, item);
        }
        // A move waiting on an assistant that gets no new number, or a swap (a cycle), cannot be applied by API.
        for (const { department, from } of pending) {
            if (!from) continue;
            let cursor: string | undefined = from;
            const seen = new Set<string>([department.assistantId]);
            let problem: string | undefined;
            while (cursor !== undefined) {
                if (seen.has(cursor)) { problem = 'the numbers are swapped between assistants (a cycle)'; break; }
                seen.add(cursor);
                const next = pending.find(p => p.department.assistantId === cursor);
                if (!next) { problem = `${assistantLabel(cursor, this.allAssistants.get(cursor))} keeps it: no department gives it another number`; break; }
                cursor = next.from ?? undefined;
            }
            if (!problem) continue;
            const index = this.items.indexOf(itemFor.get(department.assistantId)!);
            this.items.splice(index, 1);
            this.inboundNumberItem.delete(department.assistantId);
            this.add({
                id: planIds.numberAttachment(department.did),
                vendor: 'synthflow',
                resource: 'assistant-numbers',
                kind: 'conflict',
                key: department.did,
                departments: [department.key],
                summary: `${department.did} cannot move to ${assistantLabel(department.assistantId, this.liveAssistants.get(department.assistantId))}: ${problem}`,
                detail: 'A number serves one inbound assistant and the API has no call that takes it away: give the holder another number first (in Synthflow or in one apply per step).',
            });
        }
    }

    // ─── Transfer actions ────────────────────────────────────────────────────────────────────────

    transfers(): void {
        for (const modelId of this.assistantIds()) {
            const assistant = this.usableAssistant(modelId);
            if (!assistant) continue;
            const label = assistantLabel(modelId, assistant);
            const attached = assistant.actionIds.map(id => this.liveActions.get(id)).filter((a): a is LiveSynthflowAction => a !== undefined);
            const toAttach: ActionRef[] = [];
            const attachDeps: string[] = [];
            const attachDepartments: string[] = [];
            const newLabels: string[] = [];
            for (const { department, escalation } of this.escalationsOf(modelId)) {
                const id = planIds.transfer(modelId, escalation.target);
                const base = { id, vendor: 'synthflow' as const, resource: 'transfer-action' as const, key: escalation.target, departments: [department.key] };
                const queueStep = escalation.queue ? this.queueItem.get(escalation.queue) : undefined;
                const queueDeps = queueStep?.operation ? [queueStep.id] : [];
                const matches = attached.filter(a => !this.claimedActions.has(a.actionId) && matchEscalation(a, escalation) !== undefined);
                if (matches.length > 0) {
                    // Keep the one with our exact name, else the first the assistant lists; the rest are twins.
                    const keep = matches.find(a => a.name === escalation.actionName) ?? matches[0]!;
                    this.claimedActions.add(keep.actionId);
                    this.transferDiff(base, modelId, label, keep, escalation, queueDeps);
                    for (const twin of matches.filter(a => a !== keep)) this.removeTwin(modelId, label, twin, keep, department.key, true);
                    continue;
                }
                const unattached = this.findOwnUnattached(escalation);
                if (unattached) {
                    // Created by an earlier run that stopped before attaching it: attach it, never create a twin.
                    this.claimedActions.add(unattached.actionId);
                    this.transferDiff(base, modelId, label, unattached, escalation, queueDeps);
                    toAttach.push({ actionId: unattached.actionId });
                    attachDeps.push(...queueDeps);
                    newLabels.push(`${unattached.actionId} (escalate to ${escalation.target})`);
                    attachDepartments.push(department.key);
                    continue;
                }
                const created = this.add({
                    ...base,
                    kind: 'create',
                    summary: `create LIVE_TRANSFER to ${escalation.target} for ${label}`,
                    changes: transferChanges(null, escalation.transfer),
                    // The Dixa queue need not exist to create the action, only before the assistant uses it:
                    // the attach waits for it, so the action can be created while Dixa's rate limit paces the queue.
                    operation: { type: 'synthflow.createTransfer', modelId, name: escalation.actionName, config: escalation.transfer },
                });
                toAttach.push({ createdBy: created.id });
                attachDeps.push(created.id, ...queueDeps);
                newLabels.push(`new LIVE_TRANSFER to ${escalation.target}`);
                attachDepartments.push(department.key);
            }
            if (toAttach.length > 0) {
                const kept = assistant.actionIds.length;
                this.add({
                    id: planIds.assistantActions(modelId),
                    vendor: 'synthflow',
                    resource: 'assistant-actions',
                    kind: 'attach',
                    key: modelId,
                    departments: attachDepartments,
                    summary: `attach ${toAttach.length} action${toAttach.length === 1 ? '' : 's'} to ${label}${kept > 0 ? `, keeping its ${kept} current action${kept === 1 ? '' : 's'}` : ''}`,
                    changes: [{
                        field: 'actions',
                        before: [...assistant.actionIds],
                        after: [...assistant.actionIds, ...toAttach.map((ref, i) => ('actionId' in ref ? ref.actionId : `<${newLabels[i]}>`))],
                    }],
                    detail: 'Sent with /actions/attach (only the new actions) and read back: the assistant\'s other actions stay.',
                    dependsOn: [...new Set(attachDeps)],
                    operation: { type: 'synthflow.attachActions', modelId, add: toAttach },
                });
            }
        }
    }

    /**
     * A twin of a transfer action the plan keeps: detached from the assistant (when attached there), then
     * deleted unless it is attached anywhere when that step runs.
     */
    private removeTwin(modelId: string | null, label: string, twin: LiveSynthflowAction, keep: LiveSynthflowAction | undefined, department: string, attachedHere: boolean): void {
        this.claimedActions.add(twin.actionId);
        const target = twin.liveTransfer?.phone ?? twin.name ?? twin.actionId;
        const why = keep ? `a twin of ${keep.actionId}` : 'a second copy of an escalation the plan already has';
        const detach = attachedHere && modelId
            ? this.add({
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
        this.add({
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
    strayTransfers(): void {
        const escalations = this.desired.departments.flatMap(d => d.escalations.map(e => ({ department: d, escalation: e })));
        for (const action of this.live.synthflow.actions) {
            if (action.actionType !== 'LIVE_TRANSFER' || this.claimedActions.has(action.actionId)) continue;
            if (action.assistants === undefined || action.assistants.length > 0) continue;
            // A twin carries a declared escalation's exact name, or (no sipflow name) its exact configuration.
            // Anything else of ours left unattached (an orphan detached with --prune) is kept.
            const owner = parseOwnership(action.name);
            const twinOf = escalations.find(({ escalation }) => action.name === escalation.actionName
                || (owner === undefined && action.liveTransfer !== undefined && transferChanges(action.liveTransfer, escalation.transfer).length === 0));
            if (!twinOf) continue;
            this.removeTwin(null, '', action, undefined, twinOf.department.key, false);
        }
    }

    /** The escalations an assistant must have, one per target; two departments sharing an assistant may not disagree. */
    private escalationsOf(modelId: string): Array<{ department: DesiredDepartment; escalation: DesiredEscalation }> {
        const byTarget = new Map<string, { department: DesiredDepartment; escalation: DesiredEscalation }>();
        for (const department of this.departmentsOfAssistant(modelId)) {
            for (const escalation of department.escalations) {
                const first = byTarget.get(escalation.target);
                if (!first) {
                    byTarget.set(escalation.target, { department, escalation });
                } else if (transferChanges(first.escalation.transfer, escalation.transfer).length > 0) {
                    this.add({
                        id: `${planIds.transfer(modelId, escalation.target)}/${department.key}`,
                        vendor: 'synthflow',
                        resource: 'transfer-action',
                        kind: 'conflict',
                        key: escalation.target,
                        departments: [first.department.key, department.key],
                        summary: `departments ${first.department.key} and ${department.key} share ${assistantLabel(modelId, this.liveAssistants.get(modelId))} but escalate to ${escalation.target} differently`,
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
    private findOwnUnattached(escalation: DesiredEscalation): LiveSynthflowAction | undefined {
        return this.live.synthflow.actions
            .filter(a => a.actionType === 'LIVE_TRANSFER' && !this.claimedActions.has(a.actionId))
            .filter(a => a.assistants !== undefined && a.assistants.length === 0)
            .find(a => parseOwnership(a.name) !== undefined
                ? a.name === escalation.actionName && matchEscalation(a, escalation) !== undefined
                : a.liveTransfer !== undefined && transferChanges(a.liveTransfer, escalation.transfer).length === 0);
    }

    private transferDiff(
        base: { id: string; vendor: 'synthflow'; resource: 'transfer-action'; key: string; departments: string[] },
        modelId: string,
        label: string,
        action: LiveSynthflowAction,
        escalation: DesiredEscalation,
        queueDeps: string[],
    ): void {
        if (!action.liveTransfer) {
            this.add({
                ...base,
                kind: 'no-op',
                summary: `LIVE_TRANSFER ${action.actionId} to ${escalation.target} exists on ${label}`,
                detail: 'Synthflow did not return its configuration, so its fields cannot be compared.',
            });
            return;
        }
        const changes = transferChanges(action.liveTransfer, escalation.transfer);
        if (changes.length === 0) {
            this.add({ ...base, kind: 'no-op', summary: `LIVE_TRANSFER ${action.actionId} to ${escalation.target} on ${label} matches` });
            return;
        }
        this.add({
            ...base,
            kind: 'update',
            summary: `update LIVE_TRANSFER ${action.actionId} to ${escalation.target} on ${label}`,
            changes,
            detail: 'Sent as the full action (Synthflow\'s PUT replaces it).',
            dependsOn: queueDeps,
            operation: { type: 'synthflow.updateTransfer', modelId, actionId: action.actionId, config: mergeTransfer(action.liveTransfer, escalation.transfer) },
        });
    }

    // ─── Orphans ─────────────────────────────────────────────────────────────────────────────────

    orphans(): void {
        const declared = new Set(this.desired.departments.map(d => d.did));
        const numbers = [...this.live.synthflow.numbers].sort((a, b) => (a.e164 < b.e164 ? -1 : 1));
        for (const number of numbers) {
            const owner = parseOwnership(number.friendlyName);
            if (owner?.integration !== this.desired.owner || declared.has(number.e164)) continue;
            const holder = this.inboundHolder(number.e164);
            // The spec has no call that takes a number away from an inbound agent, and sipflow never deletes numbers.
            this.add({
                id: planIds.manualOrphanNumber(number.e164),
                vendor: 'synthflow',
                resource: 'number',
                kind: 'manual',
                key: number.e164,
                departments: [owner.department],
                summary: `number ${number.e164} "${number.friendlyName}" is no longer in the file${holder && holder !== UNKNOWN_INBOUND ? ` but is still the number of ${assistantLabel(holder, this.allAssistants.get(holder))}` : holder === UNKNOWN_INBOUND ? ' but an inbound assistant still answers it' : ''}: release it in Synthflow → Phone Numbers if it is no longer needed`,
                detail: 'sipflow never deletes numbers, and no API call detaches a number from an inbound agent.',
            });
        }
        const domain = this.desired.dixa.sipDomain;
        const isOurs = (action: LiveSynthflowAction, onFileAssistant: boolean) => {
            if (action.actionType !== 'LIVE_TRANSFER' || this.claimedActions.has(action.actionId)) return false;
            const owner = parseOwnership(action.name);
            if (owner) return owner.integration === this.desired.owner;
            // Without a sipflow name, a transfer into our Dixa domain is ours only on the file's own
            // assistants (whose escalations to that domain the file declares in full).
            return onFileAssistant && action.liveTransfer !== undefined && isOnSipDomain(action.liveTransfer.phone, domain);
        };
        const orphan = (modelId: string, action: LiveSynthflowAction) => {
            const assistant = this.allAssistants.get(modelId);
            this.claimedActions.add(action.actionId);
            this.add({
                id: planIds.orphanAction(modelId, action.actionId),
                vendor: 'synthflow',
                resource: 'assistant-actions',
                kind: 'orphan',
                key: action.actionId,
                departments: [parseOwnership(action.name)?.department ?? ''].filter(Boolean),
                summary: `LIVE_TRANSFER ${action.actionId}${action.name ? ` "${action.name}"` : ''}${action.liveTransfer ? ` to ${action.liveTransfer.phone}` : ''} is no longer in the file: remove it from ${assistantLabel(modelId, assistant)}`,
                detail: 'Detached with /actions/detach; the action itself is kept, and the assistant\'s other actions stay.',
                operation: { type: 'synthflow.detachActions', modelId, remove: [action.actionId] },
                requiresPrune: true,
            });
        };
        for (const modelId of this.assistantIds()) {
            const assistant = this.usableAssistant(modelId);
            if (!assistant) continue;
            for (const actionId of assistant.actionIds) {
                const action = this.liveActions.get(actionId);
                if (action && isOurs(action, true)) orphan(modelId, action);
            }
        }
        // Ours by name on assistants the file no longer names (a removed department's assistant).
        for (const action of this.live.synthflow.actions) {
            for (const modelId of action.assistants ?? []) {
                if (this.liveAssistants.has(modelId.toLowerCase()) || !isOurs(action, false)) continue;
                orphan(modelId.toLowerCase(), action);
            }
        }
    }

    // ─── Manual steps (Dixa UI) ──────────────────────────────────────────────────────────────────

    manualSteps(): void {
        const { dixa, synthflow } = this.desired;
        this.add({
            id: planIds.manualAllowlist(),
            vendor: 'dixa',
            resource: 'sip-settings',
            kind: 'manual',
            key: dixa.sipDomain,
            summary: `allowlist ${dixa.allowlist.ips.length} Synthflow signalling IP${dixa.allowlist.ips.length === 1 ? '' : 's'} (${synthflow.region}) in Dixa → Settings → Phone → SIP Settings: ${dixa.allowlist.ips.join(', ')}`,
            detail: CHECKLIST,
        });
        const queueByKey = new Map<string, DesiredQueue>(this.desired.queues.map(q => [q.key, q]));
        for (const department of this.desired.departments) {
            const fallback = department.fallbackQueue ? queueByKey.get(department.fallbackQueue) : undefined;
            const flow = department.flow ? `phone flow "${department.flow}"` : 'the phone flow';
            this.add({
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
        for (const queue of this.desired.queues) {
            this.add({
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
}

/** A Dixa SIP domain compares case-insensitively; Synthflow may store it with a `sip:` prefix. */
function sameHost(live: string | null, wanted: string): boolean {
    if (live === null) return false;
    return live.replace(/^sips?:/i, '').toLowerCase() === wanted.toLowerCase();
}

/** Field changes from `before` to `after`; fields the file leaves unset are not compared. */
export function transferChanges(before: LiveTransferConfig | null, after: LiveTransferConfig): FieldChange[] {
    const changes: FieldChange[] = [];
    for (const { key, api: field } of TRANSFER_FIELDS) {
        const wanted = after[key];
        if (wanted === undefined) continue;
        const current = before ? (before[key] ?? null) : null;
        if (current !== wanted) changes.push({ field, before: current, after: wanted });
    }
    return changes;
}

/** The full object to PUT: the live one's optional fields the file leaves unset are kept. */
function mergeTransfer(live: LiveTransferConfig, wanted: LiveTransferConfig): LiveTransferConfig {
    const merged: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(wanted)) if (value !== undefined) merged[key] = value;
    return merged as unknown as LiveTransferConfig;
}
