/**
 * The safety invariants of issue 7 ("never a duplicate, never a silent loss"), read from the sandbox
 * state directly (not through the providers under test).
 *
 * Every read of the state goes through the accessors at the top of this file, so that a change of the
 * sandbox's record shapes is one edit here. Inbound numbers are `PUT /assistants/{model_id}`
 * `phone_number` (the record's `inbound_phone_slug`); `phone_number_slugs` is the outbound pool.
 *
 * Each check returns violations as one-line strings (empty = holds), so that the property test can
 * print them with the seed and the soak can count them.
 */
import type { DesiredState } from '../../src/model/index.js';
import type { SandboxState } from '../../src/sandbox/index.js';

// ─── Accessors: the only code here that knows the sandbox's record shapes ───────────────────────────

type State = SandboxState;
type NumberRecord = State['synthflow']['numbers'][number];
type AssistantRecord = State['synthflow']['assistants'][number];
type ActionRecord = State['synthflow']['actions'][number];
type QueueRecord = State['dixa']['queues'][number];

const numbersOf = (state: State): readonly NumberRecord[] => state.synthflow.numbers;
const phoneOfNumber = (n: NumberRecord): string => n.phone_number;
const queuesOf = (state: State): readonly QueueRecord[] => state.dixa.queues;
const queueName = (q: QueueRecord): string => q.name;
const assistantsOf = (state: State): readonly AssistantRecord[] => state.synthflow.assistants;
const assistantId = (a: AssistantRecord): string => a.model_id.toLowerCase();
const isInbound = (a: AssistantRecord): boolean => a.type === 'inbound';
const attachedActionIds = (a: AssistantRecord): readonly string[] => a.actions;
/** The number slugs the assistant answers inbound calls on: its `phone_number` (the outbound pool does not count). */
const inboundSlugsOf = (a: AssistantRecord): readonly string[] => (a.inbound_phone_slug ? [a.inbound_phone_slug] : []);
const actionsOf = (state: State): readonly ActionRecord[] => state.synthflow.actions;
const actionId = (a: ActionRecord): string => a.action_id;
const actionName = (a: ActionRecord): string => a.name;
const isLiveTransfer = (a: ActionRecord): boolean => a.action_type === 'LIVE_TRANSFER';
const transferPhone = (a: ActionRecord): string | undefined => (typeof a.config['phone'] === 'string' ? a.config['phone'] : undefined);
const slugOfE164 = (e164: string): string => e164.replace(/^\+/, '');

// ─── What the file declares, in the terms the checks use ────────────────────────────────────────────

export interface DeclaredTransfer {
    readonly department: string;
    readonly assistantId: string;
    /** `sip:{queue did}@{sip-domain}` */
    readonly target: string;
    /** The name sipflow gives the action (ownership marker): `sipflow:faults/dept_00 escalate tier1`. */
    readonly actionName: string;
}

export interface Expectation {
    readonly departments: ReadonlyArray<{ readonly key: string; readonly assistantId: string; readonly did: string }>;
    readonly transfers: readonly DeclaredTransfer[];
    /** Foreign actions attached before the first run: each must still be attached to the same assistant. */
    readonly preexisting: ReadonlyArray<{ readonly assistantId: string; readonly actionId: string }>;
    /** Queue names the file declares: each exactly once in Dixa. */
    readonly queueNames: readonly string[];
}

export function expectationOf(desired: DesiredState, preexisting: Expectation['preexisting']): Expectation {
    const transfers = new Map<string, DeclaredTransfer>();
    for (const d of desired.departments) {
        for (const e of d.escalations) {
            transfers.set(`${d.assistantId} ${e.target}`, { department: d.key, assistantId: d.assistantId, target: e.target, actionName: e.actionName });
        }
    }
    return {
        departments: desired.departments.map(d => ({ key: d.key, assistantId: d.assistantId, did: d.did })),
        transfers: [...transfers.values()],
        preexisting,
        queueNames: desired.queues.map(q => q.name),
    };
}

// ─── Checks ─────────────────────────────────────────────────────────────────────────────────────────

function repeated(values: readonly string[]): string[] {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const v of values) (seen.has(v) ? twice : seen).add(v);
    return [...twice];
}

/** Must hold after every run, converged or not: nothing is ever there twice. */
export function duplicateViolations(state: State): string[] {
    const violations: string[] = [];
    for (const phone of repeated(numbersOf(state).map(phoneOfNumber))) violations.push(`duplicate number: ${phone} imported more than once`);
    for (const name of repeated(queuesOf(state).map(queueName)))
        violations.push(`duplicate queue: ${queuesOf(state).filter(q => queueName(q) === name).length} Dixa queues named "${name}"`);
    const actions = new Map(actionsOf(state).map(a => [actionId(a), a]));
    for (const assistant of assistantsOf(state)) {
        const ids = attachedActionIds(assistant);
        for (const id of repeated(ids)) violations.push(`duplicate attachment: action ${id} attached twice to assistant ${assistantId(assistant)}`);
        const phones = [...new Set(ids)]
            .map(id => actions.get(id))
            .filter((a): a is ActionRecord => a !== undefined && isLiveTransfer(a))
            .map(transferPhone)
            .filter((p): p is string => p !== undefined);
        for (const phone of repeated(phones))
            violations.push(`duplicate transfer: assistant ${assistantId(assistant)} has ${phones.filter(p => p === phone).length} LIVE_TRANSFER actions to ${phone}`);
    }
    for (const slug of repeated(
        assistantsOf(state)
            .filter(isInbound)
            .flatMap(a => [...new Set(inboundSlugsOf(a))]),
    )) {
        violations.push(`number +${slug} answers on more than one inbound assistant`);
    }
    return violations;
}

