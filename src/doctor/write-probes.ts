/**
 * The opt-in write probes (`sipflow doctor --write-probes`): one LIVE_TRANSFER created, attached to an
 * assistant for a moment and deleted, and one test call to an inbound agent's pool number. Each restores what
 * it changed and reports anything it could not restore as a problem.
 */
import type { LiveSynthflowAssistant, LiveTransferConfig } from '../providers/types.js';
import type { SynthflowClient } from '../providers/synthflow/index.js';
import { TRANSFER_MODES } from '../vendors/synthflow-facts.js';
import { chooseCaller, VerifyError } from '../verify/call.js';
import type { DoctorInput, Finding, Verdict } from './finding.js';
import { PROBE_ACTION_PREFIX, failure, finding, plural, statusOf } from './finding.js';

export const ATTACH_TITLE = '/actions/attach adds to the list';
const WRITE_PROBE_TAG = ' (--write-probes)';
/** Call statuses after which nothing more happens on the call. The spec lists none: a status not here (and no end reason) keeps the probe waiting, then unknown. */
const FINISHED_CALL_STATUSES = new Set(['completed', 'failed', 'busy', 'no-answer', 'no_answer', 'canceled', 'cancelled', 'hangup', 'voicemail', 'error']);

/**
 * A test call from the workspace's only outbound agent to a number in an inbound agent's outbound pool
 * (the file's assistants first): an inbound call on that agent contradicts the assumption; the test call
 * ending with none confirms it. Undefined (the read stands) when no inbound agent has a pool number.
 */
export async function poolCallProbe({ desired, synthflow, callTimeoutMs = 60_000, sleep = defaultSleep }: DoctorInput): Promise<Finding | undefined> {
    const id = 'outbound-pool-not-inbound';
    const unknown = (read: string) => finding('outbound-pool', '', 'unknown', `${read}${WRITE_PROBE_TAG}`, id);
    let assistants: LiveSynthflowAssistant[];
    try {
        assistants = await synthflow.listAssistants();
    } catch (error) {
        return unknown(`Listing the assistants for a test call failed: ${failure(error)}`);
    }
    const fileIds = new Set(desired.departments.map(d => d.assistantId));
    const owners = assistants
        .filter(a => a.type === 'inbound' && a.poolNumbers.some(n => n !== a.phoneNumber))
        .sort((a, b) => Number(fileIds.has(b.modelId)) - Number(fileIds.has(a.modelId)));
    if (owners.length === 0) return undefined;
    let caller;
    try {
        caller = chooseCaller(assistants, {});
    } catch (error) {
        if (error instanceof VerifyError) return unknown(`No test call placed: ${error.message}.`);
        throw error;
    }
    const callerNumbers = new Set(assistants.find(a => a.modelId === caller.modelId)?.poolNumbers ?? []);
    const owner = owners.find(a => a.poolNumbers.some(n => n !== a.phoneNumber && !callerNumbers.has(n)));
    if (!owner) return unknown("No test call placed: the only pool numbers of inbound agents are the test caller's own.");
    const target = owner.poolNumbers.find(n => n !== owner.phoneNumber && !callerNumbers.has(n))!;
    const what = `A test call from ${caller.from} to ${target}, in the pool of "${owner.name}" (${owner.modelId}),`;
    try {
        // Calls from shortly before, so that an earlier call to the number is never taken for this one.
        const since = Date.now() - 60_000;
        const earlier = new Set((await synthflow.listCalls(owner.modelId, { fromMs: since })).map(c => c.callId));
        const callId = await synthflow.startCall({ modelId: caller.modelId, phone: target, name: 'sipflow doctor: outbound pool probe', fromPhoneNumber: caller.from });
        const deadline = Date.now() + callTimeoutMs;
        for (;;) {
            const arrived = (await synthflow.listCalls(owner.modelId, { fromMs: since })).find(c => !earlier.has(c.callId) && c.phoneNumberTo === target);
            if (arrived)
                return finding('outbound-pool', '', 'contradicted', `${what} arrived on that agent (call ${arrived.callId}): its pool routes inbound calls.${WRITE_PROBE_TAG}`, id);
            const placed = (await synthflow.listCalls(caller.modelId, { fromMs: since })).find(c => c.callId === callId);
            if (placed && (placed.endCallReason !== null || FINISHED_CALL_STATUSES.has(placed.status ?? ''))) {
                return finding(
                    'outbound-pool',
                    '',
                    'confirmed',
                    `${what} ended (${placed.status ?? 'no status'}${placed.endCallReason ? `, ${placed.endCallReason}` : ''}) and never reached that agent.${WRITE_PROBE_TAG}`,
                    id,
                );
            }
            if (Date.now() >= deadline) return unknown(`${what} had not ended after ${Math.round(callTimeoutMs / 1000)} s, and had not reached that agent.`);
            await sleep(Math.min(2000, Math.max(0, deadline - Date.now())));
        }
    } catch (error) {
        return unknown(`${what} failed: ${failure(error)}`);
    }
}

