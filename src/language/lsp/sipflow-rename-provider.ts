import type { LangiumDocument } from 'langium';
import { DefaultRenameProvider } from 'langium/lsp';
import { ErrorCodes, ResponseError, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver';
import type { CancellationToken } from 'vscode-languageserver';

/** What the grammar accepts as a queue, department or integration name (the ID terminal). */
const NAME = /^[_a-zA-Z]\w*$/;

/**
 * Langium's rename (declaration and every reference, across the workspace's files) with one addition: a new
 * name the grammar would not accept is refused with a message, instead of producing a file that no longer parses.
 */
export class SipflowRenameProvider extends DefaultRenameProvider {
    override async rename(document: LangiumDocument, params: RenameParams, cancelToken?: CancellationToken): Promise<WorkspaceEdit | undefined> {
        if (!NAME.test(params.newName)) {
            throw new ResponseError(ErrorCodes.InvalidParams, `"${params.newName}" is not a valid name: use letters, digits and _, starting with a letter or _.`);
        }
        return super.rename(document, params, cancelToken);
    }
}
