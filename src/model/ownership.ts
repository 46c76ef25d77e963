/**
 * Ownership markers: how sipflow recognises what it created. Synthflow numbers carry
 * `sipflow:{integration}/{department}` as their friendly name; transfer actions carry
 * `sipflow:{integration}/{department} escalate {queue or URI}` as their name. Dixa queues cannot carry a
 * marker (no writable field) and are matched by name only.
 */

export const OWNERSHIP_PREFIX = 'sipflow:';

/**
 * Whose resources a marker names: `acme` for the default configuration, `acme@staging` for an
 * environment's, so that two environments sharing one Synthflow workspace never adopt or prune each
 * other's numbers and actions.
 */
export function ownerKey(integration: string, environment: string | null | undefined): string {
    return environment ? `${integration}@${environment}` : integration;
}

/** `sipflow:acme` */
export function ownershipMarker(integration: string): string {
    return `${OWNERSHIP_PREFIX}${integration}`;
}

/** `sipflow:acme/support`: a number's friendly name. */
export function departmentMarker(integration: string, department: string): string {
    return `${ownershipMarker(integration)}/${department}`;
}

/** `sipflow:acme/support escalate tier1` */
export function escalationActionName(integration: string, department: string, target: string): string {
    return `${departmentMarker(integration, department)} escalate ${target}`;
}

export interface Ownership {
    /** The owner key: the integration, with `@environment` for an environment's resources. */
    readonly integration: string;
    readonly department: string;
}

const MARKER = /^sipflow:([_a-zA-Z][\w]*(?:@[_a-zA-Z][\w]*)?)\/([_a-zA-Z][\w]*)(?:\s|$)/;

/** The integration and department a friendly name or action name claims, or undefined if it carries no marker. */
export function parseOwnership(name: string | null | undefined): Ownership | undefined {
    if (!name) return undefined;
    const match = MARKER.exec(name);
    return match ? { integration: match[1], department: match[2] } : undefined;
}
