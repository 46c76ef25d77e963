/**
 * computePlan: desired state + live state → plan. Pure: no I/O, no clock, no environment; the same
 * inputs give the same plan (same ids, same order, same text).
 *
 * Rules:
 * - Natural keys, never duplicates: Dixa queues by name, Synthflow numbers by E.164, transfer actions by
 *   their target URI among the assistant's actions (or by the name sipflow gave them).
 * - Existing objects are adopted, not recreated; what sipflow creates carries an ownership marker.
 * - Action and number lists are merged, never replaced: attach steps add to what is there.
 * - Numbers are never deleted; orphans are detached only with --prune.
 */
import { parseOwnership } from '../model/ownership.js';
import type { DesiredDepartment, DesiredEscalation, DesiredQueue, DesiredState } from '../model/types.js';
import type { LiveSynthflowAction, LiveSynthflowAssistant, LiveSynthflowNumber, LiveTransferConfig } from '../providers/types.js';
import { fingerprintLiveState, liveSectionFingerprints, type LiveState } from './live-state.js';
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
    assistantNumbers: (modelId: string) => `synthflow/assistant/${modelId}/numbers`,
    transfer: (modelId: string, target: string) => `synthflow/assistant/${modelId}/transfer/${target}`,
    assistantActions: (modelId: string) => `synthflow/assistant/${modelId}/actions`,
    orphanAction: (modelId: string, actionId: string) => `synthflow/assistant/${modelId}/action/${actionId}`,
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

/** Labels an assistant the way people recognise it: its name and its id. */
function assistantLabel(modelId: string, live: LiveSynthflowAssistant | undefined): string {
    return live?.name ? `assistant "${live.name}" (${modelId})` : `assistant ${modelId}`;
}

export function computePlan(desired: DesiredState, live: LiveState): Plan {
    const ctx = new PlanContext(desired, live);
    ctx.queues();
    ctx.assistants();
    ctx.numbers();
    ctx.numberAttachments();
    ctx.transfers();
    ctx.orphans();
    ctx.manualSteps();
    const items = ctx.sorted();
    const summary = summarise(items);
    return {
        format: PLAN_FORMAT,
        formatVersion: PLAN_FORMAT_VERSION,
        integration: desired.integration,
        sourceHash: desired.sourceHash,
        liveFingerprint: fingerprintLiveState(live),
        liveSections: liveSectionFingerprints(live),
        desired,
        items,
        summary,
        hasChanges: summary.create + summary.update + summary.adopt + summary.attach + summary.orphan > 0,
    };
}

