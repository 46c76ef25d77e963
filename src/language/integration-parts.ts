import type { Department, DixaBlock, Integration, Queue, SynthflowBlock } from './generated/ast.js';
import { isDepartment, isDixaBlock, isQueue, isSynthflowBlock } from './generated/ast.js';

/** The members of one integration, sorted by kind (blocks may appear in any order in the file). */
export interface IntegrationParts {
    readonly dixa?: DixaBlock;
    readonly synthflow?: SynthflowBlock;
    readonly dixaBlocks: readonly DixaBlock[];
    readonly synthflowBlocks: readonly SynthflowBlock[];
    readonly queues: readonly Queue[];
    readonly departments: readonly Department[];
}

// Keyed by the members array, not the integration: an incremental re-parse (incremental-parse.ts) keeps the
// integration node and gives it a new members array when it replaces a block.
const partsCache = new WeakMap<Integration['members'], IntegrationParts>();

export function integrationParts(integration: Integration): IntegrationParts {
    let parts = partsCache.get(integration.members);
    if (!parts) {
        const dixaBlocks = integration.members.filter(isDixaBlock);
        const synthflowBlocks = integration.members.filter(isSynthflowBlock);
        parts = {
            dixa: dixaBlocks[0],
            synthflow: synthflowBlocks[0],
            dixaBlocks,
            synthflowBlocks,
            queues: integration.members.filter(isQueue),
            departments: integration.members.filter(isDepartment),
        };
        partsCache.set(integration.members, parts);
    }
    return parts;
}
