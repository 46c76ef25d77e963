import { DocumentState, WorkspaceCache, type LangiumSharedCoreServices } from 'langium';

/**
 * A WorkspaceCache that also clears once a build has re-parsed and indexed the changed documents. Langium's
 * clears when an update starts, before the re-parse: a request served in between (a completion in another
 * file of the integration, which may run once its own document is back at ComputedScopes) would fill it from
 * the old trees, and the build would then link the other files against queues that no longer exist.
 */
export class BuildCache<K, V> extends WorkspaceCache<K, V> {
    constructor(shared: LangiumSharedCoreServices) {
        super(shared);
        this.toDispose.push(shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.IndexedContent, () => this.clear()));
    }
}
