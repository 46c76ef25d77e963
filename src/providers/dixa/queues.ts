/**
 * Dixa queues: listed, read, and created so that a name is never duplicated by us: look up by name
 * first; on an unknown outcome re-read (../http/create-with-reread.ts), then decide; re-list after a
 * create, and when a concurrent run made a twin, use the one chooseQueue picks (both runs agree).
 */
import { DIXA_OFFER_ALGORITHMS as VENDOR_OFFER_ALGORITHMS } from '../../vendors/dixa-facts.js';
import { createWithReread } from '../http/create-with-reread.js';
import { expectArray, expectObject } from '../http/shape.js';
import type { DixaProvider, DixaQueueCreate, LiveDixaQueue } from '../types.js';
import type { DixaCreateQueueInput, DixaOfferAlgorithm } from './api-types.js';
import { toQueue } from './decoders.js';
import { chooseQueue } from './queue-choice.js';
import type { DixaTransport } from './transport.js';

/** The values Dixa accepts for `offerAlgorithm` ([CreateOrUpdateQueueRequest]), from the facts table. */
export const DIXA_OFFER_ALGORITHMS: readonly DixaOfferAlgorithm[] = VENDOR_OFFER_ALGORITHMS;

export interface DixaQueues extends Pick<DixaProvider, 'listQueues' | 'createQueue'> {
    /** GET /queues/{queueId}; undefined when absent (404). */
    getQueue(queueId: string): Promise<LiveDixaQueue | undefined>;
}

/** A closure over the creates and the list read in flight, which concurrent callers share: hence its length. */
export function dixaQueues(transport: DixaTransport): DixaQueues {
    const { http, label, invalidFor, getData } = transport;
    /** In-flight creates by queue name: concurrent calls for one name share one create. */
    const creating = new Map<string, Promise<LiveDixaQueue>>();
    /** A queue list read already in flight, shared by concurrent pre-create look-ups (one GET, not one each). */
    let sharedQueueList: Promise<LiveDixaQueue[]> | undefined;

    async function listQueues(): Promise<LiveDixaQueue[]> {
        const operation = 'GET /queues';
        const data = await getData('/queues');
        return expectArray(data, '`data`', invalidFor(operation)).map(q => toQueue(q, invalidFor(operation)));
    }

    /**
     * The look-up before a create may join a list read already in flight; the re-read after an unknown
     * outcome and the re-list after a create must not (a read started before the POST could miss the
     * queue it created), so they read afresh.
     */
    async function queuesNamed(name: string, { fresh }: { fresh: boolean }): Promise<LiveDixaQueue[]> {
        let list: Promise<LiveDixaQueue[]>;
        if (fresh) {
            list = listQueues();
        } else {
            sharedQueueList ??= listQueues().finally(() => {
                sharedQueueList = undefined;
            });
            list = sharedQueueList;
        }
        return (await list).filter(q => q.name === name);
    }

    async function postQueue(input: DixaQueueCreate): Promise<LiveDixaQueue> {
        const operation = 'POST /queues';
        const body: DixaCreateQueueInput = {
            request: {
                name: input.name,
                callFunctionality: true,
                isDefault: false,
                isDoNotOfferEnabled: false,
                ...(input.offerAlgorithm !== undefined ? { offerAlgorithm: input.offerAlgorithm as DixaOfferAlgorithm } : {}),
            },
        };
        const { data } = await http.request({ method: 'POST', template: '/queues', body });
        return toQueue(expectObject(data, 'the body', invalidFor(operation, true))['data'], invalidFor(operation, true));
    }

    async function createQueueOnce(input: DixaQueueCreate): Promise<LiveDixaQueue> {
        if (input.name.trim() === '') throw http.error('POST /queues', `${label} queue name is empty`);
        if (input.offerAlgorithm !== undefined && !(DIXA_OFFER_ALGORITHMS as readonly string[]).includes(input.offerAlgorithm)) {
            throw http.error('POST /queues', `${label} offer algorithm ${JSON.stringify(input.offerAlgorithm)} is not one of ${DIXA_OFFER_ALGORITHMS.join(', ')}`);
        }
        const what = `queue ${JSON.stringify(input.name)}`;
        // Natural key: the name. Dixa has no idempotency key, so look before creating.
        const existing = chooseQueue(await queuesNamed(input.name, { fresh: false }));
        if (existing) {
            http.log(`${what} exists (${existing.id}); not creating`);
            return existing;
        }
        const created = await createWithReread(http, {
            create: () => postQueue(input),
            reread: async () => {
                const found = await queuesNamed(input.name, { fresh: true });
                return found.length === 0 ? 'absent' : { found: chooseQueue(found)! };
            },
            what,
            // Dixa accepts a second queue with the same name.
            serverRejectsDuplicates: false,
        });
        // Re-list: a concurrent run may have created a twin in the same moment. Both runs then use the
        // queue chooseQueue picks (the other one is for a person to remove: no API can).
        const twins = await queuesNamed(input.name, { fresh: true });
        if (twins.length > 1) {
            const chosen = chooseQueue(twins)!;
            http.log(`${twins.length} queues are now named ${JSON.stringify(input.name)} (a concurrent create); using ${chosen.id}`);
            return chosen;
        }
        return created;
    }

    return {
        listQueues,

        async getQueue(queueId: string): Promise<LiveDixaQueue | undefined> {
            const template = '/queues/{queueId}';
            const { status, data } = await http.request({ method: 'GET', template, pathParams: { queueId }, accept: [404] });
            if (status === 404) return undefined;
            return toQueue(expectObject(data, 'the body', invalidFor(`GET ${template}`))['data'], invalidFor(`GET ${template}`));
        },

        createQueue(input: DixaQueueCreate): Promise<LiveDixaQueue> {
            const pending = creating.get(input.name);
            if (pending) return pending;
            const promise = createQueueOnce(input).finally(() => creating.delete(input.name));
            creating.set(input.name, promise);
            return promise;
        },
    };
}
