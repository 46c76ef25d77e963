import { describe, expect, it } from 'vitest';
import { AstUtils, GrammarAST } from 'langium';
import { expectHover } from 'langium/test';
import { keywordDoc } from '../../src/language/lsp/keyword-docs.js';
import { exampleWith } from './helpers.js';
import { editor, openFiles } from './editor-helpers.js';

const hover = expectHover(editor.Sipflow);

/** Asserts the exact markdown shown when hovering at `<|>`. */
async function expectHoverText(text: string, expected: string | RegExp | undefined): Promise<void> {
    await hover({ text, index: 0, hover: expected, disposeAfterCheck: true });
}

describe('hover on a department', () => {
    it('shows the derived SIP address, UUI header, timeout, fallback and escalation URI', async () => {
        await expectHoverText(
            exampleWith('department support {', 'department sup<|>port {'),
            [
                '**department support** · Dixa phone flow "Support DK"',
                '',
                "- Dixa's transfer step dials `+4535551234@sip.eu.synthflow.ai:32681`",
                "- with the UUI header `phone_number={caller's E.164 number}`",
                '- timeout `30s`, then falls back to queue `tier1` ("Phone – Tier 1")',
                '- Synthflow number `4535551234` attached to assistant `b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6`',
                '- escalation to queue `tier1` (warm) dials `sip:+4570101111@acme.sip.dixa.com`',
            ].join('\n'),
        );
    });

    it('lists the X- headers the transfer step sends', async () => {
        const text = exampleWith('department support {', 'department sup<|>port {').replace('    uui phone_number\n', '    uui phone_number\n    header X-Caller "{caller}"\n');
        await expectHoverText(
            text,
            /- with the UUI header `phone_number=\{caller's E\.164 number\}`\n- and the header `X-Caller: \{caller\}` \(Synthflow's variable `\{X-Caller\}`\)\n/,
        );
    });

    it('uses the region for the SIP host, canonicalises the DID, and shows defaults and SIP-URI escalations', async () => {
        const text = exampleWith('region eu', 'region us')
            .replace('department sales {', 'department sa<|>les {')
            .replace('"+4535555678"', '"+45 35 55 56 78"')
            .replace(
                '    timeout 30s\n    fallback sales_desk\n    escalate sales_desk',
                '    fallback sales_desk\n    uui caller\n    escalate "sip:+4570102222@acme.sip.dixa.com" {\n      mode cold\n    }',
            );
        await expectHoverText(
            text,
            [
                '**department sales** · Dixa phone flow "Sales DK"',
                '',
                "- Dixa's transfer step dials `+4535555678@sip.us.synthflow.ai:32681`",
                "- with the UUI header `caller={caller's E.164 number}`",
                '- timeout `30s` (default), then falls back to queue `sales_desk` ("Phone – Sales")',
                '- Synthflow number `4535555678` attached to assistant `0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90`',
                '- escalation to SIP URI (cold) dials `sip:+4570102222@acme.sip.dixa.com`',
            ].join('\n'),
        );
    });

    it('says what is missing when a value cannot be derived', async () => {
        const text = 'integration a {\n  department <|>d {\n    did "12"\n    fallback nowhere\n    escalate nowhere\n  }\n}';
        await expectHoverText(
            text,
            [
                '**department d**',
                '',
                "- Dixa's transfer step dials _unknown: `12` is not a valid phone number_",
                "- with the UUI header `phone_number={caller's E.164 number}`",
                '- timeout `30s` (default), then falls back to the undeclared queue `nowhere`',
                '- escalation to queue `nowhere` (warm) dials _unknown: queue `nowhere` is not declared_',
            ].join('\n'),
        );
        await expectHoverText(
            'integration a {\n  department <|>d {\n    did "+4535551234"\n  }\n}',
            /dials _unknown: the `synthflow` block declares no `region`_\n.*\n- timeout `30s` \(default\), then no fallback queue/,
        );
    });

    it('adds the doc comment written above the department', async () => {
        await expectHoverText(
            exampleWith('  department sales {', '  /** Sales line, weekdays only. */\n  department sa<|>les {'),
            /escalation to queue `sales_desk` \(warm\) dials `sip:\+4570102222@acme\.sip\.dixa\.com`\n\n---\n\nSales line, weekdays only\.$/,
        );
    });
});

describe('hover on a queue', () => {
    const queueHover = '**queue tier1** · Dixa queue "Phone – Tier 1"\n\n- reached at `sip:+4570101111@acme.sip.dixa.com`';

    it('shows the URI that reaches it, on its name and on references to it', async () => {
        await expectHoverText(exampleWith('queue tier1 {', 'queue ti<|>er1 {'), queueHover);
        await expectHoverText(exampleWith('fallback tier1', 'fallback tie<|>r1'), queueHover);
        await expectHoverText(exampleWith('escalate tier1 {', 'escalate <|>tier1 {'), queueHover);
        await expectHoverText(
            exampleWith('queue sales_desk {', 'queue sales<|>_desk {'),
            '**queue sales_desk** · Dixa queue "Phone – Sales" (ring group)\n\n- reached at `sip:+4570102222@acme.sip.dixa.com`',
        );
    });

    it('uses the sip-domain of another file of the integration for a queue declared without one', async () => {
        const { close } = await openFiles({ queues: 'integration acme {\n  queue remote {\n    did "+4570109999"\n  }\n}\n' });
        try {
            await expectHoverText(exampleWith('fallback tier1', 'fallback rem<|>ote'), '**queue remote**\n\n- reached at `sip:+4570109999@acme.sip.dixa.com`');
        } finally {
            await close();
        }
    });

    it('shows a queue whose name is spelled like a keyword as a queue', async () => {
        await expectHoverText(
            'integration a {\n  queue d<|>id {\n    did "+4570101111"\n  }\n}',
            '**queue did**\n\n- reached at _unknown: the `dixa` block declares no valid `sip-domain`_',
        );
    });
});

describe('hover on a DID', () => {
    it('shows the canonical E.164 form, the country and the Synthflow slug, over the whole string', async () => {
        const { docs, close } = await openFiles({ main: exampleWith('"+4535555678"', '"+45 35 55 56 78"') });
        try {
            const document = docs.main;
            const text = document.textDocument.getText();
            const at = (offset: number) =>
                editor.Sipflow.lsp.HoverProvider!.getHoverContent(document, { textDocument: { uri: document.uri.toString() }, position: document.textDocument.positionAt(offset) });
            const canonical = await at(text.indexOf('"+4535551234"') + 3);
            expect(canonical?.contents).toEqual({
                kind: 'markdown',
                value: '**DID** `+4535551234`\n\n- E.164: `+4535551234`\n- country: Denmark (DK)\n- Synthflow number slug: `4535551234`',
            });
            const start = text.indexOf('"+4535551234"');
            expect(canonical?.range).toEqual({ start: document.textDocument.positionAt(start), end: document.textDocument.positionAt(start + '"+4535551234"'.length) });
            const spaced = await at(text.indexOf('"+45 35 55') + 1);
            expect(spaced?.contents).toEqual({
                kind: 'markdown',
                value: '**DID** `+4535555678`\n\n- E.164: `+4535555678` (write it this way)\n- country: Denmark (DK)\n- Synthflow number slug: `4535555678`',
            });
        } finally {
            await close();
        }
    });

    it('says why a DID is not a number', async () => {
        await expectHoverText(
            'integration a {\n  queue q {\n    did "45<|>70101111"\n  }\n}',
            '**DID** `4570101111` is not a valid phone number: it lacks the leading + (E.164 numbers start with + and the country code).',
        );
    });

    it('shows nothing on other strings', async () => {
        await expectHoverText(exampleWith('flow "Support DK"', 'flow "Supp<|>ort DK"'), undefined);
    });
});

describe('hover on keywords', () => {
    it('has a doc for every keyword of the grammar, in every rule it is used in', () => {
        const undocumented = AstUtils.streamAllContents(editor.Sipflow.Grammar)
            .filter(GrammarAST.isKeyword)
            .filter(keyword => /[a-z]/.test(keyword.value))
            .map(keyword => ({ keyword: keyword.value, rule: AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)!.name }))
            // In Name the keywords are names (`queue did { … }`), not keywords.
            .filter(({ keyword, rule }) => rule !== 'Name' && keywordDoc(keyword, rule) === undefined)
            .toArray();
        expect(undocumented).toEqual([]);
    });

    it('documents setting keywords', async () => {
        await expectHoverText(
            exampleWith('timeout 30s', 'time<|>out 30s'),
            "**timeout** `30s`: how long Dixa's transfer step waits for Synthflow before the fallback queue: 5s–300s, usually 15s–60s, default 30s. Units: `ms`, `s`, `m`.",
        );
        await expectHoverText(
            exampleWith('escalate sales_desk', 'esc<|>alate sales_desk'),
            /^\*\*escalate\*\* `QUEUE \| "sip:…" \[\{ … \}\]`: the assistant's live transfer back to Dixa/,
        );
    });

    it('documents organization and its default', async () => {
        await expectHoverText(
            exampleWith('sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.dixa.com"\n    organ<|>ization "acme"'),
            /^\*\*organization\*\* `"subdomain"` \(optional\): the Dixa organization this file is for.*Default: the `\{company\}` of `sip-domain "\{company\}\.sip\.dixa\.com"`/s,
        );
    });

    it('documents value keywords from the facts tables', async () => {
        await expectHoverText(
            exampleWith('region eu', 'region e<|>u'),
            '**region eu**: European Union.\n\n- API: `api.eu.synthflow.ai`\n- SIP: `sip.eu.synthflow.ai:32681`\n- signalling IPs (`allowlist synthflow`): `34.185.212.150`, `34.89.186.33`, `35.242.217.198`',
        );
        await expectHoverText(
            exampleWith('mode warm', 'mode wa<|>rm'),
            /^\*\*mode warm\*\* \(Synthflow `transfer_mode: warm_transfer`\): Synthflow dials Dixa with a new SIP INVITE/,
        );
        await expectHoverText(exampleWith('kind ring-group', 'kind ring<|>-group'), /^\*\*kind ring-group\*\*: a ring group/);
    });

    it('tells apart the same word in two roles: the queue kind "queue" and the queue keyword', async () => {
        await expectHoverText(exampleWith('kind ring-group', 'kind qu<|>eue'), '**kind queue**: a Dixa agent queue (the default).');
        await expectHoverText(exampleWith('queue tier1 {', 'qu<|>eue tier1 {'), /^\*\*queue\*\* `NAME \{ name "…" did "\+E164" kind queue\|ring-group \}`/);
    });

    it('shows the IPs "allowlist synthflow" stands for in the declared region', async () => {
        await expectHoverText(
            exampleWith('allowlist synthflow', 'allowlist synth<|>flow'),
            "**allowlist synthflow**: Dixa accepts INVITEs from Synthflow's eu signalling IPs `34.185.212.150`, `34.89.186.33`, `35.242.217.198`.",
        );
        await expectHoverText(
            exampleWith('allowlist synthflow', 'allowlist synth<|>flow').replace('region eu', 'region us'),
            /signalling IPs `35\.237\.42\.43`, `34\.139\.4\.161`, `4\.138\.180\.50`\.$/,
        );
    });

    it('summarises the integration on its name', async () => {
        await expectHoverText(
            exampleWith('integration acme', 'integration ac<|>me'),
            '**integration acme**\n\n- Dixa SIP domain `acme.sip.dixa.com`\n- Synthflow region `eu`\n- 2 queues, 2 departments in this file',
        );
    });
});

