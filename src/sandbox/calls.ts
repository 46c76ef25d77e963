/**
 * Synthflow's call API (POST /calls, GET /calls, GET /calls/{call_id}) and a model of the path a test
 * call takes: an outbound agent dials a department DID on the PSTN, the Dixa phone flow on that DID
 * transfers it over SIP to Synthflow, the inbound assistant on the DID answers, and may escalate with
 * its LIVE_TRANSFER to a Dixa queue's SIP URI. The Dixa half has no API: it is `state.dixaManual`.
 * Calls complete at once (no ringing): a call is listed as soon as POST /calls has answered.
 */
import { ApiError, E164, intParam, isRecord, json, type Reply, type RequestContext, type Route } from './http.js';
import { isSynthflowRegion, SYNTHFLOW_REGION_FACTS, synthflowSipAddress } from '../vendors/synthflow-facts.js';
import type { DixaManualState, DixaTransferStep, SandboxState, SynthflowAssistantRecord, SynthflowCallRecord } from './state.js';

/** The custom variable the verifier sends to have the inbound assistant escalate (its value: the SIP URI to escalate to). */
export const ESCALATE_VARIABLE = 'sipflow_escalate_to';
/** The UUI header Dixa's transfer step must send for the caller's number to reach the assistant. */
export const EXPECTED_UUI = 'phone_number={caller}';
/** What an inbound call shows as the caller when the UUI header does not carry it. */
export const UNKNOWN_CALLER = 'anonymous';

export const callRoutes: readonly Route[] = [
    { method: 'POST', pattern: '/calls', handler: makeCall },
    { method: 'GET', pattern: '/calls', handler: listCalls },
    { method: 'GET', pattern: '/calls/{call_id}', handler: getCall },
];

const bad = (description: string) => new ApiError(400, description, 'validation_error');
const ok = (response: unknown): Reply => json(200, { status: 'ok', response });

function requiredString(body: Record<string, unknown>, field: string): string {
    const v = body[field];
    if (typeof v !== 'string' || v.trim() === '') throw bad(`${field} is required`);
    return v;
}

function customVariables(body: Record<string, unknown>): Record<string, string> {
    const raw = body['custom_variables'];
    if (raw === undefined || raw === null) return {};
    if (!Array.isArray(raw)) throw bad('custom_variables must be an array of {key, value}');
    const out: Record<string, string> = {};
    for (const item of raw) {
        if (!isRecord(item) || typeof item.key !== 'string' || typeof item.value !== 'string') throw bad('custom_variables must be an array of {key, value}');
        out[item.key] = item.value;
    }
    return out;
}

function makeCall(ctx: RequestContext): Reply {
    if (!isRecord(ctx.body)) throw bad('The request body must be a JSON object');
    const body = ctx.body;
    const modelId = requiredString(body, 'model_id');
    const phone = requiredString(body, 'phone');
    const name = requiredString(body, 'name');
    if (!E164.test(phone)) throw bad('phone must be an E.164 number');
    const caller = ctx.state.synthflow.assistants.find(a => a.model_id === modelId);
    if (!caller) throw new ApiError(404, `Assistant ${modelId} not found`, 'not_found');
    if (caller.type !== 'outbound') throw bad(`Assistant ${modelId} is not an outbound agent`);
    const from = body['from_phone_number'];
    if (from !== undefined && typeof from !== 'string') throw bad('from_phone_number must be a string');
    const fromSlug = from === undefined ? caller.phone_number_slugs[0] : from.replace(/^\+/, '');
    if (fromSlug === undefined) throw bad('The outbound agent has no phone number attached');
    if (!caller.phone_number_slugs.includes(fromSlug)) throw bad('from_phone_number must match a phone number attached to the outbound agent');
    const variables = customVariables(body);
    const fromNumber = `+${fromSlug}`;
    const startMs = ctx.now().getTime();

    const outbound: SynthflowCallRecord = {
        call_id: ctx.newId(),
        model_id: modelId,
        type_of_call: 'outbound',
        lead_phone_number: phone,
        lead_name: name,
        agent_phone_number: fromNumber,
        phone_number_from: fromNumber,
        phone_number_to: phone,
        call_status: 'completed',
        end_call_reason: 'agent_ended_call',
        error_message: null,
        executed_actions: {},
        prompt_variables: variables,
        start_ms: startMs,
        duration: 20,
    };
    ctx.state.synthflow.calls.push(outbound);
    const inbound =
        routeThroughDixa(ctx.state, fromNumber, phone, variables, startMs, ctx.newId) ??
        (ctx.assumptions.outboundPoolRoutesInbound ? routeThroughPool(ctx.state, modelId, fromNumber, phone, startMs, ctx.newId) : undefined);
    if (inbound) ctx.state.synthflow.calls.push(inbound);
    ctx.mutated = true;
    return ok({ answer: 'Call initiated', call_id: outbound.call_id });
}

