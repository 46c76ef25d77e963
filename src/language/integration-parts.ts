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

const partsCache = new WeakMap<Integration, IntegrationParts>();

export function integrationParts(integration: Integration): IntegrationParts {
    let parts = partsCache.get(integration);
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
        partsCache.set(integration, parts);
    }
    return parts;
}
