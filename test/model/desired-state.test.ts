import { describe, expect, it } from 'vitest';
import { EmptyFileSystem, URI } from 'langium';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { buildDesiredState, DesiredStateError, ModelInputError, sourceHashOf } from '../../src/model/index.js';
import { desiredFrom, EXAMPLE, exampleWith, loadDocuments } from './helpers.js';

describe('desired state of the canonical example', () => {
    it('derives the integration, Dixa and Synthflow settings', async () => {
        const desired = await desiredFrom(EXAMPLE);
        expect(desired.integration).toBe('acme');
        expect(desired.ownershipMarker).toBe('sipflow:acme');
        expect(desired.dixa).toEqual({
            sipDomain: 'acme.sip.dixa.com',
            company: 'acme',
            organization: { subdomain: 'acme', from: 'sip-domain' },
            allowlist: {
                source: 'region',
                ips: ['34.185.212.150', '34.89.186.33', '35.242.217.198'],
                regionIps: ['34.185.212.150', '34.89.186.33', '35.242.217.198'],
                missingRegionIps: [],
            },
        });
        expect(desired.synthflow).toEqual({
            region: 'eu',
            apiBaseUrl: 'https://api.eu.synthflow.ai/v2',
            apiHost: 'api.eu.synthflow.ai',
            sipHost: 'sip.eu.synthflow.ai',
            sipPort: 32681,
            workspace: '1738660423280x428309622607052800',
            trunkAuth: { kind: 'ip' },
        });
    });

    it('derives queues with their Dixa offer algorithm and escalation URI', async () => {
        const desired = await desiredFrom(EXAMPLE);
        expect(desired.queues).toEqual([
            { key: 'tier1', name: 'Phone – Tier 1', did: '+4570101111', kind: 'queue', offerAlgorithm: null, escalationUri: 'sip:+4570101111@acme.sip.dixa.com' },
            { key: 'sales_desk', name: 'Phone – Sales', did: '+4570102222', kind: 'ring-group', offerAlgorithm: 'AllAtOnce', escalationUri: 'sip:+4570102222@acme.sip.dixa.com' },
        ]);
    });

    it('derives every value of the support department', async () => {
        const support = (await desiredFrom(EXAMPLE)).departments[0];
        expect(support).toEqual({
            key: 'support',
            flow: 'Support DK',
            did: '+4535551234',
            slug: '4535551234',
            assistantId: 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6',
            timeoutSeconds: 30,
            fallbackQueue: 'tier1',
            uui: { key: 'phone_number', header: 'phone_number={caller}' },
            headers: [],
            transferSipAddress: '+4535551234@sip.eu.synthflow.ai:32681',
            number: {
                e164: '+4535551234',
                slug: '4535551234',
                friendlyName: 'sipflow:acme/support',
                providerName: 'custom',
                terminationUri: 'acme.sip.dixa.com',
                trunkUsernameEnv: null,
                trunkPasswordEnv: null,
            },
            escalations: [
                {
                    queue: 'tier1',
                    target: 'sip:+4570101111@acme.sip.dixa.com',
                    mode: 'warm',
                    actionName: 'sipflow:acme/support escalate tier1',
                    transfer: {
                        transferMode: 'warm_transfer',
                        phone: 'sip:+4570101111@acme.sip.dixa.com',
                        instructions: 'The caller asks for a human, or the problem cannot be solved',
                        initiatingMsg: 'One moment, I am putting you through to a colleague.',
                    },
                },
            ],
        });
    });

    it('fills the escalation defaults when when/say are omitted', async () => {
        const sales = (await desiredFrom(EXAMPLE)).departments[1];
        expect(sales.key).toBe('sales');
        expect(sales.transferSipAddress).toBe('+4535555678@sip.eu.synthflow.ai:32681');
        expect(sales.escalations[0].transfer).toEqual({
            transferMode: 'warm_transfer',
            phone: 'sip:+4570102222@acme.sip.dixa.com',
            instructions: 'The caller asks to speak to a human, or the assistant cannot resolve the request',
            initiatingMsg: 'One moment, I am transferring you to a colleague.',
        });
        expect(sales.escalations[0].transfer).not.toHaveProperty('failedMsg');
    });

    it('is deep-frozen plain data that survives JSON', async () => {
        const desired = await desiredFrom(EXAMPLE);
        expect(Object.isFrozen(desired)).toBe(true);
        expect(Object.isFrozen(desired.departments[0].escalations[0].transfer)).toBe(true);
        expect(() => {
            (desired.departments as unknown as unknown[]).push({});
        }).toThrow(TypeError);
        expect(JSON.parse(JSON.stringify(desired))).toEqual(desired);
    });
});

