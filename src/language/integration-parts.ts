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
        // One pass, departments tested first: they are most of the members (four filters made ~45,000 type
        // checks at 10,000 departments, on every build of the editor's document).
        const dixaBlocks: DixaBlock[] = [];
        const synthflowBlocks: SynthflowBlock[] = [];
        const queues: Queue[] = [];
        const departments: Department[] = [];
        for (const member of integration.members) {
            if (isDepartment(member)) departments.push(member);
            else if (isQueue(member)) queues.push(member);
            else if (isDixaBlock(member)) dixaBlocks.push(member);
            else if (isSynthflowBlock(member)) synthflowBlocks.push(member);
        }
        parts = { dixa: dixaBlocks[0], synthflow: synthflowBlocks[0], dixaBlocks, synthflowBlocks, queues, departments };
        partsCache.set(integration.members, parts);
    }
    return parts;
}