/**
 * The Dixa phone flow on `did` and what it reaches: the inbound call the assistant on the DID records,
 * or undefined when the call never reaches Synthflow (no transfer step, a wrong SIP address, the
 * region's signalling IPs not allowlisted, or no inbound assistant on the DID).
 */
export function routeThroughDixa(
    state: SandboxState,
    callerNumber: string,
    did: string,
    variables: Record<string, string>,
    startMs: number,
    newId: () => string,
): SynthflowCallRecord | undefined {
    const manual = state.dixaManual;
    const step = manual.transferSteps[did];
    const slug = did.replace(/^\+/, '');
    const number = state.synthflow.numbers.find(n => n.slug === slug);
    const assistant = state.synthflow.assistants.find(a => a.type === 'inbound' && a.inbound_phone_slug === slug);
    if (!step || !number || !assistant) return undefined;
    const region = isSynthflowRegion(number.region) ? number.region : 'eu';
    // Synthflow answers the INVITE only on the number's own SIP address, and Dixa completes the
    // dialogue only with the region's signalling IPs on its allowlist.
    if (step.sipAddress !== synthflowSipAddress(did, region)) return undefined;
    if (!allowlists(manual, region)) return undefined;

    const callerReached = step.uuiHeader === EXPECTED_UUI;
    const call: SynthflowCallRecord = {
        call_id: newId(),
        model_id: assistant.model_id,
        type_of_call: 'inbound',
        lead_phone_number: callerReached ? callerNumber : UNKNOWN_CALLER,
        lead_name: null,
        agent_phone_number: did,
        phone_number_from: callerReached ? callerNumber : UNKNOWN_CALLER,
        phone_number_to: did,
        call_status: 'completed',
        end_call_reason: 'human_ended_call',
        error_message: null,
        executed_actions: {},
        prompt_variables: callerReached ? { phone_number: callerNumber } : {},
        start_ms: startMs,
        duration: 15,
    };
    const escalateTo = variables[ESCALATE_VARIABLE];
    if (escalateTo !== undefined) escalate(state, assistant, call, escalateTo, region);
    return call;
}

/**
 * With the `outboundPoolRoutesInbound` assumption only: a call to a number in an inbound agent's outbound
 * pool reaches that agent directly (no Dixa in the path, so the caller id arrives as sent).
 */
function routeThroughPool(
    state: SandboxState,
    callerModelId: string,
    callerNumber: string,
    dialled: string,
    startMs: number,
    newId: () => string,
): SynthflowCallRecord | undefined {
    const slug = dialled.replace(/^\+/, '');
    const owner = state.synthflow.assistants.find(a => a.type === 'inbound' && a.model_id !== callerModelId && a.phone_number_slugs.includes(slug));
    if (!owner) return undefined;
    return {
        call_id: newId(),
        model_id: owner.model_id,
        type_of_call: 'inbound',
        lead_phone_number: callerNumber,
        lead_name: null,
        agent_phone_number: dialled,
        phone_number_from: callerNumber,
        phone_number_to: dialled,
        call_status: 'completed',
        end_call_reason: 'human_ended_call',
        error_message: null,
        executed_actions: {},
        prompt_variables: {},
        start_ms: startMs,
        duration: 10,
    };
}

