import type { AstNode, ValidationAcceptor } from 'langium';
import { keywordOf, ownKeywords } from './own-keywords.js';
import type { Integration } from '../generated/ast.js';
import { integrationParts } from '../integration-parts.js';
import { dixaQueueName } from './queue-checks.js';
import { report } from './report.js';

/** The settings of each block that may be written once; repeated ones are reported on the repeat. */
const SINGLE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
    DixaBlock: ['sip-domain', 'organization'],
    SynthflowBlock: ['region', 'workspace', 'trunk-auth'],
    CredentialsTrunkAuth: ['username', 'password'],
    Queue: ['name', 'did', 'kind'],
    Department: ['flow', 'did', 'assistant', 'timeout', 'fallback', 'uui'],
    Escalation: ['mode', 'when', 'say', 'failed'],
};

export function checkRepeatedSettings(node: AstNode, accept: ValidationAcceptor): void {
    const settings = SINGLE_SETTINGS[node.$type];
    if (!settings) return;
    const keywords = ownKeywords(node);
    // An array, not a Set: a block has at most six such settings, and a Set is a hash table per block.
    const seen: string[] = [];
    // The first keyword is the block's own (`queue`, `department`…), which may share a setting's spelling.
    for (let i = 1; i < keywords.length; i++) {
        const leaf = keywords[i];
        const keyword = keywordOf(leaf);
        if (!settings.includes(keyword)) continue;
        if (seen.includes(keyword)) {
            report(accept, 'setting-duplicate', `"${keyword}" is already set in this block; only the last value would count. Remove one of them.`, {
                node,
                range: leaf.range,
            });
        }
        seen.push(keyword);
    }
}

export function checkIntegrationStructure(integration: Integration, accept: ValidationAcceptor): void {
    const parts = integrationParts(integration);
    // A missing dixa/synthflow block depends on the integration's other files: see across-files-checks.ts.
    for (const extra of parts.dixaBlocks.slice(1)) {
        report(accept, 'block-duplicate', 'A second dixa block: an integration has one. Merge its settings into the first.', { node: extra, keyword: 'dixa' });
    }
    for (const extra of parts.synthflowBlocks.slice(1)) {
        report(accept, 'block-duplicate', 'A second synthflow block: an integration has one. Merge its settings into the first.', { node: extra, keyword: 'synthflow' });
    }
    for (const group of [parts.queues, parts.departments]) {
        const seen = new Set<string>();
        for (const node of group) {
            // A node the parser could not name has its parse error already.
            if (!node.name) continue;
            if (seen.has(node.name)) {
                const kind = node.$type === 'Queue' ? 'queue' : 'department';
                report(accept, 'name-duplicate', `Another ${kind} is already named ${node.name}: rename one of them.`, { node, property: 'name' });
            }
            seen.add(node.name);
        }
    }
    // Queues are matched to Dixa by name: two with one Dixa name would be the same Dixa queue.
    const dixaNames = new Map<string, string>();
    for (const queue of parts.queues) {
        const dixaName = dixaQueueName(queue);
        if (!queue.name || dixaName === undefined) continue;
        const first = dixaNames.get(dixaName);
        if (first !== undefined) {
            report(accept, 'name-duplicate', `Queue ${first} already has the Dixa name "${dixaName}": sipflow finds Dixa queues by name, so give queue ${queue.name} its own.`, {
                node: queue,
                property: 'displayName',
            });
        } else {
            dixaNames.set(dixaName, queue.name);
        }
    }
}
