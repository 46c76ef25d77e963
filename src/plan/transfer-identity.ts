/**
 * How a live transfer action is recognised as one of the file's escalations, using only what the spec
 * documents and the API returns: its read-back target (`phone`), and the name sipflow gave it — unique
 * to integration, department and target — where the API keeps names ([I], `sipflow doctor` checks).
 */
import { parseSipUri } from '../language/values/network.js';
import type { DesiredEscalation } from '../model/types.js';
import type { LiveSynthflowAction } from '../providers/types.js';

/** True when the SIP URI's host is the Dixa SIP domain (compared case-insensitively). */
export function isOnSipDomain(target: string, sipDomain: string): boolean {
    const parsed = parseSipUri(target.trim());
    return parsed.ok && parsed.uri.host.toLowerCase() === sipDomain.toLowerCase();
}

/**
 * `target`: the action's read-back phone is the escalation's target. `name`: its configuration cannot be
 * read back, but it carries the escalation's exact name. undefined: neither.
 */
export function matchEscalation(action: LiveSynthflowAction, escalation: DesiredEscalation): 'target' | 'name' | undefined {
    if (action.actionType !== 'LIVE_TRANSFER') return undefined;
    if (action.liveTransfer) return action.liveTransfer.phone === escalation.target ? 'target' : undefined;
    // [I] assumption: live-transfer-name-kept
    return action.name === escalation.actionName ? 'name' : undefined;
}
