import { EmptyFileSystem, TextDocument, URI, type LangiumDocument } from 'langium';
import { clearDocuments } from 'langium/test';
import type { TextEdit } from 'vscode-languageserver';
import type { SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';

/** Services of the editor-feature tests (separate from helpers.ts so their workspaces do not interfere). */
export const editor = createSipflowServices(EmptyFileSystem);

let fileCounter = 0;

/**
 * Opens several files in one workspace (as an editor does), builds them with validation and returns them by name.
 * Call `close()` afterwards to remove them from the workspace.
 */
export async function openFiles<K extends string>(files: Record<K, string>): Promise<{ docs: Record<K, LangiumDocument<SipflowFile>>; close: () => Promise<void> }> {
    const factory = editor.shared.workspace.LangiumDocumentFactory;
    const langiumDocuments = editor.shared.workspace.LangiumDocuments;
    const docs = {} as Record<K, LangiumDocument<SipflowFile>>;
    const run = ++fileCounter;
    for (const name of Object.keys(files) as K[]) {
        // In the root folder, where langium/test's helpers put the document under test: files of one
        // integration are siblings only in one folder (src/language/references/integration-scope.ts).
        const uri = URI.parse(`file:///run${run}-${name}.sipflow`);
        const document = factory.fromString<SipflowFile>(files[name], uri);
        langiumDocuments.addDocument(document);
        docs[name] = document;
    }
    const all = Object.values(docs) as LangiumDocument[];
    await editor.shared.workspace.DocumentBuilder.build(all, { validation: true });
    return { docs, close: () => clearDocuments(editor.shared, all) };
}

/** Opens one file; see {@link openFiles}. */
export async function openFile(text: string): Promise<{ doc: LangiumDocument<SipflowFile>; close: () => Promise<void> }> {
    const { docs, close } = await openFiles({ main: text });
    return { doc: docs.main, close };
}

export function applyEdits(document: LangiumDocument, edits: readonly TextEdit[]): string {
    return TextDocument.applyEdits(document.textDocument, [...edits]);
}

/** Formats a text as a whole document with the registered formatter. */
export async function format(text: string): Promise<string> {
    const { doc, close } = await openFile(text);
    try {
        const edits = await editor.Sipflow.lsp.Formatter!.formatDocument(doc, {
            textDocument: { uri: doc.uri.toString() },
            options: { tabSize: 4, insertSpaces: true },
        });
        return applyEdits(doc, edits);
    } finally {
        await close();
    }
}

/** The 0-based offset of the n-th (0-based) occurrence of `search` in `text`, plus `delta`. Throws if absent. */
export function offsetOf(text: string, search: string, delta = 0, occurrence = 0): number {
    let index = -1;
    for (let i = 0; i <= occurrence; i++) {
        index = text.indexOf(search, index + 1);
        if (index < 0) throw new Error(`"${search}" (occurrence ${occurrence}) not found`);
    }
    return index + delta;
}