/** Must hold once the plan is empty: the accounts are exactly what the file says, and nothing was lost. */
export function convergedViolations(state: State, expected: Expectation): string[] {
    const violations = duplicateViolations(state);
    const actions = new Map(actionsOf(state).map(a => [actionId(a), a]));
    const assistants = new Map(assistantsOf(state).map(a => [assistantId(a), a]));

    for (const name of expected.queueNames) {
        const count = queuesOf(state).filter(q => queueName(q) === name).length;
        if (count !== 1) violations.push(`queue "${name}": ${count} in Dixa, expected 1`);
    }

    for (const d of expected.departments) {
        const assistant = assistants.get(d.assistantId);
        if (!assistant) {
            violations.push(`assistant ${d.assistantId} (${d.key}) is gone`);
            continue;
        }
        const inbound = inboundSlugsOf(assistant);
        if (inbound.length !== 1 || inbound[0] !== slugOfE164(d.did)) {
            violations.push(`${d.key}: assistant ${d.assistantId} answers on [${inbound.map(s => `+${s}`).join(', ')}], expected ${d.did}`);
        }
        if (!numbersOf(state).some(n => phoneOfNumber(n) === d.did)) violations.push(`${d.key}: number ${d.did} is not imported`);
    }

    // Exactly one LIVE_TRANSFER per declared (assistant, target), attached there, and its own (its name
    // is this department's marker: not another department's action adopted by a re-read).
    const declaredTargets = new Set(expected.transfers.map(t => t.target));
    for (const t of expected.transfers) {
        const assistant = assistants.get(t.assistantId);
        const attached = (assistant ? attachedActionIds(assistant) : []).map(id => actions.get(id)).filter((a): a is ActionRecord => a !== undefined);
        const toTarget = attached.filter(a => isLiveTransfer(a) && transferPhone(a) === t.target);
        if (toTarget.length !== 1) {
            violations.push(`${t.department}: ${toTarget.length} LIVE_TRANSFER actions to ${t.target} attached to assistant ${t.assistantId}, expected 1`);
        } else if (actionName(toTarget[0]!) !== t.actionName) {
            violations.push(
                `${t.department}: the LIVE_TRANSFER to ${t.target} on assistant ${t.assistantId} is "${actionName(toTarget[0]!)}" (${actionId(toTarget[0]!)}), not its own "${t.actionName}"`,
            );
        }
        const named = actionsOf(state).filter(a => actionName(a) === t.actionName);
        if (named.length !== 1)
            violations.push(`${t.department}: ${named.length} actions named "${t.actionName}" in the workspace, expected 1 (stray twins: ${named.map(actionId).join(', ')})`);
    }
    const ours = actionsOf(state).filter(a => isLiveTransfer(a) && declaredTargets.has(transferPhone(a) ?? ''));
    if (ours.length !== expected.transfers.length) {
        violations.push(`${ours.length} LIVE_TRANSFER actions to the file's targets in the workspace, expected ${expected.transfers.length} (one per assistant and target)`);
    }
    for (const a of ours) {
        const holders = assistantsOf(state).filter(s => attachedActionIds(s).includes(actionId(a)));
        if (holders.length > 1)
            violations.push(`LIVE_TRANSFER ${actionId(a)} "${actionName(a)}" is attached to ${holders.length} assistants: ${holders.map(assistantId).join(', ')}`);
    }

    for (const p of expected.preexisting) {
        const assistant = assistants.get(p.assistantId);
        if (!actions.has(p.actionId)) violations.push(`lost: pre-existing action ${p.actionId} no longer exists`);
        else if (!assistant || !attachedActionIds(assistant).includes(p.actionId))
            violations.push(`lost: pre-existing action ${p.actionId} is no longer attached to assistant ${p.assistantId}`);
    }
    return violations;
}

/**
 * Counts for the soak's table. Superfluous LIVE_TRANSFER actions to the file's targets: beyond the
 * first per assistant and target attached there, plus those attached to no assistant at all (stray
 * twins). Duplicate numbers and queues: beyond the first per phone and per name.
 */
export function duplicateCounts(state: State, expected: Expectation): { transfers: number; numbers: number; queues: number } {
    const declaredTargets = new Set(expected.transfers.map(t => t.target));
    const ours = actionsOf(state).filter(a => isLiveTransfer(a) && declaredTargets.has(transferPhone(a) ?? ''));
    const oursById = new Map(ours.map(a => [actionId(a), a]));
    let transfers = 0;
    for (const assistant of assistantsOf(state)) {
        const phones = [...new Set(attachedActionIds(assistant))]
            .map(id => oursById.get(id))
            .filter((a): a is ActionRecord => a !== undefined)
            .map(a => transferPhone(a)!);
        transfers += phones.length - new Set(phones).size;
    }
    transfers += ours.filter(a => !assistantsOf(state).some(s => attachedActionIds(s).includes(actionId(a)))).length;
    const phones = numbersOf(state).map(phoneOfNumber);
    const names = queuesOf(state).map(queueName);
    return { transfers, numbers: phones.length - new Set(phones).size, queues: names.length - new Set(names).size };
}
