import type { DesiredDepartment, DesiredQueue, DesiredState } from '../model/types.js';
import { formatDuration } from '../language/values/misc.js';
import { SYNTHFLOW_REGION_FACTS } from '../vendors/synthflow-facts.js';
import type { Checklist, ChecklistItem, ChecklistStatus, DixaEvidence } from './types.js';

type Check = Pick<ChecklistItem, 'status' | 'detail'>;

const UNVERIFIABLE_FLOW_STEPS = 'Dixa exposes no API for flow steps: confirm in the flow builder, then make a test call.';

/**
 * Builds the checklist for a desired state and verifies every item that can be verified from the
 * evidence. Pure: reading the evidence is the caller's job (see `readDixaEvidence`).
 */
export function buildChecklist(desired: DesiredState, evidence: DixaEvidence = {}): Checklist {
    const queuesByKey = new Map(desired.queues.map(queue => [queue.key, queue]));
    const items: ChecklistItem[] = [
        ...accountItems(desired, evidence),
        ...desired.departments.flatMap(department => departmentItems(desired, department, department.fallbackQueue ? queuesByKey.get(department.fallbackQueue) : undefined, evidence)),
        ...desired.queues.map(queue => queueItem(queue, evidence)),
        ...synthflowItems(desired),
    ];
    const counts: Record<ChecklistStatus, number> = { verified: 0, failed: 0, unverifiable: 0, 'not-checked': 0 };
    for (const item of items) counts[item.status]++;
    return { integration: desired.integration, items, counts };
}

function accountItems(desired: DesiredState, evidence: DixaEvidence): ChecklistItem[] {
    const region = SYNTHFLOW_REGION_FACTS[desired.synthflow.region];
    return [
        {
            id: 'dixa.sip-enabled',
            section: 'Dixa account',
            title: 'Make sure telephony and SIP forwarding are enabled on the Dixa account.',
            where: 'Dixa support (account setting)',
            values: [],
            status: 'unverifiable',
            detail: 'Account features are not exposed by the Dixa API.',
        },
        {
            id: 'dixa.sip-domain',
            section: 'Dixa account',
            title: 'Check that the Dixa SIP domain is the one in the file.',
            where: 'Dixa → Settings → Phone → SIP Settings',
            values: [{ label: 'SIP domain', value: desired.dixa.sipDomain }],
            ...checkSipDomain(desired, evidence),
        },
        {
            id: 'dixa.allowlist',
            section: 'Dixa account',
            title: `Add Synthflow's ${desired.synthflow.region} signalling IPs to the inbound SIP IP allowlist.`,
            where: 'Dixa → Settings → Phone → SIP Settings → IP Allowlist',
            values: desired.dixa.allowlist.ips.map(ip => ({ label: 'IP', value: ip })),
            status: 'unverifiable',
            detail: `The allowlist has no API; a test call to a department DID proves it (Synthflow signals from ${region.sipHost}).`,
        },
    ];
}

function checkSipDomain(desired: DesiredState, evidence: DixaEvidence): Check {
    const organization = evidence.organization;
    if (organization === undefined) return { status: 'not-checked', detail: 'Dixa was not read.' };
    if (organization === null) return { status: 'failed', detail: 'The Dixa organization could not be read.' };
    if (desired.dixa.company === null) {
        return { status: 'failed', detail: `${desired.dixa.sipDomain} does not have the {company}.sip.dixa.com form.` };
    }
    if (organization.subdomain.toLowerCase() === desired.dixa.company) {
        return { status: 'verified', detail: `The Dixa organization's subdomain is "${organization.subdomain}".` };
    }
    return {
        status: 'failed',
        detail: `The Dixa organization's subdomain is "${organization.subdomain}", not "${desired.dixa.company}". The subdomain is only a hint: if SIP Settings shows ${desired.dixa.sipDomain}, the file is right.`,
    };
}

function departmentItems(desired: DesiredState, department: DesiredDepartment, fallback: DesiredQueue | undefined, evidence: DixaEvidence): ChecklistItem[] {
    const section = `Department ${department.key} (${department.did})`;
    const prefix = `department.${department.key}`;
    return [
        {
            id: `${prefix}.did`,
            section,
            title: `Make sure the DID ${department.did} is a Dixa number that receives calls.`,
            where: 'Dixa → Settings → Phone → Numbers',
            values: [{ label: 'DID', value: department.did }],
            ...checkInboundNumber(department.did, evidence),
        },
        {
            id: `${prefix}.flow`,
            section,
            title: department.flow
                ? `Assign the phone flow "${department.flow}" to ${department.did}.`
                : `Assign a phone flow to ${department.did} (name it in the file with flow "…" to have it verified).`,
            where: 'Dixa → Flows → Phone Flows',
            values: department.flow ? [{ label: 'Flow', value: department.flow }, { label: 'DID', value: department.did }] : [{ label: 'DID', value: department.did }],
            ...checkFlow(department, evidence),
        },
        {
            id: `${prefix}.transfer-step`,
            section,
            title: 'In that flow, add a Transfer step to Synthflow with these settings, then save and activate the flow.',
            where: 'Dixa → Flows → Phone Flows → flow builder → Transfer',
            values: [
                { label: 'SIP address', value: department.transferSipAddress },
                { label: 'UUI header', value: department.uui.header },
                { label: 'Timeout', value: formatDuration(department.timeoutSeconds) },
                { label: 'Fallback queue', value: fallback ? fallback.name : '(none declared)' },
            ],
            status: 'unverifiable',
            detail: UNVERIFIABLE_FLOW_STEPS,
        },
        ...(fallback
            ? [{
                id: `${prefix}.fallback`,
                section,
                title: `Check that calls to ${department.did} fall back to the queue "${fallback.name}".`,
                where: 'Dixa → Flows → Phone Flows → flow builder → Transfer → fallback',
                values: [{ label: 'Queue', value: fallback.name }],
                ...checkQueueUsage(fallback.name, department.did, evidence),
            } satisfies ChecklistItem]
            : []),
    ];
}

