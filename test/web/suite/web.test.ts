import * as vscode from 'vscode';

// A minimal assert: node:assert does not exist in the web extension host.
const assert: {
    ok(value: unknown, message?: string): asserts value;
    equal(actual: unknown, expected: unknown): void;
    deepEqual(actual: unknown, expected: unknown): void;
} = {
    ok(value: unknown, message = 'expected a truthy value'): asserts value {
        if (!value) throw new Error(message);
    },
    equal(actual: unknown, expected: unknown): void {
        if (actual !== expected) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    },
    deepEqual(actual: unknown, expected: unknown): void {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    },
};

// Inside VS Code for the web: the language server runs in a web worker (EmptyFileSystem), so the
// editor features work on the files you open; vendor commands say they need the desktop.

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise(r => setTimeout(r, 100));
    }
}

function fixture(relative: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture folder is open');
    return vscode.Uri.joinPath(folder.uri, relative);
}

describe('SIPflow in VS Code for the web', function () {
    this.timeout(60_000);

    before(async () => {
        const ext = vscode.extensions.getExtension('sipflow.sipflow');
        assert.ok(ext, 'the extension is installed');
        await ext.activate();
    });

    it('runs the language server in a worker: diagnostics with codes on a broken file', async () => {
        const document = await vscode.workspace.openTextDocument(fixture('broken/numbers.sipflow'));
        await vscode.window.showTextDocument(document);
        const diagnostics = await waitFor('diagnostics', () => {
            const d = vscode.languages.getDiagnostics(document.uri);
            return d.length >= 8 ? d : undefined;
        });
        const codes = new Set(diagnostics.map(codeOf));
        for (const code of ['allowlist-missing', 'e164-not-canonical', 'e164-invalid', 'timeout-range', 'escalation-not-sip', 'linking-error']) {
            assert.ok(codes.has(code), `${code} among ${[...codes].join(', ')}`);
        }
        const canonical = diagnostics.find(d => codeOf(d) === 'e164-not-canonical')!;
        assert.equal(document.getText(canonical.range), '"+45 35 55 99 01"');
    });

    it('reports nothing on the canonical example', async () => {
        const document = await vscode.workspace.openTextDocument(fixture('acme.sipflow'));
        await vscode.window.showTextDocument(document);
        // Hover answering proves the server has built the document; then there must be no diagnostics.
        const line = document
            .getText()
            .split('\n')
            .findIndex(l => l.includes('department support'));
        await waitFor('a hover', async () => {
            const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, 14));
            return h.length > 0;
        });
        await new Promise(r => setTimeout(r, 500));
        assert.deepEqual(
            vscode.languages.getDiagnostics(document.uri).map(d => `${codeOf(d)}: ${d.message}`),
            [],
        );
    });

    it('completes regions', async () => {
        const document = await vscode.workspace.openTextDocument({ language: 'sipflow', content: 'integration web {\n  synthflow {\n    region \n  }\n}\n' });
        const labels = await waitFor('region completions', async () => {
            const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(2, 11));
            const l = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
            return l.includes('eu') ? l : undefined;
        });
        for (const region of ['eu', 'us', 'global']) assert.ok(labels.includes(region), `${region} in ${labels.join(', ')}`);
    });

    it('hovers a department with the SIP address Dixa must dial', async () => {
        const document = await vscode.workspace.openTextDocument(fixture('acme.sipflow'));
        const line = document
            .getText()
            .split('\n')
            .findIndex(l => l.includes('department support'));
        const hovers = await waitFor('a hover', async () => {
            const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, 14));
            return h.length > 0 ? h : undefined;
        });
        const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
        assert.ok(text.includes('+4535551234@sip.eu.synthflow.ai:32681'), text);
    });

    it('shows the call flow (no network needed)', async () => {
        const document = await vscode.workspace.openTextDocument(fixture('acme.sipflow'));
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('sipflow.showCallFlow', document.uri);
        const tab = await waitFor('the call-flow webview tab', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputWebview));
        assert.ok(tab.label.includes('acme') || tab.label.includes('Call Flow'), tab.label);
    });

    it('says that vendor commands need VS Code desktop', async () => {
        const ext = vscode.extensions.getExtension<{ desktopOnly: readonly string[] }>('sipflow.sipflow')!;
        for (const command of ['sipflow.plan', 'sipflow.apply', 'sipflow.pull', 'sipflow.setCredentials']) {
            assert.ok(ext.exports.desktopOnly.includes(command), `${command} is desktop-only`);
        }
        // Runs without throwing: it shows the "needs VS Code desktop" message.
        await Promise.race([vscode.commands.executeCommand('sipflow.plan'), new Promise(r => setTimeout(r, 1000))]);
    });
});
