import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('extension', () => {
    it('activates on a .sipflow file', async () => {
        const ext = vscode.extensions.getExtension('sipflow.sipflow');
        assert.ok(ext, 'extension sipflow.sipflow is installed');
        const [uri] = await vscode.workspace.findFiles('**/acme.sipflow');
        assert.ok(uri, 'fixture acme.sipflow found');
        const doc = await vscode.workspace.openTextDocument(uri);
        assert.equal(doc.languageId, 'sipflow');
        await ext.activate();
        assert.equal(ext.isActive, true);
    });
});
