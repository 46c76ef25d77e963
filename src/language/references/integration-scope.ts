import { URI, UriUtils } from 'langium';

/**
 * Which files form an integration — the one rule, used by the language (SipflowQueues.siblingsOf, so
 * the language server, validate, plan, apply, checklist, pull and graph), the CLI's file gathering
 * (src/cli/workspace.ts) and the extension's model (src/extension/workspace-model.ts):
 *
 *   An integration is the `.sipflow` files directly in one folder (not its subfolders) that declare the
 *   same `integration NAME`. A file that stands alone is checked by itself and is never another file's
 *   sibling: a file `sipflow pull` wrote (its first line is pull's marker, `// sipflow pull: …`), and a
 *   document that is not a file in a folder (an untitled buffer, or a view with a query in its URI such
 *   as the live side of Compare with Live or a git diff side).
 *
 * Why: a pulled copy of the live accounts declares the same integration, queues and DIDs as the file it
 * came from, so as a sibling it would clash with every line of it; with the marker it can sit anywhere.
 * Deleting the marker line makes it an ordinary file again (and then duplicates are reported).
 * Folders, not workspaces: the CLI sees a file's folder, so the editor must not see more.
 * A view reports no diagnostics at all (SipflowDocumentBuilder): it shows what is live or was committed,
 * and its problems are not the user's to fix there; Problems lists nothing for it.
 */
export const PULL_MARKER = '// sipflow pull:';

/** The text's first line is pull's marker (a leading byte order mark or blank space is ignored). */
export function isPulledText(text: string): boolean {
    const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const newline = text.indexOf('\n', start);
    const firstLine = newline < 0 ? text.slice(start) : text.slice(start, newline);
    return firstLine.trimStart().startsWith(PULL_MARKER);
}

/** Only what the rule reads of a document: where it is, and its first line. */
export interface ScopedDocument {
    readonly uri: URI | string;
    readonly text: string;
}

/** A read-only view of another document (a URI with a query or fragment): the live side of Compare with Live, a git diff side. */
export function isView(uri: URI | string): boolean {
    const parsed = asUri(uri);
    return parsed.query !== '' || parsed.fragment !== '';
}

/**
 * The folder whose files the document's integration may span, as a URI string; undefined when the
 * document stands alone (pulled, untitled or a view).
 */
export function integrationScopeOf(document: ScopedDocument): string | undefined {
    const uri = asUri(document.uri);
    if (uri.scheme === 'untitled' || isView(uri)) return undefined;
    if (isPulledText(document.text)) return undefined;
    return UriUtils.dirname(uri).toString();
}

/**
 * May `a` and `b` be parts of one integration (when they also declare the same name)? Never for a
 * document and itself, nor when either stands alone; otherwise when both are directly in one folder.
 */
export function sameIntegrationScope(a: ScopedDocument, b: ScopedDocument): boolean {
    if (asUri(a.uri).toString() === asUri(b.uri).toString()) return false;
    const scope = integrationScopeOf(a);
    return scope !== undefined && scope === integrationScopeOf(b);
}

function asUri(uri: URI | string): URI {
    return typeof uri === 'string' ? URI.parse(uri) : uri;
}
