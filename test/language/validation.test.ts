import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTICS, type DiagnosticCode } from '../../src/language/diagnostic-codes.js';
import { SYNTHFLOW_REGION_FACTS } from '../../src/vendors/synthflow-facts.js';
import { EXAMPLE, exampleWith, rangeText, validate } from './helpers.js';

const SEVERITY: Record<string, DiagnosticSeverity> = {
    error: DiagnosticSeverity.Error,
    warning: DiagnosticSeverity.Warning,
    info: DiagnosticSeverity.Information,
    hint: DiagnosticSeverity.Hint,
};

interface Case {
    /** What makes the file wrong. */
    readonly bad: string;
    /** The exact text the diagnostic's range must cover. */
    readonly range: string;
    /** Words the message must contain (what to write instead). */
    readonly says?: readonly string[];
    /** A close variant that must NOT get this code. */
    readonly good: string;
}

const EU_IPS = SYNTHFLOW_REGION_FACTS.eu.signallingIps;

const CASES: Record<DiagnosticCode, Case> = {
    'e164-invalid': {
        bad: exampleWith('did "+4535551234"', 'did "+45 3555"'),
        range: '"+45 3555"',
        says: ['E.164'],
        good: exampleWith('did "+4535551234"', 'did "+4535551299"'),
    },
    'e164-not-canonical': {
        bad: exampleWith('did "+4535551234"', 'did "+45 35 55-12 34"'),
        range: '"+45 35 55-12 34"',
        says: ['"+4535551234"'],
        good: EXAMPLE,
    },
    'did-duplicate': {
        bad: exampleWith('did "+4535555678"', 'did "+45 35 55 12 34"'),
        range: '"+45 35 55 12 34"',
        says: ['department support'],
        good: EXAMPLE,
    },
    'sip-domain-invalid': {
        bad: exampleWith('sip-domain "acme.sip.dixa.com"', 'sip-domain "sip:acme.sip.dixa.com"'),
        range: '"sip:acme.sip.dixa.com"',
        says: ['"acme.sip.dixa.com"'],
        good: exampleWith('sip-domain "acme.sip.dixa.com"', 'sip-domain "acme-dk.sip.dixa.com"'),
    },
    'sip-domain-not-dixa': {
        bad: exampleWith('sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.example.com"'),
        range: '"acme.sip.example.com"',
        says: ['.sip.dixa.com'],
        good: EXAMPLE,
    },
    'organization-invalid': {
        bad: exampleWith('sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.dixa.com"\n    organization "acme.dixa.com"'),
        range: '"acme.dixa.com"',
        says: ['subdomain', 'organization "acme"'],
        good: exampleWith('sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.dixa.com"\n    organization "Acme-DK"'),
    },
    'allowlist-missing': {
        bad: exampleWith(/ {4}allowlist synthflow[^\n]*\n/, ''),
        range: 'dixa',
        says: ['allowlist synthflow'],
        good: EXAMPLE,
    },
    'allowlist-incomplete': {
        bad: exampleWith(/allowlist synthflow[^\n]*/, `allowlist "${EU_IPS[0]}"`),
        range: 'allowlist',
        says: [EU_IPS[1], EU_IPS[2]],
        good: exampleWith(/allowlist synthflow[^\n]*/, `allowlist ${EU_IPS.map(ip => `"${ip}"`).join(', ')}, "10.1.2.3"`),
    },
    'ip-invalid': {
        bad: exampleWith(/allowlist synthflow[^\n]*/, `allowlist ${EU_IPS.map(ip => `"${ip}"`).join(', ')}, "34.89.186.330"`),
        range: '"34.89.186.330"',
        says: ['IPv4'],
        good: exampleWith(/allowlist synthflow[^\n]*/, `allowlist ${EU_IPS.map(ip => `"${ip}"`).join(', ')}`),
    },
    'sip-uri-invalid': {
        bad: exampleWith('escalate sales_desk', 'escalate "sip:acme.sip.dixa.com"'),
        range: '"sip:acme.sip.dixa.com"',
        says: ['sip:{queue did}@{sip-domain}'],
        good: exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@acme.sip.dixa.com"'),
    },
    'escalation-not-sip': {
        bad: exampleWith('escalate sales_desk', 'escalate "+45 70 10 22 22"'),
        range: '"+45 70 10 22 22"',
        says: ['escalate sales_desk'],
        good: exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@acme.sip.dixa.com"'),
    },
    'escalation-wrong-domain': {
        bad: exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@other.sip.dixa.com"'),
        range: '"sip:+4570102222@other.sip.dixa.com"',
        says: ['sip:+4570102222@acme.sip.dixa.com'],
        good: exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@ACME.sip.dixa.com"'),
    },
    'escalation-unknown-queue': {
        bad: exampleWith('escalate sales_desk', 'escalate "sip:+4570109999@acme.sip.dixa.com"'),
        range: '"sip:+4570109999@acme.sip.dixa.com"',
        says: ['+4570109999'],
        good: exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@acme.sip.dixa.com"'),
    },
    'escalation-duplicate': {
        bad: exampleWith('    escalate sales_desk\n', '    escalate sales_desk\n    escalate "sip:+4570102222@acme.sip.dixa.com" { mode cold }\n'),
        range: '"sip:+4570102222@acme.sip.dixa.com"',
        says: ['already escalates to sip:+4570102222@acme.sip.dixa.com (line 47)', 'remove this escalate'],
        good: exampleWith('    escalate sales_desk\n', '    escalate sales_desk\n    escalate tier1\n'),
    },
    'timeout-range': {
        bad: exampleWith('timeout 30s', 'timeout 2s'),
        range: '2s',
        says: ['timeout 30s'],
        good: exampleWith('timeout 30s', 'timeout 5s'),
    },
    'timeout-unusual': {
        bad: exampleWith('timeout 30s', 'timeout 90s'),
        range: '90s',
        says: ['30s'],
        good: exampleWith('timeout 30s', 'timeout 1m'),
    },
    'fallback-missing': {
        bad: exampleWith('    fallback sales_desk\n', ''),
        range: 'sales',
        says: ['fallback'],
        good: EXAMPLE,
    },
    'plaintext-secret': {
        bad: exampleWith('trunk-auth ip', 'trunk-auth credentials { username env:SIP_USER password "hunter2" }'),
        range: '"hunter2"',
        says: ['env:'],
        good: exampleWith('trunk-auth ip', 'trunk-auth credentials { username env:SIP_USER password env:SIP_PASSWORD }'),
    },
    'assistant-id-invalid': {
        bad: exampleWith('assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90"', 'assistant "sales-bot"'),
        range: '"sales-bot"',
        says: ['UUID'],
        good: EXAMPLE,
    },
    'assistant-shared': {
        bad: exampleWith('assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90"', 'assistant "B336AB4E-8F1E-4B6C-ACA1-D8F95B5B3EF6"'),
        range: '"B336AB4E-8F1E-4B6C-ACA1-D8F95B5B3EF6"',
        says: ['department support', 'single phone_number', 'its own inbound assistant'],
        good: EXAMPLE,
    },
    'workspace-missing': {
        bad: exampleWith(/ {4}workspace "[^"]*"\n/, ''),
        range: 'synthflow',
        says: ['workspace'],
        good: EXAMPLE,
    },
    'region-global-retiring': {
        bad: exampleWith('region eu', 'region global'),
        range: 'global',
        says: ['retiring', 'end of 2026', 'region eu', 'region us'],
        good: exampleWith('region eu', 'region us'),
    },
    'cold-transfer-refer': {
        bad: exampleWith('mode warm', 'mode cold'),
        range: 'cold',
        says: ['mode warm'],
        good: exampleWith('mode warm', 'mode warm-with-context'),
    },
    'uui-key': {
        bad: exampleWith('uui phone_number', 'uui caller'),
        range: 'caller',
        says: ['uui phone_number'],
        good: EXAMPLE,
    },
    'header-invalid': {
        bad: exampleWith('    uui phone_number\n', '    uui phone_number\n    header Caller "{caller}"\n'),
        range: 'Caller',
        says: ['X-', 'header X-Caller'],
        good: exampleWith('    uui phone_number\n', '    uui phone_number\n    header X-Caller "{caller}"\n'),
    },
    'queue-unused': {
        bad: exampleWith('  department support {', '  queue spare {\n    name "Spare"\n    did "+4570103333"\n  }\n\n  department support {'),
        range: 'spare',
        says: ['spare'],
        good: EXAMPLE,
    },
    'linking-error': {
        bad: exampleWith('fallback tier1', 'fallback tier2'),
        range: 'tier2',
        says: ['queue tier2', 'tier1, sales_desk'],
        good: EXAMPLE,
    },
    'required-missing': {
        bad: exampleWith(/ {4}region eu[^\n]*\n/, ''),
        range: 'synthflow',
        says: ['region eu'],
        good: EXAMPLE,
    },
    'setting-duplicate': {
        bad: exampleWith('    timeout 30s\n    fallback tier1', '    timeout 30s\n    timeout 45s\n    fallback tier1'),
        range: 'timeout',
        good: EXAMPLE,
    },
    'name-duplicate': {
        bad: exampleWith('department sales {', 'department support {'),
        range: 'support',
        says: ['support'],
        good: EXAMPLE,
    },
    'duration-invalid': {
        bad: exampleWith('timeout 30s', 'timeout 30'),
        range: '30',
        says: ['30s'],
        good: exampleWith('timeout 30s', 'timeout 30000ms'),
    },
    'block-duplicate': {
        bad: exampleWith('  queue tier1 {', '  dixa {\n    sip-domain "acme.sip.dixa.com"\n    allowlist synthflow\n  }\n\n  queue tier1 {'),
        range: 'dixa',
        says: ['merge'],
        good: EXAMPLE,
    },
    'environment-target-unknown': {
        bad: exampleWith(/\n}\s*$/, '\n  environment staging {\n    queue tier9 { did "+4570109999" }\n  }\n}\n'),
        range: 'tier9',
        says: ['declare "queue tier9', 'tier1, sales_desk'.split(', ')[0]],
        good: exampleWith(/\n}\s*$/, '\n  environment staging {\n    queue tier1 { did "+4570109999" }\n  }\n}\n'),
    },
};