function allowlists(manual: DixaManualState, region: keyof typeof SYNTHFLOW_REGION_FACTS): boolean {
    return SYNTHFLOW_REGION_FACTS[region].signallingIps.every(ip => manual.allowlist.includes(ip));
}

/** Runs the assistant's LIVE_TRANSFER to `target` (a queue's SIP URI) and records its outcome on the call. */
function escalate(state: SandboxState, assistant: SynthflowAssistantRecord, call: SynthflowCallRecord, target: string, region: keyof typeof SYNTHFLOW_REGION_FACTS): void {
    const action = assistant.actions.map(id => state.synthflow.actions.find(a => a.action_id === id)).find(a => a?.action_type === 'LIVE_TRANSFER' && a.config['phone'] === target);
    if (!action) {
        call.end_call_reason = 'agent_ended_call';
        call.error_message = `No LIVE_TRANSFER to ${target} is attached to the assistant`;
        return;
    }
    const record = (outcome: 'transferred' | 'refused' | 'unanswered', detail: string) => {
        call.executed_actions[action.action_id] = { action_type: 'LIVE_TRANSFER', name: action.name, phone: target, outcome, detail };
        if (outcome !== 'transferred') {
            call.end_call_reason = outcome === 'refused' ? 'error' : 'timeout';
            call.error_message = detail;
        }
    };
    const m = /^sip:(\+\d{6,15})@([^:;>]+)/.exec(target);
    const organization = state.dixa.organization.subdomain.toLowerCase();
    if (!m || m[2]!.toLowerCase() !== `${organization}.sip.dixa.com`) return record('refused', `404 Not Found: ${target} is not a SIP address of this Dixa organization`);
    if (!allowlists(state.dixaManual, region)) return record('refused', '403 Forbidden: the escalation INVITE came from an IP Dixa does not allowlist');
    const did = m[1]!;
    const queueName = Object.entries(state.dixaManual.queueRouting).find(([, dids]) => dids.includes(did))?.[0];
    const queue = queueName === undefined ? undefined : state.dixa.queues.find(q => q.name === queueName);
    if (!queue) return record('refused', `404 Not Found: ${did} is not routed to a Dixa queue`);
    if ((state.dixa.queueMembers[queue.id] ?? []).length === 0) return record('unanswered', `480 Temporarily Unavailable: no agent in the queue "${queue.name}" answered`);
    record('transferred', `answered in the queue "${queue.name}"`);
}

/** With `callTransferShowsTarget: false` an executed action shows what it was, not where it went or how it ended. */
function executedActionsShown(call: SynthflowCallRecord, showTransferTarget: boolean): Record<string, unknown> {
    if (showTransferTarget) return call.executed_actions;
    return Object.fromEntries(Object.entries(call.executed_actions).map(([id, a]) => [id, { action_type: a['action_type'], name: a['name'] }]));
}

function render(call: SynthflowCallRecord, showTransferTarget: boolean): Record<string, unknown> {
    const { start_ms, prompt_variables, ...rest } = call;
    return {
        ...rest,
        executed_actions: executedActionsShown(call, showTransferTarget),
        start_time: new Date(start_ms).toISOString(),
        agents_used: [call.model_id],
        labels: [],
        recording_url: null,
        transcript: null,
    };
}