function queueItem(queue: DesiredQueue, evidence: DixaEvidence): ChecklistItem {
    return {
        id: `queue.${queue.key}.did`,
        section: `Queue ${queue.key} (${queue.name})`,
        title: `Map the DID ${queue.did} to the ${queue.kind === 'ring-group' ? 'ring group' : 'queue'} "${queue.name}", so that escalations to ${queue.escalationUri} reach its agents.`,
        where: 'Dixa → Settings → Phone → Numbers → number → routing',
        values: [{ label: 'DID', value: queue.did }, { label: 'Queue', value: queue.name }, { label: 'Escalation URI', value: queue.escalationUri }],
        ...combine(checkInboundNumber(queue.did, evidence), checkQueueUsage(queue.name, queue.did, evidence)),
    };
}

function synthflowItems(desired: DesiredState): ChecklistItem[] {
    const assistants = [...new Set(desired.departments.map(d => d.assistantId))];
    if (assistants.length === 0) return [];
    return [
        {
            id: 'synthflow.assistant-version',
            section: 'Synthflow',
            title: 'Make sure each assistant is a v2.0 (or later) agent.',
            where: 'Synthflow → Agents → agent → settings',
            values: assistants.map(id => ({ label: 'Assistant', value: id })),
            status: 'unverifiable',
            detail: 'The agent version cannot be read through the Synthflow API.',
        },
    ];
}

function checkInboundNumber(did: string, evidence: DixaEvidence): Check {
    if (evidence.telephonyEndpoints === undefined) return { status: 'not-checked', detail: 'Dixa was not read.' };
    const endpoint = evidence.telephonyEndpoints.find(e => e.number === did);
    if (!endpoint) return { status: 'failed', detail: `${did} is not a phone number of this Dixa organization.` };
    if (!endpoint.functionality.includes('VoiceInbound')) {
        return { status: 'failed', detail: `${did} exists but cannot receive calls (functionality: ${endpoint.functionality.join(', ') || 'none'}).` };
    }
    return { status: 'verified', detail: `${did} exists with inbound voice${endpoint.name ? ` ("${endpoint.name}")` : ''}.` };
}

function checkFlow(department: DesiredDepartment, evidence: DixaEvidence): Check {
    if (evidence.phoneFlows === undefined) return { status: 'not-checked', detail: 'Dixa was not read.' };
    const onDid = evidence.phoneFlows.filter(flow => flow.contactEndpointId === department.did);
    if (onDid.length === 0) return { status: 'failed', detail: `No phone flow is assigned to ${department.did}.` };
    if (department.flow === null) return { status: 'verified', detail: `Phone flow "${onDid[0].name}" is assigned to ${department.did}.` };
    if (onDid.some(flow => flow.name === department.flow)) {
        return { status: 'verified', detail: `Phone flow "${department.flow}" is assigned to ${department.did}.` };
    }
    return { status: 'failed', detail: `${department.did} runs the flow "${onDid[0].name}", not "${department.flow}".` };
}

function checkQueueUsage(queueName: string, did: string, evidence: DixaEvidence): Check {
    if (evidence.queues === undefined) return { status: 'not-checked', detail: 'Dixa was not read.' };
    const queue = evidence.queues.find(q => q.name === queueName);
    if (!queue) return { status: 'failed', detail: `Dixa has no queue named "${queueName}" yet (apply creates it).` };
    const phoneUsages = queue.usages.PstnPhone ?? [];
    if (phoneUsages.includes(did)) return { status: 'verified', detail: `Dixa routes ${did} into "${queueName}".` };
    return {
        status: 'failed',
        detail: `Dixa does not route ${did} into "${queueName}" (its phone usages: ${phoneUsages.join(', ') || 'none'}).`,
    };
}

/** Both checks must pass; the first failing or unchecked one explains the result. */
function combine(first: Check, second: Check): Check {
    if (first.status !== 'verified') return first;
    if (second.status !== 'verified') return second;
    return { status: 'verified', detail: `${first.detail} ${second.detail}` };
}
