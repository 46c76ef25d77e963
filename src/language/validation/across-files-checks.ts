import { AstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import type { Integration } from '../generated/ast.js';
import { integrationParts } from '../integration-parts.js';
import { uriOf } from '../references/sipflow-queues.js';
import { checkDid } from '../values/phone-number.js';
import { isUuid } from '../values/uuids.js';
import { originOf } from '../environments.js';
import { reportSharedAssistant } from './department-checks.js';
import { dixaQueueName } from './queue-checks.js';
import { report } from './report.js';

/**
 * An integration split over several files is one integration: it needs one dixa and one synthflow
 * block among them, and names and DIDs must be unique across them. Each clash is reported once, in the
 * file whose URI sorts later, naming where the first declaration is.
 */
export function checkAcrossFiles(integration: Integration, siblings: readonly Integration[], accept: ValidationAcceptor): void {
    if (!integration.name) return; // the parser has reported the missing name
    const own = integrationParts(integration);
    const all = siblings.map(integrationParts);
    if (own.dixaBlocks.length === 0 && !all.some(p => p.dixaBlocks.length > 0)) {
        report(accept, 'required-missing', `Integration ${integration.name} has no dixa block: add dixa { sip-domain "{company}.sip.dixa.com" allowlist synthflow }.`, {
            node: integration,
            property: 'name',
        });
    }
    if (own.synthflowBlocks.length === 0 && !all.some(p => p.synthflowBlocks.length > 0)) {
        report(accept, 'required-missing', `Integration ${integration.name} has no synthflow block: add synthflow { region eu workspace "…" }.`, {
            node: integration,
            property: 'name',
        });
    }
    const ownUri = uriOf(integration);
    const earlier = siblings.filter(sibling => uriOf(sibling) < ownUri);
    if (earlier.length === 0) return;
    const earlierParts = earlier.map(integrationParts);

    checkDuplicateBlocks(own, earlierParts, accept);
    checkQueueClashes(own, earlierParts, accept);
    checkDepartmentClashes(own, earlierParts, accept);
    checkDidClashes(own, earlierParts, accept);
}

type Parts = ReturnType<typeof integrationParts>;

/** A second dixa or synthflow block, in a file after the first one's. */
function checkDuplicateBlocks(own: Parts, earlierParts: readonly Parts[], accept: ValidationAcceptor): void {
    const firstDixa = earlierParts.flatMap(p => p.dixaBlocks)[0];
    if (firstDixa && own.dixa) {
        report(accept, 'block-duplicate', `The dixa block is already in ${where(firstDixa)}: an integration has one. Merge the settings there.`, {
            node: own.dixa,
            keyword: 'dixa',
        });
    }
    const firstSynthflow = earlierParts.flatMap(p => p.synthflowBlocks)[0];
    if (firstSynthflow && own.synthflow) {
        report(accept, 'block-duplicate', `The synthflow block is already in ${where(firstSynthflow)}: an integration has one. Merge the settings there.`, {
            node: own.synthflow,
            keyword: 'synthflow',
        });
    }
}

/** A queue name, or a queue's Dixa name, already declared in an earlier file. */
function checkQueueClashes(own: Parts, earlierParts: readonly Parts[], accept: ValidationAcceptor): void {
    const queueNames = new Map(earlierParts.flatMap(p => p.queues).map(q => [q.name, q]));
    for (const queue of own.queues) {
        const other = queue.name ? queueNames.get(queue.name) : undefined;
        if (other) report(accept, 'name-duplicate', `Queue ${queue.name} is also declared in ${where(other)}: rename one of them.`, { node: queue, property: 'name' });
    }
    const dixaNames = new Map<string, AstNode & { name: string }>();
    for (const queue of earlierParts.flatMap(p => p.queues)) {
        const dixaName = dixaQueueName(queue);
        if (dixaName !== undefined && !dixaNames.has(dixaName)) dixaNames.set(dixaName, queue);
    }
    for (const queue of own.queues) {
        const dixaName = dixaQueueName(queue);
        const other = dixaName === undefined ? undefined : dixaNames.get(dixaName);
        if (other)
            report(
                accept,
                'name-duplicate',
                `Queue ${other.name} in ${where(other)} already has the Dixa name "${dixaName}": sipflow finds Dixa queues by name, so give queue ${queue.name} its own.`,
                { node: queue, property: 'displayName' },
            );
    }
}

/** A department name, or an assistant, already used in an earlier file. */
function checkDepartmentClashes(own: Parts, earlierParts: readonly Parts[], accept: ValidationAcceptor): void {
    const assistants = new Map<string, AstNode & { name: string }>();
    for (const department of earlierParts.flatMap(p => p.departments)) {
        const id = department.assistant?.toLowerCase();
        if (id !== undefined && isUuid(id) && !assistants.has(id)) assistants.set(id, department);
    }
    for (const department of own.departments) {
        const id = department.assistant?.toLowerCase();
        const other = id !== undefined && isUuid(id) ? assistants.get(id) : undefined;
        if (other) reportSharedAssistant(department, `department ${other.name} in ${where(other)}`, accept);
    }
    const departmentNames = new Map(earlierParts.flatMap(p => p.departments).map(d => [d.name, d]));
    for (const department of own.departments) {
        const other = department.name ? departmentNames.get(department.name) : undefined;
        if (other)
            report(accept, 'name-duplicate', `Department ${department.name} is also declared in ${where(other)}: rename one of them.`, { node: department, property: 'name' });
    }
}

/** A DID already used by a queue or department in an earlier file. */
function checkDidClashes(own: Parts, earlierParts: readonly Parts[], accept: ValidationAcceptor): void {
    const dids = new Map<string, AstNode & { name: string }>();
    for (const node of earlierParts.flatMap(p => [...p.queues, ...p.departments])) {
        const check = node.did === undefined ? undefined : checkDid(node.did);
        if (check?.kind === 'valid' && !dids.has(check.e164)) dids.set(check.e164, node);
    }
    for (const node of [...own.queues, ...own.departments]) {
        const check = node.did === undefined ? undefined : checkDid(node.did);
        const other = check?.kind === 'valid' ? dids.get(check.e164) : undefined;
        if (check?.kind === 'valid' && other) {
            const kind = other.$type === 'Queue' ? 'queue' : 'department';
            report(
                accept,
                'did-duplicate',
                `DID ${check.e164} is already used by ${kind} ${other.name} in ${where(originOf(other, 'did'))}: a number serves one inbound assistant or queue.`,
                {
                    node,
                    property: 'did',
                },
            );
        }
    }
}

/** `queues.sipflow:12` */
function where(node: AstNode): string {
    const document = AstUtils.getDocument(node);
    const file = document.uri.path.split('/').pop() ?? document.uri.toString();
    const line = (node.$cstNode?.range.start.line ?? 0) + 1;
    return `${file}:${line}`;
}