function messageText(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function withCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
    return diagnostics.filter(d => d.code === code);
}

describe('every diagnostic code', () => {
    it('has a case for each code in the table', () => {
        expect(Object.keys(CASES).sort()).toEqual(Object.keys(DIAGNOSTICS).sort());
    });

    for (const [code, testCase] of Object.entries(CASES) as [DiagnosticCode, Case][]) {
        describe(code, () => {
            it(`reports ${code} with severity ${DIAGNOSTICS[code]} on the offending value`, async () => {
                const { document, diagnostics } = await validate(testCase.bad);
                const found = withCode(diagnostics, code);
                expect(
                    found,
                    JSON.stringify(
                        diagnostics.map(d => [d.code, d.message]),
                        null,
                        1,
                    ),
                ).toHaveLength(1);
                const [diagnostic] = found;
                expect(diagnostic.severity).toBe(SEVERITY[DIAGNOSTICS[code]]);
                expect(rangeText(document, diagnostic)).toBe(testCase.range);
                for (const words of testCase.says ?? []) {
                    expect(messageText(diagnostic).toLowerCase()).toContain(words.toLowerCase());
                }
            });

            it(`does not report ${code} on the correct variant`, async () => {
                const { diagnostics } = await validate(testCase.good);
                expect(withCode(diagnostics, code)).toEqual([]);
            });
        });
    }
});

