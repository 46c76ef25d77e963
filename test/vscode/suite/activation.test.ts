import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, EXTENSION_ID, openFixture, report, waitFor } from './helpers.js';

describe('extension', () => {
    it('activates on a .sipflow file and starts the language server', async () => {
        const ext = vscode.extensions.getExtension(EXTENSION_ID);
        assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
        const document = await openFixture('acme.sipflow');
        assert.equal(document.languageId, 'sipflow');
        const api = await extensionApi();
        assert.equal(ext.isActive, true);
        assert.equal(api.client.isRunning(), true, 'the language client is running');
        assert.ok(
            api.logLines().some(l => /activated in \d+ ms/.test(l)),
            'the log records the activation time',
        );
        report(`activation: ${api.activationMs.toFixed(0)} ms from activate() to a running language server (${ext.extensionPath})`);
        await waitFor('the status bar item', () => api.statusText().includes('SIPflow'));
    });

    it('contributes every command in the SIPflow category', async () => {
        const commands = await vscode.commands.getCommands(true);
        for (const id of ['plan', 'compareWithLive', 'apply', 'pull', 'showChecklist', 'showCallFlow', 'setCredentials', 'clearCredentials', 'useSandbox', 'useLive']) {
            assert.ok(commands.includes(`sipflow.${id}`), `sipflow.${id} is registered`);
        }
        const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string; category: string }> } };
        assert.ok(manifest.contributes.commands.every(c => c.category === 'SIPflow'));
    });

    it('offers block skeletons from the server only, and the "Get started with SIPflow" walkthrough', async () => {
        const document = await vscode.workspace.openTextDocument({ language: 'sipflow', content: '' });
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 0));
        const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
        assert.deepEqual(list.items.map(label), ['integration'], 'one item per keyword: no static snippet besides it');
        const integration = list.items[0];
        assert.ok(integration.insertText instanceof vscode.SnippetString, 'integration inserts its skeleton');
        assert.match(integration.insertText.value, /^integration \$\{1:name\} \{/);
        const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { walkthroughs: Array<{ id: string; steps: unknown[] }> } };
        const walkthrough = manifest.contributes.walkthroughs.find(w => w.id === 'sipflow.getStarted');
        assert.ok(walkthrough && walkthrough.steps.length === 4);
        await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#sipflow.getStarted`, false);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
});
