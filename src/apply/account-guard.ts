/**
 * The account guard, like the AWS provider's `allowed_account_ids`: a file for one Dixa organization is
 * never planned or applied with another organization's token. plan, apply (a file or a saved plan), the
 * extension's Plan and Apply and `verify --call` run it on what they read before their first write;
 * `sipflow doctor` reports the same comparison. One rule, here:
 *
 * - The file is for `organization "…"` when its dixa block says so, else for the `{company}` of its
 *   `sip-domain "{company}.sip.dixa.com"` (an assumption: dixa-subdomain-is-company).
 * - Dixa's `GET /organization` answers the token's organization; its `subdomain` must equal that name,
 *   compared case-insensitively (subdomains are DNS labels).
 * - Synthflow: no read names the workspace a key belongs to (see the assumption synthflow-key-workspace
 *   in docs/assumptions.md), so the guard cannot compare it; doctor reports what can be read.
 */
import { SipflowError } from '../errors.js';
import type { DesiredDixaOrganization, DesiredState } from '../model/index.js';
import type { DixaOrganization, DixaProvider } from '../providers/types.js';

export type OrganizationVerdict =
    /** The token reaches the organization the file is for. */
    | 'match'
    /** It reaches another one. */
    | 'mismatch'
    /** The file names no organization (its sip-domain is not `{company}.sip.dixa.com` and it has no `organization`). */
    | 'unknown';

/** The guard's comparison, shared with `sipflow doctor`. */
export function compareOrganization(expected: DesiredDixaOrganization | null, organization: Pick<DixaOrganization, 'subdomain'>): OrganizationVerdict {
    if (expected === null) return 'unknown';
    return organization.subdomain.trim().toLowerCase() === expected.subdomain.trim().toLowerCase() ? 'match' : 'mismatch';
}

/** Where the expected name came from, for messages. */
export function describeExpectedOrganization(desired: Pick<DesiredState, 'dixa'>): string {
    const expected = desired.dixa.organization;
    if (expected === null) return `no organization (sip-domain "${desired.dixa.sipDomain}" is not {company}.sip.dixa.com, and the dixa block has no organization)`;
    return expected.from === 'file' ? `"${expected.subdomain}" (its dixa organization)` : `"${expected.subdomain}" (the company of its sip-domain "${desired.dixa.sipDomain}")`;
}

/** Refused by the account guard: the token reaches another organization than the file is for. */
export class AccountMismatchError extends SipflowError {
    constructor(message: string) {
        super('account-mismatch', message);
    }
}

/**
 * The one-line refusal when `organization` (GET /organization) is not the one the file is for, else
 * undefined. `source` names the file (or saved plan) in the message.
 */
export function accountMismatchMessage(desired: Pick<DesiredState, 'dixa'>, organization: Pick<DixaOrganization, 'subdomain'>, source: string): string | undefined {
    const expected = desired.dixa.organization;
    const verdict = compareOrganization(expected, organization);
    if (verdict === 'match') return undefined;
    const actual = organization.subdomain;
    if (verdict === 'unknown') {
        return `the Dixa token reaches organization "${actual}", but ${source} names ${describeExpectedOrganization(desired)}: add organization "${actual}" to its dixa block if that is the organization it is for. Nothing was changed.`;
    }
    const wanted = expected!.subdomain;
    const escape =
        expected!.from === 'file'
            ? 'or fix organization in its dixa block'
            : `or, if "${actual}" is right (its subdomain differs from the SIP domain's company), write organization "${actual}" in its dixa block`;
    return `the Dixa token reaches organization "${actual}", but ${source} is for ${describeExpectedOrganization(desired)}: use ${wanted}'s DIXA_API_TOKEN, ${escape}. Nothing was changed.`;
}

/** Throws AccountMismatchError unless the organization read is the one the file is for. */
export function checkAccount(desired: Pick<DesiredState, 'dixa'>, organization: Pick<DixaOrganization, 'subdomain'> | null, source: string): void {
    // readLiveState always reads it; a state without it cannot show that the token is the right one.
    if (organization === null) throw new AccountMismatchError(`the Dixa organization was not read, so ${source} cannot be checked against the token's: nothing was changed.`);
    const message = accountMismatchMessage(desired, organization, source);
    if (message !== undefined) throw new AccountMismatchError(message);
}

/** Reads GET /organization and checks it: for commands that write without reading the live state first. */
export async function guardAccount(desired: Pick<DesiredState, 'dixa'>, dixa: Pick<DixaProvider, 'getOrganization'>, source: string): Promise<void> {
    checkAccount(desired, await dixa.getOrganization(), source);
}
