/**
 * Synthflow numbers, by E.164: imported as custom SIP numbers when missing, adopted or updated when
 * they differ, never deleted. A number that belongs elsewhere (another provider, another integration,
 * an inbound agent the file does not name) is a conflict, and the department's number is then blocked:
 * no later step attaches it.
 */
import type { DesiredDepartment } from '../model/types.js';
import { parseOwnership } from '../model/ownership.js';
import type { LiveSynthflowNumber } from '../providers/types.js';
import { assistantLabel, UNKNOWN_INBOUND, type PlanContext } from './context.js';
import { planIds } from './ids.js';
import type { FieldChange } from './types.js';

type NumberBase = { id: string; vendor: 'synthflow'; resource: 'number'; key: string; departments: string[] };

export function planNumbers(ctx: PlanContext): void {
    for (const department of ctx.desired.departments) {
        const wanted = department.number;
        const live = ctx.liveNumbers.get(wanted.e164);
        const base: NumberBase = { id: planIds.number(wanted.e164), vendor: 'synthflow', resource: 'number', key: wanted.e164, departments: [department.key] };
        if (!live) {
            planImport(ctx, department, base);
        } else if (!numberConflict(ctx, department, live, base)) {
            planNumberChanges(ctx, department, live, base);
        }
    }
}

function planImport(ctx: PlanContext, department: DesiredDepartment, base: NumberBase): void {
    const wanted = department.number;
    const credentials =
        wanted.trunkUsernameEnv && wanted.trunkPasswordEnv
            ? [
                  { field: 'trunk_username', before: null, after: `env:${wanted.trunkUsernameEnv}` },
                  { field: 'trunk_pwd', before: null, after: `env:${wanted.trunkPasswordEnv}` },
              ]
            : [];
    ctx.numberItem.set(
        department.key,
        ctx.add({
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
        }),
    );
}

/** Adds the conflict and blocks the department's number when the live number is not ours to use; true then. */
function numberConflict(ctx: PlanContext, department: DesiredDepartment, live: LiveSynthflowNumber, base: NumberBase): boolean {
    const wanted = department.number;
    const owner = parseOwnership(live.friendlyName);
    if (live.providerName !== null && live.providerName !== 'custom') {
        ctx.blockedNumbers.add(department.key);
        ctx.add({
            ...base,
            kind: 'conflict',
            summary: `${wanted.e164} is a ${live.providerName} number in Synthflow, not a custom SIP number`,
            detail: `Department ${department.key} needs the Dixa DID imported as a custom SIP number. Release or re-import it in Synthflow → Phone Numbers, or use another DID.`,
        });
        return true;
    }
    if (owner && owner.integration !== ctx.desired.owner) {
        ctx.blockedNumbers.add(department.key);
        ctx.add({
            ...base,
            kind: 'conflict',
            summary: `${wanted.e164} belongs to sipflow integration ${owner.integration} ("${live.friendlyName}")`,
            detail: `Two integrations cannot manage the same number: remove it from integration ${owner.integration} first, or use another DID for department ${department.key}.`,
        });
        return true;
    }
    const holder = ctx.inboundHolder(wanted.e164);
    if (holder === null || ctx.liveAssistants.has(holder)) return false;
    // The number of an inbound agent the file does not name: taking it would silently cut that agent
    // off (and the spec has no call to take it away), so neither adopt nor attach it.
    ctx.blockedNumbers.add(department.key);
    const others = live.assistants.map(a => a.toLowerCase()).filter(a => !ctx.liveAssistants.has(a));
    ctx.add({
        id: planIds.numberAttachment(wanted.e164),
        vendor: 'synthflow',
        resource: 'assistant-numbers',
        kind: 'conflict',
        key: wanted.e164,
        departments: [department.key],
        summary:
            holder === UNKNOWN_INBOUND
                ? `${wanted.e164} is already the number of another inbound assistant (one of ${others.map(a => ctx.labelOf(a)).join(', ') || "the workspace's assistants"})`
                : `${wanted.e164} is already the number of ${assistantLabel(holder, ctx.allAssistants.get(holder))}, an inbound assistant the file does not name`,
        detail: `A number serves one inbound assistant. Give that assistant another number in Synthflow (Agents → its phone number), or give department ${department.key} another DID.`,
    });
    return true;
}

/** A number that is ours (or no one's): its name and termination URI compared, adopted when unmarked. */
function planNumberChanges(ctx: PlanContext, department: DesiredDepartment, live: LiveSynthflowNumber, base: NumberBase): void {
    const wanted = department.number;
    const changes: FieldChange[] = [];
    if (live.friendlyName !== wanted.friendlyName) changes.push({ field: 'friendly_name', before: live.friendlyName, after: wanted.friendlyName });
    if (!sameHost(live.sipTermUri, wanted.terminationUri)) changes.push({ field: 'termination_uri', before: live.sipTermUri, after: wanted.terminationUri });
    if (changes.length === 0) {
        ctx.add({ ...base, kind: 'no-op', summary: `number ${wanted.e164} "${wanted.friendlyName}" matches` });
        return;
    }
    const adopt = parseOwnership(live.friendlyName) === undefined;
    const patch = (field: string) => changes.find(c => c.field === field)?.after as string | undefined;
    ctx.numberItem.set(
        department.key,
        ctx.add({
            ...base,
            kind: adopt ? 'adopt' : 'update',
            summary: adopt ? `adopt number ${wanted.e164} (imported outside sipflow) as "${wanted.friendlyName}"` : `update number ${wanted.e164} "${wanted.friendlyName}"`,
            changes,
            detail: wanted.trunkPasswordEnv ? 'Trunk credentials are write-only in Synthflow: they are sent on import only and cannot be compared.' : null,
            operation: {
                type: 'synthflow.updateNumber',
                e164: wanted.e164,
                friendlyName: patch('friendly_name') ?? null,
                terminationUri: patch('termination_uri') ?? null,
            },
        }),
    );
}

/** A Dixa SIP domain compares case-insensitively; Synthflow may store it with a `sip:` prefix. */
function sameHost(live: string | null, wanted: string): boolean {
    if (live === null) return false;
    return live.replace(/^sips?:/i, '').toLowerCase() === wanted.toLowerCase();
}
