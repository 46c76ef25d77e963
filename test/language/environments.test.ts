import { AstUtils, EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { buildDesiredState, DesiredStateError, environmentsOf, UnknownEnvironmentError, type DesiredState } from '../../src/model/index.js';
import { SYNTHFLOW_REGION_FACTS } from '../../src/vendors/synthflow-facts.js';
import { insideEnvironment } from '../../src/language/validation/environment-checks.js';
import { EXAMPLE } from './helpers.js';

/** The example with an environment block added before the integration's closing brace. */
function withEnvironment(body: string, base = EXAMPLE): string {
    const end = base.lastIndexOf('}');
    return `${base.slice(0, end)}\n  environment staging {\n${body}\n  }\n}\n`;
}

let counter = 0;

/** The texts as files of one folder, built together like the CLI and the language server do. */
async function load(...texts: string[]): Promise<LangiumDocument<SipflowFile>[]> {
    const services = createSipflowServices(EmptyFileSystem);
    const folder = `file:///env-test-${++counter}`;
    const documents = texts.map(
        (text, index) => services.shared.workspace.LangiumDocuments.createDocument(URI.parse(`${folder}/file${index}.sipflow`), text) as LangiumDocument<SipflowFile>,
    );
    await services.shared.workspace.DocumentBuilder.build(documents, { validation: true });
    return documents;
}

async function desired(text: string, environment?: string): Promise<DesiredState> {
    const [main] = await load(text);
    return buildDesiredState(main, [], { environment });
}

const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

/** [code, the text the range covers, message] of each diagnostic. */
function findings(document: LangiumDocument): Array<[string, string, string]> {
    return (document.diagnostics ?? []).map(d => [String(d.code), document.textDocument.getText(d.range), messageOf(d)]);
}

describe('environment overlays: every setting kind', () => {
    it('leaves the default as written and names the environments', async () => {
        const text = withEnvironment('    queue tier1 { did "+4570109999" }');
        const [document] = await load(text);
        expect(environmentsOf(document)).toEqual(['staging']);
        const base = await desired(text);
        expect(base.environment).toBeNull();
        expect(base.owner).toBe('acme');
        expect(base.queues.find(q => q.key === 'tier1')?.did).toBe('+4570101111');
    });

    it("dixa: sip-domain (and every value derived from it) and the allowlist, which replaces the default's", async () => {
        const staging = await desired(
            withEnvironment('    dixa {\n      sip-domain "acme-staging.sip.dixa.com"\n      allowlist synthflow\n      allowlist "10.0.0.1"\n    }'),
            'staging',
        );
        expect(staging.dixa.sipDomain).toBe('acme-staging.sip.dixa.com');
        expect(staging.dixa.company).toBe('acme-staging');
        expect(staging.queues[0]!.escalationUri).toBe('sip:+4570101111@acme-staging.sip.dixa.com');
        expect(staging.departments[0]!.number.terminationUri).toBe('acme-staging.sip.dixa.com');
        expect(staging.departments[0]!.escalations[0]!.target).toBe('sip:+4570101111@acme-staging.sip.dixa.com');
        expect(staging.dixa.allowlist.ips).toContain('10.0.0.1');
        expect(staging.dixa.allowlist.source).toBe('both');
    });

    it('synthflow: region, workspace and trunk-auth', async () => {
        const staging = await desired(
            withEnvironment(
                '    synthflow {\n      region us\n      workspace "staging-ws"\n      trunk-auth credentials { username env:STAGING_USER password env:STAGING_PASS }\n    }',
            ),
            'staging',
        );
        expect(staging.synthflow.region).toBe('us');
        expect(staging.synthflow.sipHost).toBe(SYNTHFLOW_REGION_FACTS.us.sipHost);
        expect(staging.synthflow.workspace).toBe('staging-ws');
        expect(staging.synthflow.trunkAuth).toEqual({ kind: 'credentials', usernameEnv: 'STAGING_USER', passwordEnv: 'STAGING_PASS' });
        expect(staging.dixa.allowlist.ips).toEqual([...SYNTHFLOW_REGION_FACTS.us.signallingIps]);
        expect(staging.departments[0]!.transferSipAddress).toContain(SYNTHFLOW_REGION_FACTS.us.sipHost);
    });

    it("queue: name, did and kind; escalations dial the environment's DID", async () => {
        const staging = await desired(withEnvironment('    queue tier1 {\n      name "Staging – Tier 1"\n      did "+4570109999"\n      kind ring-group\n    }'), 'staging');
        const tier1 = staging.queues.find(q => q.key === 'tier1')!;
        expect(tier1).toMatchObject({ name: 'Staging – Tier 1', did: '+4570109999', kind: 'ring-group' });
        expect(staging.departments.find(d => d.key === 'support')!.escalations[0]!.target).toBe('sip:+4570109999@acme.sip.dixa.com');
        expect(staging.queues.find(q => q.key === 'sales_desk')!.did).toBe('+4570102222');
    });

    it('department: flow, did, assistant, timeout, fallback, uui, header and escalate (lists replace)', async () => {
        const staging = await desired(
            withEnvironment(
                [
                    '    department support {',
                    '      flow "Support staging"',
                    '      did "+4535559999"',
                    '      assistant "11111111-2222-4333-8444-555555555555"',
                    '      timeout 45s',
                    '      fallback sales_desk',
                    '      uui caller',
                    '      header X-Env "staging"',
                    '      escalate sales_desk { mode cold }',
                    '    }',
                ].join('\n'),
            ),
            'staging',
        );
        const support = staging.departments.find(d => d.key === 'support')!;
        expect(support).toMatchObject({
            flow: 'Support staging',
            did: '+4535559999',
            assistantId: '11111111-2222-4333-8444-555555555555',
            timeoutSeconds: 45,
            fallbackQueue: 'sales_desk',
            uui: { key: 'caller', header: 'caller={caller}' },
            headers: [{ name: 'X-Env', value: 'staging' }],
        });
        expect(support.escalations.map(e => [e.queue, e.mode])).toEqual([['sales_desk', 'cold']]);
        expect(support.number.e164).toBe('+4535559999');
        // The other department is the default's.
        expect(staging.departments.find(d => d.key === 'sales')!.did).toBe('+4535555678');
    });

    it("names the environment in every marker, so environments sharing a workspace never adopt each other's", async () => {
        const staging = await desired(withEnvironment('    queue tier1 { did "+4570109999" }'), 'staging');
        expect(staging.environment).toBe('staging');
        expect(staging.owner).toBe('acme@staging');
        expect(staging.ownershipMarker).toBe('sipflow:acme@staging');
        expect(staging.departments[0]!.number.friendlyName).toBe('sipflow:acme@staging/support');
        expect(staging.departments[0]!.escalations[0]!.actionName).toBe('sipflow:acme@staging/support escalate tier1');
    });

    it('refuses an environment the files do not declare, naming those they do', async () => {
        await expect(desired(withEnvironment('    queue tier1 { did "+4570109999" }'), 'prod')).rejects.toThrow(UnknownEnvironmentError);
        await expect(desired(withEnvironment('    queue tier1 { did "+4570109999" }'), 'prod')).rejects.toThrow(
            'integration acme has no environment prod: its environments are staging',
        );
    });
});

describe('environment validation: the effective configuration, with ranges on the overriding lines', () => {
    it('reports a bad overriding value once, on its line, naming the environment', async () => {
        const [document] = await load(withEnvironment('    department support { timeout 2s }'));
        const found = findings(document).filter(([code]) => code === 'timeout-range');
        expect(found).toHaveLength(1);
        expect(found[0]![1]).toBe('2s');
        expect(found[0]![2]).toMatch(/^In environment staging: timeout 2s/);
        expect((document.diagnostics ?? []).find(d => d.code === 'timeout-range')!.data).toMatchObject({ environments: ['staging'] });
    });

    it("does not repeat the default's findings for every environment", async () => {
        const text = withEnvironment('    queue tier1 { did "+4570109999" }', EXAMPLE.replace('timeout 30s', 'timeout 90s'));
        const [document] = await load(text);
        const unusual = findings(document).filter(([code]) => code === 'timeout-unusual');
        expect(unusual).toHaveLength(1);
        expect(unusual[0]![2]).not.toContain('environment');
    });

    it("checks a value against the environment's other settings: its sip-domain, its region, its DIDs", async () => {
        const [document] = await load(
            withEnvironment(
                ['    dixa { sip-domain "acme-staging.sip.dixa.com" }', '    department sales { did "+4535551234" }'].join('\n'),
                EXAMPLE.replace('escalate sales_desk\n', 'escalate "sip:+4570102222@acme.sip.dixa.com"\n'),
            ),
        );
        const codes = findings(document).map(([code, range, message]) => [code, range, message.slice(0, 23)]);
        expect(codes).toContainEqual(['escalation-wrong-domain', '"sip:+4570102222@acme.sip.dixa.com"', 'In environment staging:']);
        expect(codes).toContainEqual(['did-duplicate', '"+4535551234"', 'In environment staging:']);
        // The default itself is clean.
        expect(findings(document).filter(([, , message]) => !message.startsWith('In environment'))).toEqual([]);
    });

    it('with only department overrides, still checks them against the other departments and queues', async () => {
        const [document] = await load(
            withEnvironment(
                '    department sales {\n      did "+4535551234"\n      assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"\n      escalate "sip:+4570101111@other.sip.dixa.com"\n    }',
            ),
        );
        const codes = findings(document).map(([code, range, message]) => [code, range, message.slice(0, 23)]);
        expect(codes).toEqual(
            expect.arrayContaining([
                ['did-duplicate', '"+4535551234"', 'In environment staging:'],
                ['assistant-shared', '"b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"', 'In environment staging:'],
                ['escalation-wrong-domain', '"sip:+4570101111@other.sip.dixa.com"', 'In environment staging:'],
            ]),
        );
    });

    it("an explicit allowlist is checked against the environment's region", async () => {
        const euList = SYNTHFLOW_REGION_FACTS.eu.signallingIps.map(ip => `"${ip}"`).join(', ');
        const base = EXAMPLE.replace('allowlist synthflow', `allowlist ${euList}`);
        const [document] = await load(withEnvironment('    synthflow { region us }', base));
        const incomplete = findings(document).filter(([code]) => code === 'allowlist-incomplete');
        expect(incomplete).toHaveLength(1);
        expect(incomplete[0]![2]).toMatch(/^In environment staging: /);
    });

    it('asks nothing of an override that only a complete block needs', async () => {
        const [document] = await load(withEnvironment('    department support { did "+4535559999" }\n    queue tier1 { kind ring-group }\n    synthflow { workspace "w2" }'));
        expect(findings(document)).toEqual([]);
    });

    it('unknown targets, a target overridden twice, two dixa blocks, one environment declared twice', async () => {
        const text = `${withEnvironment(
            [
                '    queue tier9 { did "+4570109999" }',
                '    department nobody { did "+4535559999" }',
                '    queue tier1 { did "+4570108888" }',
                '    queue tier1 { kind ring-group }',
                '    dixa { sip-domain "a.sip.dixa.com" }',
                '    dixa { sip-domain "b.sip.dixa.com" }',
            ].join('\n'),
        ).replace(/}\n$/, '')}  environment staging { }\n}\n`;
        const [document] = await load(text);
        const codes = findings(document).map(([code, range]) => [code, range]);
        expect(codes).toEqual(
            expect.arrayContaining([
                ['environment-target-unknown', 'tier9'],
                ['environment-target-unknown', 'nobody'],
                ['name-duplicate', 'tier1'],
                ['block-duplicate', 'dixa'],
                ['name-duplicate', 'staging'],
            ]),
        );
        const unknown = findings(document).find(([code]) => code === 'environment-target-unknown')!;
        expect(unknown[2]).toContain('declare "queue tier9 { … }" at the top level first, or override one of: sales_desk, tier1');
    });

    it("an environment's errors block its plans only", async () => {
        const text = `${withEnvironment('    department support { timeout 2s }').replace(/}\n$/, '')}  environment prod {\n    queue tier1 { did "+4570107777" }\n  }\n}\n`;
        const [main] = await load(text);
        expect(() => buildDesiredState(main, [], { environment: 'staging' })).toThrow(DesiredStateError);
        expect(buildDesiredState(main, [], { environment: 'prod' }).queues[0]!.did).toBe('+4570107777');
        expect(buildDesiredState(main, []).queues[0]!.did).toBe('+4570101111');
    });
});

describe('environments across the files of one integration', () => {
    const QUEUES =
        'integration acme {\n  queue tier1 {\n    name "Phone – Tier 1"\n    did "+4570101111"\n  }\n  environment staging {\n    queue tier1 { did "+4535551234" }\n  }\n}\n';
    const ROUTING = EXAMPLE.replace(/ {2}queue tier1 \{[^}]*\}\n/, '');

    it('overrides a queue of another file, and checks DIDs across the files in the environment', async () => {
        const [queues, routing] = await load(QUEUES, ROUTING);
        // In staging the queue's DID is the support department's: reported once, naming the overriding line.
        expect(findings(queues!)).toEqual([]);
        expect(findings(routing!).map(([code, range, message]) => [code, range, message])).toEqual([
            [
                'did-duplicate',
                '"+4535551234"',
                'In environment staging: DID +4535551234 is already used by queue tier1 in file0.sipflow:7: a number serves one inbound assistant or queue.',
            ],
        ]);
    });

    it('builds the environment from every file', async () => {
        const [queues, routing] = await load(QUEUES.replace('"+4535551234"', '"+4570109999"'), ROUTING);
        const staging = buildDesiredState(routing!, [queues!], { environment: 'staging' });
        expect(staging.queues.find(q => q.key === 'tier1')!.did).toBe('+4570109999');
        expect(staging.departments.find(d => d.key === 'support')!.escalations[0]!.target).toBe('sip:+4570109999@acme.sip.dixa.com');
        expect(environmentsOf(routing!, [queues!])).toEqual(['staging']);
    });
});

