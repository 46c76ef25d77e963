// The account guard's one rule (src/apply/account-guard.ts), on desired states built from real files.
import { describe, expect, it } from 'vitest';
import { AccountMismatchError, accountMismatchMessage, checkAccount, compareOrganization, guardAccount } from '../../src/apply/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { desiredFrom, EXAMPLE, exampleWith } from '../model/helpers.js';

const organization = (subdomain: string) => ({ id: 'org', name: 'Org', subdomain });

describe('compareOrganization', () => {
    it("matches the sip-domain's company, case-insensitively", () => {
        const expected = { subdomain: 'acme', from: 'sip-domain' } as const;
        expect(compareOrganization(expected, organization('acme'))).toBe('match');
        expect(compareOrganization(expected, organization('ACME'))).toBe('match');
        expect(compareOrganization(expected, organization('globex'))).toBe('mismatch');
        expect(compareOrganization(expected, organization('acme-eu'))).toBe('mismatch');
    });

    it('is unknown when the file names no organization', () => {
        expect(compareOrganization(null, organization('acme'))).toBe('unknown');
    });
});

describe('the guard on a file', () => {
    let example: DesiredState;
    const load = async () => (example ??= await desiredFrom(EXAMPLE));

    it('lets the organization the file is for through', async () => {
        expect(accountMismatchMessage(await load(), organization('Acme'), 'acme.sipflow')).toBeUndefined();
        expect(() => checkAccount(example, organization('acme'), 'acme.sipflow')).not.toThrow();
    });

    it('refuses another one in one line naming both, the rule and the way out', async () => {
        const message = accountMismatchMessage(await load(), organization('globex'), 'acme.sipflow');
        expect(message).toBe(
            'the Dixa token reaches organization "globex", but acme.sipflow is for "acme" (the company of its sip-domain "acme.sip.dixa.com"): ' +
                'use acme\'s DIXA_API_TOKEN, or, if "globex" is right (its subdomain differs from the SIP domain\'s company), write organization "globex" in its dixa block. Nothing was changed.',
        );
        expect(message).not.toContain('\n');
        expect(() => checkAccount(example, organization('globex'), 'acme.sipflow')).toThrow(AccountMismatchError);
    });

    it('expects the explicit organization instead of the company, case-insensitively', async () => {
        const explicit = await desiredFrom(exampleWith(['allowlist synthflow', 'organization "Acme-EU"\n    allowlist synthflow']));
        expect(accountMismatchMessage(explicit, organization('acme-eu'), 'f.sipflow')).toBeUndefined();
        expect(accountMismatchMessage(explicit, organization('acme'), 'f.sipflow')).toBe(
            'the Dixa token reaches organization "acme", but f.sipflow is for "Acme-EU" (its dixa organization): use Acme-EU\'s DIXA_API_TOKEN, or fix organization in its dixa block. Nothing was changed.',
        );
    });

    it('refuses when the file names no organization, saying what to write', async () => {
        const other = await desiredFrom(exampleWith(['sip-domain "acme.sip.dixa.com"', 'sip-domain "sip.acme.example"']));
        expect(other.dixa.organization).toBeNull();
        expect(accountMismatchMessage(other, organization('acme'), 'f.sipflow')).toMatch(
            /^the Dixa token reaches organization "acme", but f\.sipflow names no organization .*: add organization "acme" to its dixa block/,
        );
    });

    it('refuses a live state without the organization', async () => {
        const desired = await load();
        expect(() => checkAccount(desired, null, 'acme.sipflow')).toThrow(/not read/);
    });

    it('guardAccount reads GET /organization, and passes a read failure on as it is', async () => {
        let reads = 0;
        const reading = (subdomain: string) => ({ getOrganization: async () => (reads++, organization(subdomain)) });
        await expect(guardAccount(await load(), reading('acme'), 'acme.sipflow')).resolves.toBeUndefined();
        await expect(guardAccount(example, reading('globex'), 'acme.sipflow')).rejects.toThrow(AccountMismatchError);
        expect(reads).toBe(2);
        const failure = new Error('Dixa: 401');
        await expect(guardAccount(example, { getOrganization: () => Promise.reject(failure) }, 'acme.sipflow')).rejects.toBe(failure);
    });
});
