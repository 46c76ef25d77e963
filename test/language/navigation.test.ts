import { describe, expect, it } from 'vitest';
import { expectFindReferences, expectFoldings, expectGoToDefinition, expectSymbols } from 'langium/test';
import { ResponseError, SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver';
import { EXAMPLE, exampleWith } from './helpers.js';
import { applyEdits, editor, offsetOf, openFiles } from './editor-helpers.js';

const goToDefinition = expectGoToDefinition(editor.Sipflow);
const findReferences = expectFindReferences(editor.Sipflow);
const symbols = expectSymbols(editor.Sipflow);
const foldings = expectFoldings(editor.Sipflow);

const QUEUES_FILE = 'integration acme {\n  queue overflow {\n    name "Phone – Overflow"\n    did "+4570103333"\n  }\n}\n';
/** The example with its second department falling back and escalating to a queue of QUEUES_FILE. */
const DEPARTMENTS_FILE = EXAMPLE.replace('fallback sales_desk\n    escalate sales_desk', 'fallback overflow\n    escalate overflow');

const position = (text: string, offset: number) => {
    const lines = text.slice(0, offset).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
};
const rangeOf = (text: string, search: string, occurrence = 0): Range => {
    const start = offsetOf(text, search, 0, occurrence);
    return { start: position(text, start), end: position(text, start + search.length) };
};

describe('go to definition', () => {
    it('jumps from fallback and escalate to the queue name', async () => {
        const text = exampleWith('queue tier1 {', 'queue <|tier1|> {');
        await goToDefinition({ text: text.replace('fallback tier1', 'fallback ti<|>er1'), index: 0, rangeIndex: 0, disposeAfterCheck: true });
        await goToDefinition({ text: text.replace('escalate tier1 {', 'escalate tier<|>1 {'), index: 0, rangeIndex: 0, disposeAfterCheck: true });
    });

    it('jumps to a queue declared in another file of the integration', async () => {
        const { docs, close } = await openFiles({ queues: QUEUES_FILE, departments: DEPARTMENTS_FILE });
        try {
            const departments = docs.departments;
            const links = await editor.Sipflow.lsp.DefinitionProvider!.getDefinition(departments, {
                textDocument: { uri: departments.uri.toString() },
                position: position(DEPARTMENTS_FILE, offsetOf(DEPARTMENTS_FILE, 'fallback overflow', 'fallback o'.length)),
            });
            expect(links?.map(link => [link.targetUri, link.targetSelectionRange])).toEqual([[docs.queues.uri.toString(), rangeOf(QUEUES_FILE, 'overflow')]]);
        } finally {
            await close();
        }
    });
});

describe('find references', () => {
    it('finds the fallback and escalate references of a queue, with or without its declaration', async () => {
        const text = exampleWith('queue tier1 {', 'queue <|ti<|>er1|> {').replace('fallback tier1', 'fallback <|tier1|>').replace('escalate tier1 {', 'escalate <|tier1|> {');
        await findReferences({ text, includeDeclaration: true, disposeAfterCheck: true });
        const withoutDeclaration = exampleWith('queue tier1 {', 'queue ti<|>er1 {')
            .replace('fallback tier1', 'fallback <|tier1|>')
            .replace('escalate tier1 {', 'escalate <|tier1|> {');
        await findReferences({ text: withoutDeclaration, includeDeclaration: false, disposeAfterCheck: true });
    });

    it("counts an environment's override of a queue as a reference, and jumps from it to the declaration", async () => {
        const staging = (name: string) => `  environment staging {\n    queue ${name} {\n      did "+4570109999"\n    }\n  }\n}\n`;
        const base = exampleWith('queue tier1 {', 'queue <|tier1|> {');
        const text = `${base.slice(0, base.lastIndexOf('}'))}${staging('ti<|>er1')}`;
        await goToDefinition({ text, index: 0, rangeIndex: 0, disposeAfterCheck: true });
        const marked = exampleWith('queue tier1 {', 'queue ti<|>er1 {').replace('fallback tier1', 'fallback <|tier1|>').replace('escalate tier1 {', 'escalate <|tier1|> {');
        await findReferences({ text: `${marked.slice(0, marked.lastIndexOf('}'))}${staging('<|tier1|>')}`, includeDeclaration: false, disposeAfterCheck: true });
    });

    it('finds references in the other files of the integration', async () => {
        const { docs, close } = await openFiles({ queues: QUEUES_FILE, departments: DEPARTMENTS_FILE });
        try {
            const references = await editor.Sipflow.lsp.ReferencesProvider!.findReferences(docs.queues, {
                textDocument: { uri: docs.queues.uri.toString() },
                position: position(QUEUES_FILE, offsetOf(QUEUES_FILE, 'overflow', 2)),
                context: { includeDeclaration: false },
            });
            const departmentsUri = docs.departments.uri.toString();
            expect(references.map(reference => [reference.uri, reference.range])).toEqual([
                [departmentsUri, rangeOf(DEPARTMENTS_FILE, 'overflow', 0)],
                [departmentsUri, rangeOf(DEPARTMENTS_FILE, 'overflow', 1)],
            ]);
        } finally {
            await close();
        }
    });
});

describe('rename', () => {
    const rename = async (files: Record<string, string>, file: string, offset: number, newName: string) => {
        const { docs, close } = await openFiles(files);
        try {
            const document = docs[file];
            const edit = await editor.Sipflow.lsp.RenameProvider!.rename(document, {
                textDocument: { uri: document.uri.toString() },
                position: document.textDocument.positionAt(offset),
                newName,
            });
            const result: Record<string, string> = {};
            for (const [name, doc] of Object.entries(docs)) result[name] = applyEdits(doc, edit?.changes?.[doc.uri.toString()] ?? []);
            return result;
        } finally {
            await close();
        }
    };

    it('renames a queue and its fallback and escalate references', async () => {
        const renamed = await rename({ main: EXAMPLE }, 'main', offsetOf(EXAMPLE, 'queue tier1', 'queue t'.length), 'first_line');
        expect(renamed.main).toBe(
            EXAMPLE.replace('queue tier1', 'queue first_line').replace('fallback tier1', 'fallback first_line').replace('escalate tier1', 'escalate first_line'),
        );
    });

    it('renames a queue from one of its references', async () => {
        const renamed = await rename({ main: EXAMPLE }, 'main', offsetOf(EXAMPLE, 'escalate sales_desk', 'escalate s'.length), 'sales');
        expect(renamed.main).toBe(
            EXAMPLE.replace('queue sales_desk', 'queue sales').replace('fallback sales_desk', 'fallback sales').replace('escalate sales_desk', 'escalate sales'),
        );
    });

    it('renames across the files of the integration', async () => {
        const renamed = await rename({ queues: QUEUES_FILE, departments: DEPARTMENTS_FILE }, 'queues', offsetOf(QUEUES_FILE, 'overflow'), 'spill');
        expect(renamed.queues).toBe(QUEUES_FILE.replace('queue overflow', 'queue spill'));
        expect(renamed.departments).toBe(DEPARTMENTS_FILE.replace('fallback overflow', 'fallback spill').replace('escalate overflow', 'escalate spill'));
    });

    it('renames the overrides of a queue and a department in environments too, from the declaration or an override', async () => {
        const text = `${EXAMPLE.slice(0, EXAMPLE.lastIndexOf('}'))}  environment staging {\n    queue tier1 {\n      did "+4570109999"\n    }\n    department sales {\n      timeout 45s\n    }\n  }\n}\n`;
        const fromDeclaration = await rename({ main: text }, 'main', offsetOf(text, 'queue tier1 {\n    name', 'queue t'.length), 'first_line');
        expect(fromDeclaration.main).toBe(
            text.replaceAll('queue tier1', 'queue first_line').replace('fallback tier1', 'fallback first_line').replace('escalate tier1', 'escalate first_line'),
        );
        const fromOverride = await rename({ main: text }, 'main', offsetOf(text, 'department sales {\n      timeout', 'department s'.length), 'sales_dk');
        expect(fromOverride.main).toBe(text.replaceAll('department sales {', 'department sales_dk {'));
    });

    it('renames a department', async () => {
        const renamed = await rename({ main: EXAMPLE }, 'main', offsetOf(EXAMPLE, 'department sales', 'department s'.length), 'sales_dk');
        expect(renamed.main).toBe(EXAMPLE.replace('department sales', 'department sales_dk'));
    });

    it('refuses a name the grammar does not accept', async () => {
        const attempt = rename({ main: EXAMPLE }, 'main', offsetOf(EXAMPLE, 'queue tier1', 'queue t'.length), 'tier 1');
        await expect(attempt).rejects.toBeInstanceOf(ResponseError);
        await expect(rename({ main: EXAMPLE }, 'main', offsetOf(EXAMPLE, 'queue tier1', 'queue t'.length), 'tier-1')).rejects.toThrow('"tier-1" is not a valid name');
    });

    it('offers the name under the cursor for renaming, and nothing on a keyword', async () => {
        const { docs, close } = await openFiles({ main: EXAMPLE });
        try {
            const document = docs.main;
            const prepare = (offset: number) =>
                editor.Sipflow.lsp.RenameProvider!.prepareRename(document, { textDocument: { uri: document.uri.toString() }, position: position(EXAMPLE, offset) });
            expect(await prepare(offsetOf(EXAMPLE, 'fallback tier1', 'fallback ti'.length))).toEqual(rangeOf(EXAMPLE, 'tier1', 1));
            expect(await prepare(offsetOf(EXAMPLE, 'timeout', 2))).toBeUndefined();
        } finally {
            await close();
        }
    });
});

describe('document symbols (outline)', () => {
    it('shows integration > dixa, synthflow, queues, departments > escalations, with icons and details', async () => {
        await symbols({
            text: EXAMPLE,
            disposeAfterCheck: true,
            assert: found => {
                const outline = (symbol: DocumentSymbol): unknown => [symbol.name, symbol.kind, symbol.detail, ...(symbol.children ? [symbol.children.map(outline)] : [])];
                expect(found.map(outline)).toEqual([
                    [
                        'acme',
                        SymbolKind.Module,
                        undefined,
                        [
                            ['dixa', SymbolKind.Namespace, 'acme.sip.dixa.com'],
                            ['synthflow', SymbolKind.Namespace, 'region eu'],
                            ['tier1', SymbolKind.Struct, '"Phone – Tier 1" · +4570101111'],
                            ['sales_desk', SymbolKind.Struct, '"Phone – Sales" · +4570102222'],
                            ['support', SymbolKind.Class, '+4535551234', [['escalate tier1', SymbolKind.Event, 'mode warm']]],
                            ['sales', SymbolKind.Class, '+4535555678', [['escalate sales_desk', SymbolKind.Event, 'mode warm']]],
                        ],
                    ],
                ]);
                const [integration] = found;
                const [dixa, , , , support] = integration.children!;
                expect(dixa.selectionRange).toEqual(rangeOf(EXAMPLE, 'dixa', 0));
                expect(dixa.range.start).toEqual(rangeOf(EXAMPLE, 'dixa {').start);
                expect(support.selectionRange).toEqual(rangeOf(EXAMPLE, 'support', 1));
                expect(support.children![0].selectionRange).toEqual(rangeOf(EXAMPLE, 'tier1', 2));
            },
        });
    });

    it('names an escalation to a SIP URI by the URI', async () => {
        await symbols({
            text: exampleWith('escalate sales_desk', 'escalate "sip:+4570102222@acme.sip.dixa.com" { mode cold }'),
            disposeAfterCheck: true,
            assert: found => expect(found[0].children![5].children!.map(s => [s.name, s.detail])).toEqual([['escalate sip:+4570102222@acme.sip.dixa.com', 'mode cold']]),
        });
    });
});

describe('folding', () => {
    it('folds blocks, block comments and runs of line comments', async () => {
        // A fold ends on the line before its closing brace (or comment end): the markers give the start and end lines.
        const text = [
            '<|/* A block comment',
            '   over three lines|>',
            '*/',
            '<|// two line',
            '// comments|>',
            '<|integration acme {',
            '  <|queue tier1 {',
            '    name "Phone – Tier 1"|>',
            '  }',
            '  queue short { did "+4570102222" }',
            '  <|department support {',
            '    did "+4535551234"',
            '    <|escalate tier1 {',
            '      mode warm|>',
            '    }|>',
            '  }|>',
            '}',
        ].join('\n');
        await foldings({ text, disposeAfterCheck: true });
    });
});
