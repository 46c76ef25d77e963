import type { ValidationAcceptor } from 'langium';
import type { Department, Escalation, Queue } from '../generated/ast.js';
import { dixaEscalationUri } from '../../vendors/dixa-facts.js';
import { DEFAULT_TRANSFER_MODE } from '../../vendors/synthflow-facts.js';
import { checkDid, looksLikePhoneNumber } from '../values/phone-number.js';
import { parseSipUri } from '../values/network.js';
import { report } from './report.js';

export interface EscalationContext {
    /** The integration's Dixa SIP domain, when it is declared and valid. */
    readonly sipDomain?: string;
    /** Queues this escalation may name: the file's own and those of the same integration elsewhere. */
    readonly queues: readonly Queue[];
}

export function checkEscalation(escalation: Escalation, context: EscalationContext, accept: ValidationAcceptor): void {
    if (escalation.mode === 'cold') {
        report(
            accept,
            'cold-transfer-refer',
            'mode cold transfers with SIP REFER, which Dixa is not confirmed to accept: the call may drop. Prefer "mode warm".',
            {
                node: escalation,
                property: 'mode',
            },
            { replacement: DEFAULT_TRANSFER_MODE },
        );
    }
    if (escalation.uri !== undefined) checkEscalationUri(escalation, escalation.uri, context, accept);
}

function checkEscalationUri(escalation: Escalation, uri: string, context: EscalationContext, accept: ValidationAcceptor): void {
    const queueByDid = (did: string): Queue | undefined => {
        const wanted = checkDid(did);
        if (wanted.kind !== 'valid') return undefined;
        return context.queues.find(queue => {
            if (queue.did === undefined) return false;
            const own = checkDid(queue.did);
            return own.kind === 'valid' && own.e164 === wanted.e164;
        });
    };

    if (looksLikePhoneNumber(uri)) {
        const number = uri.replace(/^\s*tel:/, '').trim();
        const owner = queueByDid(number);
        const canonical = checkDid(number);
        const sipUri = context.sipDomain && canonical.kind === 'valid' ? dixaEscalationUri(canonical.e164, context.sipDomain) : undefined;
        const instead = owner ? `"escalate ${owner.name}"` : sipUri ? `"escalate \\"${sipUri}\\""` : 'a SIP URI on the Dixa sip-domain';
        report(
            accept,
            'escalation-not-sip',
            `"${uri}" is a plain phone number: Dixa routes escalations by SIP URI only. Write ${instead}.`,
            {
                node: escalation,
                property: 'uri',
            },
            { name: owner?.name, replacement: sipUri },
        );
        return;
    }

    const parsed = parseSipUri(uri);
    if (!parsed.ok) {
        report(accept, 'sip-uri-invalid', `"${uri}" is not a valid SIP URI: ${parsed.reason}. Write "sip:{queue did}@{sip-domain}" or name a queue: "escalate tier1".`, {
            node: escalation,
            property: 'uri',
        });
        return;
    }
    const { user, host } = parsed.uri;
    if (context.sipDomain !== undefined && host !== context.sipDomain.toLowerCase()) {
        const fixed = `${parsed.uri.scheme}:${user}@${context.sipDomain}`;
        report(
            accept,
            'escalation-wrong-domain',
            `The escalation goes to ${host}, not to the Dixa sip-domain ${context.sipDomain}: Synthflow would transfer the caller away from Dixa. Write "${fixed}".`,
            {
                node: escalation,
                property: 'uri',
            },
            { replacement: fixed },
        );
        return;
    }
    const owner = queueByDid(user);
    if (owner === undefined) {
        report(
            accept,
            'escalation-unknown-queue',
            `${user} is not the DID of a declared queue: make sure it is mapped to an agent queue in Dixa, or declare that queue and write "escalate {queue}".`,
            {
                node: escalation,
                property: 'uri',
            },
            { name: queueNameFor(user) },
        );
    }
}

/** A queue name derived from a DID, for the quick fix that declares the missing queue. */
function queueNameFor(user: string): string {
    const digits = user.replace(/\D/g, '');
    return `queue_${digits.slice(-4) || 'new'}`;
}

/**
 * escalation-duplicate: each escalation becomes one Synthflow transfer action of the department's
 * assistant, identified by its target; two escalations to one target (a queue, or a SIP URI that is
 * that queue's escalation address) would be two actions for one transfer.
 */
export function checkDuplicateEscalations(department: Department, sipDomain: string | undefined, accept: ValidationAcceptor): void {
    const first = new Map<string, Escalation>();
    for (const escalation of department.escalations) {
        const target = escalationTarget(escalation, sipDomain);
        if (target === undefined) continue;
        const earlier = first.get(target);
        if (earlier === undefined) {
            first.set(target, escalation);
            continue;
        }
        const line = (earlier.$cstNode?.range.start.line ?? 0) + 1;
        report(
            accept,
            'escalation-duplicate',
            `Department ${department.name} already escalates to ${target} (line ${line}): the assistant has one transfer action per target. Remove this escalate, or merge its settings into the first.`,
            {
                node: escalation,
                property: escalation.queue !== undefined ? 'queue' : 'uri',
            },
        );
    }
}

/** Where an escalation transfers to: the queue's Dixa SIP address, or the URI as written (trimmed). */
function escalationTarget(escalation: Escalation, sipDomain: string | undefined): string | undefined {
    if (escalation.uri !== undefined) return escalation.uri.trim();
    const queue = escalation.queue?.ref;
    if (queue?.did === undefined) return undefined; // unresolved or without did: reported elsewhere
    const did = checkDid(queue.did);
    if (did.kind !== 'valid') return undefined;
    return sipDomain !== undefined ? dixaEscalationUri(did.e164, sipDomain) : `queue ${queue.name}`;
}