describe('regions', () => {
    it.each([
        ['us', 'https://api.us.synthflow.ai/v2', 'sip.us.synthflow.ai', '+4535551234@sip.us.synthflow.ai:32681', ['35.237.42.43', '34.139.4.161', '4.138.180.50']],
        ['global', 'https://api.synthflow.ai/v2', 'sip.synthflow.ai', '+4535551234@sip.synthflow.ai:32681', ['34.138.86.8', '34.75.151.191', '34.23.45.239', '35.231.28.238']],
    ])('region %s', async (region, apiBaseUrl, sipHost, address, ips) => {
        const desired = await desiredFrom(exampleWith(['region eu', `region ${region}`]));
        expect(desired.synthflow.apiBaseUrl).toBe(apiBaseUrl);
        expect(desired.synthflow.sipHost).toBe(sipHost);
        expect(desired.departments[0].transferSipAddress).toBe(address);
        expect(desired.dixa.allowlist.ips).toEqual(ips);
        // The escalation URI is Dixa's, whatever the Synthflow region.
        expect(desired.departments[0].escalations[0].target).toBe('sip:+4570101111@acme.sip.dixa.com');
    });
});

describe('the Dixa organization the file is for', () => {
    it("is the organization setting when written, else the sip-domain's company", async () => {
        expect((await desiredFrom(exampleWith(['sip-domain "acme.sip.dixa.com"', 'sip-domain "ACME.sip.dixa.com"']))).dixa.organization).toEqual({
            subdomain: 'acme',
            from: 'sip-domain',
        });
        const explicit = await desiredFrom(exampleWith(['allowlist synthflow', 'organization "Acme-DK"\n    allowlist synthflow']));
        expect(explicit.dixa.organization).toEqual({ subdomain: 'Acme-DK', from: 'file' });
        expect(explicit.dixa.company).toBe('acme');
    });

    it('is null for a sip-domain not of the Dixa form without the setting', async () => {
        const desired = await desiredFrom(exampleWith(['sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.example.com"']));
        expect(desired.dixa.organization).toBeNull();
        const named = await desiredFrom(exampleWith(['sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.example.com"\n    organization "acme"']));
        expect(named.dixa.organization).toEqual({ subdomain: 'acme', from: 'file' });
    });
});

describe('allowlists', () => {
    it('an explicit list is kept as written and its gaps against the region are named', async () => {
        const desired = await desiredFrom(exampleWith(['allowlist synthflow', 'allowlist "34.185.212.150", "34.89.186.33"']));
        expect(desired.dixa.allowlist).toEqual({
            source: 'explicit',
            ips: ['34.185.212.150', '34.89.186.33'],
            regionIps: ['34.185.212.150', '34.89.186.33', '35.242.217.198'],
            missingRegionIps: ['35.242.217.198'],
        });
    });

    it('region IPs and extra IPs together, de-duplicated, region first', async () => {
        const desired = await desiredFrom(exampleWith(['allowlist synthflow', 'allowlist synthflow\n    allowlist "10.1.2.3", "34.89.186.33"']));
        expect(desired.dixa.allowlist.source).toBe('both');
        expect(desired.dixa.allowlist.ips).toEqual(['34.185.212.150', '34.89.186.33', '35.242.217.198', '10.1.2.3']);
        expect(desired.dixa.allowlist.missingRegionIps).toEqual([]);
    });
});

