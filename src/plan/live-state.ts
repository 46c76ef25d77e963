/**
 * LiveState: what the providers read before planning. No state file: it is read afresh on every run
 * (see `readLiveState` in src/apply).
 */
import { canonicalJson, sha256 } from '../model/hash.js';
import type {
    DixaOrganization,
    DixaPhoneFlow,
    DixaTelephonyEndpoint,
    LiveDixaQueue,
    LiveSynthflowAction,
    LiveSynthflowAssistant,
    LiveSynthflowNumber,
} from '../providers/types.js';

export interface LiveState {
    readonly synthflow: {
        /**
         * The file's DIDs that exist in the workspace; with `prune`, also every number whose friendly name
         * carries this integration's marker (finding those costs a GET per workspace number).
         */
        readonly numbers: readonly LiveSynthflowNumber[];
        /** The assistants the file names that exist (a missing one is a conflict). */
        readonly assistants: readonly LiveSynthflowAssistant[];
        /**
         * Assistants the file does not name that hold one of its DIDs (read only to tell whether one of
         * them is the number's inbound agent, when `is_available` does not settle it).
         */
        readonly otherAssistants: readonly LiveSynthflowAssistant[];
        /**
         * The actions attached to the file's assistants, plus every transfer action that is this
         * integration's (its name) or escalates to the file's Dixa domain and is attached elsewhere or
         * nowhere; those carry `assistants` (read with include_assistants).
         */
        readonly actions: readonly LiveSynthflowAction[];
    };
    readonly dixa: {
        /** null when it could not be read (the plan does not need it; the checklist does). */
        readonly organization: DixaOrganization | null;
        readonly telephonyEndpoints: readonly DixaTelephonyEndpoint[];
        readonly phoneFlows: readonly DixaPhoneFlow[];
        readonly queues: readonly LiveDixaQueue[];
    };
}

/** An empty account: nothing exists on either side. */
export const EMPTY_LIVE_STATE: LiveState = {
    synthflow: { numbers: [], assistants: [], otherAssistants: [], actions: [] },
    dixa: { organization: null, telephonyEndpoints: [], phoneFlows: [], queues: [] },
};

const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
        key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The live state in a canonical order: collections sorted by their natural keys, sets sorted, list
 * order kept only where it means something (an assistant's actions). Equal accounts give equal output
 * whatever order the APIs returned things in.
 */
export function normaliseLiveState(live: LiveState): LiveState {
    return {
        synthflow: {
            numbers: live.synthflow.numbers.map(n => ({ ...n, assistants: [...n.assistants].sort() })).sort(byKey(n => n.e164)),
            assistants: live.synthflow.assistants.map(a => ({ ...a, poolNumbers: [...a.poolNumbers].sort() })).sort(byKey(a => a.modelId)),
            otherAssistants: live.synthflow.otherAssistants.map(a => ({ ...a, poolNumbers: [...a.poolNumbers].sort() })).sort(byKey(a => a.modelId)),
            actions: live.synthflow.actions.map(a => (a.assistants ? { ...a, assistants: [...a.assistants].sort() } : a)).sort(byKey(a => a.actionId)),
        },
        dixa: {
            organization: live.dixa.organization,
            telephonyEndpoints: live.dixa.telephonyEndpoints.map(e => ({ ...e, functionality: [...e.functionality].sort() })).sort(byKey(e => e.number)),
            phoneFlows: [...live.dixa.phoneFlows].sort(byKey(f => f.id)),
            queues: live.dixa.queues.map(q => ({ ...q, usages: Object.fromEntries(Object.entries(q.usages).map(([k, v]) => [k, [...v].sort()])) })).sort(byKey(q => q.id)),
        },
    };
}

/** Section name → fingerprint (`sha256:` hex), for the stale-plan message. */
export function liveSectionFingerprints(live: LiveState): Record<string, string> {
    const n = normaliseLiveState(live);
    const sections: Record<string, unknown> = {
        'synthflow numbers': n.synthflow.numbers,
        'synthflow assistants': n.synthflow.assistants,
        'synthflow other assistants': n.synthflow.otherAssistants,
        'synthflow actions': n.synthflow.actions,
        'dixa organization': n.dixa.organization,
        'dixa telephony endpoints': n.dixa.telephonyEndpoints,
        'dixa phone flows': n.dixa.phoneFlows,
        'dixa queues': n.dixa.queues,
    };
    return Object.fromEntries(Object.entries(sections).map(([name, value]) => [name, `sha256:${sha256(canonicalJson(value))}`]));
}

/** A stable fingerprint of the whole live state (`sha256:` hex). */
export function fingerprintLiveState(live: LiveState): string {
    return `sha256:${sha256(canonicalJson(liveSectionFingerprints(live)))}`;
}
