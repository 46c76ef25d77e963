/**
 * How a transfer action's configuration is compared and merged: the fields the plan diffs (and shows
 * under their API names), and the full object an update sends.
 */
import type { LiveTransferConfig } from '../providers/types.js';
import type { FieldChange } from './types.js';
import { TRANSFER_FIELDS } from '../vendors/transfer-fields.js';

/** Field changes from `before` to `after`; fields the file leaves unset are not compared. */
export function transferChanges(before: LiveTransferConfig | null, after: LiveTransferConfig): FieldChange[] {
    const changes: FieldChange[] = [];
    for (const { key, api: field } of TRANSFER_FIELDS) {
        const wanted = after[key];
        if (wanted === undefined) continue;
        const current = before ? (before[key] ?? null) : null;
        if (current !== wanted) changes.push({ field, before: current, after: wanted });
    }
    return changes;
}

/** The full object to PUT: the live one's optional fields the file leaves unset are kept. */
export function mergeTransfer(live: LiveTransferConfig, wanted: LiveTransferConfig): LiveTransferConfig {
    const merged: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(wanted)) if (value !== undefined) merged[key] = value;
    return merged as unknown as LiveTransferConfig;
}