describe('trunk credentials', () => {
    const withCredentials = exampleWith(['trunk-auth ip', 'trunk-auth credentials { username env:ACME_SIP_USER password env:ACME_SIP_PASSWORD }']);

    it('are environment variable names only', async () => {
        const desired = await desiredFrom(withCredentials);
        expect(desired.synthflow.trunkAuth).toEqual({ kind: 'credentials', usernameEnv: 'ACME_SIP_USER', passwordEnv: 'ACME_SIP_PASSWORD' });
        expect(desired.departments[0].number.trunkUsernameEnv).toBe('ACME_SIP_USER');
        expect(desired.departments[0].number.trunkPasswordEnv).toBe('ACME_SIP_PASSWORD');
    });

    it('are never resolved while building the model', async () => {
        process.env.ACME_SIP_PASSWORD = 'hunter2-model-test';
        try {
            const desired = await desiredFrom(withCredentials);
            expect(JSON.stringify(desired)).not.toContain('hunter2-model-test');
        } finally {
            delete process.env.ACME_SIP_PASSWORD;
        }
    });

    it('a literal is refused without repeating it', async () => {
        const text = exampleWith(['trunk-auth ip', 'trunk-auth credentials { username env:U password "s3cr3t-literal" }']);
        const error = await desiredFrom(text).catch(e => e);
        expect(error).toBeInstanceOf(DesiredStateError);
        expect((error as DesiredStateError).problems.map(p => p.code)).toContain('plaintext-secret');
        expect((error as DesiredStateError).message).not.toContain('s3cr3t-literal');
    });
});

describe('other derivations', () => {
    it('canonicalises DIDs, defaults timeout and uui, maps cold/failed/explicit URIs', async () => {
        const text = exampleWith(
            ['did "+4535555678"', 'did "+45 35 55 56 78"'],
            ['    timeout 30s\n    fallback sales_desk', '    fallback sales_desk'],
            ['escalate sales_desk', 'escalate "sip:+4570102222@acme.sip.dixa.com" { mode cold failed "Nobody is free." }'],
        );
        const sales = (await desiredFrom(text)).departments[1];
        expect(sales.did).toBe('+4535555678');
        expect(sales.slug).toBe('4535555678');
        expect(sales.timeoutSeconds).toBe(30);
        expect(sales.uui).toEqual({ key: 'phone_number', header: 'phone_number={caller}' });
        expect(sales.escalations[0]).toMatchObject({
            queue: 'sales_desk',
            target: 'sip:+4570102222@acme.sip.dixa.com',
            mode: 'cold',
            actionName: 'sipflow:acme/sales escalate sales_desk',
            transfer: { transferMode: 'cold_transfer', failedMsg: 'Nobody is free.' },
        });
    });

    it('a timeout in minutes, warm-with-context, and a department without fallback', async () => {
        const text = exampleWith(['    timeout 30s\n    fallback sales_desk', '    timeout 1m'], ['escalate sales_desk', 'escalate sales_desk { mode warm-with-context }']);
        const sales = (await desiredFrom(text)).departments[1];
        expect(sales.timeoutSeconds).toBe(60);
        expect(sales.fallbackQueue).toBeNull();
        expect(sales.escalations[0].transfer.transferMode).toBe('warm_transfer_with_context');
    });
});

describe('files of one integration', () => {
    const queues = `integration acme {
  queue tier1 { name "Phone – Tier 1" did "+4570101111" }
}
`;
    const main = EXAMPLE.replace(/  queue tier1 \{[^}]*\}\n/, '');

    it('merges the queues another file declares', async () => {
        const other = 'integration other {\n  queue tier1 { name "Other" did "+4570109999" }\n}';
        const [first, second, third] = await loadDocuments(main, queues, other);
        const desired = buildDesiredState(first, [second, third]);
        expect(desired.queues.map(q => q.key)).toEqual(['sales_desk', 'tier1']);
        expect(desired.departments[0].fallbackQueue).toBe('tier1');
        expect(desired.sources).toHaveLength(2);
    });

    it('refuses a second dixa or synthflow block in another file, once per block', async () => {
        const header = EXAMPLE.slice(0, EXAMPLE.indexOf('  queue tier1'));
        const [first, second] = await loadDocuments(main, `${header}  queue tier1 { name "Phone – Tier 1" did "+4570101111" }\n}\n`);
        const error = (() => {
            try {
                buildDesiredState(first, [second]);
                return undefined;
            } catch (e) {
                return e;
            }
        })();
        expect(error).toBeInstanceOf(DesiredStateError);
        expect((error as DesiredStateError).problems.map(p => p.code)).toEqual(['block-duplicate', 'block-duplicate']);
    });

    it('is a caller error when the file with the referenced queue is not given (validation saw it)', async () => {
        const [first] = await loadDocuments(main, queues);
        expect(first.diagnostics?.filter(d => d.severity === 1)).toEqual([]);
        expect(() => buildDesiredState(first)).toThrow(ModelInputError);
        expect(() => buildDesiredState(first)).toThrow(/which was not given with the other files of integration acme/);
    });
});

