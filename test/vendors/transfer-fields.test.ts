/**
 * The transfer field table (src/vendors/transfer-fields.ts) against every place a transfer field must
 * appear: a row missing from the grammar, the TextMate grammar, the keyword docs, the model, the plan
 * diff, pull, the environment diff, the Synthflow client's request body, read-back or read-back comparison, or
 * a round trip through the Synthflow client and the sandbox fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { keywordDoc } from '../../src/language/lsp/keyword-docs.js';
import { buildDesiredState, type DesiredEscalation } from '../../src/model/index.js';
import { diffConfigurations } from '../../src/model/environment-diff.js';
import { transferChanges } from '../../src/plan/index.js';
import { sameTransferConfig } from '../../src/providers/synthflow/decoders.js';
import { createSynthflowProvider, liveTransferBody, readLiveTransfer } from '../../src/providers/synthflow/index.js';
import type { LiveTransferConfig } from '../../src/providers/types.js';
import { renderPulledConfiguration, type PullSnapshot } from '../../src/pull/index.js';
import { DEMO, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { TEXT_SYNTAX, TRANSFER_FIELDS, TRANSFER_SETTINGS, type TransferFieldKey, type TransferSetting } from '../../src/vendors/transfer-fields.js';
import { EXAMPLE, validate } from '../language/helpers.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** A value for the setting that is not its default, as the file writes it. */
function sample(setting: TransferSetting): string {
    if (setting.syntax !== TEXT_SYNTAX) return setting.syntax.split(' | ').find(word => word !== setting.default && word !== 'cold')!;
    return `Custom ${setting.keyword} text`;
}
const written = (setting: TransferSetting, value: string) => (setting.syntax === TEXT_SYNTAX ? `"${value}"` : value);
const apiValue = (setting: TransferSetting, value: string) => (setting.toApi ? setting.toApi(value) : value);

/** A transfer with every field of the table set, to a value that is not its default. */
function everyField(): LiveTransferConfig {
    const config: Record<string, unknown> = {};
    for (const { key, type, setting } of TRANSFER_FIELDS) {
        if (key === 'phone') config[key] = 'sip:+4570101111@acme.sip.dixa.com';
        else if (type === 'integer') config[key] = 25;
        else config[key] = setting ? apiValue(setting, sample(setting)) : `sample ${key}`;
    }
    return config as unknown as LiveTransferConfig;
}

/** Another value of the same field: a valid mode for the mode, else another number or text. */
function otherValue(key: TransferFieldKey, value: unknown): unknown {
    if (key === 'transferMode') return value === 'cold_transfer' ? 'warm_transfer' : 'cold_transfer';
    return typeof value === 'number' ? value + 1 : `${String(value)}, changed`;
}

/** The example with the support department's escalation writing every setting of the table. */
const EVERY_SETTING = (() => {
    const block = /escalate tier1 \{[^}]*\}/;
    if (!block.test(EXAMPLE)) throw new Error('the example has no escalate tier1 block');
    const lines = TRANSFER_SETTINGS.map(({ setting }) => `      ${setting.keyword} ${written(setting, sample(setting))}`);
    return EXAMPLE.replace(block, `escalate tier1 {\n${lines.join('\n')}\n    }`);
})();

async function escalationsOf(text: string): Promise<DesiredEscalation[]> {
    const { document, diagnostics } = await validate(text);
    expect(diagnostics.filter(d => d.severity === 1)).toEqual([]);
    return buildDesiredState(document).departments.flatMap(d => d.escalations);
}

