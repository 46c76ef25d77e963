// The one rule for which files form an integration (src/language/references/integration-scope.ts): the
// rule itself, the language's siblings in a workspace built the way the language server builds one, and
// the extension's gathering (src/extension/integration-texts.ts).
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { gatherIntegrationTexts, type FolderReader } from '../../src/extension/integration-texts.js';
import { integrationScopeOf, isPulledText, isView, PULL_MARKER, sameIntegrationScope } from '../../src/language/references/integration-scope.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE } from './helpers.js';

const PULLED = `${PULL_MARKER} live state of integration acme, read from Dixa and Synthflow.\n${EXAMPLE}`;
const QUEUES = 'integration acme {\n  queue sales_desk {\n    name "Phone – Sales"\n    did "+4570102222"\n  }\n}\n';

describe('isPulledText', () => {
    it('is the marker on the first line only', () => {
        expect(isPulledText(PULLED)).toBe(true);
        expect(isPulledText(`\uFEFF${PULLED}`)).toBe(true);
        expect(isPulledText(`  ${PULL_MARKER} x`)).toBe(true);
        expect(isPulledText(EXAMPLE)).toBe(false);
        expect(isPulledText(`// a note\n${PULLED}`)).toBe(false);
        expect(isPulledText('// sipflow pulled this? no')).toBe(false);
        expect(isPulledText('')).toBe(false);
    });
});

describe('integrationScopeOf and sameIntegrationScope', () => {
    const at = (uri: string, text = EXAMPLE) => ({ uri, text });

    it('files directly in one folder share a scope; a subfolder, another folder or another scheme does not', () => {
        expect(integrationScopeOf(at('file:///ws/acme.sipflow'))).toBe('file:///ws');
        expect(sameIntegrationScope(at('file:///ws/a.sipflow'), at('file:///ws/b.sipflow'))).toBe(true);
        expect(sameIntegrationScope(at('file:///ws/a.sipflow'), at('file:///ws/sub/b.sipflow'))).toBe(false);
        expect(sameIntegrationScope(at('file:///ws/sub/a.sipflow'), at('file:///ws/b.sipflow'))).toBe(false);
        expect(sameIntegrationScope(at('file:///ws/a.sipflow'), at('file:///other/b.sipflow'))).toBe(false);
        expect(sameIntegrationScope(at('file:///ws/a.sipflow'), at('vscode-test-web://mount/ws/b.sipflow'))).toBe(false);
        expect(sameIntegrationScope(at('vscode-test-web://mount/ws/a.sipflow'), at('vscode-test-web://mount/ws/b.sipflow'))).toBe(true);
    });

    it('a document is not its own sibling', () => {
        expect(sameIntegrationScope(at('file:///ws/a.sipflow'), at('file:///ws/a.sipflow'))).toBe(false);
        expect(sameIntegrationScope(at('file:///ws/a.sipflow'), { uri: URI.parse('file:///ws/a.sipflow'), text: EXAMPLE })).toBe(false);
    });

    it('a pulled file stands alone, on either side', () => {
        expect(integrationScopeOf(at('file:///ws/pulled.sipflow', PULLED))).toBeUndefined();
        expect(sameIntegrationScope(at('file:///ws/acme.sipflow'), at('file:///ws/pulled.sipflow', PULLED))).toBe(false);
        expect(sameIntegrationScope(at('file:///ws/pulled.sipflow', PULLED), at('file:///ws/acme.sipflow'))).toBe(false);
        expect(sameIntegrationScope(at('file:///ws/a.sipflow', PULLED), at('file:///ws/b.sipflow', PULLED))).toBe(false);
    });

    it('untitled buffers and views (a URI with a query) stand alone', () => {
        expect(integrationScopeOf(at('untitled:Untitled-1'))).toBeUndefined();
        expect(sameIntegrationScope(at('untitled:Untitled-1'), at('untitled:Untitled-2'))).toBe(false);
        const live = 'sipflow-view:/live/acme%20(live).sipflow?file%3A%2F%2F%2Fws%2Facme.sipflow';
        expect(integrationScopeOf(at(live))).toBeUndefined();
        expect(sameIntegrationScope(at(live), at('sipflow-view:/live/globex%20(live).sipflow?file%3A%2F%2F%2Fws%2Fglobex.sipflow'))).toBe(false);
        expect(integrationScopeOf(at('git:/ws/acme.sipflow?%7B%22ref%22%3A%22HEAD%22%7D'))).toBeUndefined();
        expect(isView(live)).toBe(true);
        expect(isView('file:///ws/acme.sipflow')).toBe(false);
        expect(isView('untitled:Untitled-1')).toBe(false);
    });
});

/** A workspace as the language server holds one (every file of every folder, recursively), built together. */
async function workspace(files: Record<string, string>) {
    const { shared } = createSipflowServices(EmptyFileSystem);
    const documents: Record<string, LangiumDocument> = {};
    for (const [uri, text] of Object.entries(files)) {
        // As an editor opens it: the language id, not the file extension, picks the language (untitled:…).
        shared.workspace.TextDocuments.set(TextDocument.create(uri, 'sipflow', 1, text));
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(uri));
        shared.workspace.LangiumDocuments.addDocument(document);
        documents[uri] = document;
    }
    await shared.workspace.DocumentBuilder.build(Object.values(documents), { validation: true });
    const errors = (uri: string) => (documents[uri].diagnostics ?? []).filter((d: Diagnostic) => d.severity === 1).map(d => d.code);
    return { shared, documents, errors };
}

