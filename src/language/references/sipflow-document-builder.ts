import { DefaultDocumentBuilder, URI, type Cancellation, type LangiumDocument, type LangiumDocuments, type LangiumSharedCoreServices } from 'langium';
import type { SipflowFile } from '../generated/ast.js';
import { isView } from './integration-scope.js';

/**
 * Files of one integration depend on each other in both directions: a department file links to a queue
 * file, and the queue file's `queue-unused` hint depends on the department file. Langium only relinks
 * documents that reference a changed one, so relink every file of the same integration as well.
 */
export class SipflowDocumentBuilder extends DefaultDocumentBuilder {
    private readonly documents: LangiumDocuments;

    constructor(services: LangiumSharedCoreServices) {
        super(services);
        this.documents = services.workspace.LangiumDocuments;
    }

    /**
     * Views (the live side of Compare with Live, a git diff side) report nothing: see integration-scope.ts.
     * They go through validation like any document (so their build state is the usual one), then drop it.
     */
    protected override async validate(document: LangiumDocument, cancelToken: Cancellation.CancellationToken): Promise<void> {
        await super.validate(document, cancelToken);
        if (isView(document.uri)) document.diagnostics = [];
    }

    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        if (super.shouldRelink(document, changedUris)) return true;
        const name = integrationName(document);
        if (name === undefined) return false;
        for (const uri of changedUris) {
            const changed = this.documents.getDocument(URI.parse(uri));
            // A new or deleted file may have declared this integration: relink to be safe.
            const changedName = changed ? integrationName(changed) : undefined;
            if (changedName === undefined || changedName === name) return true;
        }
        return false;
    }
}

function integrationName(document: LangiumDocument): string | undefined {
    return (document.parseResult.value as Partial<SipflowFile>).integration?.name;
}
