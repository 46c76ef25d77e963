import type { LiveState } from '../../src/plan/index.js';
import type { LiveSynthflowAction, LiveSynthflowAssistant, LiveSynthflowNumber } from '../../src/providers/types.js';

export const IDS = {
    support: 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6',
    sales: '0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90',
    uk: '5a9e3c2b-7d1f-4e8a-b6c4-2f0d9e8a7b61',
    orderLookup: 'f3a1c5e7-0b2d-4f6a-8c9e-1d3b5f7a9c01',
    tier1Queue: 'a7c1e2d3-4f5a-4b6c-8d7e-9f0a1b2c3d01',
    mainQueue: 'a7c1e2d3-4f5a-4b6c-8d7e-9f0a1b2c3d02',
} as const;

export const TIER1_URI = 'sip:+4570101111@acme.sip.dixa.com';
export const SALES_URI = 'sip:+4570102222@acme.sip.dixa.com';

export function assistant(modelId: string, name: string, extra: Partial<LiveSynthflowAssistant> = {}): LiveSynthflowAssistant {
    return { modelId, name, type: 'inbound', phoneNumber: null, poolNumbers: [], actionIds: [], ...extra };
}

export function number(e164: string, extra: Partial<LiveSynthflowNumber> = {}): LiveSynthflowNumber {
    return {
        e164,
        slug: e164.slice(1),
        friendlyName: null,
        providerName: 'custom',
        sipTermUri: 'acme.sip.dixa.com',
        sipAuthUsername: null,
        assistants: [],
        isAvailable: true,
        ...extra,
    };
}

export const ORDER_LOOKUP: LiveSynthflowAction = { actionId: IDS.orderLookup, actionType: 'CUSTOM_ACTION', name: 'Order lookup' };

/** Like the sandbox's demo seed: assistants exist, Tier 1 exists, Sales does not, a foreign action on support. */
export function demoLive(): LiveState {
    return {
        synthflow: {
            numbers: [],
            assistants: [assistant(IDS.support, 'Acme DK front door', { actionIds: [IDS.orderLookup] }), assistant(IDS.sales, 'Acme DK sales')],
            otherAssistants: [],
            actions: [ORDER_LOOKUP],
        },
        dixa: {
            organization: { id: 'org', name: 'Acme A/S', subdomain: 'acme' },
            telephonyEndpoints: [
                { number: '+4535551234', name: 'Support DK', functionality: ['VoiceInbound', 'VoiceOutbound'] },
                { number: '+4535555678', name: 'Sales DK', functionality: ['VoiceInbound', 'VoiceOutbound'] },
            ],
            phoneFlows: [{ id: 'flow-1', name: 'Support DK', contactEndpointId: '+4535551234' }],
            queues: [
                { id: IDS.mainQueue, name: 'Main queue', offeringAlgorithm: 'AgentPriorityOneAtATimeRandom', usages: {} },
                { id: IDS.tier1Queue, name: 'Phone – Tier 1', offeringAlgorithm: 'AgentPriorityOneAtATimeRandom', usages: { PstnPhone: ['+4570101111'] } },
            ],
        },
    };
}

/** The live state after a complete apply of the example onto demoLive(). */
export function convergedLive(): LiveState {
    const base = demoLive();
    return {
        synthflow: {
            numbers: [
                number('+4535551234', { friendlyName: 'sipflow:acme/support', assistants: [IDS.support], isAvailable: false }),
                number('+4535555678', { friendlyName: 'sipflow:acme/sales', assistants: [IDS.sales], isAvailable: false }),
            ],
            assistants: [
                assistant(IDS.support, 'Acme DK front door', { phoneNumber: '+4535551234', actionIds: [IDS.orderLookup, 'act-support'] }),
                assistant(IDS.sales, 'Acme DK sales', { phoneNumber: '+4535555678', actionIds: ['act-sales'] }),
            ],
            otherAssistants: [],
            actions: [
                ORDER_LOOKUP,
                {
                    actionId: 'act-support',
                    actionType: 'LIVE_TRANSFER',
                    name: 'sipflow:acme/support escalate tier1',
                    liveTransfer: {
                        transferMode: 'warm_transfer',
                        phone: TIER1_URI,
                        instructions: 'The caller asks for a human, or the problem cannot be solved',
                        initiatingMsg: 'One moment, I am putting you through to a colleague.',
                    },
                },
                {
                    actionId: 'act-sales',
                    actionType: 'LIVE_TRANSFER',
                    name: 'sipflow:acme/sales escalate sales_desk',
                    liveTransfer: {
                        transferMode: 'warm_transfer',
                        phone: SALES_URI,
                        instructions: 'The caller asks to speak to a human, or the assistant cannot resolve the request',
                        initiatingMsg: 'One moment, I am transferring you to a colleague.',
                    },
                },
            ],
        },
        dixa: {
            ...base.dixa,
            queues: [...base.dixa.queues, { id: 'q-sales', name: 'Phone – Sales', offeringAlgorithm: 'AllAtOnce', usages: {} }],
        },
    };
}

/**
 * The converged live state with a conflict (the support DID held by an assistant the file does not name,
 * UK support) and an orphan (an old transfer action on the sales assistant).
 */
export function conflictingLive(): LiveState {
    const base = convergedLive();
    return {
        ...base,
        synthflow: {
            ...base.synthflow,
            numbers: [number('+4535551234', { friendlyName: 'UK line', assistants: [IDS.uk], isAvailable: false }), base.synthflow.numbers[1]!],
            assistants: base.synthflow.assistants.map(a =>
                a.modelId === IDS.support ? { ...a, phoneNumber: null } : a.modelId === IDS.sales ? { ...a, actionIds: [...a.actionIds, 'act-old'] } : a,
            ),
            otherAssistants: [assistant(IDS.uk, 'Acme UK support', { phoneNumber: '+4535551234' })],
            actions: [
                ...base.synthflow.actions,
                {
                    actionId: 'act-old',
                    actionType: 'LIVE_TRANSFER',
                    name: 'sipflow:acme/sales escalate old',
                    liveTransfer: { transferMode: 'warm_transfer', phone: 'sip:+4570109999@acme.sip.dixa.com', instructions: 'i', initiatingMsg: 'm' },
                },
            ],
        },
    };
}
