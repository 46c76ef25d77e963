/**
 * Synthflow actions (LIVE_TRANSFER): listed, read, created (re-read by exact name or configuration
 * among the actions that appeared since, when the outcome is unknown), replaced, deleted.
 */
import { createWithReread, type Reread } from '../http/create-with-reread.js';
import { expectArray, expectString } from '../http/shape.js';
import type { LiveSynthflowAction, LiveTransferConfig, SynthflowProvider } from '../types.js';
import type { SynthflowLiveTransferActionBody } from './api-types.js';
import { liveTransferBody, sameTransferConfig, toAction } from './decoders.js';
import type { SynthflowTransport } from './transport.js';

export type SynthflowActions = Pick<SynthflowProvider, 'listActions' | 'getAction' | 'createLiveTransfer' | 'updateLiveTransfer' | 'deleteAction'>;

/** Whether a read-back action is the transfer a create with this config and name would have made. */
function sameTransfer(action: LiveSynthflowAction, config: LiveTransferConfig, name: string): boolean | 'unknown' {
    if (action.name === name) return true;
    if (!action.liveTransfer) return 'unknown';
    return sameTransferConfig(action.liveTransfer, config);
}

/** A closure over the actions this client has seen (`seenActionIds`), which creates must consult: hence its length. */
export function synthflowActions(transport: SynthflowTransport): SynthflowActions {
    const { http, invalidFor, unwrap, collectPages } = transport;
    /**
     * Every action id a completed read has shown this client, and every id its creates returned: an
     * action that is not among them when a create is sent cannot be the other department's, or one that
     * existed before, so only actions outside this set may be adopted after an unknown outcome.
     */
    const seenActionIds = new Set<string>();
    let actionsListed = false;

    async function listActions(): Promise<LiveSynthflowAction[]> {
        const actions = (await collectPages('/actions', 'actions')).map(a => toAction(a, invalidFor('GET /actions')));
        for (const action of actions) seenActionIds.add(action.actionId);
        actionsListed = true;
        return actions;
    }

    /**
     * After an unknown outcome: the one LIVE_TRANSFER that appeared since the create was sent (not in
     * `before`) and is this exact transfer. Several, or new transfers whose name and configuration both
     * cannot be read back, are ambiguous: never adopted.
     */
    async function findCreatedTransfer(config: LiveTransferConfig, name: string, before: ReadonlySet<string>): Promise<Reread<string>> {
        const appeared = (await listActions()).filter(a => a.actionType === 'LIVE_TRANSFER' && !before.has(a.actionId));
        const matches = appeared.filter(a => sameTransfer(a, config, name) === true);
        const unreadable = appeared.filter(a => sameTransfer(a, config, name) === 'unknown');
        if (matches.length === 1 && unreadable.length === 0) return { found: matches[0]!.actionId };
        if (matches.length === 0 && unreadable.length === 0) return 'absent';
        return {
            ambiguous:
                matches.length > 1
                    ? `${matches.length} new transfer actions to ${config.phone} (${matches.map(a => a.actionId).join(', ')})`
                    : `${unreadable.length} new transfer action${unreadable.length === 1 ? '' : 's'} whose name and configuration cannot be read back`,
        };
    }

    async function postLiveTransfer(config: LiveTransferConfig, name: string): Promise<string> {
        const operation = 'POST /actions';
        // The action's display name travels inside the typed object, as CUSTOM_ACTION's does.
        // [I] assumption: live-transfer-name-kept
        const body: SynthflowLiveTransferActionBody = { LIVE_TRANSFER: { ...liveTransferBody(config), name } };
        const { data } = await http.request({ method: 'POST', template: '/actions', body });
        return expectString(unwrap(data, operation, true)['action_id'], '`response.action_id`', invalidFor(operation, true));
    }

    return {
        listActions,

        async getAction(actionId: string, options: { readonly includeAssistants?: boolean } = {}): Promise<LiveSynthflowAction | undefined> {
            const template = '/actions/{action_id}';
            const operation = `GET ${template}`;
            const { status, data } = await http.request({
                method: 'GET',
                template,
                pathParams: { action_id: actionId },
                ...(options.includeAssistants ? { query: { include_assistants: true } } : {}),
                accept: [404],
            });
            if (status === 404) return undefined;
            const list = expectArray(unwrap(data, operation)['actions'], '`response.actions`', invalidFor(operation));
            if (list.length === 0) return undefined;
            const action = toAction(list[0], invalidFor(operation));
            seenActionIds.add(action.actionId);
            return action;
        },

        async createLiveTransfer(config: LiveTransferConfig, name: string): Promise<string> {
            // Only actions this client has not seen may be adopted after an unknown outcome: it must have seen the list once.
            if (!actionsListed) await listActions();
            const before = new Set(seenActionIds);
            const id = await createWithReread(http, {
                create: () => postLiveTransfer(config, name),
                reread: () => findCreatedTransfer(config, name, before),
                what: `the transfer action to ${config.phone}`,
                // Synthflow accepts identical actions.
                serverRejectsDuplicates: false,
            });
            seenActionIds.add(id);
            return id;
        },

        async updateLiveTransfer(actionId: string, config: LiveTransferConfig): Promise<void> {
            const body: SynthflowLiveTransferActionBody = { LIVE_TRANSFER: liveTransferBody(config) };
            await http.request({ method: 'PUT', template: '/actions/{action_id}', pathParams: { action_id: actionId }, body });
        },

        async deleteAction(actionId: string): Promise<void> {
            await http.request({ method: 'DELETE', template: '/actions/{action_id}', pathParams: { action_id: actionId }, accept: [404] });
        },
    };
}
