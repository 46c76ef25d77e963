import { integrationScopeOf, sameIntegrationScope } from '../language/references/integration-scope.js';

/** How the extension reaches files; vscode-free, so that the gathering is unit-tested. */
export interface FolderReader {
    /** The URIs of the `.sipflow` files directly in `folder` (a URI string); none when it cannot be read. */
    list(folder: string): Promise<readonly string[]>;
    /** The text of `uri` (an open editor's buffer wins over the disk); undefined when it cannot be read. */
    read(uri: string): Promise<string | undefined>;
}

const MAX_FILES = 1000;

/**
 * The texts that may form `main`'s integration by the one scoping rule
 * (src/language/references/integration-scope.ts): `main` itself, then the `.sipflow` files directly in
 * its folder that are in its scope (pulled files are left out; subfolders are never read). A document
 * that stands alone (pulled, untitled, a view) is gathered alone. Files of other integrations may be
 * among them: the language and the model ignore them.
 */
export async function gatherIntegrationTexts(main: { readonly uri: string; readonly text: string }, reader: FolderReader): Promise<Map<string, string>> {
    const texts = new Map<string, string>([[main.uri, main.text]]);
    const folder = integrationScopeOf(main);
    if (folder === undefined) return texts;
    for (const uri of (await reader.list(folder)).slice(0, MAX_FILES)) {
        if (texts.has(uri)) continue;
        const text = await reader.read(uri);
        if (text !== undefined && sameIntegrationScope(main, { uri, text })) texts.set(uri, text);
    }
    return texts;
}