describe('the language applies the rule (SipflowQueues.siblingsOf)', () => {
    it('a pulled copy beside the original, and the live view of Compare with Live, clash with nothing', async () => {
        const live = 'sipflow-view:/live/acme%20(live).sipflow?file%3A%2F%2F%2Fws%2Facme.sipflow';
        const { errors } = await workspace({
            'file:///ws/acme.sipflow': EXAMPLE,
            'file:///ws/pulled.sipflow': PULLED,
            'untitled:Untitled-1': PULLED,
            [live]: EXAMPLE,
        });
        expect(errors('file:///ws/acme.sipflow')).toEqual([]);
        expect(errors('file:///ws/pulled.sipflow')).toEqual([]);
        expect(errors('untitled:Untitled-1')).toEqual([]);
        expect(errors(live)).toEqual([]);
    });

    it('a view reports nothing of its own: nothing in Problems', async () => {
        const live = 'sipflow-view:/live/acme%20(live).sipflow?file%3A%2F%2F%2Fws%2Facme.sipflow';
        const broken = EXAMPLE.replace('did "+4535551234"', 'did "nonsense"');
        const { documents, errors } = await workspace({ [live]: broken, 'file:///ws/broken.sipflow': broken });
        expect(errors('file:///ws/broken.sipflow')).toContain('e164-invalid');
        expect(documents[live].diagnostics ?? []).toEqual([]);
    });

    it('without the marker the copy is a sibling again, and its duplicates are errors', async () => {
        const { shared, documents, errors } = await workspace({ 'file:///ws/acme.sipflow': EXAMPLE, 'file:///ws/pulled.sipflow': PULLED });
        expect(errors('file:///ws/pulled.sipflow')).toEqual([]);
        const pulled = documents['file:///ws/pulled.sipflow'];
        shared.workspace.TextDocuments.set(TextDocument.create(pulled.uri.toString(), 'sipflow', 2, EXAMPLE));
        await shared.workspace.DocumentBuilder.update([pulled.uri], []);
        expect(errors('file:///ws/pulled.sipflow')).toContain('block-duplicate');
        expect(errors('file:///ws/pulled.sipflow')).toContain('name-duplicate');
    });

    it('the same integration in a subfolder is not a sibling, though the workspace holds both', async () => {
        const departments = EXAMPLE.replace('  queue sales_desk {\n    name "Phone – Sales"\n    did "+4570102222"\n    kind ring-group\n  }\n', '');
        expect(departments).not.toBe(EXAMPLE);
        const apart = await workspace({ 'file:///ws/departments.sipflow': departments, 'file:///ws/sub/queues.sipflow': QUEUES });
        expect(apart.errors('file:///ws/departments.sipflow')).toEqual(['linking-error', 'linking-error']);
        const together = await workspace({ 'file:///ws/departments.sipflow': departments, 'file:///ws/queues.sipflow': QUEUES });
        expect(together.errors('file:///ws/departments.sipflow')).toEqual([]);
        expect(together.errors('file:///ws/queues.sipflow')).toEqual([]);
    });
});

describe("gatherIntegrationTexts (the extension's model)", () => {
    /** A folder listing and reads from a map of URI → text; `listed` records which folders were read. */
    function reader(files: Record<string, string>, listed: string[] = []): FolderReader {
        return {
            async list(folder) {
                listed.push(folder);
                return Object.keys(files)
                    .filter(uri => uri.slice(0, uri.lastIndexOf('/')) === folder)
                    .sort();
            },
            async read(uri) {
                return files[uri];
            },
        };
    }

    it("gathers the files directly in the main file's folder, not subfolders, not pulled files", async () => {
        const listed: string[] = [];
        const texts = await gatherIntegrationTexts(
            { uri: 'file:///ws/acme.sipflow', text: EXAMPLE },
            reader(
                {
                    'file:///ws/acme.sipflow': 'the disk text loses to the buffer',
                    'file:///ws/queues.sipflow': QUEUES,
                    'file:///ws/pulled.sipflow': PULLED,
                    'file:///ws/sub/queues.sipflow': QUEUES,
                },
                listed,
            ),
        );
        expect(listed).toEqual(['file:///ws']);
        expect([...texts.keys()]).toEqual(['file:///ws/acme.sipflow', 'file:///ws/queues.sipflow']);
        expect(texts.get('file:///ws/acme.sipflow')).toBe(EXAMPLE);
    });

    it('a pulled or untitled main document is gathered alone, without reading any folder', async () => {
        const listed: string[] = [];
        const files = { 'file:///ws/acme.sipflow': EXAMPLE };
        expect([...(await gatherIntegrationTexts({ uri: 'file:///ws/pulled.sipflow', text: PULLED }, reader(files, listed))).keys()]).toEqual(['file:///ws/pulled.sipflow']);
        expect([...(await gatherIntegrationTexts({ uri: 'untitled:Untitled-1', text: EXAMPLE }, reader(files, listed))).keys()]).toEqual(['untitled:Untitled-1']);
        expect(listed).toEqual([]);
    });

    it('leaves out what cannot be read', async () => {
        const texts = await gatherIntegrationTexts(
            { uri: 'file:///ws/acme.sipflow', text: EXAMPLE },
            {
                list: async () => ['file:///ws/acme.sipflow', 'file:///ws/gone.sipflow'],
                read: async () => undefined,
            },
        );
        expect([...texts.keys()]).toEqual(['file:///ws/acme.sipflow']);
    });
});
