import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../../src/apply/index.js';
import type { Checklist } from '../../../src/checklist/index.js';
import type { SipflowExtensionApi } from '../../../src/extension/main.js';
import type { Plan } from '../../../src/plan/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { codeOf, diagnosticsOf, extensionApi, fixtureUri, openFixture, revertFile, sandboxAsLive, waitFor } from './helpers.js';

// Keys the test sandbox accepts (and rejects all others with 401). They must never reach the log.
const DIXA_TOKEN = 'e2e-dixa-token-7f3a91c2d4';
const SYNTHFLOW_KEY = 'e2e-synthflow-key-b81e55a0c9';
// Values for the trunk fixture's env: references, stored through "Set API Credentials".
const TRUNK_USER = 'trunkco-e2e-user';
const TRUNK_PASSWORD = 'e2e-trunk-pw-5d02c8e1aa';

describe('commands against a sandbox the test starts', function () {
    this.timeout(120_000);
    let api: SipflowExtensionApi;
    let sandbox: Sandbox;
    const config = () => vscode.workspace.getConfiguration('sipflow');

    before(async () => {
        api = await extensionApi();
        sandbox = await sandboxAsLive({ dixa: DIXA_TOKEN, synthflow: SYNTHFLOW_KEY });
        assert.equal(config().get('target'), 'live');
    });

    after(async () => {
        await config().update('dixa.baseUrl', undefined, vscode.ConfigurationTarget.Global);
        await config().update('synthflow.baseUrl', undefined, vscode.ConfigurationTarget.Global);
        await config().update('target', undefined, vscode.ConfigurationTarget.Global);
        await sandbox?.close();
    });

    it('Set API Credentials stores both keys in SecretStorage, not in settings', async () => {
        await vscode.commands.executeCommand('sipflow.clearCredentials');
        assert.deepEqual(await api.storedCredentials(), { dixa: false, synthflow: false });
        await vscode.commands.executeCommand('sipflow.setCredentials', { dixa: DIXA_TOKEN, synthflow: SYNTHFLOW_KEY });
        assert.deepEqual(await api.storedCredentials(), { dixa: true, synthflow: true });
        const settings = JSON.stringify(vscode.workspace.getConfiguration());
        assert.ok(!settings.includes(DIXA_TOKEN) && !settings.includes(SYNTHFLOW_KEY), 'no key in any setting');
    });

    it('Plan lists the changes in a read-only document and the status bar', async () => {
        const document = await openFixture('acme.sipflow');
        const plan = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', document.uri);
        assert.ok(plan, 'a plan');
        assert.equal(plan.integration, 'acme');
        assert.ok(plan.hasChanges);
        assert.ok(plan.summary.create > 0, `creates something: ${JSON.stringify(plan.summary)}`);
        const view = await waitFor('the plan document', () => vscode.workspace.textDocuments.find(d => d.uri.scheme === 'sipflow-view' && d.uri.path.startsWith('/plan/')));
        assert.ok(view.getText().includes('+4535551234'), 'the plan names the DID');
        // Coloured by the sipflow-plan grammar, long lines wrapped.
        assert.equal(view.languageId, 'sipflow-plan');
        assert.equal(vscode.workspace.getConfiguration('editor', view).get('wordWrap'), 'on');
        // Header and footer count the manual steps alike; the header says why the checklist counts more.
        const manual = `${plan.summary.manual} manual step${plan.summary.manual === 1 ? '' : 's'}`;
        assert.ok(plan.summary.manual > 0, JSON.stringify(plan.summary));
        assert.match(view.getText(), new RegExp(`^# ${manual} in Dixa that apply cannot make .*the manual checklist checks the whole setup .* in \\d+ checks: `, 'm'));
        assert.ok(view.getText().includes(`${manual} (sipflow checklist)`), view.getText());
        await vscode.window.showTextDocument(document);
        await waitFor('"changes pending" in the status bar', () => /\d+ changes? pending/.test(api.statusText()));
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
        const titles = lenses.map(l => l.command?.title ?? '');
        assert.ok(titles.some(t => t.includes('Plan')) && titles.some(t => t.includes('Apply')), `Plan/Apply lenses: ${titles.join(' | ')}`);
        assert.ok(
            titles.some(t => t.includes('will create')),
            `a department lens says what will be created: ${titles.join(' | ')}`,
        );
    });

    it('Apply refuses a file with errors before any request', async () => {
        const broken = await openFixture('broken/numbers.sipflow');
        await diagnosticsOf(broken.uri, 8);
        const before = sandbox.requests.length;
        const result = await vscode.commands.executeCommand<ApplyResult | undefined>('sipflow.apply', broken.uri, { confirm: false });
        assert.equal(result, undefined);
        assert.equal(sandbox.requests.length, before, 'no request was made');
    });

    it('Apply changes the sandbox, and the next plan is in sync', async () => {
        const document = await openFixture('acme.sipflow');
        const result = await vscode.commands.executeCommand<ApplyResult | undefined>('sipflow.apply', document.uri, { confirm: false });
        assert.ok(result, 'an apply result');
        assert.equal(result.status, 'succeeded', JSON.stringify(result.outcomes.filter(o => o.status !== 'succeeded')));
        assert.equal(result.counts.failed, 0);

        // The sandbox's state: numbers imported and attached, the missing queue created, transfer actions attached.
        const state = sandbox.state;
        for (const did of ['+4535551234', '+4535555678']) {
            const number = state.synthflow.numbers.find(n => n.phone_number === did);
            assert.ok(number, `number ${did} imported`);
            assert.equal(number.sip_term_uri?.includes('acme.sip.dixa.com'), true, `number ${did} terminates on the Dixa domain`);
        }
        assert.ok(
            state.dixa.queues.some(q => q.name === 'Phone – Sales'),
            'queue "Phone – Sales" created',
        );
        assert.equal(state.dixa.queues.filter(q => q.name === 'Phone – Tier 1').length, 1, 'the existing queue was adopted, not duplicated');
        const support = state.synthflow.assistants.find(a => a.model_id === 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6');
        assert.ok(support, 'the support assistant exists');
        assert.equal(support.inbound_phone_slug, '4535551234', "the DID is the support assistant's inbound number (PUT /assistants/{id} phone_number)");
        const transfers = state.synthflow.actions.filter(a => a.action_type === 'LIVE_TRANSFER' && JSON.stringify(a.config).includes('sip:+4570101111@acme.sip.dixa.com'));
        assert.equal(transfers.length, 1, 'one transfer action to tier1');
        assert.ok(support.actions.includes(transfers[0]!.action_id), 'the transfer action is attached to the support assistant');

        // The plan beside the file was refreshed from the live state: nothing applied is still "+ create".
        const view = await waitFor('the plan document', () => vscode.workspace.textDocuments.find(d => d.uri.scheme === 'sipflow-view' && d.uri.path.startsWith('/plan/')));
        await waitFor('the refreshed plan document', () => /^# applied at \d{1,2}[:.]\d{2}/.test(view.getText()));
        assert.ok(!/^\s*\+ /m.test(view.getText()), `no create or attach left in the plan view:\n${view.getText()}`);
        assert.ok(view.getText().includes('No changes'), view.getText());
        await vscode.window.showTextDocument(document);
        await waitFor('"in sync" in the status bar right after apply', () => api.statusText().includes('in sync'));

        const plan = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', document.uri);
        assert.ok(plan);
        assert.equal(plan.hasChanges, false, JSON.stringify(plan.summary));
        await vscode.window.showTextDocument(document);
        await waitFor('"in sync" in the status bar', () => api.statusText().includes('in sync'));
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
        assert.ok(
            lenses.some(l => l.command?.title.includes('in sync')),
            'a lens says in sync',
        );
    });

    it('CodeLens shows one state per line: an edit after the plan makes it say only "outdated"', async () => {
        const document = await openFixture('acme.sipflow');
        const plan = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', document.uri);
        assert.ok(plan, 'a plan');
        const stateTitles = async () => {
            const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
            return lenses.map(l => l.command?.title ?? '').filter(t => !/\b(Plan|Apply|Call Flow)$/.test(t));
        };
        const states = (title: string) => ['in sync', 'will ', 'conflict', 'outdated'].filter(state => title.includes(state));
        const fresh = await stateTitles();
        assert.ok(fresh.length > 0, 'department and queue lenses');
        for (const title of fresh) assert.equal(states(title).length, 1, `one state in "${title}"`);

        const editor = await vscode.window.showTextDocument(document);
        await editor.edit(b => b.insert(new vscode.Position(0, 0), '// an edit after the plan\n'));
        try {
            const edited = await waitFor('outdated lenses', async () => {
                const titles = await stateTitles();
                return titles.length > 0 && titles.every(t => t.includes('outdated')) ? titles : undefined;
            });
            for (const title of edited) assert.deepEqual(states(title), ['outdated'], `only "outdated" in "${title}"`);
        } finally {
            await revertFile(document);
        }
    });

    it('Show Manual Checklist verifies what can be read', async () => {
        const document = await openFixture('acme.sipflow');
        const checklist = await vscode.commands.executeCommand<Checklist | undefined>('sipflow.showChecklist', document.uri);
        assert.ok(checklist && checklist.items.length > 0);
        assert.equal(checklist.integration, 'acme');
        assert.ok(checklist.counts.verified > 0, JSON.stringify(checklist.counts));
    });

    it('Pull makes a new .sipflow document from the live accounts', async () => {
        await openFixture('acme.sipflow');
        const pulled = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('sipflow.pull');
        assert.ok(pulled);
        assert.equal(pulled.languageId, 'sipflow');
        assert.equal(pulled.isUntitled, true);
        assert.ok(pulled.getText().includes('+4535551234'), pulled.getText());
        // It declares integration acme like the fixture, yet stands alone (pull's marker, an untitled
        // buffer): no duplicates on either side (its own warnings, about what pull cannot read, may
        // remain: they are true of the file it would become). Give the server a moment to publish.
        assert.ok(pulled.getText().startsWith('// sipflow pull:'), pulled.getText());
        await new Promise(r => setTimeout(r, 1500));
        const errors = vscode.languages.getDiagnostics(pulled.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
        assert.deepEqual(
            errors.map(d => `${codeOf(d)}: ${d.message}`),
            [],
        );
        assert.deepEqual(
            vscode.languages.getDiagnostics(fixtureUri('acme.sipflow')).map(d => `${codeOf(d)}: ${d.message}`),
            [],
        );
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('Compare with Live opens a diff between the pulled configuration and the file', async () => {
        const document = await openFixture('acme.sipflow');
        await vscode.commands.executeCommand('sipflow.compareWithLive', document.uri);
        const tab = await waitFor('a diff tab', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputTextDiff));
        const input = tab.input as vscode.TabInputTextDiff;
        assert.equal(input.original.scheme, 'sipflow-view');
        assert.equal(input.modified.toString(), document.uri.toString());
        // The live side adds nothing to Problems, and none of its own (a view stands alone).
        await new Promise(r => setTimeout(r, 1500));
        assert.deepEqual(
            vscode.languages.getDiagnostics(input.original).map(d => `${codeOf(d)}: ${d.message}`),
            [],
        );
        assert.deepEqual(
            vscode.languages.getDiagnostics(document.uri).map(d => `${codeOf(d)}: ${d.message}`),
            [],
        );
        await vscode.window.tabGroups.close(tab);
    });

    it('Show Call Flow renders the diagram offline under a strict CSP, and follows edits', async () => {
        const document = await openFixture('acme.sipflow');
        const rendered = api.nextCallFlowRender();
        await vscode.commands.executeCommand('sipflow.showCallFlow', document.uri);
        await rendered;
        const html = api.callFlowHtml() ?? '';
        assert.ok(html.includes("default-src 'none'"), 'strict CSP');
        // One script, inline and carrying the CSP's nonce (it posts a clicked node's key; test/vscode/suite/call-flow.test.ts).
        const nonce = /script-src 'nonce-([0-9a-f]+)'/.exec(html)?.[1];
        assert.ok(nonce, "the CSP allows only a nonce'd script");
        assert.deepEqual(html.match(/<script[^>]*>/gi), [`<script nonce="${nonce}">`], "only the nonce'd script");
        assert.ok(!/(src|href)=["']https?:/i.test(html), 'no network resource');
        for (const text of ['+4535551234', 'Support DK', 'Phone – Tier 1', 'Phone – Sales', 'fallback']) assert.ok(html.includes(text), `diagram shows ${text}`);

        const editor = await vscode.window.showTextDocument(document);
        const offset = document.getText().indexOf('"Support DK"');
        const next = api.nextCallFlowRender();
        await editor.edit(b => b.replace(new vscode.Range(document.positionAt(offset), document.positionAt(offset + '"Support DK"'.length)), '"Support DK live"'));
        await next;
        assert.ok(api.callFlowHtml()?.includes('Support DK live'), 'the diagram follows the edit');
        // Close the panel, which follows the active editor, and revert the edit, so that no later test sees either.
        for (const tab of vscode.window.tabGroups.all.flatMap(group => group.tabs))
            if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('sipflow.callFlow')) await vscode.window.tabGroups.close(tab);
        await revertFile(document);
        const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(document.uri));
        assert.ok(!onDisk.includes('Support DK live'), 'the edit never reached the file (nothing saves it; the launcher turns auto-save off)');
        assert.ok(!document.getText().includes('Support DK live'), 'the edit is reverted');
    });

    it("Apply refuses another organization's Dixa token before any write (the account guard)", async () => {
        const document = await openFixture('acme.sipflow');
        const original = structuredClone(sandbox.state);
        const other = structuredClone(original);
        other.dixa.organization.subdomain = 'globex';
        sandbox.replaceState(other);
        try {
            const last = sandbox.requests.at(-1)?.seq ?? 0;
            const result = await vscode.commands.executeCommand<ApplyResult | undefined>('sipflow.apply', document.uri, { confirm: false });
            assert.equal(result, undefined);
            const writes = sandbox.requests.filter(r => r.seq > last && r.vendor !== 'admin' && r.method !== 'GET');
            assert.deepEqual(
                writes.map(r => `${r.method} ${r.path}`),
                [],
            );
            assert.ok(
                api.logLines().some(l => l.includes('the Dixa token reaches organization "globex", but acme.sipflow is for "acme"')),
                'the log says why',
            );
        } finally {
            sandbox.replaceState(original);
        }
    });

    it('Apply reads env: trunk credentials from SecretStorage', async () => {
        await vscode.commands.executeCommand('sipflow.setCredentials', { env: { TRUNKCO_SIP_USER: TRUNK_USER, TRUNKCO_SIP_PASSWORD: TRUNK_PASSWORD } });
        const document = await openFixture('trunk/trunk.sipflow');
        const result = await vscode.commands.executeCommand<ApplyResult | undefined>('sipflow.apply', document.uri, { confirm: false });
        assert.ok(result, 'an apply result');
        assert.equal(result.status, 'succeeded', JSON.stringify(result.outcomes.filter(o => o.status !== 'succeeded')));
        const number = sandbox.state.synthflow.numbers.find(n => n.phone_number === '+4535550042');
        assert.ok(number, 'the trunk number was imported');
        assert.equal(number.trunk_username, TRUNK_USER);
        assert.equal(number.trunk_pwd_sha256, createHash('sha256').update(TRUNK_PASSWORD).digest('hex'), 'the password from SecretStorage was sent');
    });

    it('no secret value ever reaches the log', async () => {
        const log = api.logLines().join('\n');
        assert.ok(log.length > 0);
        assert.ok(log.includes('Plan for acme'), 'the log has the plan');
        assert.ok(!log.includes(DIXA_TOKEN), 'no Dixa token in the log');
        assert.ok(!log.includes(SYNTHFLOW_KEY), 'no Synthflow key in the log');
        assert.ok(!log.includes(TRUNK_PASSWORD), 'no trunk password in the log');
    });

    it('Clear API Credentials removes them; live commands then say what to do', async () => {
        await vscode.commands.executeCommand('sipflow.clearCredentials');
        assert.deepEqual(await api.storedCredentials(), { dixa: false, synthflow: false });
        const before = sandbox.requests.length;
        const plan = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', fixtureUri('acme.sipflow'));
        assert.equal(plan, undefined);
        assert.equal(sandbox.requests.length, before);
        assert.ok(
            api.logLines().some(l => l.includes('Set API Credentials')),
            'the log says how to set credentials',
        );
    });

    it('Use Sandbox plans against the in-process sandbox', async () => {
        await vscode.commands.executeCommand('sipflow.useSandbox');
        assert.equal(config().get('target'), 'sandbox');
        const plan = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', fixtureUri('acme.sipflow'));
        assert.ok(plan?.hasChanges, 'a fresh demo sandbox needs changes');
        assert.ok(api.sandboxUrl()?.startsWith('http://127.0.0.1:'));
    });
});