describe('hover in an environment', () => {
    const STAGING =
        '  environment staging {\n    dixa { sip-domain "acme-staging.sip.dixa.com" }\n    queue tier1 { did "+4570109999" }\n    department su<|>pport { did "+4535559999" timeout 45s }\n  }\n}\n';
    const withStaging = (text: string) => `${text.slice(0, text.lastIndexOf('}'))}${STAGING}`;

    it("an override block shows its environment's values", async () => {
        await expectHoverText(
            withStaging(exampleWith('department support {', 'department support {')),
            new RegExp(
                [
                    "- Dixa's transfer step dials `\\+4535559999@sip\\.eu\\.synthflow\\.ai:32681`",
                    '[^]*- timeout `45s`, then falls back to queue `tier1`',
                    '[^]*- escalation to queue `tier1` \\(warm\\) dials `sip:\\+4570109999@acme-staging\\.sip\\.dixa\\.com`',
                    '[^]*_Values of environment `staging`\\._',
                ].join(''),
            ),
        );
    });

    it("a top-level block shows the selected environment's values (setting sipflow.environment), else the default's", async () => {
        const text = withStaging(exampleWith('department support {', 'department sup<|>port {')).replace('department su<|>pport', 'department support');
        const configuration = editor.shared.workspace.ConfigurationProvider;
        configuration.updateConfiguration({ settings: { sipflow: { environment: 'staging' } } });
        try {
            await expectHoverText(text, /dials `\+4535559999@sip\.eu\.synthflow\.ai:32681`[^]*_Values of environment `staging`\._/);
            configuration.updateConfiguration({ settings: { sipflow: { environment: 'prod' } } });
            // Not declared: the default's values, without an environment note.
            await expectHoverText(text, /^(?![^]*Values of environment)[^]*dials `\+4535551234@sip\.eu\.synthflow\.ai:32681`/);
        } finally {
            configuration.updateConfiguration({ settings: { sipflow: { environment: '' } } });
        }
    });
});