/** Rules the model (src/model/build.ts) relies on, with their validator here and nowhere else. */
describe('the rules plan relies on are reported by validate', () => {
    const errorsOf = async (text: string) => {
        const { document, diagnostics } = await validate(text);
        return diagnostics.filter(d => d.severity === DiagnosticSeverity.Error).map(d => [d.code, rangeText(document, d)]);
    };

    it.each([
        ['a queue without did', exampleWith('    name "Phone – Tier 1"\n    did "+4570101111"\n', '    name "Phone – Tier 1"\n'), 'required-missing', 'tier1'],
        ['a queue without name', exampleWith('    name "Phone – Tier 1"\n', ''), 'required-missing', 'tier1'],
        ['a queue with an empty name', exampleWith('name "Phone – Tier 1"', 'name "  "'), 'required-missing', '"  "'],
        ['two queues with one Dixa name', exampleWith('name "Phone – Sales"', 'name " Phone – Tier 1 "'), 'name-duplicate', '" Phone – Tier 1 "'],
        [
            'a queue escalated to twice by name',
            exampleWith('    escalate sales_desk\n', '    escalate sales_desk\n    escalate sales_desk { mode cold }\n'),
            'escalation-duplicate',
            'sales_desk',
        ],
        [
            'one SIP URI escalated to twice',
            exampleWith('    escalate sales_desk\n', '    escalate "sip:+4570109999@acme.sip.dixa.com"\n    escalate "sip:+4570109999@acme.sip.dixa.com" { mode cold }\n'),
            'escalation-duplicate',
            '"sip:+4570109999@acme.sip.dixa.com"',
        ],
        // A name spelt like a setting keyword is a name, not the setting (found by the validate ⇔ plan property).
        ['a department named did, without a did', exampleWith('department support {', 'department did {').replace('    did "+4535551234"\n', ''), 'required-missing', 'did'],
    ])('%s', async (_what, text, code, range) => {
        expect(await errorsOf(text)).toEqual([[code, range]]);
    });

    it('a department named fallback, without a fallback, is still warned about', async () => {
        const { document, diagnostics } = await validate(exampleWith('department support {', 'department fallback {').replace('    fallback tier1\n', ''));
        expect(diagnostics.filter(d => d.code === 'fallback-missing').map(d => rangeText(document, d))).toEqual(['fallback']);
    });

    it('a queue named mode, escalated to with a mode, is not a setting written twice', async () => {
        const text = exampleWith('queue tier1 {', 'queue mode {')
            .replace(/fallback tier1/g, 'fallback mode')
            .replace('escalate tier1', 'escalate mode');
        expect(text).toContain('escalate mode {\n      mode warm');
        expect(await errorsOf(text)).toEqual([]);
    });

    it('the messages say what to write', async () => {
        const { diagnostics } = await validate(exampleWith('    name "Phone – Tier 1"\n    did "+4570101111"\n', '    name "Phone – Tier 1"\n'));
        expect(diagnostics.map(messageText)).toContain('Queue tier1 has no did: add did "+E164" with the DID Dixa routes to this queue (escalations dial it).');
    });
});

