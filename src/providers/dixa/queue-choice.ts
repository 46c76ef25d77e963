import type { LiveDixaQueue } from '../types.js';

/**
 * The queue sipflow uses when several Dixa queues share a name (Dixa does not keep names unique and has
 * no API to rename or delete a queue, so a race or a manual create can leave twins): the one whose phone
 * usages route `did`, else the first Dixa lists (list order is creation order [I]). Deterministic, so
 * every run — and two racing runs — choose the same one.
 */
export function chooseQueue(matches: readonly LiveDixaQueue[], did?: string): LiveDixaQueue | undefined {
    if (did !== undefined) {
        const routing = matches.find(q => (q.usages['PstnPhone'] ?? []).includes(did));
        if (routing) return routing;
    }
    // [I] assumption: dixa-queue-list-order
    return matches[0];
}
