import { AstUtils, DefaultIndexManager, type LangiumDocument, type LangiumSharedCoreServices, type ReferenceDescription, type Stream, type URI } from 'langium';
import type { ReferenceInfo } from 'langium';

/** DefaultReferenceDescriptionProvider's per-reference step (protected there; the one this index needs). */
interface DescribesOneReference {
    createInfoDescriptions(info: ReferenceInfo): ReferenceDescription[];
}

/**
 * The language server's index: exported symbols as usual, references described only when something asks.
 * Langium describes every reference of a document after each link (IndexedReferences), for find
 * references, rename and deciding which other documents a change affects; at 10,000 departments that is
 * ~90 ms of every keystroke, for answers most keystrokes never need. Here a linked document is only
 * marked, and described on the first findAllReferences or isAffected that needs it, from the same linked
 * references the eager index would have read (a document's references stay linked until it is reset,
 * which also drops its mark: removeReferences).
 */
export class LazyReferenceIndexManager extends DefaultIndexManager {
    /** Linked documents whose references are not described yet, by URI. */
    private readonly undescribed = new Map<string, LangiumDocument>();

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    override async updateReferences(document: LangiumDocument): Promise<void> {
        const uri = document.uri.toString();
        this.referenceIndex.delete(uri);
        this.undescribed.set(uri, document);
    }

    override removeReferences(uri: URI): void {
        this.undescribed.delete(uri.toString());
        super.removeReferences(uri);
    }

    override findAllReferences(targetNode: Parameters<DefaultIndexManager['findAllReferences']>[0], astNodePath: string): Stream<ReferenceDescription> {
        for (const uri of [...this.undescribed.keys()]) this.describe(uri);
        return super.findAllReferences(targetNode, astNodePath);
    }

    override isAffected(document: LangiumDocument, changedUris: Set<string>): boolean {
        this.describe(document.uri.toString());
        return super.isAffected(document, changedUris);
    }

    /** What DefaultIndexManager.updateReferences stores, computed in one pass without yielding (nothing else runs meanwhile). */
    private describe(uri: string): void {
        const document = this.undescribed.get(uri);
        if (!document) return;
        this.undescribed.delete(uri);
        const provider = this.serviceRegistry.getServices(document.uri).workspace.ReferenceDescriptionProvider as unknown as DescribesOneReference;
        const descriptions: ReferenceDescription[] = [];
        for (const node of AstUtils.streamAst(document.parseResult.value)) {
            AstUtils.streamReferences(node).forEach(info => {
                if (!info.reference.error) descriptions.push(...provider.createInfoDescriptions(info));
            });
        }
        this.referenceIndex.set(uri, descriptions);
    }
}
