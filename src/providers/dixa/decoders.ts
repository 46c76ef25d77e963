/**
 * Dixa response shapes → the provider types. Each decoder checks what it reads: a body without the
 * promised shape becomes an invalid-response ProviderError through `invalid`.
 */
import { expectObject, expectString, isObject, optionalString, stringArray, type InvalidResponse } from '../http/shape.js';
import type { DixaOrganization, DixaPhoneFlow, DixaTelephonyEndpoint, LiveDixaQueue } from '../types.js';

export interface DixaAgent {
    readonly id: string;
    readonly displayName: string;
    readonly email: string;
    readonly roles: readonly string[];
}

export interface DixaQueueMember {
    readonly agentId: string;
    readonly priority: number | null;
}

export function toQueue(value: unknown, invalid: InvalidResponse): LiveDixaQueue {
    const q = expectObject(value, 'a queue', invalid);
    const usagesOuter = q['usages'];
    const usagesMap = isObject(usagesOuter) && isObject(usagesOuter['usages']) ? usagesOuter['usages'] : {};
    const usages: Record<string, readonly string[]> = {};
    for (const [channel, ids] of Object.entries(usagesMap)) usages[channel] = stringArray(ids);
    return {
        id: expectString(q['id'], 'queue `id`', invalid),
        name: expectString(q['name'], 'queue `name`', invalid),
        offeringAlgorithm: optionalString(q['offeringAlgorithm']),
        usages,
    };
}

/** A telephony endpoint, or undefined for another kind of contact endpoint. */
export function toEndpoint(value: unknown): DixaTelephonyEndpoint | undefined {
    if (!isObject(value) || typeof value['number'] !== 'string') return undefined;
    if (value['_type'] !== undefined && value['_type'] !== 'TelephonyEndpoint') return undefined;
    return { number: value['number'], name: optionalString(value['name']), functionality: stringArray(value['functionality']) };
}

export function toOrganization(value: unknown, invalid: InvalidResponse): DixaOrganization {
    const org = expectObject(value, '`data`', invalid);
    return {
        id: expectString(org['id'], '`id`', invalid),
        name: expectString(org['name'], '`name`', invalid),
        subdomain: expectString(org['subdomain'], '`subdomain`', invalid),
    };
}

/** A phone flow, or undefined for a flow of another channel. */
export function toPhoneFlow(value: unknown, invalid: InvalidResponse): DixaPhoneFlow | undefined {
    const f = expectObject(value, 'a flow', invalid);
    if (f['channel'] !== undefined && f['channel'] !== 'PstnPhone') return undefined;
    return {
        id: expectString(f['id'], 'flow `id`', invalid),
        name: expectString(f['name'], 'flow `name`', invalid),
        contactEndpointId: optionalString(f['contactEndpointId']),
    };
}

export function toAgent(value: unknown, invalid: InvalidResponse): DixaAgent {
    const agent = expectObject(value, 'an agent', invalid);
    return {
        id: expectString(agent['id'], 'agent `id`', invalid),
        displayName: typeof agent['displayName'] === 'string' ? agent['displayName'] : '',
        email: typeof agent['email'] === 'string' ? agent['email'] : '',
        roles: stringArray(agent['roles']),
    };
}

export function toQueueMember(value: unknown, invalid: InvalidResponse): DixaQueueMember {
    const member = expectObject(value, 'a member', invalid);
    return {
        agentId: expectString(member['agentId'], 'member `agentId`', invalid),
        priority: typeof member['priority'] === 'number' ? member['priority'] : null,
    };
}