describe('the transfer field table', () => {
    it('has one row per LiveTransferConfig property, each with its own API name', () => {
        expectTypeOf<TransferFieldKey>().toEqualTypeOf<keyof LiveTransferConfig>();
        expect(new Set(TRANSFER_FIELDS.map(f => f.key)).size).toBe(TRANSFER_FIELDS.length);
        expect(new Set(TRANSFER_FIELDS.map(f => f.api)).size).toBe(TRANSFER_FIELDS.length);
        expect(TRANSFER_SETTINGS.map(f => f.setting.keyword)).toEqual(['mode', 'when', 'say', 'failed']);
    });

    it("every setting is in the grammar's Escalation rule", () => {
        const langium = readFileSync(root('src/language/sipflow.langium'), 'utf8');
        const rule = /^Escalation:[\s\S]*?;$/m.exec(langium)?.[0] ?? '';
        for (const { setting } of TRANSFER_SETTINGS) expect(rule, setting.keyword).toContain(`'${setting.keyword}' ${setting.keyword}=`);
    });

    it('every setting is highlighted as a setting keyword by the TextMate grammar', () => {
        const text = readFileSync(root('syntaxes/sipflow.tmLanguage.json'), 'utf8');
        const matches: string[] = [];
        JSON.parse(text, (key, value) => {
            if (key === 'match' && typeof value === 'string') matches.push(value);
            return value;
        });
        for (const { setting } of TRANSFER_SETTINGS) {
            const line = `      ${setting.keyword} ${written(setting, sample(setting))}`;
            const hit = matches.some(match => new RegExp(match).exec(line)?.[0] === setting.keyword);
            expect(hit, setting.keyword).toBe(true);
        }
        const grammar = JSON.parse(text) as { repository: Record<string, { patterns?: { match?: string; name?: string }[] }> };
        const settingRules = Object.values(grammar.repository)
            .flatMap(r => r.patterns ?? [])
            .filter(p => p.name === 'keyword.other.setting.sipflow');
        for (const { setting } of TRANSFER_SETTINGS)
            expect(
                settingRules.some(p => p.match?.includes(setting.keyword)),
                setting.keyword,
            ).toBe(true);
    });

    it('every setting has hover and completion docs naming its default', () => {
        for (const { setting } of TRANSFER_SETTINGS) {
            const doc = keywordDoc(setting.keyword, 'Escalation');
            expect(doc, setting.keyword).toContain(`**${setting.keyword}**`);
            if (setting.default !== undefined) expect(doc, setting.keyword).toContain(setting.default);
        }
    });

    it('the model maps every setting, and its default where the file writes none', async () => {
        const [tier1, salesDesk] = await escalationsOf(EVERY_SETTING);
        for (const { key, setting } of TRANSFER_SETTINGS) {
            expect(tier1!.transfer[key], setting.keyword).toBe(apiValue(setting, sample(setting)));
            expect(salesDesk!.transfer[key], setting.keyword).toBe(setting.default === undefined ? undefined : apiValue(setting, setting.default));
        }
    });

    it('the plan diff reports a change of every field by its API name', () => {
        const before: LiveTransferConfig = {
            transferMode: 'warm_transfer',
            phone: 'sip:+4570101111@acme.sip.dixa.com',
            instructions: 'a',
            initiatingMsg: 'b',
            failedMsg: 'c',
            timeout: 20,
        };
        for (const { key, api, type } of TRANSFER_FIELDS) {
            const changed = { ...before, [key]: type === 'integer' ? 21 : key === 'transferMode' ? 'cold_transfer' : 'changed' } as LiveTransferConfig;
            expect(
                transferChanges(before, changed).map(c => c.field),
                key,
            ).toEqual([api]);
        }
    });

    it('the environment diff names every setting that differs', async () => {
        const { document: a } = await validate(EXAMPLE);
        const { document: b } = await validate(EVERY_SETTING);
        const differing = diffConfigurations(buildDesiredState(a), buildDesiredState(b)).differences.map(d => d.setting);
        for (const { setting } of TRANSFER_SETTINGS) expect(differing, setting.keyword).toContain(`department support escalate tier1 ${setting.keyword}`);
    });

    it('pull writes every setting the live transfer has, and the file it writes reads back to the same transfer', async () => {
        const [tier1] = await escalationsOf(EVERY_SETTING);
        const support = DEMO.synthflow.assistants.support;
        const snapshot: PullSnapshot = {
            organization: { id: 'org', name: 'Acme', subdomain: 'acme' },
            numbers: [
                {
                    e164: '+4535551234',
                    slug: '4535551234',
                    friendlyName: 'sipflow:acme/support',
                    providerName: 'custom',
                    sipTermUri: 'acme.sip.dixa.com',
                    sipAuthUsername: null,
                    assistants: [support],
                    isAvailable: false,
                },
            ],
            assistants: [{ modelId: support, name: 'Support', type: 'inbound', phoneNumber: '+4535551234', poolNumbers: [], actionIds: ['act'] }],
            actions: [{ actionId: 'act', actionType: 'LIVE_TRANSFER', name: 'sipflow:acme/support escalate tier1', liveTransfer: tier1!.transfer }],
            queues: [{ id: 'q1', name: 'Phone – Tier 1', offeringAlgorithm: 'LongestIdle', usages: { PstnPhone: ['+4570101111'] } }],
            phoneFlows: [],
        };
        const { text } = renderPulledConfiguration(snapshot, { region: 'eu', workspace: 'ws' });
        for (const { setting } of TRANSFER_SETTINGS) expect(text, setting.keyword).toContain(`      ${setting.keyword} ${written(setting, sample(setting))}\n`);
        const [pulled] = await escalationsOf(text);
        expect(pulled!.transfer).toEqual(tier1!.transfer);
    });

    describe('in the Synthflow client (src/providers/synthflow/decoders.ts)', () => {
        it("the request body carries every field under its API name, and nothing else of the config's", () => {
            const config = everyField();
            const body = liveTransferBody(config) as unknown as Record<string, unknown>;
            for (const { key, api } of TRANSFER_FIELDS) expect(body[api], api).toEqual(config[key]);
            expect(Object.keys(body).sort()).toEqual(TRANSFER_FIELDS.map(f => f.api).sort());
        });

        it('the request body leaves out an optional field the config does not set', () => {
            for (const { key, api } of TRANSFER_FIELDS.filter(f => !f.required)) {
                const { [key]: _, ...without } = everyField();
                expect(liveTransferBody(without as LiveTransferConfig), api).not.toHaveProperty(api);
            }
        });

        it('the read-back decodes every field, in either place a server may put the transfer', () => {
            const config = everyField();
            for (const where of ['LIVE_TRANSFER', 'parameters_hard_coded']) expect(readLiveTransfer({ [where]: liveTransferBody(config) }), where).toEqual(config);
        });

        it('the read-back needs every required field, and does without an optional one', () => {
            const config = everyField();
            const body = liveTransferBody(config) as unknown as Record<string, unknown>;
            for (const { key, api, required } of TRANSFER_FIELDS) {
                const { [api]: _, ...without } = body;
                const { [key]: __, ...rest } = config;
                expect(readLiveTransfer({ parameters_hard_coded: without }), api).toEqual(required ? undefined : rest);
            }
        });

        it('the read-back comparison (adopting a create whose outcome was unknown) tells a change of every field', () => {
            const config = everyField();
            expect(sameTransferConfig(config, { ...config })).toBe(true);
            for (const { key } of TRANSFER_FIELDS) expect(sameTransferConfig(config, { ...config, [key]: otherValue(key, config[key]) }), key).toBe(false);
        });
    });

    describe('through the Synthflow client and the sandbox', () => {
        let sandbox: Sandbox;
        beforeAll(async () => {
            sandbox = await startSandbox({ seed: 'demo' });
        });
        afterAll(async () => {
            await sandbox?.close();
        });

        it('every field is written and read back unchanged', async () => {
            const synthflow = createSynthflowProvider({
                baseUrl: sandbox.synthflowBaseUrl,
                apiKey: sandbox.synthflowKey,
                workspace: DEMO.synthflow.workspace,
                log: () => undefined,
            });
            try {
                const config = everyField();
                const id = await synthflow.createLiveTransfer(config, 'sipflow:acme/support escalate tier1');
                const stored = sandbox.state.synthflow.actions.find(a => a.action_id === id)!.config;
                for (const { key, api } of TRANSFER_FIELDS) expect(stored[api], api).toEqual(config[key]);
                expect((await synthflow.getAction(id))?.liveTransfer).toEqual(config);
            } finally {
                synthflow.close();
            }
        });
    });
});
