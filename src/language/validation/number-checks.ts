import type { ValidationAcceptor } from 'langium';
import type { Department, Integration, Queue } from '../generated/ast.js';
import { integrationParts } from '../integration-parts.js';
import { checkDid } from '../values/phone-number.js';
import { report } from './report.js';

/** e164-invalid / e164-not-canonical on one `did`. */
export function checkDidValue(node: Queue | Department, accept: ValidationAcceptor): void {
    if (node.did === undefined) return;
    const check = checkDid(node.did);
    if (check.kind === 'invalid') {
        const example = check.withPlus ?? '+4535551234';
        report(
            accept,
            'e164-invalid',
            `"${node.did}" is not a valid phone number: ${check.reason}. Write the DID in E.164${check.withPlus ? ':' : ', e.g.'} "${example}".`,
            {
                node,
                property: 'did',
            },
            check.withPlus ? { replacement: check.withPlus } : {},
        );
    } else if (!check.canonical) {
        report(
            accept,
            'e164-not-canonical',
            `Write the DID in canonical E.164 form: "${check.e164}" (no spaces, dashes or brackets).`,
            {
                node,
                property: 'did',
            },
            { replacement: check.e164 },
        );
    }
}

/**
 * did-duplicate: a DID is routed to one inbound assistant (departments) and mapped to one queue;
 * the same DID on two departments, two queues, or a department and a queue cannot work.
 */
export function checkDuplicateDids(integration: Integration, accept: ValidationAcceptor): void {
    const { queues, departments } = integrationParts(integration);
    const firstOwner = new Map<string, Queue | Department>();
    for (const node of [...queues, ...departments]) {
        if (node.did === undefined) continue;
        const check = checkDid(node.did);
        if (check.kind !== 'valid') continue;
        const owner = firstOwner.get(check.e164);
        if (owner === undefined) {
            firstOwner.set(check.e164, node);
            continue;
        }
        const ownerLabel = `${owner.$type === 'Queue' ? 'queue' : 'department'} ${owner.name}`;
        report(
            accept,
            'did-duplicate',
            `DID ${check.e164} is already used by ${ownerLabel}: a number serves one inbound assistant or queue. Give this ${node.$type === 'Queue' ? 'queue' : 'department'} its own DID.`,
            {
                node,
                property: 'did',
            },
        );
    }
}
