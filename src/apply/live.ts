/**
 * Reading the live state a plan is computed from. The only I/O of planning; src/plan stays pure.
 */
import { parseOwnership } from '../model/ownership.js';
import type { DesiredState } from '../model/types.js';
import type { LiveState } from '../plan/live-state.js';
import type { DixaProvider, LiveSynthflowAction, SynthflowProvider } from '../providers/types.js';

/** The two vendor clients apply and planning use. */
export interface Providers {
    readonly synthflow: SynthflowProvider;
    readonly dixa: DixaProvider;
}

/**
 * Reads what the plan needs, both vendors in parallel:
 * - Synthflow: every number of the workspace, kept when it is one of the file's DIDs or carries this
 *   integration's marker (orphan detection); the file's assistants with their actions; the actions
 *   attached to them and those carrying the marker (an action created by a run that stopped before
 *   attaching it is found again, never duplicated).
 * - Dixa: organization, telephony endpoints, phone flows, queues (for the plan and the checklist).
 */
export async function readLiveState(desired: DesiredState, providers: Providers): Promise<LiveState> {
    const { synthflow, dixa } = providers;
    const dids = new Set(desired.departments.map(d => d.did));
    const ours = (name: string | null) => parseOwnership(name)?.integration === desired.integration;
    const assistantIds = [...new Set(desired.departments.map(d => d.assistantId))];

    const [numbers, assistants, actions, organization, telephonyEndpoints, phoneFlows, queues] = await Promise.all([
        synthflow.listNumbers().then(all => all.filter(n => dids.has(n.e164) || ours(n.friendlyName))),
        Promise.all(assistantIds.map(id => synthflow.getAssistant(id))).then(all => all.filter(a => a !== undefined)),
        synthflow.listActions(),
        dixa.getOrganization(),
        dixa.listTelephonyEndpoints(),
        dixa.listPhoneFlows(),
        dixa.listQueues(),
    ]);

    const attached = new Set(assistants.flatMap(a => a.actionIds));
    const kept = actions.filter(a => attached.has(a.actionId) || ours(a.name));
    // Attached actions the list did not return (another page size, a race): read them one by one.
    const listed = new Set(kept.map(a => a.actionId));
    const missing = [...attached].filter(id => !listed.has(id));
    const extra = (await Promise.all(missing.map(id => synthflow.getAction(id)))).filter((a): a is LiveSynthflowAction => a !== undefined);

    return {
        synthflow: { numbers, assistants, actions: [...kept, ...extra] },
        dixa: { organization, telephonyEndpoints, phoneFlows, queues },
    };
}
