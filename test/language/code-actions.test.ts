import { describe, expect, it } from 'vitest';
import { EmptyFileSystem, URI } from 'langium';
import { CodeActionKind, type CodeAction, type SnippetTextEdit } from 'vscode-languageserver';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE, exampleWith } from './helpers.js';
import { applyEdits, editor, openFile } from './editor-helpers.js';

/**
 * Asserts that the only diagnostic with `code` in `input` has exactly one quick fix, marked preferred, that turns
 * `input` into `expected`, and that the diagnostic is gone once the fix is applied. (The checks of Langium's
 * testCodeAction, with awaited clean-up: its un-awaited disposal races with the next test's build when files of
 * one integration are relinked together.)
 */
async function expectFix(input: string, code: string, expected: string): Promise<void> {
    const fixes = await fixesFor(input, code);
    expect(fixes).toHaveLength(1);
    const [{ action, result }] = fixes;
    expect(action.kind).toBe(CodeActionKind.QuickFix);
    expect(action.isPreferred).toBe(true);
    expect(action.diagnostics?.[0]?.code).toBe(code);
    expect(result).toBe(expected);
    const { doc, close } = await openFile(result);
    const remaining = (doc.diagnostics ?? []).filter(d => d.code === code);
    await close();
    expect(remaining).toEqual([]);
}

/** All quick fixes offered for the one diagnostic with `code`, with the text each one produces. */
async function fixesFor(input: string, code: string): Promise<Array<{ action: CodeAction; result: string }>> {
    const { doc, close } = await openFile(input);
    try {
        const diagnostics = (doc.diagnostics ?? []).filter(d => d.code === code);
        expect(diagnostics).toHaveLength(1);
        const actions = (await editor.Sipflow.lsp.CodeActionProvider!.getCodeActions(doc, {
            textDocument: { uri: doc.uri.toString() },
            range: diagnostics[0].range,
            context: { diagnostics, triggerKind: 1 },
        })) as CodeAction[] | undefined;
        return (actions ?? []).map(action => ({ action, result: applyEdits(doc, action.edit!.changes![doc.uri.toString()]) }));
    } finally {
        await close();
    }
}

const ALLOWLIST_LINE = '    allowlist synthflow              // the Synthflow signalling IPs of the region below\n';

