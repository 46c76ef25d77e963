/**
 * Seed data. `demo` matches examples/acme.sipflow: the four Dixa DIDs exist, the two phone flows are on
 * the department DIDs, "Phone – Tier 1" exists and "Phone – Sales" does not (a first apply creates it),
 * the two inbound assistants exist, the support assistant already has a CUSTOM_ACTION attached that
 * sipflow must keep, and none of the example's numbers are imported into Synthflow yet.
 * Every id is fixed, so tests and the demo can refer to them.
 */
import { emptyDixaManual, STATE_VERSION, type DixaAgent, type DixaManualState, type DixaQueueRecord, type SandboxState } from './state.js';

import { SYNTHFLOW_REGION_FACTS, synthflowSipAddress } from '../vendors/synthflow-facts.js';

export type SeedName = 'demo' | 'empty';
export const SEED_NAMES: readonly SeedName[] = ['demo', 'empty'];

export const DEMO = {
    dixa: {
        organizationId: '5d1f7c8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f',
        subdomain: 'acme',
        queues: {
            tier1: 'a7c1e2d3-4f5a-4b6c-8d7e-9f0a1b2c3d01',
            main: 'a7c1e2d3-4f5a-4b6c-8d7e-9f0a1b2c3d02',
            billing: 'a7c1e2d3-4f5a-4b6c-8d7e-9f0a1b2c3d03',
        },
        flows: {
            support: '0f6b2a1c-3d4e-4f5a-8b6c-7d8e9f0a1b01',
            sales: '0f6b2a1c-3d4e-4f5a-8b6c-7d8e9f0a1b02',
            main: '0f6b2a1c-3d4e-4f5a-8b6c-7d8e9f0a1b03',
            email: '0f6b2a1c-3d4e-4f5a-8b6c-7d8e9f0a1b04',
        },
        /** Seven agents and one admin. */
        agentIds: [
            'c0a8e1f2-1111-4a2b-8c3d-000000000001',
            'c0a8e1f2-1111-4a2b-8c3d-000000000002',
            'c0a8e1f2-1111-4a2b-8c3d-000000000003',
            'c0a8e1f2-1111-4a2b-8c3d-000000000004',
            'c0a8e1f2-1111-4a2b-8c3d-000000000005',
            'c0a8e1f2-1111-4a2b-8c3d-000000000006',
            'c0a8e1f2-1111-4a2b-8c3d-000000000007',
            'c0a8e1f2-1111-4a2b-8c3d-000000000008',
        ],
        /** A user who is neither agent nor admin. */
        endUserId: 'e0e0e0e0-2222-4b3c-9d4e-000000000001',
        dids: {
            support: '+4535551234',
            sales: '+4535555678',
            tier1: '+4570101111',
            salesDesk: '+4570102222',
            main: '+4589977790',
            sms: '+4520304050',
        },
    },
    synthflow: {
        workspace: '1738660423280x428309622607052800',
        assistants: {
            support: 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6',
            sales: '0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90',
            uk: '5a9e3c2b-7d1f-4e8a-b6c4-2f0d9e8a7b61',
            outbound: '7c2d4e6f-8a0b-4c1d-9e2f-3a4b5c6d7e81',
            widget: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c91',
        },
        actions: {
            orderLookup: 'f3a1c5e7-0b2d-4f6a-8c9e-1d3b5f7a9c01',
            ukTransfer: 'f3a1c5e7-0b2d-4f6a-8c9e-1d3b5f7a9c02',
            smsFollowUp: 'f3a1c5e7-0b2d-4f6a-8c9e-1d3b5f7a9c03',
        },
        unrelatedNumber: '+441134960123',
        /** In the outbound assistant's pool: the demo's one test caller for `sipflow verify --call`. */
        outboundNumber: '+4532100100',
    },
} as const;

const CREATED = '2025-06-02T08:30:00Z';

export function seedState(seed: SeedName): SandboxState {
    return seed === 'demo' ? demoState() : emptyState();
}

function emptyState(): SandboxState {
    return {
        version: STATE_VERSION,
        dixa: {
            organization: { id: DEMO.dixa.organizationId, name: 'Sandbox Organization', subdomain: DEMO.dixa.subdomain, status: 'Active' },
            contactEndpoints: [],
            flows: [],
            queues: [],
            queueMembers: {},
            agents: [],
            endUserIds: [],
        },
        synthflow: { workspaces: [DEMO.synthflow.workspace], numbers: [], assistants: [], actions: [], calls: [] },
        dixaManual: emptyDixaManual(),
    };
}

function queue(id: string, name: string, extra: Partial<DixaQueueRecord>): DixaQueueRecord {
    return {
        id,
        name,
        isDefault: false,
        organizationId: DEMO.dixa.organizationId,
        queueThresholds: {},
        slaCalculationMethod: 'AbandonedIgnored',
        offerTimeout: 20,
        offeringAlgorithm: 'AgentPriorityOneAtATimeRandom',
        memberListType: 'Default',
        usages: {},
        wrapupTimeout: 30,
        priority: 1,
        offerAbandonedConversations: false,
        doNotOfferTimeouts: {},
        isDoNotOfferEnabled: false,
        isPreferredAgentEnabled: false,
        isRestricted: false,
        callFunctionality: true,
        ...extra,
    };
}