export function summarise(items: readonly PlanItem[]): PlanSummary {
    const count = (kind: PlanItemKind) => items.filter(i => i.kind === kind).length;
    return {
        create: count('create'),
        update: count('update'),
        adopt: count('adopt'),
        attach: count('attach'),
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
    private readonly assistantNumbersItem = new Map<string, PlanItem>();
    private readonly liveNumbers: ReadonlyMap<string, LiveSynthflowNumber>;
    private readonly liveAssistants: ReadonlyMap<string, LiveSynthflowAssistant>;
    private readonly liveActions: ReadonlyMap<string, LiveSynthflowAction>;
    /** Departments whose number cannot be attached (a conflict on the number). */
    private readonly blockedNumbers = new Set<string>();
    /** Actions the plan already uses, so that two escalations never adopt the same one. */
    private readonly claimedActions = new Set<string>();

    constructor(
        private readonly desired: DesiredState,
        private readonly live: LiveState,
    ) {
        this.liveNumbers = new Map(live.synthflow.numbers.map(n => [n.e164, n]));
        this.liveAssistants = new Map(live.synthflow.assistants.map(a => [a.modelId.toLowerCase(), a]));
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
                this.queueItem.set(queue.key, this.add({
                    ...base,
                    id: planIds.queue(queue.name),
                    kind: 'conflict',
                    summary: `${matches.length} Dixa queues are named "${queue.name}" (queue ${queue.key})`,
                    detail: `Queue ids ${matches.map(q => q.id).join(', ')}. sipflow finds queues by name and cannot tell which one is meant: rename or delete the extra ones in Dixa → Settings → Queues.`,
                }));
            } else if (matches.length === 0) {
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
                const existing = matches[0];
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
            if (owner && owner.integration !== this.desired.integration) {
                this.blockedNumbers.add(department.key);
                this.add({
                    ...base,
                    kind: 'conflict',
                    summary: `${wanted.e164} belongs to sipflow integration ${owner.integration} ("${live.friendlyName}")`,
                    detail: `Two integrations cannot manage the same number: remove it from integration ${owner.integration} first, or use another DID for department ${department.key}.`,
                });
                continue;
            }
            const elsewhere = live.assistants.map(a => a.toLowerCase()).filter(a => a !== department.assistantId);
            if (elsewhere.length > 0 && !owner) {
                // Serving another assistant and not ours: neither adopt nor attach it.
                this.blockedNumbers.add(department.key);
                this.add({
                    id: planIds.numberAttachment(wanted.e164),
                    vendor: 'synthflow',
                    resource: 'assistant-numbers',
                    kind: 'conflict',
                    key: wanted.e164,
                    departments: [department.key],
                    summary: `${wanted.e164} already serves ${elsewhere.map(a => assistantLabel(a, this.liveAssistants.get(a))).join(', ')}`,
                    detail: `A number serves one inbound assistant. Detach it there (Synthflow → Phone Numbers) or give department ${department.key} another DID.`,
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

    // ─── Numbers → assistants ────────────────────────────────────────────────────────────────────

    numberAttachments(): void {
        for (const modelId of this.assistantIds()) {
            const assistant = this.usableAssistant(modelId);
            if (!assistant) continue;
            const add: string[] = [];
            const detachFrom: Array<{ modelId: string; e164: string }> = [];
            const dependsOn: string[] = [];
            const departments: string[] = [];
            const unchanged: string[] = [];
            for (const department of this.departmentsOfAssistant(modelId)) {
                if (this.blockedNumbers.has(department.key)) continue;
                const e164 = department.did;
                const live = this.liveNumbers.get(e164);
                const attachedHere = assistant.attachedNumbers.includes(e164) || (live?.assistants ?? []).some(a => a.toLowerCase() === modelId);
                const elsewhere = (live?.assistants ?? []).map(a => a.toLowerCase()).filter(a => a !== modelId);
                // Numbers serving another assistant that are not ours were made conflicts in numbers().
                for (const other of elsewhere) detachFrom.push({ modelId: other, e164 });
                if (attachedHere && elsewhere.length === 0) {
                    unchanged.push(e164);
                    continue;
                }
                if (!attachedHere) add.push(e164);
                departments.push(department.key);
                const numberStep = this.numberItem.get(department.key);
                if (numberStep?.operation) dependsOn.push(numberStep.id);
            }
            const label = assistantLabel(modelId, assistant);
            if (add.length > 0 || detachFrom.length > 0) {
                const kept = assistant.attachedNumbers.filter(n => !detachFrom.some(d => d.modelId === modelId && d.e164 === n));
                const moves = detachFrom.map(d => `${d.e164} from ${assistantLabel(d.modelId, this.liveAssistants.get(d.modelId))}`);
                const keptOthers = kept.filter(n => !this.desired.departments.some(d => d.did === n));
                const detail = [
                    moves.length > 0 ? `Moves ${moves.join(', ')} (detached there first).` : '',
                    keptOthers.length > 0 ? `Keeps ${keptOthers.length} number${keptOthers.length === 1 ? '' : 's'} attached elsewhere: ${keptOthers.join(', ')}.` : '',
                ].filter(Boolean).join(' ');
                this.assistantNumbersItem.set(modelId, this.add({
                    id: planIds.assistantNumbers(modelId),
                    vendor: 'synthflow',
                    resource: 'assistant-numbers',
                    kind: 'attach',
                    key: modelId,
                    departments,
                    summary: `attach ${[...add, ...detachFrom.map(d => d.e164)].filter((v, i, a) => a.indexOf(v) === i).join(', ')} to ${label}`,
                    changes: [{ field: 'phone_numbers', before: [...assistant.attachedNumbers], after: [...new Set([...kept, ...add])] }],
                    detail: detail || null,
                    dependsOn,
                    operation: { type: 'synthflow.attachNumbers', modelId, add, detachFrom },
                }));
            }
            if (unchanged.length > 0) {
                this.add({
                    id: `${planIds.assistantNumbers(modelId)}/attached`,
                    vendor: 'synthflow',
                    resource: 'assistant-numbers',
                    kind: 'no-op',
                    key: unchanged.join(', '),
                    departments: this.departmentsOfAssistant(modelId).filter(d => unchanged.includes(d.did)).map(d => d.key),
                    summary: `${unchanged.join(', ')} ${unchanged.length === 1 ? 'is' : 'are'} attached to ${label}`,
                });
            }
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
                const match = this.findAttached(attached, escalation);
                if (match) {
                    this.claimedActions.add(match.actionId);
                    this.transferDiff(base, modelId, label, match, escalation, queueDeps);
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
                const numbersStep = this.assistantNumbersItem.get(modelId);
                const created = this.add({
                    ...base,
                    kind: 'create',
                    summary: `create LIVE_TRANSFER to ${escalation.target} for ${label}`,
                    changes: transferChanges(null, escalation.transfer),
                    // The Dixa queue need not exist to create the action, only before the assistant uses it:
                    // the attach waits for it, so the action can be created while Dixa's rate limit paces the queue.
                    dependsOn: numbersStep ? [numbersStep.id] : [],
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
                    detail: 'Synthflow replaces the whole action list: apply re-reads the current list and sends it with the new actions appended, so actions created elsewhere stay.',
                    dependsOn: [...new Set(attachDeps)],
                    operation: { type: 'synthflow.attachActions', modelId, add: toAttach },
                });
            }
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

    private findAttached(attached: readonly LiveSynthflowAction[], escalation: DesiredEscalation): LiveSynthflowAction | undefined {
        const transfers = attached.filter(a => a.actionType === 'LIVE_TRANSFER' && !this.claimedActions.has(a.actionId));
        return transfers.find(a => a.liveTransfer?.phone === escalation.target)
            ?? transfers.find(a => a.liveTransfer === undefined && a.name === escalation.actionName);
    }

    private findOwnUnattached(escalation: DesiredEscalation): LiveSynthflowAction | undefined {
        const own = this.live.synthflow.actions
            .filter(a => a.actionType === 'LIVE_TRANSFER' && !this.claimedActions.has(a.actionId))
            .filter(a => parseOwnership(a.name)?.integration === this.desired.integration)
            .filter(a => !this.live.synthflow.assistants.some(s => s.actionIds.includes(a.actionId)));
        return own.find(a => a.name === escalation.actionName && (a.liveTransfer === undefined || a.liveTransfer.phone === escalation.target))
            ?? own.find(a => a.liveTransfer?.phone === escalation.target);
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
            if (owner?.integration !== this.desired.integration || declared.has(number.e164)) continue;
            const base = { id: planIds.number(number.e164), vendor: 'synthflow' as const, resource: 'number' as const, key: number.e164, departments: [owner.department] };
            if (number.assistants.length === 0) {
                this.add({
                    ...base,
                    kind: 'no-op',
                    summary: `number ${number.e164} "${number.friendlyName}" is no longer in the file; already detached, kept`,
                    detail: 'Numbers are never deleted: release it in Synthflow → Phone Numbers if it is no longer needed.',
                });
                continue;
            }
            this.add({
                ...base,
                kind: 'orphan',
                summary: `number ${number.e164} "${number.friendlyName}" is no longer in the file: detach it from ${number.assistants.map(a => assistantLabel(a, this.liveAssistants.get(a.toLowerCase()))).join(', ')}`,
                detail: 'The number itself stays in Synthflow: sipflow never deletes numbers.',
                operation: { type: 'synthflow.detachNumber', e164: number.e164 },
                requiresPrune: true,
            });
        }
        for (const modelId of this.assistantIds()) {
            const assistant = this.usableAssistant(modelId);
            if (!assistant) continue;
            const remove: LiveSynthflowAction[] = [];
            for (const actionId of assistant.actionIds) {
                const action = this.liveActions.get(actionId);
                if (!action || this.claimedActions.has(actionId) || action.actionType !== 'LIVE_TRANSFER') continue;
                if (parseOwnership(action.name)?.integration !== this.desired.integration) continue;
                remove.push(action);
            }
            for (const action of remove) {
                this.add({
                    id: planIds.orphanAction(modelId, action.actionId),
                    vendor: 'synthflow',
                    resource: 'assistant-actions',
                    kind: 'orphan',
                    key: action.actionId,
                    departments: [parseOwnership(action.name)!.department],
                    summary: `LIVE_TRANSFER ${action.actionId} "${action.name}"${action.liveTransfer ? ` to ${action.liveTransfer.phone}` : ''} is no longer in the file: remove it from ${assistantLabel(modelId, assistant)}`,
                    detail: 'The action itself is kept, and the assistant\'s other actions stay.',
                    operation: { type: 'synthflow.detachActions', modelId, remove: [action.actionId] },
                    requiresPrune: true,
                });
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

const TRANSFER_FIELDS: ReadonlyArray<[keyof LiveTransferConfig, string]> = [
    ['transferMode', 'transfer_mode'],
    ['phone', 'phone'],
    ['instructions', 'instructions'],
    ['initiatingMsg', 'initiating_msg'],
    ['failedMsg', 'failed_msg'],
    ['timeout', 'timeout'],
];

/** Field changes from `before` to `after`; fields the file leaves unset are not compared. */
export function transferChanges(before: LiveTransferConfig | null, after: LiveTransferConfig): FieldChange[] {
    const changes: FieldChange[] = [];
    for (const [key, field] of TRANSFER_FIELDS) {
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
