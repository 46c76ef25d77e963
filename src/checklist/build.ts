import type { DesiredDepartment, DesiredQueue, DesiredState } from '../model/types.js';
import { compareOrganization } from '../apply/account-guard.js';
import { formatDuration } from '../language/values/durations.js';
import {
    synthflowHeaderVariable,
    SYNTHFLOW_CODECS,
    SYNTHFLOW_REGION_FACTS,
    SYNTHFLOW_REGISTRATION_WAIT,
    SYNTHFLOW_RTP_PORTS,
    SYNTHFLOW_SIP_PORT,
    SYNTHFLOW_SIP_TLS_PORT,
} from '../vendors/synthflow-facts.js';
import type { Checklist, ChecklistItem, ChecklistStatus, DixaEvidence } from './types.js';

type Check = Pick<ChecklistItem, 'status' | 'detail'>;

const UNVERIFIABLE_FLOW_STEPS = 'Dixa exposes no API for flow steps: confirm in the flow builder, then make a test call.';
/** What Synthflow documents it reads from the forwarded INVITE (pass-call-context, sip-x-headers-in-prompts). */
const CALLER_NUMBER_NOTE =
    "Synthflow gives the assistant the INVITE's caller ID as {user_phone_number} and every inbound X-… header as a variable {X-…}; no Synthflow page says it reads the User-to-User header, so the UUI line (from the Dixa guide) is kept but unverified.";
const RTP_RANGE = `${SYNTHFLOW_RTP_PORTS.protocol} ${SYNTHFLOW_RTP_PORTS.first}–${SYNTHFLOW_RTP_PORTS.last}`;

/**
 * Builds the checklist for a desired state and verifies every item that can be verified from the
 * evidence. Pure: reading the evidence is the caller's job (see `readDixaEvidence`).
 */
export function buildChecklist(desired: DesiredState, evidence: DixaEvidence = {}): Checklist {
    const queuesByKey = new Map(desired.queues.map(queue => [queue.key, queue]));
    const items: ChecklistItem[] = [
        ...accountItems(desired, evidence),
        ...desired.departments.flatMap(department =>
            departmentItems(desired, department, department.fallbackQueue ? queuesByKey.get(department.fallbackQueue) : undefined, evidence),
        ),
        ...desired.queues.map(queue => queueItem(queue, evidence)),
        ...synthflowItems(desired, evidence),
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
            values: [
                ...desired.dixa.allowlist.ips.map(ip => ({ label: 'IP', value: ip })),
                { label: 'Admits', value: "Synthflow's escalation INVITEs to the queue DIDs, and its in-dialog requests (BYE, re-INVITE) on calls Dixa forwarded to Synthflow" },
            ],
            status: 'unverifiable',
            detail: `The allowlist has no API. Dixa's forward INVITE to ${region.sipHost} does not pass through it, so a test call that never escalates does not prove it: make a test call that escalates to a Dixa queue, and one the assistant hangs up.`,
        },
        {
            id: 'dixa.media',
            section: 'Dixa account',
            title: `Let RTP media flow between Dixa and Synthflow's ${desired.synthflow.region} media IPs on ${RTP_RANGE}, next to the signalling IPs above.`,
            where: 'Dixa → Settings → Phone → SIP Settings (ask Dixa support if media is restricted), and any firewall in between',
            values: [...region.mediaIps.map(ip => ({ label: 'Media IP', value: ip })), { label: 'RTP ports', value: RTP_RANGE }],
            status: 'unverifiable',
            detail: `Media has no API: a test call with audio both ways proves it (silence or one-way audio means RTP is blocked).${desired.synthflow.region === 'us' ? ' US workspaces also need the LATAM media IPs listed on docs.synthflow.ai/connect-over-sip.' : ''}`,
        },
    ];
}

