import { DefaultIndexManager, type LangiumDocument } from 'langium';

/**
 * The index for one-shot builds (the CLI): exported symbols as usual, no reference index. Langium
 * describes every reference of every document after linking (IndexedReferences) so that find
 * references, rename and incremental relinking can use them; a build that is read once and thrown away
 * uses none of those. With no references indexed, `isAffected` says no for every change, so services
 * built with this must not be used for incremental updates: createSipflowServices({ forCli: true }).
 */
export class ExportsOnlyIndexManager extends DefaultIndexManager {
    override async updateReferences(_document: LangiumDocument): Promise<void> {
        // Deliberately nothing: see the class comment.
    }
}
