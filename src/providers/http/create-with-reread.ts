/**
 * Creates without an idempotency key (neither vendor has one): the one home for "send it, and when the
 * outcome is unknown, re-read by natural key before deciding". Used by Dixa queues, Synthflow numbers
 * and Synthflow transfer actions.
 *
 *   found      (exactly one candidate)  → adopted: it is what the lost request made
 *   absent     (no candidate)           → sent once more, never a third time; after a timeout only where
 *                                         the server refuses duplicates itself (the first request may
 *                                         still land), otherwise the unknown outcome is reported and the
 *                                         next run re-reads
 *   ambiguous  (several candidates, or ones that cannot be told apart) → never adopted: reported
 */
import { ProviderError } from '../types.js';
import type { HttpClient } from './client.js';

export type Reread<T> = { readonly found: T } | 'absent' | { readonly ambiguous: string };

export interface CreateWithReread<T> {
    readonly create: () => Promise<T>;
    readonly reread: () => Promise<Reread<T>>;
    /** What is created, for messages: `queue "Phone – Sales"`. */
    readonly what: string;
    /** The server refuses a second create of the same key (Synthflow numbers): re-sending cannot duplicate. */
    readonly serverRejectsDuplicates: boolean;
}

/** Client statuses meaning "refused": on a second attempt they may mean the first one landed late. */
const REFUSED = new Set([400, 409, 422]);

export async function createWithReread<T>(http: HttpClient, spec: CreateWithReread<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await spec.create();
        } catch (e) {
            if (!(e instanceof ProviderError) || e.kind === 'cancelled') throw e;
            const unknown = e.outcome === 'unknown';
            const refusedOnRetry = attempt >= 2 && e.status !== undefined && REFUSED.has(e.status);
            if (!unknown && !refusedOnRetry) throw e;
            http.log(`${e.operation} outcome ${unknown ? 'unknown' : 'refused on retry'} (${e.kind}); re-reading ${spec.what}`);
            const found = await spec.reread();
            if (typeof found === 'object' && 'found' in found) return found.found;
            if (typeof found === 'object') {
                throw http.error(e.operation, `${e.message}; re-reading ${spec.what} found ${found.ambiguous}, so none was adopted (run again once it is sorted out)`, {
                    status: e.status,
                    outcome: 'unknown',
                    kind: e.kind,
                });
            }
            if (attempt >= 2 || !unknown) throw e;
            if (e.kind === 'timeout' && !spec.serverRejectsDuplicates) {
                throw http.error(
                    e.operation,
                    `${e.message}; ${spec.what} not found on re-reading, but the request may still be in progress, so it was not sent again (run again to re-check)`,
                    { status: e.status, outcome: 'unknown', kind: 'timeout' },
                );
            }
            // Absent after a reset, 5xx, lost or unreadable answer: the create did not land; send it once more.
        }
    }
}