function checkSipDomain(desired: DesiredState, evidence: DixaEvidence): Check {
    const organization = evidence.organization;
    if (organization === undefined) return { status: 'not-checked', detail: 'Dixa was not read.' };
    if (organization === null) return { status: 'failed', detail: 'The Dixa organization could not be read.' };
    // The account guard's rule: the `organization` setting when written, else the sip-domain's {company}.
    const expected = desired.dixa.organization;
    if (expected === null) {
        return {
            status: 'failed',
            detail: `${desired.dixa.sipDomain} does not have the {company}.sip.dixa.com form: write dixa { organization "…" } with the Dixa organization's subdomain.`,
        };
    }
    if (compareOrganization(expected, organization) === 'match') {
        return {
            status: 'verified',
            detail: `The Dixa organization's subdomain is "${organization.subdomain}"${expected.from === 'file' ? ", as the file's organization setting says" : ''}.`,
        };
    }
    return {
        status: 'failed',
        detail: `The Dixa organization's subdomain is "${organization.subdomain}", not "${expected.subdomain}" (${expected.from === 'file' ? "the file's organization setting" : "the sip-domain's company"}): these keys reach another organization. If SIP Settings shows ${desired.dixa.sipDomain} and the organization is right, write dixa { organization "${organization.subdomain}" }.`,
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
            values: department.flow
                ? [
                      { label: 'Flow', value: department.flow },
                      { label: 'DID', value: department.did },
                  ]
                : [{ label: 'DID', value: department.did }],
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
                ...department.headers.map(header => ({ label: 'SIP header', value: `${header.name}: ${header.value}` })),
                { label: 'Caller number in Synthflow', value: '{user_phone_number} (the caller ID Dixa sends)' },
                ...department.headers.map(header => ({ label: `${header.name} in Synthflow`, value: synthflowHeaderVariable(header.name) })),
            ],
            status: 'unverifiable',
            detail: `${UNVERIFIABLE_FLOW_STEPS} ${CALLER_NUMBER_NOTE}`,
        },
        ...(fallback
            ? [
                  {
                      id: `${prefix}.fallback`,
                      section,
                      title: `Check that calls to ${department.did} fall back to the queue "${fallback.name}".`,
                      where: 'Dixa → Flows → Phone Flows → flow builder → Transfer → fallback',
                      values: [{ label: 'Queue', value: fallback.name }],
                      ...checkQueueUsage(fallback.name, department.did, evidence),
                  } satisfies ChecklistItem,
              ]
            : []),
    ];
}

function queueItem(queue: DesiredQueue, evidence: DixaEvidence): ChecklistItem {
    return {
        id: `queue.${queue.key}.did`,
        section: `Queue ${queue.key} (${queue.name})`,
        title: `Map the DID ${queue.did} to the ${queue.kind === 'ring-group' ? 'ring group' : 'queue'} "${queue.name}", so that escalations to ${queue.escalationUri} reach its agents.`,
        where: 'Dixa → Settings → Phone → Numbers → number → routing',
        values: [
            { label: 'DID', value: queue.did },
            { label: 'Queue', value: queue.name },
            { label: 'Escalation URI', value: queue.escalationUri },
        ],
        ...combine(checkInboundNumber(queue.did, evidence), checkQueueUsage(queue.name, queue.did, evidence)),
    };
}

