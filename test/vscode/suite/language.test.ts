import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsOf, discard, documentState, extensionApi, namedUntitled, openFixture, untitled, waitFor } from './helpers.js';

describe('the language server inside VS Code', function () {
    this.timeout(60_000);

    before(async () => {
        await extensionApi();
    });

    it('reports the broken fixture with precise codes, severities and ranges', async () => {
        const document = await openFixture('broken/numbers.sipflow');
        const diagnostics = await diagnosticsOf(document.uri, 8);
        const codes = new Set(diagnostics.map(codeOf));
        for (const code of [
            'allowlist-missing',
            'e164-not-canonical',
            'assistant-id-invalid',
            'timeout-range',
            'escalation-not-sip',
            'e164-invalid',
            'linking-error',
            'cold-transfer-refer',
        ]) {
            assert.ok(codes.has(code), `expected ${code} among ${[...codes].join(', ')}`);
        }
        const canonical = diagnostics.find(d => codeOf(d) === 'e164-not-canonical')!;
        assert.equal(canonical.severity, vscode.DiagnosticSeverity.Warning);
        assert.equal(document.getText(canonical.range), '"+45 35 55 99 01"');
        const invalid = diagnostics.find(d => codeOf(d) === 'e164-invalid')!;
        assert.equal(invalid.severity, vscode.DiagnosticSeverity.Error);
        assert.equal(document.getText(invalid.range), '"12"');
        const timeout = diagnostics.find(d => codeOf(d) === 'timeout-range')!;
        assert.equal(document.getText(timeout.range), '2s');

        const secrets = await openFixture('broken/secrets.sipflow');
        const secretDiagnostics = await diagnosticsOf(secrets.uri, 1);
        const plaintext = secretDiagnostics.find(d => codeOf(d) === 'plaintext-secret');
        assert.ok(plaintext, 'plaintext-secret reported');
        assert.equal(plaintext.severity, vscode.DiagnosticSeverity.Error);
        assert.ok(!plaintext.message.includes('hunter2-literal'), 'the message does not repeat the secret');
    });

    it('reports nothing on the canonical example', async () => {
        const document = await openFixture('acme.sipflow');
        // The broken files prove the server has built the workspace; give the example a moment too.
        await diagnosticsOf((await openFixture('broken/numbers.sipflow')).uri, 8);
        await vscode.window.showTextDocument(document);
        await new Promise(r => setTimeout(r, 1000));
        assert.deepEqual(
            vscode.languages.getDiagnostics(document.uri).map(d => `${codeOf(d)}: ${d.message}`),
            [],
        );
    });

    it('completes regions, transfer modes and queue references', async () => {
        const document = await untitled(
            [
                'integration comp {',
                '  dixa { sip-domain "comp.sip.dixa.com" allowlist synthflow }',
                '  synthflow {',
                '    region ',
                '    workspace "w1"',
                '  }',
                '  queue comp_desk { name "Comp Desk" did "+4570107777" }',
                '  department comp_one {',
                '    did "+4535557777"',
                '    assistant "8a1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5"',
                '    fallback ',
                '  }',
                '}',
            ].join('\n'),
        );
        try {
            const labels = async (line: number, character: number) => {
                const list = await vscode.commands.executeCommand<vscode.CompletionList>(
                    'vscode.executeCompletionItemProvider',
                    document.uri,
                    new vscode.Position(line, character),
                );
                return list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
            };
            const regions = await waitFor('region completions', async () => {
                const l = await labels(3, 11);
                return l.includes('eu') ? l : undefined;
            });
            for (const region of ['eu', 'us', 'global']) assert.ok(regions.includes(region), `region ${region} in ${regions.join(', ')}`);
            const queues = await labels(10, 13);
            assert.ok(queues.includes('comp_desk'), `queue comp_desk in ${queues.join(', ')}`);
        } finally {
            await discard(document);
        }
    });

    it('hovers a department with the SIP address Dixa must dial', async () => {
        const document = await openFixture('acme.sipflow');
        const line = document
            .getText()
            .split('\n')
            .findIndex(l => l.includes('department support'));
        const position = new vscode.Position(line, document.lineAt(line).text.indexOf('support') + 2);
        const hovers = await waitFor('a hover', async () => {
            const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
            return h.length > 0 ? h : undefined;
        });
        const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
        assert.ok(text.includes('+4535551234@sip.eu.synthflow.ai:32681'), `hover shows the transfer SIP address:\n${text}`);
    });

    it('formats a document canonically (and formatting again changes nothing)', async () => {
        const messy = 'integration fmt {\n dixa {\n      sip-domain   "fmt.sip.dixa.com"\n allowlist synthflow\n }\n synthflow { region eu\n workspace "w2" }\n}\n';
        const document = await untitled(messy);
        try {
            const format = async () => {
                const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, { tabSize: 2, insertSpaces: true });
                if (!edits || edits.length === 0) return [];
                const edit = new vscode.WorkspaceEdit();
                edit.set(document.uri, edits);
                assert.ok(await vscode.workspace.applyEdit(edit), `edits apply: ${JSON.stringify(edits)}`);
                return edits;
            };
            const first = await waitFor('formatting edits', async () => {
                const e = await format();
                return e.length > 0 ? e : undefined;
            });
            assert.ok(first.length > 0);
            const formatted = document.getText();
            assert.ok(formatted.includes('\n  dixa {\n    sip-domain "fmt.sip.dixa.com"\n'), `formatted:\n${formatted}`);
            assert.equal((await format()).length, 0, 'formatting is idempotent');
            assert.equal(document.getText(), formatted);
        } finally {
            await discard(document);
        }
    });

    it('completion after "fallback " (on the space): only the queues, no snippet', async () => {
        const document = await namedUntitled(
            'completion-after-fallback.sipflow',
            [
                'integration only {',
                '  dixa { sip-domain "only.sip.dixa.com" allowlist synthflow }',
                '  synthflow { region eu workspace "w5" }',
                '  queue only_desk { name "Only Desk" did "+4570105555" }',
                '  department only_one {',
                '    did "+4535555555"',
                '    assistant "7a1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5"',
                '    fallback ',
                '  }',
                '}',
            ].join('\n'),
        );
        try {
            const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
            const at = new vscode.Position(7, 13);
            // Invoked first: the server has analysed the document once it answers.
            const invoked = await waitFor(
                () => `queue completions; ${documentState(document)}`,
                async () => {
                    const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at);
                    return l.items.length > 0 ? l : undefined;
                },
            );
            assert.deepEqual(invoked.items.map(label), ['only_desk']);
            const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at, ' ');
            assert.deepEqual(list.items.map(label), ['only_desk'], `on the space; line: ${JSON.stringify(document.lineAt(7).text)}`);
            assert.equal(list.items[0].detail, 'queue · "Only Desk" · +4570105555');
            const none = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(6, 14), ' ');
            assert.deepEqual(none.items.map(label), [], 'a space after "assistant" asks for nothing');
        } finally {
            await discard(document);
        }
    });

    it('"Declare queue" inserts a snippet: tab stops on the Dixa name, then the DID', async () => {
        const document = await namedUntitled(
            'declare-queue-snippet.sipflow',
            [
                'integration snip {',
                '  dixa { sip-domain "snip.sip.dixa.com" allowlist synthflow }',
                '  synthflow { region eu workspace "w4" }',
                '  department snip_one {',
                '    did "+4535554444"',
                '    assistant "6a1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5"',
                '    fallback snip_desk',
                '  }',
                '}',
            ].join('\n'),
        );
        try {
            const diagnostic = await waitFor(
                () => `linking-error; ${documentState(document)}`,
                () => vscode.languages.getDiagnostics(document.uri).find(d => codeOf(d) === 'linking-error'),
            );
            const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
                'vscode.executeCodeActionProvider',
                document.uri,
                diagnostic.range,
                vscode.CodeActionKind.QuickFix.value,
            );
            const declare = actions.find(a => a.title === 'Declare queue snip_desk');
            assert.ok(declare?.edit, `"Declare queue snip_desk" among: ${actions.map(a => a.title).join(' | ')}`);
            assert.ok(await vscode.workspace.applyEdit(declare.edit));
            const text = document.getText();
            assert.ok(text.includes('  queue snip_desk {\n    name ""\n    did "+"\n  }\n\n  department snip_one {'), `no literal placeholders:\n${text}`);
            const editor = vscode.window.activeTextEditor!;
            assert.equal(document.lineAt(4).text, '    name ""');
            assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [4, '    name "'.length], 'the cursor is on the first tab stop');
            await vscode.commands.executeCommand('type', { text: 'Snip Desk' });
            await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
            await vscode.commands.executeCommand('type', { text: '4570104444' });
            assert.ok(document.getText().includes('    name "Snip Desk"\n    did "+4570104444"'), document.getText());
        } finally {
            await discard(document);
        }
    });

    it('applies a quick fix through the code action API', async () => {
        const document = await untitled(
            [
                'integration fix {',
                '  dixa { sip-domain "fix.sip.dixa.com" allowlist synthflow }',
                '  synthflow { region eu workspace "w3" }',
                '  queue fix_desk { name "Fix Desk" did "+4570106666" }',
                '  department fix_one {',
                '    did "+45 35 55 66 66"',
                '    assistant "9a1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5"',
                '    fallback fix_desk',
                '    escalate fix_desk',
                '  }',
                '}',
            ].join('\n'),
        );
        try {
            const diagnostic = await waitFor(
                () => `e164-not-canonical; ${documentState(document)}`,
                () => vscode.languages.getDiagnostics(document.uri).find(d => codeOf(d) === 'e164-not-canonical'),
            );
            const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
                'vscode.executeCodeActionProvider',
                document.uri,
                diagnostic.range,
                vscode.CodeActionKind.QuickFix.value,
            );
            const fix = actions.find(a => a.title.includes('+4535556666'));
            assert.ok(fix?.edit, `a quick fix writing +4535556666 among: ${actions.map(a => a.title).join(' | ')}`);
            assert.ok(await vscode.workspace.applyEdit(fix.edit));
            assert.ok(document.getText().includes('did "+4535556666"'));
            await waitFor('the warning to go', () => !vscode.languages.getDiagnostics(document.uri).some(d => codeOf(d) === 'e164-not-canonical'));
        } finally {
            await discard(document);
        }
    });
});
