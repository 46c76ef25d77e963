import { AstUtils, type AstNode } from 'langium';
import type { Department, Escalation, Integration, Queue } from '../generated/ast.js';
import { isIntegration } from '../generated/ast.js';
import { integrationParts } from '../integration-parts.js';
import { checkDid } from '../values/phone-number.js';
import { isHostName } from '../values/network.js';
import { dixaEscalationUri } from '../../vendors/dixa-facts.js';
import { isSynthflowRegion, synthflowSipAddress, type SynthflowRegion } from '../../vendors/synthflow-facts.js';

/**
 * The values an editor shows next to a declaration, derived from the declaration and its integration.
 * Each is either the value or the reason it cannot be derived, so that a hover can say what is missing.
 */
export type Derived = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

const derived = (value: string): Derived => ({ ok: true, value });
const missing = (reason: string): Derived => ({ ok: false, reason });

/** The integration-wide settings the derivations depend on. */
export interface IntegrationSettings {
    readonly region?: SynthflowRegion;
    /** The Dixa SIP domain when it is declared and a valid host name. */
    readonly sipDomain?: string;
}

/**
 * The settings of the node's integration. An integration may be split over files (queues in one, the vendor
 * blocks in another): pass `siblingsOf` (SipflowQueues.siblingsOf: the scoping rule) to complete what the
 * node's own file does not declare.
 */
export function integrationSettingsOf(node: AstNode, siblingsOf?: (integration: Integration) => readonly Integration[]): IntegrationSettings {
    const integration = AstUtils.getContainerOfType(node, isIntegration);
    if (!integration) return {};
    let settings = settingsDeclaredIn(integration);
    if (siblingsOf && (settings.region === undefined || settings.sipDomain === undefined)) {
        for (const other of siblingsOf(integration)) {
            const declared = settingsDeclaredIn(other);
            settings = { region: settings.region ?? declared.region, sipDomain: settings.sipDomain ?? declared.sipDomain };
        }
    }
    return settings;
}

function settingsDeclaredIn(integration: Integration): IntegrationSettings {
    const { dixa, synthflow } = integrationParts(integration);
    const region = synthflow?.region;
    const sipDomain = dixa?.sipDomain;
    return {
        region: isSynthflowRegion(region) ? region : undefined,
        sipDomain: sipDomain !== undefined && isHostName(sipDomain) ? sipDomain : undefined,
    };
}

/** The canonical E.164 form of a `did`, or why there is none. */
export function canonicalDid(did: string | undefined): Derived {
    if (did === undefined) return missing('no `did` is declared');
    const check = checkDid(did);
    return check.kind === 'valid' ? derived(check.e164) : missing(`\`${did}\` is not a valid phone number`);
}

/** `sip:{queue did}@{sip-domain}`: the URI an escalation to this queue dials. */
export function queueEscalationUri(queue: Queue, settings: IntegrationSettings = integrationSettingsOf(queue)): Derived {
    const did = canonicalDid(queue.did);
    if (!did.ok) return did;
    if (settings.sipDomain === undefined) return missing('the `dixa` block declares no valid `sip-domain`');
    return derived(dixaEscalationUri(did.value, settings.sipDomain));
}

/** `{did}@sip[.region].synthflow.ai:32681`: what Dixa's transfer step dials to reach the department's assistant. */
export function departmentSipAddress(department: Department, settings: IntegrationSettings = integrationSettingsOf(department)): Derived {
    const did = canonicalDid(department.did);
    if (!did.ok) return did;
    if (settings.region === undefined) return missing('the `synthflow` block declares no `region`');
    return derived(synthflowSipAddress(did.value, settings.region));
}

/** The SIP URI an escalation dials: its queue's URI, or the URI written in it. */
export function escalationUri(escalation: Escalation, settings: IntegrationSettings = integrationSettingsOf(escalation)): Derived {
    if (escalation.uri !== undefined) return derived(escalation.uri);
    const queue = escalation.queue?.ref;
    if (!queue) return missing(`queue \`${escalation.queue?.$refText ?? ''}\` is not declared`);
    return queueEscalationUri(queue, settings);
}

/** Markdown for a derived value: the value as code, or the reason in italics. */
export function showDerived(value: Derived): string {
    return value.ok ? `\`${value.value}\`` : `_unknown: ${value.reason}_`;
}