function listCalls(ctx: RequestContext): Reply {
    const modelId = ctx.query.get('model_id');
    if (!modelId) throw bad('model_id is required');
    const limit = intParam(ctx.query, 'limit');
    const offset = intParam(ctx.query, 'offset');
    const fromDate = intParam(ctx.query, 'from_date');
    if (Number.isNaN(limit) || limit === 0 || Number.isNaN(offset) || Number.isNaN(fromDate)) throw bad('limit, offset and from_date must be non-negative integers');
    const lead = ctx.query.get('lead_phone_number');
    const status = ctx.query.get('call_status');
    const calls = ctx.state.synthflow.calls
        .filter(c => c.model_id === modelId)
        .filter(c => fromDate === undefined || c.start_ms >= fromDate)
        .filter(c => !lead || c.lead_phone_number === lead)
        .filter(c => !status || c.call_status === status)
        .reverse();
    const l = Math.min(limit ?? 20, ctx.assumptions.synthflowMaxPageSize);
    const o = offset ?? 0;
    return ok({ pagination: { total_records: calls.length, limit: l, offset: o }, calls: calls.slice(o, o + l).map(c => render(c, ctx.assumptions.callTransferShowsTarget)) });
}

function getCall(ctx: RequestContext): Reply {
    const call = ctx.state.synthflow.calls.find(c => c.call_id === ctx.params['call_id']);
    if (!call) throw new ApiError(404, `Call ${ctx.params['call_id']} not found`, 'not_found');
    // This schema types error_message as a non-null string: omitted when there is none.
    const { start_ms, call_status, error_message, lead_phone_number: _lead, lead_name: _name, agent_phone_number: _agent, ...rest } = call;
    return ok({
        pagination: { total_records: 1, limit: 1, offset: 0 },
        calls: [
            {
                ...rest,
                executed_actions: executedActionsShown(call, ctx.assumptions.callTransferShowsTarget),
                ...(error_message !== null ? { error_message } : {}),
                name: call.lead_name ?? '',
                status: call_status,
                start_time: new Date(start_ms).toISOString(),
            },
        ],
    });
}

// ─── The admin surface: PUT /_sandbox/dixa-manual ───────────────────────────────────────────────────

/** Checks a `PUT /_sandbox/dixa-manual` body; throws a one-line message naming the first bad field. */
export function checkDixaManual(value: unknown): DixaManualState {
    if (!isRecord(value)) throw new Error('the Dixa manual configuration must be an object {allowlist, transferSteps, queueRouting}');
    const allowlist = value['allowlist'] ?? [];
    if (!Array.isArray(allowlist) || !allowlist.every(ip => typeof ip === 'string')) throw new Error('allowlist must be an array of IP strings');
    const steps = value['transferSteps'] ?? {};
    if (!isRecord(steps)) throw new Error('transferSteps must be an object keyed by DID');
    const transferSteps: Record<string, DixaTransferStep> = {};
    for (const [did, step] of Object.entries(steps)) {
        if (!E164.test(did)) throw new Error(`transferSteps: "${did}" is not an E.164 DID`);
        if (!isRecord(step) || typeof step['sipAddress'] !== 'string') throw new Error(`transferSteps["${did}"].sipAddress must be a string`);
        const uui = step['uuiHeader'] ?? null;
        const timeout = step['timeoutSeconds'] ?? 30;
        const fallback = step['fallbackQueue'] ?? null;
        if (uui !== null && typeof uui !== 'string') throw new Error(`transferSteps["${did}"].uuiHeader must be a string or null`);
        if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout <= 0) throw new Error(`transferSteps["${did}"].timeoutSeconds must be a positive integer`);
        if (fallback !== null && typeof fallback !== 'string') throw new Error(`transferSteps["${did}"].fallbackQueue must be a queue name or null`);
        transferSteps[did] = { sipAddress: step['sipAddress'], uuiHeader: uui, timeoutSeconds: timeout, fallbackQueue: fallback };
    }
    const routing = value['queueRouting'] ?? {};
    if (!isRecord(routing)) throw new Error('queueRouting must be an object: queue name → DIDs');
    const queueRouting: Record<string, string[]> = {};
    for (const [queue, dids] of Object.entries(routing)) {
        if (!Array.isArray(dids) || !dids.every(d => typeof d === 'string' && E164.test(d))) throw new Error(`queueRouting["${queue}"] must be an array of E.164 DIDs`);
        queueRouting[queue] = dids as string[];
    }
    return { allowlist: allowlist as string[], transferSteps, queueRouting };
}
