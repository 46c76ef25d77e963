import { Department, DixaBlock, Queue, SynthflowBlock, type Integration } from './generated/ast.js';

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
        // checks at 10,000 departments, on every build of the editor's document). By $type, not isDepartment…:
        // the reflection's subtype lookup is cold code in a CLI run, and no type extends these four
        // (test/language/own-keywords.test.ts checks).
        const dixaBlocks: DixaBlock[] = [];
        const synthflowBlocks: SynthflowBlock[] = [];
        const queues: Queue[] = [];
        const departments: Department[] = [];
        for (const member of integration.members) {
            const type = member.$type;
            if (type === Department.$type) departments.push(member as Department);
            else if (type === Queue.$type) queues.push(member as Queue);
            else if (type === DixaBlock.$type) dixaBlocks.push(member as DixaBlock);
            else if (type === SynthflowBlock.$type) synthflowBlocks.push(member as SynthflowBlock);
        }
        parts = { dixa: dixaBlocks[0], synthflow: synthflowBlocks[0], dixaBlocks, synthflowBlocks, queues, departments };
        partsCache.set(integration.members, parts);
    }
    return parts;
}
