/**
 * Dixa bulk outcomes: member and bulk writes answer HTTP 200 even when items fail, with one
 * `BulkActionSuccess` / `BulkActionFailure` per item (shared/reference/dixa-api.md §3.4). Every item
 * must be inspected; this module turns the list into per-item results and a readable report.
 */
import { isObject } from '../http/shape.js';

export interface DixaBulkItemFailure {
    /** The item the failure is about (the error's `id`, else the id sent at the same position). */
    readonly id: string;
    /** The BulkError `_type`: NotFound, Validation, … (`Unknown` when absent). */
    readonly type: string;
    readonly message: string;
}

export interface DixaBulkOutcomes {
    readonly succeeded: readonly string[];
    readonly failed: readonly DixaBulkItemFailure[];
}

/**
 * Pairs a bulk response's `data` items with the ids that were sent (positionally, preferring the ids
 * the server names). Ids without an outcome are reported as failures, never assumed to have worked.
 */
export function readBulkOutcomes(sentIds: readonly string[], items: readonly unknown[]): DixaBulkOutcomes {
    const succeeded: string[] = [];
    const failed: DixaBulkItemFailure[] = [];
    const accounted = new Set<string>();
    items.forEach((item, index) => {
        const fallbackId = sentIds[index] ?? `item ${index + 1}`;
        if (!isObject(item)) {
            failed.push({ id: fallbackId, type: 'Unknown', message: 'malformed outcome' });
            accounted.add(fallbackId);
            return;
        }
        const error = item['error'];
        const isFailure = item['_type'] === 'BulkActionFailure' || (item['_type'] === undefined && isObject(error));
        if (isFailure) {
            const e = isObject(error) ? error : {};
            const id = typeof e['id'] === 'string' && e['id'] !== '' ? e['id'] : fallbackId;
            failed.push({
                id,
                type: typeof e['_type'] === 'string' ? e['_type'] : 'Unknown',
                message: typeof e['message'] === 'string' ? e['message'] : 'no message',
            });
            accounted.add(id);
        } else {
            const data = item['data'];
            const id = typeof data === 'string' && data !== '' ? data : fallbackId;
            succeeded.push(id);
            accounted.add(id);
        }
    });
    for (const id of sentIds) {
        if (!accounted.has(id)) failed.push({ id, type: 'Unknown', message: 'no outcome reported for this item' });
    }
    return { succeeded, failed };
}

/** One line per failed item, e.g. `914a… NotFound: User not found`. */
export function describeBulkFailures(outcomes: DixaBulkOutcomes): string {
    return outcomes.failed.map(f => `${f.id} ${f.type}: ${f.message}`).join('; ');
}