describe('quick fixes', () => {
    it('e164-not-canonical: rewrites the DID in canonical E.164', async () => {
        await expectFix(exampleWith('"+4535551234"', '"+45 (35) 55-12 34"'), 'e164-not-canonical', EXAMPLE);
    });

    it('allowlist-missing: adds "allowlist synthflow" as the last line of the dixa block', async () => {
        await expectFix(exampleWith(ALLOWLIST_LINE, ''), 'allowlist-missing', exampleWith(ALLOWLIST_LINE, '    allowlist synthflow\n'));
    });

    it('allowlist-missing: adds it before the brace of a dixa block written on one line', async () => {
        const oneLine = exampleWith(/ {2}dixa \{[^}]*\}/, '  dixa { sip-domain "acme.sip.dixa.com" }');
        await expectFix(oneLine, 'allowlist-missing', oneLine.replace('"acme.sip.dixa.com" }', '"acme.sip.dixa.com" allowlist synthflow }'));
    });

    it('escalation-not-sip: escalates to the queue that owns the number (preferred) or to its SIP URI on the Dixa domain', async () => {
        const fixes = await fixesFor(exampleWith('escalate sales_desk', 'escalate "+45 70 10 22 22"'), 'escalation-not-sip');
        expect(fixes.map(({ action }) => [action.title, action.isPreferred])).toEqual([
            ['Escalate to queue sales_desk', true],
            ['Escalate to "sip:+4570102222@acme.sip.dixa.com"', false],
        ]);
        expect(fixes[0].result).toBe(EXAMPLE);
        expect(fixes[1].result).toBe(exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@acme.sip.dixa.com"'));
    });

    it('escalation-not-sip: with no queue owning the number, the SIP URI is the preferred fix', async () => {
        await expectFix(
            exampleWith('escalate sales_desk', 'escalate "+4570109999"'),
            'escalation-not-sip',
            exampleWith('escalate sales_desk', 'escalate "sip:+4570109999@acme.sip.dixa.com"'),
        );
    });

    it('escalation-wrong-domain: moves the URI onto the Dixa sip-domain', async () => {
        await expectFix(
            exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@acme.example.com"'),
            'escalation-wrong-domain',
            exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@acme.sip.dixa.com"'),
        );
    });

    it('allowlist-incomplete: appends the missing IPs (preferred) or replaces the list with "allowlist synthflow"', async () => {
        const input = exampleWith('allowlist synthflow', 'allowlist "34.89.186.33"');
        const fixes = await fixesFor(input, 'allowlist-incomplete');
        expect(fixes.map(({ action }) => [action.title, action.isPreferred])).toEqual([
            ['Add 34.185.212.150, 35.242.217.198 to the allowlist', true],
            ['Replace with "allowlist synthflow"', false],
        ]);
        expect(fixes[0].result).toBe(exampleWith('allowlist synthflow', 'allowlist "34.89.186.33", "34.185.212.150", "35.242.217.198"'));
        expect(fixes[1].result).toBe(EXAMPLE);
    });

    it('cold-transfer-refer: switches mode cold to warm', async () => {
        await expectFix(exampleWith('mode warm', 'mode cold'), 'cold-transfer-refer', EXAMPLE);
    });

    it('linking-error: declares the missing queue before the first department, indented like it', async () => {
        const input = exampleWith('fallback tier1', 'fallback overflow');
        const skeleton = '  queue overflow {\n    name "…"\n    did "+…"\n  }\n\n';
        await expectFix(input, 'linking-error', input.replace('  department support {', `${skeleton}  department support {`));
    });

    it('linking-error: inserts the queue above the comment lines that document the first department', async () => {
        const input = exampleWith('  department support {', '  // Danish support line\n  department support {').replace('escalate sales_desk', 'escalate vip');
        await expectFix(input, 'linking-error', input.replace('  // Danish support line', '  queue vip {\n    name "…"\n    did "+…"\n  }\n\n  // Danish support line'));
    });

    it('escalation-unknown-queue: declares a queue for the DID of the URI and escalates to it', async () => {
        const input = exampleWith('escalate sales_desk', 'escalate "sip:+4570109999@acme.sip.dixa.com"');
        const expected = input
            .replace('  department support {', '  queue queue_9999 {\n    name "…"\n    did "+4570109999"\n  }\n\n  department support {')
            .replace('escalate "sip:+4570109999@acme.sip.dixa.com"', 'escalate queue_9999');
        await expectFix(input, 'escalation-unknown-queue', expected);
        // Not when the derived name is taken by another queue.
        const taken = input.replace('queue sales_desk {', 'queue queue_9999 {').replace(/(fallback|escalate) sales_desk/g, '$1 queue_9999');
        expect(await fixesFor(taken, 'escalation-unknown-queue')).toEqual([]);
    });

    it('timeout-range and timeout-unusual: use the recommended 30s', async () => {
        await expectFix(exampleWith('timeout 30s', 'timeout 2s'), 'timeout-range', EXAMPLE);
        await expectFix(exampleWith('timeout 30s', 'timeout 90s'), 'timeout-unusual', EXAMPLE);
    });

    it('plaintext-secret: replaces the literal with an env reference', async () => {
        const input = exampleWith('trunk-auth ip', 'trunk-auth credentials {\n      username "acme-trunk"\n      password env:DIXA_SIP_PASSWORD\n    }');
        await expectFix(input, 'plaintext-secret', input.replace('"acme-trunk"', 'env:DIXA_SIP_USERNAME'));
    });

    it('region-global-retiring: offers region eu and region us, neither preferred', async () => {
        const input = exampleWith('region eu', 'region global');
        const fixes = await fixesFor(input, 'region-global-retiring');
        expect(fixes.map(f => f.action.title)).toEqual(['Use region eu', 'Use region us']);
        expect(fixes.map(f => f.action.isPreferred)).toEqual([false, false]);
        expect(fixes.map(f => f.action.kind)).toEqual([CodeActionKind.QuickFix, CodeActionKind.QuickFix]);
        expect(fixes[0].result).toBe(EXAMPLE);
        expect(fixes[1].result).toBe(exampleWith('region eu', 'region us'));
        for (const { result } of fixes) {
            const { doc, close } = await openFile(result);
            const remaining = (doc.diagnostics ?? []).filter(d => d.code === 'region-global-retiring');
            await close();
            expect(remaining).toEqual([]);
        }
    });

    it('uui-key: uses phone_number', async () => {
        await expectFix(exampleWith('uui phone_number', 'uui caller_id'), 'uui-key', EXAMPLE);
    });

    it('sip-domain-invalid: keeps only the host name when there is one', async () => {
        await expectFix(exampleWith('"acme.sip.dixa.com"', '"sip:acme.sip.dixa.com"'), 'sip-domain-invalid', EXAMPLE);
        expect(await fixesFor(exampleWith('"acme.sip.dixa.com"', '"not a domain"'), 'sip-domain-invalid')).toEqual([]);
    });

    it('e164-invalid: a DID that lacks only its + says so and gets the + added', async () => {
        const input = exampleWith('did "+4570102222"', 'did "4570102222"');
        const { doc, close } = await openFile(input);
        const message = (doc.diagnostics ?? []).find(d => d.code === 'e164-invalid')?.message;
        await close();
        expect(message).toBe(
            '"4570102222" is not a valid phone number: it lacks the leading + (E.164 numbers start with + and the country code). Write the DID in E.164: "+4570102222".',
        );
        expect(message).not.toContain('no country code');
        await expectFix(input, 'e164-invalid', EXAMPLE);
        const fixes = await fixesFor(input, 'e164-invalid');
        expect(fixes.map(f => f.action.title)).toEqual(['Add the missing +: "+4570102222"']);
    });

    it('e164-invalid: no + fix when the digits with a + are no valid number either', async () => {
        const input = exampleWith('did "+4570102222"', 'did "12345"');
        expect(await fixesFor(input, 'e164-invalid')).toEqual([]);
        const { doc, close } = await openFile(input);
        const message = (doc.diagnostics ?? []).find(d => d.code === 'e164-invalid')?.message;
        await close();
        expect(message).toContain('it has no country code');
    });

    it('sip-domain-not-dixa: writes {company}.sip.dixa.com from the first label', async () => {
        await expectFix(exampleWith('"acme.sip.dixa.com"', '"acme.dixa.com"'), 'sip-domain-not-dixa', EXAMPLE);
        await expectFix(exampleWith('"acme.sip.dixa.com"', '"ACME.example.com"'), 'sip-domain-not-dixa', EXAMPLE);
        const fixes = await fixesFor(exampleWith('"acme.sip.dixa.com"', '"acme.dixa.com"'), 'sip-domain-not-dixa');
        expect(fixes.map(f => f.action.title)).toEqual(['Write the domain as "acme.sip.dixa.com"']);
        // A first label that names a service, not the company: no guess.
        expect(await fixesFor(exampleWith('"acme.sip.dixa.com"', '"sip.acme.com"'), 'sip-domain-not-dixa')).toEqual([]);
    });

    it('offers nothing for diagnostics without a fix', async () => {
        expect(await fixesFor(exampleWith('    fallback sales_desk\n', ''), 'fallback-missing')).toEqual([]);
    });

    it("builds the edit from the server's diagnostic, not from the range the client echoes back (byte columns on a non-ASCII line)", async () => {
        // Neovim 0.7 echoes UTF-8 byte columns: "æ" and "–" are two and three bytes but one UTF-16 unit each.
        const input = exampleWith('did "+4535551234"', 'flow "Kø – Support" did "+45 35 55 12 34"');
        const { doc, close } = await openFile(input);
        try {
            const published = (doc.diagnostics ?? []).find(d => d.code === 'e164-not-canonical')!;
            const line = input.split('\n')[published.range.start.line];
            const bytes = (character: number) => Buffer.byteLength(line.slice(0, character), 'utf8');
            const echoed = {
                ...published,
                range: {
                    start: { line: published.range.start.line, character: bytes(published.range.start.character) },
                    end: { line: published.range.end.line, character: bytes(published.range.end.character) },
                },
            };
            expect(echoed.range.start.character).toBeGreaterThan(published.range.start.character);
            const actions = (await editor.Sipflow.lsp.CodeActionProvider!.getCodeActions(doc, {
                textDocument: { uri: doc.uri.toString() },
                range: echoed.range,
                context: { diagnostics: [echoed], triggerKind: 1 },
            })) as CodeAction[];
            expect(actions.map(a => a.title)).toEqual(['Write the DID as "+4535551234"']);
            expect(applyEdits(doc, actions[0].edit!.changes![doc.uri.toString()])).toBe(input.replace('"+45 35 55 12 34"', '"+4535551234"'));
            // The action names the diagnostic as the client knows it.
            expect(actions[0].diagnostics).toEqual([echoed]);
        } finally {
            await close();
        }
    });

    it('offers no fix for a diagnostic the document no longer has', async () => {
        const { doc, close } = await openFile(EXAMPLE);
        try {
            const stale = { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } }, code: 'allowlist-missing', message: 'gone', severity: 1 as const };
            const actions = await editor.Sipflow.lsp.CodeActionProvider!.getCodeActions(doc, {
                textDocument: { uri: doc.uri.toString() },
                range: stale.range,
                context: { diagnostics: [stale], triggerKind: 1 },
            });
            expect(actions).toBeUndefined();
        } finally {
            await close();
        }
    });
});