describe('messages never repeat a plaintext secret', () => {
    it('does not echo the literal password', async () => {
        const { diagnostics } = await validate(exampleWith('trunk-auth ip', 'trunk-auth credentials { username "acme-trunk" password "s3cr3t-Pa55" }'));
        expect(withCode(diagnostics, 'plaintext-secret')).toHaveLength(2);
        for (const diagnostic of diagnostics) expect(messageText(diagnostic)).not.toContain('s3cr3t-Pa55');
    });
});

describe('parse errors', () => {
    it('reports an unknown region as a parse error on the value', async () => {
        const { document } = await validate(exampleWith('region eu', 'region mars'));
        expect(document.parseResult.parserErrors.length).toBeGreaterThan(0);
        expect(document.parseResult.parserErrors[0].token.image).toBe('mars');
    });
});

describe('parse error messages say what may be written', () => {
    it('lists the regions', async () => {
        const { diagnostics } = await validate(exampleWith('region eu', 'region mars'));
        const parse = diagnostics.filter(d => d.code === 'parse-error');
        expect(parse.map(messageText)).toContain("Expected one of 'global', 'us' or 'eu' but found `mars`.");
    });

    it('reports only the parse error, not a cascade of missing settings', async () => {
        const { diagnostics } = await validate(exampleWith('region eu', 'region mars'));
        expect(diagnostics.map(d => d.code)).toEqual(['parse-error']);
    });

    it('suggests quotes for an unquoted DID', async () => {
        const { document, diagnostics } = await validate(exampleWith('did "+4535551234"', 'did +4535551234'));
        const [first] = diagnostics.filter(d => d.code === 'parse-error');
        expect(messageText(first)).toBe('Unexpected `+`: numbers, DIDs and addresses are written in double quotes, e.g. did "+4535551234".');
        expect(rangeText(document, first)).toBe('+');
    });
});