const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Attaches the probe action to one of the file's assistants that already has actions and reads the list
 * back: the old actions still there confirms that attach adds; gone, that it replaces (the client attaches
 * them again at once). Then detaches the probe action and checks the list is as before, restoring it if not.
 */
async function attachProbe({ desired, synthflow }: DoctorInput, probeActionId: string, problems: string[]): Promise<Finding> {
    const id = 'attach-adds';
    const result = (verdict: Verdict, read: string) => finding('attach', ATTACH_TITLE, verdict, `${read}${WRITE_PROBE_TAG}`, id);
    let chosen: LiveSynthflowAssistant | undefined;
    try {
        for (const department of desired.departments) {
            const assistant = await synthflow.getAssistant(department.assistantId);
            if (assistant && assistant.actionIds.length > 0 && !assistant.actionIds.includes(probeActionId)) {
                chosen = assistant;
                break;
            }
        }
    } catch (error) {
        return result('unknown', `Reading the file's assistants failed: ${failure(error)}`);
    }
    if (!chosen) return result('unknown', "None of the file's assistants has an action attached, so an attach could not show whether it keeps them (apply first).");
    const assistant = chosen;
    const before = assistant.actionIds;
    const label = `"${assistant.name}" (${assistant.modelId})`;
    try {
        const change = await synthflow.attachActions(assistant.modelId, [probeActionId]);
        if (change.restored.length > 0) {
            return result(
                'contradicted',
                `Attaching the probe action to ${label} dropped its ${plural(before.length, 'action')} (${change.restored.join(', ')}): the API replaced the list. sipflow attached them again.`,
            );
        }
        return result('confirmed', `Attaching the probe action to ${label} kept its ${plural(before.length, 'action')} (${before.join(', ')}).`);
    } catch (error) {
        return result('unknown', `Attaching the probe action to ${label} failed: ${failure(error)}`);
    } finally {
        await restoreActions(synthflow, assistant.modelId, label, before, probeActionId, problems);
    }
}

/** Detaches the probe action and puts back any action the assistant had before; what cannot be restored is a problem. */
async function restoreActions(synthflow: SynthflowClient, modelId: string, label: string, before: readonly string[], probeActionId: string, problems: string[]): Promise<void> {
    try {
        await synthflow.detachActions(modelId, [probeActionId]);
        const after = await synthflow.getAssistant(modelId);
        const lost = before.filter(actionId => !after?.actionIds.includes(actionId));
        if (lost.length > 0) await synthflow.attachActions(modelId, lost);
    } catch (error) {
        problems.push(
            `Could not restore the actions of assistant ${label} after the attach probe: ${failure(error)}. It should have exactly ${before.join(', ')}; check it in the Synthflow dashboard.`,
        );
    }
}

interface WriteProbeResult {
    readonly sipTarget: Finding;
    readonly attach?: Finding;
    readonly names?: Finding;
    readonly readBack?: Finding;
}