describe('"Declare queue" as a snippet, for a client that applies snippet edits', () => {
    /** Separate services, initialized as VS Code's language client 10 initializes them. */
    async function initializedServices(snippetEditSupport: boolean) {
        const services = createSipflowServices(EmptyFileSystem);
        await services.shared.lsp.LanguageServer.initialize({
            processId: null,
            rootUri: null,
            capabilities: { workspace: { workspaceEdit: { documentChanges: true, snippetEditSupport } } },
        });
        return services;
    }

    async function declareQueueAction(snippetEditSupport: boolean): Promise<{ action: CodeAction; input: string; uri: string; version: number }> {
        const services = await initializedServices(snippetEditSupport);
        const input = exampleWith('fallback tier1', 'fallback overflow');
        const uri = URI.parse('file:///snippets/acme.sipflow');
        const document = services.shared.workspace.LangiumDocumentFactory.fromString(input, uri);
        services.shared.workspace.LangiumDocuments.addDocument(document);
        await services.shared.workspace.DocumentBuilder.build([document], { validation: true });
        const diagnostics = (document.diagnostics ?? []).filter(d => d.code === 'linking-error');
        expect(diagnostics).toHaveLength(1);
        const actions = (await services.Sipflow.lsp.CodeActionProvider!.getCodeActions(document, {
            textDocument: { uri: uri.toString() },
            range: diagnostics[0].range,
            context: { diagnostics, triggerKind: 1 },
        })) as CodeAction[];
        expect(actions).toHaveLength(1);
        return { action: actions[0], input, uri: uri.toString(), version: document.textDocument.version };
    }

    it('inserts the queue with tab stops on the Dixa name and the DID', async () => {
        const { action, input, uri, version } = await declareQueueAction(true);
        expect(action.title).toBe('Declare queue overflow');
        expect(action.isPreferred).toBe(true);
        expect(action.edit?.changes).toBeUndefined();
        const [change] = action.edit!.documentChanges as Array<{ textDocument: { uri: string; version: number }; edits: SnippetTextEdit[] }>;
        expect(change.textDocument).toEqual({ uri, version });
        expect(change.edits).toHaveLength(1);
        const [edit] = change.edits;
        expect(edit.snippet).toEqual({ kind: 'snippet', value: '  queue overflow {\n    name "${1}"\n    did "+${2}"\n  }\n\n' });
        // At the same place as the plain edit: before the first department.
        const line = input.split('\n').indexOf('  department support {');
        expect(edit.range).toEqual({ start: { line, character: 0 }, end: { line, character: 0 } });
    });

    it('keeps the plain edit for a client that did not advertise snippet edits', async () => {
        const { action } = await declareQueueAction(false);
        expect(action.edit?.documentChanges).toBeUndefined();
        expect(Object.values(action.edit!.changes!)[0][0].newText).toBe('  queue overflow {\n    name "…"\n    did "+…"\n  }\n\n');
    });
});