describe('refusal', () => {
    it('lists every validation error with its code and position', async () => {
        const text = exampleWith(['did "+4535551234"', 'did "+45 12"'], ['assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90"', 'assistant "nope"']);
        const error = await desiredFrom(text).catch(e => e);
        expect(error).toBeInstanceOf(DesiredStateError);
        const problems = (error as DesiredStateError).problems;
        expect(problems.map(p => p.code)).toEqual(expect.arrayContaining(['e164-invalid', 'assistant-id-invalid']));
        expect(problems.every(p => p.line !== undefined && p.uri?.startsWith('memory:'))).toBe(true);
        expect((error as DesiredStateError).message).toMatch(/^Cannot plan integration acme: \d+ errors to fix first\./);
    });

    it('refuses a file without an integration: nothing to build', async () => {
        const [document] = await loadDocuments('// empty\n');
        expect(() => buildDesiredState(document)).toThrow(ModelInputError);
        expect(() => buildDesiredState(document)).toThrow(/declares no integration/);
    });

    it("lists exactly the documents' error diagnostics, with their codes, and nothing of its own", async () => {
        const text = exampleWith(
            ['    name "Phone – Tier 1"\n    did "+4570101111"\n', '    name "Phone – Tier 1"\n'],
            ['    escalate sales_desk\n', '    escalate sales_desk\n    escalate sales_desk { mode cold }\n'],
        );
        const [document] = await loadDocuments(text);
        const errors = (document.diagnostics ?? []).filter(d => d.severity === 1);
        expect(errors.map(d => d.code).sort()).toEqual(['escalation-duplicate', 'required-missing']);
        const error = (() => {
            try {
                buildDesiredState(document);
                return undefined;
            } catch (e) {
                return e;
            }
        })();
        expect(error).toBeInstanceOf(DesiredStateError);
        const problems = (error as DesiredStateError).problems;
        expect(problems.map(p => [p.code, p.line, p.message])).toEqual(errors.map(d => [d.code, d.range.start.line + 1, d.message]));
        expect(problems.some(p => p.code.startsWith('model-'))).toBe(false);
    });

    it('warnings and hints do not refuse', async () => {
        const [document] = await loadDocuments(exampleWith(['mode warm', 'mode cold']));
        expect(document.diagnostics?.map(d => d.code)).toEqual(['cold-transfer-refer']);
        expect(buildDesiredState(document).departments[0].escalations[0].mode).toBe('cold');
    });

    it('refuses a document that was not validated, instead of trusting it', async () => {
        const services = createSipflowServices(EmptyFileSystem);
        const document = services.shared.workspace.LangiumDocuments.createDocument(URI.parse('memory:///unvalidated.sipflow'), EXAMPLE);
        await services.shared.workspace.DocumentBuilder.build([document], { validation: false });
        expect(() => buildDesiredState(document as never)).toThrow(/was not validated/);
    });
});

describe('source hash', () => {
    it('is the hash of the texts, independent of order', async () => {
        const desired = await desiredFrom(EXAMPLE);
        expect(desired.sourceHash).toBe(sourceHashOf([EXAMPLE]));
        expect(sourceHashOf(['a', 'b'])).toBe(sourceHashOf(['b', 'a']));
        expect(sourceHashOf(['a'])).not.toBe(sourceHashOf(['a ']));
        const edited = await desiredFrom(`${EXAMPLE}\n// a comment\n`);
        expect(edited.sourceHash).not.toBe(desired.sourceHash);
    });
});

describe('headers', () => {
    it('carries each header X-… into its department, in file order, as written', async () => {
        const desired = await desiredFrom(exampleWith(['    uui phone_number\n', '    uui phone_number\n    header X-Caller "{caller}"\n    header X-Dixa-Queue "support"\n']));
        expect(desired.departments[0].headers).toEqual([
            { name: 'X-Caller', value: '{caller}' },
            { name: 'X-Dixa-Queue', value: 'support' },
        ]);
        expect(desired.departments[1].headers).toEqual([]);
    });
});
