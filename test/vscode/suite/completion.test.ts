import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_ENV_REFS } from '../../../src/language/lsp/sipflow-completion-provider.js';
import { SYNTHFLOW_REGIONS, TRANSFER_MODES } from '../../../src/vendors/synthflow-facts.js';
import { discard, namedUntitled, waitFor } from './helpers.js';

/** A valid file; each case below blanks out one value and asks for completion there. */
const FILE = [
    'integration cmp {',
    '  dixa { sip-domain "cmp.sip.dixa.com" allowlist synthflow }',
    '  synthflow {',
    '    region eu',
    '    workspace "1738660423280x428309622607052800"',
    '    trunk-auth credentials {',
    '      username env:CMP_SIP_USER',
    '      password env:CMP_SIP_PASSWORD',
    '    }',
    '  }',
    '  queue cmp_desk { name "Cmp Desk" did "+4570107777" }',
    '  queue cmp_back { name "Cmp Back" did "+4570107778" }',
    '  department cmp_one {',
    '    did "+4535557777"',
    '    assistant "8a1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5"',
    '    fallback cmp_desk',
    '    escalate cmp_back {',
    '      mode warm',
    '      when "The caller asks for a human"',
    '    }',
    '  }',
    '}',
    '',
];

interface Case {
    readonly name: string;
    /** The file's line this case replaces… */
    readonly replaces: string;
    /** …with the line as typed so far (the cursor at its end). */
    readonly typed: string;
    /** Every label that fits there; the list must hold nothing else. */
    readonly fits: (label: string) => boolean;
    /** Labels that must be among the items (empty: none need be). */
    readonly required: readonly string[];
}

const ENV_NAME = /^env:[A-Z_][A-Z0-9_]*$/;
const CASES: readonly Case[] = [
    { name: 'fallback ', replaces: '    fallback cmp_desk', typed: '    fallback ', fits: l => ['cmp_desk', 'cmp_back'].includes(l), required: ['cmp_desk', 'cmp_back'] },
    { name: 'region ', replaces: '    region eu', typed: '    region ', fits: l => (SYNTHFLOW_REGIONS as readonly string[]).includes(l), required: [...SYNTHFLOW_REGIONS] },
    { name: 'mode ', replaces: '      mode warm', typed: '      mode ', fits: l => l in TRANSFER_MODES, required: Object.keys(TRANSFER_MODES) },
    { name: 'username env:', replaces: '      username env:CMP_SIP_USER', typed: '      username env:', fits: l => ENV_NAME.test(l), required: [DEFAULT_ENV_REFS.username] },
];

function openWith(text: string, name: string): Promise<vscode.TextDocument> {
    return namedUntitled(`completion-${name.replace(/\W+/g, '-')}.sipflow`, text);
}

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
const describeItem = (i: vscode.CompletionItem) => `${labelOf(i)} (${i.kind === undefined ? '?' : vscode.CompletionItemKind[i.kind]})`;

async function completionAt(document: vscode.TextDocument, position: vscode.Position, settle: (items: vscode.CompletionItem[]) => boolean): Promise<vscode.CompletionItem[]> {
    // The first answers may come before the server has analysed the new document: ask until it settles.
    let items: vscode.CompletionItem[] = [];
    await waitFor('completion items', async () => {
        items = (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position)).items;
        return settle(items);
    }).catch(() => undefined);
    return items;
}

describe('completion offers only what fits the position', function () {
    this.timeout(60_000);

    for (const c of CASES) {
        it(`after "${c.name}": ${c.required.join(', ')} and nothing else, no word or snippet`, async () => {
            const line = FILE.indexOf(c.replaces);
            assert.ok(line >= 0, `the case's line is in the file: ${c.replaces}`);
            const document = await openWith(FILE.map((l, i) => (i === line ? c.typed : l)).join('\n'), c.name);
            try {
                const items = await completionAt(document, new vscode.Position(line, c.typed.length), found => c.required.every(r => found.some(i => labelOf(i) === r)));
                const labels = items.map(labelOf);
                for (const required of c.required) assert.ok(labels.includes(required), `${required} among ${items.map(describeItem).join(', ')}`);
                const misfits = items.filter(i => !c.fits(labelOf(i)) || i.kind === vscode.CompletionItemKind.Text || i.kind === vscode.CompletionItemKind.Snippet);
                assert.deepEqual(misfits.map(describeItem), [], `only what fits after "${c.name}"`);
                // The server says the edit range once for the list (itemDefaults.editRange); the client gives it to every item.
                const cursor = new vscode.Position(line, c.typed.length);
                for (const item of items) {
                    const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
                    assert.ok(
                        range?.end.isEqual(cursor) && range.start.line === line && range.start.character <= cursor.character,
                        `${labelOf(item)} replaces up to the cursor: ${JSON.stringify(item.range)}`,
                    );
                }
            } finally {
                await discard(document);
            }
        });
    }

    it('after the integration\'s closing "}": nothing (one integration per file), no word-based noise', async () => {
        const document = await openWith(FILE.join('\n'), 'after-closing-brace');
        try {
            // The server has parsed the document once it lists its symbols: then ask after the "}".
            await waitFor("the document's symbols", async () => {
                const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri);
                return (symbols ?? []).some(s => s.name.includes('cmp'));
            });
            const last = FILE.length - 1; // the empty line after "}"
            const items = (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(last, 0))).items;
            assert.deepEqual(items.map(describeItem), [], 'no item after the integration');
            const onBrace = (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(last - 1, 1)))
                .items;
            assert.deepEqual(onBrace.filter(i => i.kind === vscode.CompletionItemKind.Text).map(describeItem), [], 'no word-based item right after "}"');
        } finally {
            await discard(document);
        }
    });
});
