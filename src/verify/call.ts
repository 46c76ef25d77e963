/**
 * `sipflow verify --call`: proves per department that a call to its DID reaches the assistant, with the
 * caller's number, and (with escalation) that the assistant's LIVE_TRANSFER reaches the queue. The test
 * caller is a Synthflow outbound agent; the evidence is the inbound assistant's call list.
 */
import { SipflowError } from '../errors.js';
import type { DesiredDepartment, DesiredState } from '../model/types.js';
import type { LiveSynthflowAssistant } from '../providers/types.js';
import type { LiveCall, SynthflowClient } from '../providers/synthflow/client.js';
import { ESCALATE_VARIABLE } from '../sandbox/calls.js';
import { TROUBLESHOOTING, type DiagnosisId } from './troubleshooting.js';

export interface TestCaller {
    readonly modelId: string;
    /** E.164, one of the agent's pool numbers. */
    readonly from: string;
    /** How it was chosen, for the report ("named by --caller", "the workspace's only outbound agent with a number"). */
    readonly how: string;
}

export class VerifyError extends SipflowError {
    constructor(message: string) {
        super('verify', message);
    }
}

/**
 * The caller named by `--caller/--from`, else the workspace's only outbound agent with a number.
 * Throws VerifyError with one line when there is none, or more than one to choose from.
 */
export function chooseCaller(assistants: readonly LiveSynthflowAssistant[], named: { readonly modelId?: string; readonly from?: string }): TestCaller {
    if (named.modelId !== undefined) {
        const agent = assistants.find(a => a.modelId === named.modelId);
        if (!agent) throw new VerifyError(`--caller ${named.modelId}: no such assistant in the workspace`);
        if (agent.type !== 'outbound')
            throw new VerifyError(`--caller ${named.modelId}: "${agent.name}" is a ${agent.type || 'non-outbound'} agent; the test caller must be an outbound agent`);
        const from = named.from ?? (agent.poolNumbers.length === 1 ? agent.poolNumbers[0] : undefined);
        if (from === undefined)
            throw new VerifyError(
                `--caller ${named.modelId}: name one of its numbers with --from (it has ${agent.poolNumbers.length === 0 ? 'none' : agent.poolNumbers.join(', ')})`,
            );
        if (!agent.poolNumbers.includes(from)) throw new VerifyError(`--from ${from} is not one of ${agent.name}'s numbers (${agent.poolNumbers.join(', ') || 'none'})`);
        return { modelId: agent.modelId, from, how: `named by --caller` };
    }
    if (named.from !== undefined) throw new VerifyError('--from needs --caller MODEL_ID (the outbound agent that owns the number)');
    const callers = assistants.filter(a => a.type === 'outbound' && a.poolNumbers.length > 0);
    if (callers.length === 0)
        throw new VerifyError(
            'no outbound agent with a phone number in the workspace to place the test call: attach a number to one, or name one with --caller MODEL_ID --from +E164',
        );
    if (callers.length > 1)
        throw new VerifyError(
            `${callers.length} outbound agents have numbers (${callers.map(a => a.modelId).join(', ')}): choose the test caller with --caller MODEL_ID --from +E164`,
        );
    const agent = callers[0]!;
    return { modelId: agent.modelId, from: agent.poolNumbers[0]!, how: "the workspace's only outbound agent with a number" };
}

export type EscalationOutcome = 'transferred' | 'refused' | 'unanswered' | 'not-run' | 'not-attempted';

export interface DepartmentCallResult {
    readonly department: string;
    readonly did: string;
    readonly assistantId: string;
    readonly arrived: boolean;
    /** null when the call did not arrive. */
    readonly callerNumberReached: boolean | null;
    /** With --escalate: the queue's SIP URI and what happened; null otherwise. */
    readonly escalation: { readonly target: string; readonly queue: string | null; readonly outcome: EscalationOutcome } | null;
    readonly callId: string | null;
    /** The failure, if any: a row of the troubleshooting table. */
    readonly diagnosis: DiagnosisId | null;
    /** Vendor detail (an error message, the transfer's outcome), when there is one. */
    readonly detail: string | null;
}

