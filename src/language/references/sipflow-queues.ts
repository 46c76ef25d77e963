import { AstUtils, type AstNodeDescription, type LangiumDocument, type LangiumDocuments } from 'langium';
import type { Integration, Queue, SipflowFile } from '../generated/ast.js';
import { isDepartment, isEnvironment, isIntegration } from '../generated/ast.js';
import type { SipflowCoreServices } from '../sipflow-core-module.js';
import { integrationParts } from '../integration-parts.js';
import { sameIntegrationScope, type ScopedDocument } from './integration-scope.js';
import { BuildCache } from './build-cache.js';

/**
 * One integration across files: an integration may keep its queues in one `.sipflow` file and its
 * departments in another, as long as both files declare the same integration name and are in one scope
 * (integration-scope.ts: directly in one folder, neither a pulled file nor a view). Everything here is
 * computed once per workspace state (the caches clear on any change), so that validating a 10,000-line
 * file stays linear.
 */
export class SipflowQueues {
    private readonly documents: LangiumDocuments;
    private readonly siblingsCache: BuildCache<Integration, readonly Integration[]>;
    private readonly queuesCache: BuildCache<Integration, readonly Queue[]>;
    private readonly usedCache: BuildCache<Integration, ReadonlySet<Queue>>;
    /** Keyed by the members array, as integrationParts: an incremental re-parse keeps the integration node and gives it a new array. */
    private readonly descriptionsCache = new WeakMap<Integration['members'], readonly AstNodeDescription[]>();
    private readonly services: SipflowCoreServices;
    private readonly effectiveSiblings = new WeakMap<Integration, readonly Integration[]>();

    constructor(services: SipflowCoreServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.siblingsCache = new BuildCache(services.shared);
        this.queuesCache = new BuildCache(services.shared);
        this.usedCache = new BuildCache(services.shared);
        this.services = services;
    }

    /**
     * The descriptions of the integration's own named queues, in this file: built once per version of its
     * members for its exports, its local symbols and the queue scope, which each built all of them (1,250 at
     * 10,000 departments) on every build. Keyed by the members array, not by the integration through a
     * WorkspaceCache: a request served between an update's start and the re-parse (a completion in another
     * file) would otherwise cache the old nodes' descriptions under the node the re-parse keeps.
     */
    queueDescriptionsOf(integration: Integration): readonly AstNodeDescription[] {
        let cached = this.descriptionsCache.get(integration.members);
        if (!cached) {
            const descriptions = this.services.workspace.AstNodeDescriptionProvider;
            const document = AstUtils.getDocument(integration);
            cached = integrationParts(integration)
                .queues.filter(queue => typeof queue.name === 'string' && queue.name.length > 0)
                .map(queue => descriptions.createDescription(queue, queue.name, document));
            this.descriptionsCache.set(integration.members, cached);
        }
        return cached;
    }

    /**
     * An environment's effective views of the integration's files are each other's siblings, so that
     * checks across files compare effective values (see validateEnvironments).
     */
    useEffectiveSiblings(views: readonly Integration[]): void {
        const sorted = [...views].sort((a, b) => uriOf(a).localeCompare(uriOf(b)));
        for (const view of views)
            this.effectiveSiblings.set(
                view,
                sorted.filter(other => other !== view),
            );
    }

    /** The same integration declared in other files of its scope (integration-scope.ts), ordered by document URI. */
    siblingsOf(integration: Integration): readonly Integration[] {
        const effective = this.effectiveSiblings.get(integration);
        if (effective) return effective;
        return this.siblingsCache.get(integration, () => {
            const own = scoped(AstUtils.getDocument(integration));
            return this.documents.all
                .filter(document => sameIntegrationScope(own, scoped(document)))
                .map(document => (document.parseResult.value as Partial<SipflowFile>).integration)
                .filter((other): other is Integration => other !== undefined && other.name === integration.name)
                .toArray()
                .sort((a, b) => uriOf(a).localeCompare(uriOf(b)));
        });
    }

    /** Queues the integration's departments may name: its own, then those in other files of the same integration. */
    queuesOf(integration: Integration): readonly Queue[] {
        return this.queuesCache.get(integration, () => [
            ...integrationParts(integration).queues,
            ...this.siblingsOf(integration).flatMap(sibling => integrationParts(sibling).queues),
        ]);
    }

    /** Does any department, in this file or another file of the integration, fall back or escalate to the queue? */
    isQueueUsed(queue: Queue): boolean {
        const integration = AstUtils.getContainerOfType(queue, isIntegration);
        if (!integration) return false;
        return this.usedCache
            .get(integration, () => {
                const used = new Set<Queue>();
                for (const part of [integration, ...this.siblingsOf(integration)]) {
                    // An environment's department may fall back or escalate to a queue the default does not use.
                    const overrides = part.members
                        .filter(isEnvironment)
                        .flatMap(env => env.overrides)
                        .filter(isDepartment);
                    for (const department of [...integrationParts(part).departments, ...overrides]) {
                        const fallback = department.fallback?.ref;
                        if (fallback) used.add(fallback);
                        for (const escalation of department.escalations) {
                            const target = escalation.queue?.ref;
                            if (target) used.add(target);
                        }
                    }
                }
                return used;
            })
            .has(queue);
    }
}

function scoped(document: LangiumDocument): ScopedDocument {
    return { uri: document.uri, text: document.textDocument.getText() };
}

export function uriOf(node: Integration): string {
    return AstUtils.getDocument(node).uri.toString();
}
