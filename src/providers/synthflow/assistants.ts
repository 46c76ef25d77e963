/**
 * Synthflow assistants: read (with their actions), given an inbound number, and actions attached or
 * detached. Every write is read back; a read-back that contradicts it is an `unknown` outcome.
 */
import { expectArray, expectObject, expectString } from '../http/shape.js';
import type { ActionListChange, LiveSynthflowAssistant, ProviderError, SynthflowProvider } from '../types.js';
import type { SynthflowAssistantUpdateBody, SynthflowAttachActionsBody, SynthflowDetachActionsBody } from './api-types.js';
import { toAssistant } from './decoders.js';
import type { SynthflowTransport } from './transport.js';

export type SynthflowAssistants = Pick<SynthflowProvider, 'getAssistant' | 'listAssistants' | 'setInboundNumber' | 'attachActions' | 'detachActions'>;

async function getAssistant({ http, invalidFor, unwrap }: SynthflowTransport, modelId: string): Promise<LiveSynthflowAssistant | undefined> {
    const template = '/assistants/{model_id}';
    const operation = `GET ${template}`;
    const { status, data } = await http.request({
        method: 'GET',
        template,
        pathParams: { model_id: modelId },
        query: { include_actions: true },
        accept: [404],
    });
    if (status === 404) return undefined;
    const list = expectArray(unwrap(data, operation)['assistants'], '`response.assistants`', invalidFor(operation));
    return list.length === 0 ? undefined : toAssistant(list[0], invalidFor(operation));
}

/** The assistant as it is now, or a precondition failure naming it. */
async function requireAssistant(transport: SynthflowTransport, modelId: string, operation: string): Promise<LiveSynthflowAssistant> {
    const assistant = await getAssistant(transport, modelId);
    if (!assistant) throw transport.http.error(operation, `${transport.label} assistant ${modelId} does not exist`, { status: 404, kind: 'not-found' });
    return assistant;
}

/** A read-back that contradicts a write the API accepted: the change cannot be confirmed. */
function unconfirmed({ http, label }: SynthflowTransport, operation: string, message: string): ProviderError {
    return http.error(operation, `${label} ${operation} was accepted, but reading it back ${message}`, { outcome: 'unknown', kind: 'invalid-response' });
}

/**
 * Attaches what is missing. [I] assumption: attach-adds; if the API replaces the list instead,
 * the actions it dropped are attached again with the whole list, so nothing is lost.
 */
async function attachActions(transport: SynthflowTransport, modelId: string, actionIds: readonly string[]): Promise<ActionListChange> {
    const { http } = transport;
    const operation = 'POST /actions/attach';
    const before = await requireAssistant(transport, modelId, operation);
    const wanted = [...new Set(actionIds)];
    const missing = wanted.filter(id => !before.actionIds.includes(id));
    if (missing.length === 0) return { changed: [], unchanged: wanted, restored: [], after: before.actionIds };
    const attach = async (ids: readonly string[]) => {
        const body: SynthflowAttachActionsBody = { model_id: modelId, actions: [...ids] };
        // Attaching what is attached changes nothing: retried like a PUT.
        await http.request({ method: 'POST', template: '/actions/attach', body, idempotent: true });
        return requireAssistant(transport, modelId, operation);
    };
    let after = await attach(missing);
    const dropped = before.actionIds.filter(id => !after.actionIds.includes(id));
    if (dropped.length > 0) {
        http.log(`${operation} dropped ${dropped.length} action(s) already on ${modelId} (the API replaced the list); attaching them again`);
        after = await attach([...before.actionIds, ...missing]);
    }
    const notAttached = missing.filter(id => !after.actionIds.includes(id));
    const lost = before.actionIds.filter(id => !after.actionIds.includes(id));
    if (notAttached.length > 0 || lost.length > 0) {
        throw unconfirmed(
            transport,
            operation,
            [
                notAttached.length > 0 ? `does not show ${notAttached.join(', ')} on assistant ${modelId}` : '',
                lost.length > 0 ? `no longer shows ${lost.join(', ')}, which were attached before` : '',
            ]
                .filter(Boolean)
                .join(', and '),
        );
    }
    return { changed: missing, unchanged: wanted.filter(id => !missing.includes(id)), restored: dropped, after: after.actionIds };
}

export function synthflowAssistants(transport: SynthflowTransport): SynthflowAssistants {
    const { http, invalidFor, collectPages } = transport;
    return {
        getAssistant: modelId => getAssistant(transport, modelId),

        async listAssistants(): Promise<LiveSynthflowAssistant[]> {
            const invalid = invalidFor('GET /assistants/');
            const items = await collectPages('/assistants/', 'assistants');
            const ids = items.map(i => expectString(expectObject(i, 'an assistant', invalid)['model_id'], '`model_id`', invalid));
            // The list has neither attached numbers nor actions: GET each with include_actions.
            const details = await Promise.all([...new Set(ids)].map(id => getAssistant(transport, id)));
            return details.filter((d): d is LiveSynthflowAssistant => d !== undefined);
        },

        async setInboundNumber(modelId: string, e164: string): Promise<void> {
            const template = '/assistants/{model_id}';
            const operation = `PUT ${template}`;
            const body: SynthflowAssistantUpdateBody = { phone_number: e164 };
            // A partial update setting one field to a given value: repeating it changes nothing (retried).
            await http.request({ method: 'PUT', template, pathParams: { model_id: modelId }, body });
            const after = await requireAssistant(transport, modelId, operation);
            if (after.phoneNumber !== e164) throw unconfirmed(transport, operation, `shows assistant ${modelId} with number ${after.phoneNumber ?? 'none'}, not ${e164}`);
        },

        attachActions: (modelId, actionIds) => attachActions(transport, modelId, actionIds),

        async detachActions(modelId: string, actionIds: readonly string[]): Promise<ActionListChange> {
            const operation = 'POST /actions/detach';
            const before = await requireAssistant(transport, modelId, operation);
            const present = [...new Set(actionIds)].filter(id => before.actionIds.includes(id));
            if (present.length === 0) return { changed: [], unchanged: [...new Set(actionIds)], restored: [], after: before.actionIds };
            const body: SynthflowDetachActionsBody = { model_id: modelId, actions: present };
            // Detaching what is detached changes nothing: retried like a DELETE.
            await http.request({ method: 'POST', template: '/actions/detach', body, idempotent: true });
            const after = await requireAssistant(transport, modelId, operation);
            const still = present.filter(id => after.actionIds.includes(id));
            if (still.length > 0) throw unconfirmed(transport, operation, `still shows ${still.join(', ')} on assistant ${modelId}`);
            return { changed: present, unchanged: actionIds.filter(id => !present.includes(id)), restored: [], after: after.actionIds };
        },
    };
}