describe('organization in the dixa block', () => {
    const withOrganization = (...lines: string[]) =>
        exampleWith('    sip-domain "acme.sip.dixa.com"', ['    sip-domain "acme.sip.dixa.com"', ...lines.map(line => `    ${line}`)].join('\n'));
    const diagnosticsOf = async (text: string) => (await validate(text)).diagnostics;

    it('accepts a subdomain, before or after the other settings', async () => {
        expect(await diagnosticsOf(withOrganization('organization "globex"'))).toEqual([]);
        const first = exampleWith('dixa {\n', 'dixa {\n    organization "acme-dk"\n');
        expect(await diagnosticsOf(first)).toEqual([]);
    });

    it('says what to write when it is empty or not a DNS label', async () => {
        for (const bad of ['', '  ', 'acme.dixa.com', '-acme', 'a_b', 'x'.repeat(64)]) {
            const found = (await diagnosticsOf(withOrganization(`organization "${bad}"`))).filter(d => d.code === 'organization-invalid');
            expect(found, bad).toHaveLength(1);
            expect(messageText(found[0]!), bad).toContain('write the subdomain of the Dixa organization');
        }
        expect(messageText((await diagnosticsOf(withOrganization('organization ""')))[0]!)).toContain('is empty');
    });

    it('reports it written twice as setting-duplicate', async () => {
        const { document, diagnostics } = await validate(withOrganization('organization "acme"', 'organization "globex"'));
        const found = diagnostics.filter(d => d.code === 'setting-duplicate');
        expect(found).toHaveLength(1);
        expect(rangeText(document, found[0]!)).toBe('organization');
        expect(document.textDocument.offsetAt(found[0]!.range.start)).toBe(document.textDocument.getText().lastIndexOf('organization'));
    });

    it('keeps "organization" usable as a name', async () => {
        const text = exampleWith('queue tier1 {', 'queue organization {')
            .replace(/fallback tier1/g, 'fallback organization')
            .replace('escalate tier1', 'escalate organization');
        const { diagnostics, document } = await validate(text);
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(diagnostics.filter(d => d.severity === 1)).toEqual([]);
    });
});

describe('header X-… in a department', () => {
    const withHeaders = (...lines: string[]) => exampleWith('    uui phone_number\n', `    uui phone_number\n${lines.map(line => `    ${line}\n`).join('')}`);
    const codesOf = async (text: string) => (await validate(text)).diagnostics.map(d => d.code);

    it("accepts Synthflow's name pattern, several headers, in any order among the settings", async () => {
        const text = exampleWith('    did "+4535551234"\n', '    header X-Dixa_Queue "support"\n    did "+4535551234"\n').replace(
            '    uui phone_number\n',
            '    uui phone_number\n    header X-Caller "{caller}"\n',
        );
        const { diagnostics, document } = await validate(text);
        expect(diagnostics.filter(d => d.severity === 1)).toEqual([]);
        expect(document.parseResult.parserErrors).toEqual([]);
    });

    it('rejects a lower-case x- prefix (names are case-sensitive), and names the fix', async () => {
        const { diagnostics } = await validate(withHeaders('header x-caller "{caller}"'));
        const found = diagnostics.filter(d => d.code === 'header-invalid');
        expect(found).toHaveLength(1);
        expect(found[0].message).toContain('header X-caller');
    });

    it('rejects CR, LF and NUL in the value', async () => {
        for (const escape of ['\\r', '\\n', '\\0']) {
            const { diagnostics } = await validate(withHeaders(`header X-Caller "a${escape}b"`));
            expect(
                diagnostics.filter(d => d.code === 'header-invalid').map(d => d.message),
                escape,
            ).toEqual(['The value of header X-Caller contains a line break or NUL character, which would end the SIP header: write it on one line.']);
        }
        expect(await codesOf(withHeaders('header X-Caller "a\\tb"'))).not.toContain('header-invalid');
    });

    it('reports the same header twice', async () => {
        expect(await codesOf(withHeaders('header X-Caller "{caller}"', 'header X-Caller "other"'))).toContain('setting-duplicate');
        expect(await codesOf(withHeaders('header X-Caller "{caller}"', 'header X-Other "other"'))).not.toContain('setting-duplicate');
    });

    it('keeps "header" usable as a name', async () => {
        const text = exampleWith('queue tier1 {', 'queue header {')
            .replace(/fallback tier1/g, 'fallback header')
            .replace('escalate tier1', 'escalate header');
        const { diagnostics, document } = await validate(text);
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(diagnostics.filter(d => d.severity === 1)).toEqual([]);
    });
});
