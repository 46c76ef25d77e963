import type { ValidationAcceptor } from 'langium';
import type { Queue } from '../generated/ast.js';
import { settingWritten } from './own-keywords.js';
import { report } from './report.js';

/** required-missing: a queue needs its Dixa name and the DID it is reached at (escalations dial it). */
export function checkQueue(queue: Queue, accept: ValidationAcceptor): void {
    if (!queue.name) return; // unnamed: the parser has reported it
    if (queue.displayName === undefined) {
        if (!settingWritten(queue, 'name')) {
            report(accept, 'required-missing', `Queue ${queue.name} has no name: add name "…" with the name of the Dixa queue.`, { node: queue, property: 'name' });
        }
    } else if (queue.displayName.trim() === '') {
        report(accept, 'required-missing', `The name of queue ${queue.name} is empty: write the name of the Dixa queue.`, { node: queue, property: 'displayName' });
    }
    if (queue.did === undefined && !settingWritten(queue, 'did')) {
        report(accept, 'required-missing', `Queue ${queue.name} has no did: add did "+E164" with the DID Dixa routes to this queue (escalations dial it).`, {
            node: queue,
            property: 'name',
        });
    }
}

/** The Dixa queue name as sipflow matches it (surrounding spaces do not count). */
export function dixaQueueName(queue: Queue): string | undefined {
    const name = queue.displayName?.trim();
    return name ? name : undefined;
}
