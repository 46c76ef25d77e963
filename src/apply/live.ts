/**
 * Reading the live state a plan is computed from. The only I/O of planning; src/plan stays pure.
 */
import { parseOwnership } from '../model/ownership.js';
import type { DesiredState } from '../model/types.js';
import type { LiveState } from '../plan/live-state.js';
import { isOnSipDomain } from '../plan/transfer-identity.js';
import type { DixaProvider, LiveSynthflowAction, LiveSynthflowAssistant, SynthflowProvider } from '../providers/types.js';

/** The two vendor clients apply and planning use. */
export interface Providers {
    readonly synthflow: SynthflowProvider;
    readonly dixa: DixaProvider;
}

export interface ReadLiveStateOptions {
    /** Also find this integration's numbers the file no longer declares (a GET per workspace number). */
    readonly prune?: boolean;
}

/**
 * Reads what the plan needs, both vendors in parallel, and no more than that:
 * - Synthflow: the file's DIDs (a GET each; 404 = not imported), the file's assistants with their
 *   actions, and the action list (pages). Transfer actions that are this integration's or escalate to
 *   its Dixa domain but are attached to none of the file's assistants are read with their assistants
 *   (usually none: an action whose create outcome was lost, a twin, or one left on an assistant the file
 *   dropped), so nothing of ours is duplicated or left behind.
 * - Dixa: organization, telephony endpoints, phone flows, queues (for the plan and the checklist).
 */
export async function readLiveState(desired: DesiredState, providers: Providers, options: ReadLiveStateOptions = {}): Promise<LiveState> {
    const { synthflow, dixa } = providers;
    const ours = (name: string | null) => parseOwnership(name)?.integration === desired.owner;
    const dids = [...new Set(desired.departments.map(d => d.did))];
    const assistantIds = [...new Set(desired.departments.map(d => d.assistantId))];

    const [declaredNumbers, assistants, actions, organization, telephonyEndpoints, phoneFlows, queues, allNumbers] = await Promise.all([
        Promise.all(dids.map(did => synthflow.getNumber(did))).then(all => all.filter(n => n !== undefined)),
        Promise.all(assistantIds.map(id => synthflow.getAssistant(id))).then(all => all.filter(a => a !== undefined)),
        synthflow.listActions(),
        dixa.getOrganization(),
        dixa.listTelephonyEndpoints(),
        dixa.listPhoneFlows(),
        dixa.listQueues(),
        options.prune ? synthflow.listNumbers() : Promise.resolve([]),
    ]);
    const declared = new Set(dids);
    const numbers = [...declaredNumbers, ...allNumbers.filter(n => !declared.has(n.e164) && ours(n.friendlyName))];

    const fileAssistants = new Set(assistants.map(a => a.modelId.toLowerCase()));
    const attached = new Set(assistants.flatMap(a => a.actionIds));
    const kept: LiveSynthflowAction[] = actions.filter(a => attached.has(a.actionId));
    // Attached actions the list did not return (another page size, a race): read them one by one.
    const listed = new Set(actions.map(a => a.actionId));
    const unlisted = [...attached].filter(id => !listed.has(id));
    // Ours, or to our Dixa domain, but on none of the file's assistants: where are they attached?
    const elsewhere = actions.filter(
        a =>
            a.actionType === 'LIVE_TRANSFER' &&
            !attached.has(a.actionId) &&
            (ours(a.name) || (a.liveTransfer !== undefined && isOnSipDomain(a.liveTransfer.phone, desired.dixa.sipDomain))),
    );
    const [extra, located] = await Promise.all([
        Promise.all(unlisted.map(id => synthflow.getAction(id))),
        Promise.all(elsewhere.map(a => synthflow.getAction(a.actionId, { includeAssistants: true }))),
    ]);

    // A declared DID whose inbound agent `is_available` does not settle: read the assistants it lists.
    const holdsNumber = (n: (typeof numbers)[number]) => assistants.some(a => a.phoneNumber === n.e164);
    const otherIds = [
        ...new Set(
            declaredNumbers
                .filter(n => n.isAvailable !== true && !holdsNumber(n))
                .flatMap(n => n.assistants.map(id => id.toLowerCase()))
                .filter(id => !fileAssistants.has(id)),
        ),
    ];
    const otherAssistants = (await Promise.all(otherIds.map(id => synthflow.getAssistant(id)))).filter((a): a is LiveSynthflowAssistant => a !== undefined);

    return {
        synthflow: {
            numbers,
            assistants,
            otherAssistants,
            actions: [...kept, ...extra.filter((a): a is LiveSynthflowAction => a !== undefined), ...located.filter((a): a is LiveSynthflowAction => a !== undefined)],
        },
        dixa: { organization, telephonyEndpoints, phoneFlows, queues },
    };
}
