import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SipflowExtensionApi } from '../../../src/extension/main.js';
import type { Plan } from '../../../src/plan/index.js';
import { extensionApi, openFixture, waitFor } from './helpers.js';

describe('environments in the editor', function () {
    this.timeout(120_000);
    let api: SipflowExtensionApi;

    before(async () => {
        api = await extensionApi();
    });

    after(async () => {
        await vscode.commands.executeCommand('sipflow.selectEnvironment', '');
    });

    async function hoverText(document: vscode.TextDocument, search: string): Promise<string> {
        // On the department's name: the keyword has its own hover (its documentation).
        const position = document.positionAt(document.getText().indexOf(search) + 'department su'.length);
        return waitFor(`a hover at ${search}`, async () => {
            const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
            const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
            return text.includes('transfer step dials') ? text : undefined;
        });
    }

    it('the status bar shows the environment; selecting one changes hovers and plans', async () => {
        const document = await openFixture('stages/stages.sipflow');
        await waitFor('the environment in the status bar', () => api.statusText().includes('$(layers) default'));
        const before = await hoverText(document, 'department support {\n    did "+4535551234"');
        assert.ok(before.includes('+4535551234@sip.eu.synthflow.ai:32681'), before);

        await vscode.commands.executeCommand('sipflow.selectEnvironment', 'staging');
        assert.equal(vscode.workspace.getConfiguration('sipflow').get('environment'), 'staging');
        await waitFor('staging in the status bar', () => api.statusText().includes('$(layers) staging'));
        const staging = await waitFor('a staging hover', async () => {
            const text = await hoverText(document, 'department support {\n    did "+4535551234"');
            return text.includes('environment `staging`') ? text : undefined;
        });
        assert.ok(staging.includes('+4535559999@sip.eu.synthflow.ai:32681'), staging);

        const plan = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', document.uri);
        assert.ok(plan, 'a plan');
        assert.equal(plan.environment, 'staging');
        assert.ok(JSON.stringify(plan.items).includes('+4535559999'), "the plan has staging's DID");
        assert.ok(!JSON.stringify(plan.items).includes('+4535551234'), "and not the default's");
    });

    it('an environment the file does not declare is said in the status bar and refused by Plan', async () => {
        const document = await openFixture('stages/stages.sipflow');
        await vscode.commands.executeCommand('sipflow.selectEnvironment', 'prod');
        await waitFor('the warning in the status bar', () => api.statusText().includes('$(layers) prod (not in this file)'));
        const plan = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', document.uri);
        assert.equal(plan, undefined, 'no plan for an undeclared environment');
        await vscode.commands.executeCommand('sipflow.selectEnvironment', '');
        await waitFor('the default again', () => api.statusText().includes('$(layers) default'));
    });
});