describe("the editor's quick scan for environment names (status bar, picker)", () => {
    it('finds the declared names, not those in comments or strings, and agrees with the language', async () => {
        const { declaredEnvironments } = await import('../../src/extension/environments.js');
        const text = `${withEnvironment('    queue tier1 { name "environment fake {" }')}\n// environment commented {\n/* environment blocked { */\n`.replace(
            'environment staging {',
            'environment staging {\n  }\n  environment prod {',
        );
        expect(declaredEnvironments(text)).toEqual(['prod', 'staging']);
        const [document] = await load(text);
        expect(environmentsOf(document)).toEqual(declaredEnvironments(text));
    });
});

describe('insideEnvironment', () => {
    it('may compare $type: no type of the language extends Environment', () => {
        const { Sipflow } = createSipflowServices(EmptyFileSystem);
        expect(Sipflow.shared.AstReflection.getAllSubTypes('Environment')).toEqual(['Environment']);
    });

    it('holds for an override and what is in it, not for the default blocks', async () => {
        const text = `${EXAMPLE.trimEnd().replace(/\}\s*$/, '')}\n  environment staging {\n    department support {\n      escalate tier1 { mode cold }\n    }\n  }\n}\n`;
        const { shared } = createSipflowServices(EmptyFileSystem);
        const document = shared.workspace.LangiumDocuments.createDocument(URI.parse('file:///w/inside.sipflow'), text) as LangiumDocument<SipflowFile>;
        expect(document.parseResult.parserErrors).toEqual([]);
        const nodes = AstUtils.streamAst(document.parseResult.value).toArray();
        const inside = nodes.filter(insideEnvironment).map(node => node.$type);
        expect(inside).toEqual(['Environment', 'Department', 'Escalation']);
    });
});