function synthflowItems(desired: DesiredState, evidence: DixaEvidence): ChecklistItem[] {
    const assistants = [...new Set(desired.departments.map(d => d.assistantId))];
    if (assistants.length === 0) return [];
    const host = desired.synthflow.sipHost;
    return [
        {
            id: 'synthflow.enterprise-plan',
            section: 'Synthflow',
            title: 'Make sure the Synthflow workspace is on the Enterprise plan, with custom SIP number import enabled.',
            where: 'Synthflow account manager / support',
            values: [{ label: 'Workspace', value: desired.synthflow.workspace }],
            status: 'unverifiable',
            detail: "SIP trunking and custom number import need Synthflow's Enterprise plan; the API cannot read the plan. A 403 on number import (POST /custom-numbers) means import is not enabled: ask Synthflow to enable provider import.",
        },
        {
            id: 'synthflow.transport',
            section: 'Synthflow',
            title: `Point Dixa's transfer step at ${host} over SIP UDP or TCP on port ${SYNTHFLOW_SIP_PORT}; TLS on port ${SYNTHFLOW_SIP_TLS_PORT} is an option.`,
            where: 'Dixa → Flows → Phone Flows → flow builder → Transfer (SIP address)',
            values: [
                { label: 'SIP (UDP/TCP)', value: `${host}:${SYNTHFLOW_SIP_PORT}` },
                { label: 'SIP over TLS (optional)', value: `${host}:${SYNTHFLOW_SIP_TLS_PORT}` },
            ],
            status: 'unverifiable',
            detail: 'Transport is a trunk-side setting: Synthflow numbers have no transport field. Use the hostname, not its IPs (Synthflow fails over between them).',
        },
        {
            id: 'synthflow.codecs',
            section: 'Synthflow',
            title: `Offer ${SYNTHFLOW_CODECS.recommended.join(' or ')} on the Dixa trunk (start with G.711).`,
            where: 'Dixa SIP trunk settings (ask Dixa support)',
            values: [
                ...SYNTHFLOW_CODECS.recommended.map(codec => ({ label: 'Codec', value: codec })),
                { label: 'Also supported', value: SYNTHFLOW_CODECS.alsoSupported.join(', ') },
            ],
            status: 'unverifiable',
            detail: 'Codecs are negotiated per call and cannot be read through either API; a test call with clear audio both ways proves them.',
        },
        registrationItem(desired),
        ...desired.departments.map(
            department =>
                ({
                    id: `synthflow.${department.key}.attached`,
                    section: 'Synthflow',
                    title: `After apply attaches ${department.did} to its assistant, wait ${SYNTHFLOW_REGISTRATION_WAIT} before the first test call: Synthflow creates the SIP trunk when the number is attached.`,
                    where: 'Synthflow → Phone Numbers → number → assistant',
                    values: [
                        { label: 'DID', value: department.did },
                        { label: 'Assistant', value: department.assistantId },
                    ],
                    ...checkAttached(department.did, department.assistantId, evidence),
                }) satisfies ChecklistItem,
        ),
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

/** `uac_enabled`: sipflow imports numbers without it, so Synthflow never REGISTERs with Dixa. */
function registrationItem(desired: DesiredState): ChecklistItem {
    const auth = desired.synthflow.trunkAuth;
    const common = {
        id: 'synthflow.uac',
        section: 'Synthflow',
        where: 'Synthflow → Phone Numbers → number → SIP settings (uac_enabled)',
        status: 'unverifiable',
    } as const;
    if (auth.kind === 'ip') {
        return {
            ...common,
            title: 'Leave SIP registration (uac_enabled) off: Dixa admits Synthflow by its IPs.',
            values: [{ label: 'uac_enabled', value: 'false' }],
            detail: 'Without uac_enabled Synthflow does not REGISTER; with IP authentication no credentials are sent. sipflow does not manage uac_enabled, so check it was not switched on in the UI.',
        };
    }
    return {
        ...common,
        title: 'Decide whether Dixa needs Synthflow to REGISTER: sipflow imports the number with trunk credentials but uac_enabled off.',
        values: [
            { label: 'uac_enabled', value: "false (sipflow's import)" },
            { label: 'Trunk username', value: `env:${auth.usernameEnv}` },
        ],
        detail: "Without uac_enabled Synthflow does not REGISTER, and the trunk credentials are presumably only used to answer Dixa's digest challenges (Synthflow does not document this). If Dixa requires registration, switch uac_enabled on for the number in Synthflow (it needs the username and password).",
    };
}

/** The number is attached once Synthflow lists the assistant on it and it is no longer available. */
function checkAttached(did: string, assistantId: string, evidence: DixaEvidence): Check {
    if (evidence.synthflowNumbers === undefined) return { status: 'not-checked', detail: 'Synthflow was not read.' };
    const number = evidence.synthflowNumbers.find(n => n.e164 === did);
    if (!number) return { status: 'failed', detail: `${did} is not a number of this Synthflow workspace yet (apply imports it).` };
    if (!number.assistants.includes(assistantId)) {
        return { status: 'failed', detail: `${did} is not attached to the assistant ${assistantId} yet (apply attaches it).` };
    }
    if (number.isAvailable === true) {
        return {
            status: 'failed',
            detail: `Synthflow lists ${assistantId} on ${did} but still reports the number as available (is_available): it is not an inbound agent's number yet.`,
        };
    }
    return {
        status: 'verified',
        detail: `Synthflow reports ${did} attached to ${assistantId}${number.isAvailable === false ? ' (is_available: false)' : ''}. Allow ${SYNTHFLOW_REGISTRATION_WAIT} after attaching: the trunk is ready then, which no API reports.`,
    };
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