export interface CallVerifyOptions {
    readonly escalate: boolean;
    /** How long to wait for the call to appear in the assistant's call list. */
    readonly timeoutMs: number;
    readonly pollIntervalMs: number;
    readonly sleep?: (ms: number) => Promise<void>;
    readonly now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

export async function verifyDepartmentCall(
    synthflow: SynthflowClient,
    desired: DesiredState,
    department: DesiredDepartment,
    assistants: readonly LiveSynthflowAssistant[],
    caller: TestCaller,
    options: CallVerifyOptions,
): Promise<DepartmentCallResult> {
    const escalation = options.escalate ? department.escalations[0] : undefined;
    const base = {
        department: department.key,
        did: department.did,
        assistantId: department.assistantId,
        callId: null,
        escalation: options.escalate ? { target: escalation?.target ?? '(none declared)', queue: escalation?.queue ?? null, outcome: 'not-attempted' as const } : null,
    };
    const fail = (diagnosis: DiagnosisId, extra: Partial<DepartmentCallResult> = {}): DepartmentCallResult => ({
        ...base,
        arrived: false,
        callerNumberReached: null,
        diagnosis,
        detail: null,
        ...extra,
    });

    // Checked before the call: a call to a DID no assistant answers costs minutes and proves nothing new.
    const assistant = assistants.find(a => a.modelId === department.assistantId);
    if (!assistant || assistant.phoneNumber !== department.did) {
        return fail('number-not-on-assistant', { detail: assistant ? `its inbound number is ${assistant.phoneNumber ?? 'not set'}` : 'the assistant does not exist' });
    }

    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? defaultSleep;
    // Calls older than this one, so that an earlier test call is never taken for it.
    const since = now() - 60_000;
    const before = new Set((await synthflow.listCalls(assistant.modelId, { fromMs: since })).map(c => c.callId));
    let callId: string;
    try {
        callId = await synthflow.startCall({
            modelId: caller.modelId,
            phone: department.did,
            name: `sipflow verify ${desired.integration}/${department.key}`,
            fromPhoneNumber: caller.from,
            ...(escalation ? { customVariables: { [ESCALATE_VARIABLE]: escalation.target } } : {}),
        });
    } catch (error) {
        return fail('caller-refused', { detail: error instanceof Error ? error.message : String(error) });
    }

    const deadline = now() + options.timeoutMs;
    let arrived: LiveCall | undefined;
    for (;;) {
        const calls = await synthflow.listCalls(assistant.modelId, { fromMs: since });
        arrived = calls.find(c => !before.has(c.callId) && (c.phoneNumberTo === null || c.phoneNumberTo === department.did));
        if (arrived || now() >= deadline) break;
        await sleep(Math.min(options.pollIntervalMs, Math.max(0, deadline - now())));
    }
    if (!arrived) return fail('no-arrival', { callId, detail: `nothing in the assistant's calls after ${Math.round(options.timeoutMs / 1000)} s` });

    const callerNumberReached = arrived.leadPhoneNumber === caller.from;
    const reached = { ...base, callId: arrived.callId, arrived: true, callerNumberReached };
    if (!escalation) {
        return callerNumberReached
            ? { ...reached, diagnosis: null, detail: null }
            : { ...reached, diagnosis: 'caller-number-missing', detail: `the assistant saw the caller as ${arrived.leadPhoneNumber ?? 'unknown'}` };
    }
    // [I] assumption: call-transfer-shows-target
    const transfer = Object.values(arrived.executedActions).find(
        (a): a is Record<string, unknown> => typeof a === 'object' && a !== null && (a as Record<string, unknown>)['phone'] === escalation.target,
    );
    const outcome: EscalationOutcome = transfer === undefined ? 'not-run' : transferOutcome(transfer, arrived);
    const detail = typeof transfer?.['detail'] === 'string' ? transfer['detail'] : arrived.errorMessage;
    const result = { ...reached, escalation: { target: escalation.target, queue: escalation.queue, outcome }, detail };
    // The caller's number is checked first: it is the earlier step in the path.
    if (!callerNumberReached) return { ...result, diagnosis: 'caller-number-missing' };
    if (outcome === 'transferred') return { ...result, diagnosis: null };
    return { ...result, diagnosis: outcome === 'not-run' ? 'no-escalation-action' : outcome === 'refused' ? 'escalation-refused' : 'escalation-unanswered' };
}

/** The transfer's outcome as the call records it; without an explicit one, the call's end reason decides. */
function transferOutcome(transfer: Record<string, unknown>, call: LiveCall): 'transferred' | 'refused' | 'unanswered' {
    const outcome = transfer['outcome'];
    if (outcome === 'transferred' || outcome === 'refused' || outcome === 'unanswered') return outcome;
    if (call.endCallReason === 'timeout') return 'unanswered';
    return call.endCallReason === 'error' ? 'refused' : 'transferred';
}

/** One line per failure: symptom, likely cause, the steps to look at. */
export function describeDiagnosis(result: DepartmentCallResult): string | undefined {
    if (result.diagnosis === null) return undefined;
    const row = TROUBLESHOOTING[result.diagnosis];
    const steps = row.steps({ department: result.department, queue: result.escalation?.queue ?? null });
    return `${result.department}: ${row.symptom}${result.detail ? ` (${result.detail})` : ''}. Likely: ${row.likelyCause}. Look at: ${steps.join(', ')}.`;
}