/** Creates one unattached LIVE_TRANSFER with a `sip:` target, reads it back, and always deletes it. */
export async function writeProbe(input: DoctorInput, problems: string[]): Promise<WriteProbeResult> {
    const { desired, synthflow, now = () => new Date() } = input;
    const user = desired.queues[0]?.did ?? 'sipflow-doctor';
    const config: LiveTransferConfig = {
        transferMode: TRANSFER_MODES.warm,
        phone: `sip:${user}@${desired.dixa.sipDomain}`,
        instructions: 'sipflow doctor probe: never attached, deleted at once.',
        initiatingMsg: 'One moment.',
    };
    const name = `${PROBE_ACTION_PREFIX} ${now().toISOString()}`;
    const tag = ' (--write-probes)';
    let actionId: string | undefined;
    try {
        actionId = await synthflow.createLiveTransfer(config, name);
    } catch (error) {
        const message = failure(error);
        const status = statusOf(error);
        const refused = status !== undefined && status >= 400 && status < 500;
        // An unknown outcome (timeout, lost answer) may still have created it: find it by its name and delete it.
        if (!refused) await deleteByName(synthflow, name, problems);
        return {
            sipTarget: finding(
                'sip-target',
                '',
                refused ? 'contradicted' : 'unknown',
                `Creating a LIVE_TRANSFER to ${config.phone} failed: ${message}${tag}`,
                'sip-uri-in-transfer-phone',
            ),
        };
    }
    let attach: Finding | undefined;
    try {
        attach = await attachProbe(input, actionId, problems);
        const read = await synthflow.getAction(actionId);
        if (!read) {
            const gone = `The probe action ${actionId} was created but could not be read back.${tag}`;
            return { sipTarget: finding('sip-target', '', 'unknown', gone, 'sip-uri-in-transfer-phone'), attach };
        }
        const phone = read.liveTransfer?.phone;
        return {
            sipTarget: finding(
                'sip-target',
                '',
                phone === undefined || phone === config.phone ? 'confirmed' : 'contradicted',
                `A LIVE_TRANSFER to ${config.phone} was accepted${phone !== undefined && phone !== config.phone ? `, but reads back as ${phone}` : ''}.${tag}`,
                'sip-uri-in-transfer-phone',
            ),
            names: finding(
                'names',
                '',
                read.name === name ? 'confirmed' : 'contradicted',
                `The probe action was named "${name}" and reads back as "${read.name ?? '(no name)'}".${tag}`,
                'live-transfer-name-kept',
            ),
            readBack: finding(
                'read-back',
                '',
                read.liveTransfer ? 'confirmed' : 'contradicted',
                read.liveTransfer ? `The probe action reads back with phone ${read.liveTransfer.phone}.${tag}` : `The probe action reads back without its configuration.${tag}`,
                'live-transfer-read-back',
            ),
            attach,
        };
    } catch (error) {
        return {
            sipTarget: finding('sip-target', '', 'unknown', `Reading the probe action back failed: ${failure(error)}${tag}`, 'sip-uri-in-transfer-phone'),
            ...(attach ? { attach } : {}),
        };
    } finally {
        try {
            await synthflow.deleteAction(actionId);
            if (await synthflow.getAction(actionId)) problems.push(`The probe action ${actionId} ("${name}") is still there after DELETE: delete it in the Synthflow dashboard.`);
        } catch (error) {
            problems.push(`Could not delete the probe action ${actionId} ("${name}"): ${failure(error)}. Delete it in the Synthflow dashboard.`);
        }
    }
}

async function deleteByName(synthflow: SynthflowClient, name: string, problems: string[]): Promise<void> {
    try {
        for (const action of (await synthflow.listActions()).filter(a => a.name === name)) await synthflow.deleteAction(action.actionId);
    } catch (error) {
        problems.push(`Could not check whether the probe action "${name}" was created: ${failure(error)}. Look for it in the Synthflow dashboard.`);
    }
}

/** A write probe's answer, where there is one, settles what reading could not; both are shown. */
export function combine(read: Finding, written: Finding | undefined): Finding {
    if (!written) return read;
    const verdict = written.verdict === 'unknown' ? read.verdict : written.verdict;
    return { ...read, verdict, read: `${read.read} ${written.read}` };
}