const AGENT_NAMES = ['Anna Jensen', 'Bo Nielsen', 'Clara Hansen', 'Dennis Pedersen', 'Emma Larsen', 'Frederik Sørensen', 'Gitte Rasmussen', 'Henrik Admin'];

// eslint-disable-next-line max-lines-per-function -- seed data, one statement per demo object: splitting it hides the demo
function demoState(): SandboxState {
    const state = emptyState();
    const d = DEMO.dixa;
    state.dixa.organization = { id: d.organizationId, name: 'Acme A/S', subdomain: d.subdomain, status: 'Active' };
    state.dixa.contactEndpoints = [
        { _type: 'TelephonyEndpoint', number: d.dids.support, name: 'Support DK', functionality: ['VoiceInbound', 'VoiceOutbound'] },
        { _type: 'TelephonyEndpoint', number: d.dids.sales, name: 'Sales DK', functionality: ['VoiceInbound', 'VoiceOutbound'] },
        { _type: 'TelephonyEndpoint', number: d.dids.tier1, name: 'Tier 1 escalations', functionality: ['VoiceInbound'] },
        { _type: 'TelephonyEndpoint', number: d.dids.salesDesk, name: 'Sales desk escalations', functionality: ['VoiceInbound'] },
        { _type: 'TelephonyEndpoint', number: d.dids.main, name: 'DK main line', functionality: ['VoiceInbound', 'VoiceOutbound', 'Sms'] },
        { _type: 'TelephonyEndpoint', number: d.dids.sms, name: 'DK SMS', functionality: ['Sms'] },
        { _type: 'EmailEndpoint', address: 'support@acme.dixa.io', name: 'Support email' },
    ];
    state.dixa.flows = [
        { id: d.flows.support, name: 'Support DK', channel: 'PstnPhone', contactEndpointId: d.dids.support },
        { id: d.flows.sales, name: 'Sales DK', channel: 'PstnPhone', contactEndpointId: d.dids.sales },
        { id: d.flows.main, name: 'Main line IVR', channel: 'PstnPhone', contactEndpointId: d.dids.main },
        { id: d.flows.email, name: 'Email triage', channel: 'Email', contactEndpointId: 'support@acme.dixa.io' },
    ];
    state.dixa.queues = [
        queue(d.queues.main, 'Main queue', { isDefault: true, usages: { PstnPhone: [d.dids.main], Email: ['support@acme.dixa.io'] } }),
        // Tier 1 takes its own DID and, as the "Support DK" flow's fallback, the support DID (as Dixa lists it).
        queue(d.queues.tier1, 'Phone – Tier 1', { usages: { PstnPhone: [d.dids.tier1, d.dids.support] } }),
        queue(d.queues.billing, 'Email – Billing', { offeringAlgorithm: 'LongestIdle', callFunctionality: false, usages: {} }),
    ];
    state.dixa.agents = d.agentIds.map((id, i): DixaAgent => {
        const name = AGENT_NAMES[i] ?? `Agent ${i + 1}`;
        const [firstName = name, lastName = ''] = name.split(' ');
        return {
            id,
            createdAt: `2024-0${1 + (i % 9)}-1${i % 10}T09:00:00Z`,
            displayName: name,
            email: `${firstName.toLowerCase()}@acme.example`,
            additionalEmails: [],
            additionalPhoneNumbers: [],
            firstName,
            lastName,
            middleNames: [],
            roles: i === d.agentIds.length - 1 ? ['Admin'] : ['Agent'],
        };
    });
    state.dixa.queueMembers = {
        [d.queues.tier1]: [
            { agentId: d.agentIds[0], priority: 1 },
            { agentId: d.agentIds[1], priority: 2 },
        ],
        [d.queues.main]: d.agentIds.slice(0, 7).map(agentId => ({ agentId, priority: 1 })),
        [d.queues.billing]: [],
    };
    state.dixa.endUserIds = [d.endUserId];

    const s = DEMO.synthflow;
    const agent = (prompt: string, greeting: string, language: string, timezone: string) => ({
        prompt,
        greeting_message: greeting,
        greeting_message_mode: 'agent_static',
        llm: 'gpt-4.1',
        language,
        voice_id: 'sandbox-voice-1',
        timezone,
    });
    const ukSlug = s.unrelatedNumber.slice(1);
    state.synthflow.assistants = [
        {
            model_id: s.assistants.support,
            name: 'Acme DK support front door',
            type: 'inbound',
            is_recording: true,
            agent: agent('You answer Acme support calls in Danish.', 'Hej, du taler med Acmes support.', 'da', 'Europe/Copenhagen'),
            inbound_phone_slug: null,
            phone_number_slugs: [],
            actions: [s.actions.orderLookup],
        },
        {
            model_id: s.assistants.sales,
            name: 'Acme DK sales front door',
            type: 'inbound',
            is_recording: true,
            agent: agent('You answer Acme sales calls in Danish.', 'Hej, du taler med Acmes salg.', 'da', 'Europe/Copenhagen'),
            inbound_phone_slug: null,
            phone_number_slugs: [],
            actions: [],
        },
        {
            model_id: s.assistants.uk,
            name: 'Acme UK support',
            type: 'inbound',
            is_recording: false,
            agent: agent('You answer Acme UK support calls.', 'Hello, this is Acme support.', 'en-US', 'Europe/London'),
            inbound_phone_slug: ukSlug,
            phone_number_slugs: [],
            actions: [s.actions.ukTransfer],
        },
        {
            model_id: s.assistants.outbound,
            name: 'Acme renewal reminders',
            type: 'outbound',
            is_recording: false,
            agent: agent('You remind customers about renewals.', 'Hi, this is Acme calling.', 'en-US', 'Europe/Berlin'),
            inbound_phone_slug: null,
            phone_number_slugs: [s.outboundNumber.slice(1)],
            actions: [s.actions.smsFollowUp],
        },
        {
            model_id: s.assistants.widget,
            name: 'Website chat voice widget',
            type: 'widget',
            is_recording: false,
            agent: agent('You help website visitors.', 'Hi! How can I help?', 'en-US', 'Europe/Berlin'),
            inbound_phone_slug: null,
            phone_number_slugs: [],
            actions: [],
        },
    ];
    state.synthflow.actions = [
        {
            action_id: s.actions.orderLookup,
            action_type: 'CUSTOM_ACTION',
            name: 'Look up order status',
            description: 'Fetches the order status from the shop backend',
            config: {
                http_mode: 'GET',
                url: 'https://shop.acme.example/api/orders/status',
                name: 'Look up order status',
                speech_while_using_the_tool: 'Let me check that for you.',
                variables_during_the_call: [{ name: 'order_number', type: 'string' }],
            },
            created_at: CREATED,
            updated_at: null,
        },
        {
            action_id: s.actions.ukTransfer,
            action_type: 'LIVE_TRANSFER',
            name: 'Transfer to UK front desk',
            description: '',
            config: {
                transfer_mode: 'cold_transfer',
                phone: '+441134960000',
                instructions: 'The caller asks for a human',
                initiating_msg: 'Transferring you now.',
                timeout: 30,
            },
            created_at: CREATED,
            updated_at: null,
        },
        {
            action_id: s.actions.smsFollowUp,
            action_type: 'SEND_SMS',
            name: 'Send renewal link',
            description: '',
            config: { content: 'Renew here: https://acme.example/renew', instructions: 'When the customer agrees to renew' },
            created_at: CREATED,
            updated_at: null,
        },
    ];
    state.synthflow.numbers = [
        {
            key: '2b7e9d4c-6a1f-4c3e-8d2b-5f0a9e7c3b11',
            slug: ukSlug,
            phone_number: s.unrelatedNumber,
            friendly_name: 'UK support line',
            provider_name: 'custom',
            sip_term_uri: 'pbx.acme.co.uk',
            trunk_username: null,
            trunk_pwd_sha256: null,
            sip_auth_username: null,
            sip_outbound_proxy: null,
            uac_enabled: false,
            uac_register_expires: null,
            region: 'eu',
            workspace_id: s.workspace,
            created_at: CREATED,
            updated_at: null,
        },
        {
            key: '2b7e9d4c-6a1f-4c3e-8d2b-5f0a9e7c3b12',
            slug: s.outboundNumber.slice(1),
            phone_number: s.outboundNumber,
            friendly_name: 'Renewal reminders caller id',
            provider_name: 'twilio',
            sip_term_uri: 'acme.pstn.twilio.com',
            trunk_username: null,
            trunk_pwd_sha256: null,
            sip_auth_username: null,
            sip_outbound_proxy: null,
            uac_enabled: false,
            uac_register_expires: null,
            region: 'eu',
            workspace_id: s.workspace,
            created_at: CREATED,
            updated_at: null,
        },
    ];
    return state;
}

/**
 * Every manual Dixa step of examples/acme.sipflow done, for `--dixa-manual done`: the eu signalling IPs
 * allowlisted, both flows' Transfer steps as the checklist gives them, both queue DIDs routed.
 * ("Phone – Sales" is routed by name: the first apply creates the queue.)
 */
export function demoDixaManual(): DixaManualState {
    const d = DEMO.dixa.dids;
    const step = (did: string, fallbackQueue: string) => ({ sipAddress: synthflowSipAddress(did, 'eu'), uuiHeader: 'phone_number={caller}', timeoutSeconds: 30, fallbackQueue });
    return {
        allowlist: [...SYNTHFLOW_REGION_FACTS.eu.signallingIps],
        transferSteps: { [d.support]: step(d.support, 'Phone – Tier 1'), [d.sales]: step(d.sales, 'Phone – Sales') },
        queueRouting: { 'Phone – Tier 1': [d.tier1], 'Phone – Sales': [d.salesDesk] },
    };
}
