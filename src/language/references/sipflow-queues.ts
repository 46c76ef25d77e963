import { AstUtils, WorkspaceCache, type AstNodeDescription, type AstNodeLocator, type IndexManager, type LangiumDocuments } from 'langium';
import type { Integration, Queue, SipflowFile } from '../generated/ast.js';
import { isQueue } from '../generated/ast.js';
import type { SipflowServices } from '../sipflow-module.js';
import { integrationParts } from '../integration-parts.js';

/**
 * Queues across files: an integration may keep its queues in one `.sipflow` file and its departments in
 * another, as long as both files declare the same integration name.
 */
export class SipflowQueues {
    private readonly documents: LangiumDocuments;
    private readonly index: IndexManager;
    private readonly locator: AstNodeLocator;
    private readonly foreignQueuesCache: WorkspaceCache<string, readonly Queue[]>;
    private readonly siblingsCache: WorkspaceCache<string, readonly Integration[]>;

    constructor(services: SipflowServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.index = services.shared.workspace.IndexManager;
        this.locator = services.workspace.AstNodeLocator;
        this.foreignQueuesCache = new WorkspaceCache(services.shared);
        this.siblingsCache = new WorkspaceCache(services.shared);
    }

    /** The same integration declared in other files of the workspace, ordered by document URI. */
    siblingsOf(integration: Integration): readonly Integration[] {
        const uri = AstUtils.getDocument(integration).uri.toString();
        return this.siblingsCache.get(`${uri}#${integration.name}`, () =>
            this.documents.all
                .filter(document => document.uri.toString() !== uri)
                .map(document => (document.parseResult.value as Partial<SipflowFile>).integration)
                .filter((other): other is Integration => other?.name === integration.name)
                .toArray()
                .sort((a, b) => uriOf(a).localeCompare(uriOf(b))),
        );
    }

    /** Is this exported queue description part of an integration with the given name? */
    belongsTo(description: AstNodeDescription, integrationName: string): boolean {
        const document = this.documents.getDocument(description.documentUri);
        const root = document?.parseResult.value as SipflowFile | undefined;
        return root?.integration?.name === integrationName;
    }

    /** Queues the integration's departments may name: its own, then those in other files of the same integration. */
    queuesOf(integration: Integration): readonly Queue[] {
        const own = integrationParts(integration).queues;
        const foreign = this.foreignQueues(integration);
        return foreign.length === 0 ? own : [...own, ...foreign];
    }

    private foreignQueues(integration: Integration): readonly Queue[] {
        const uri = AstUtils.getDocument(integration).uri.toString();
        return this.foreignQueuesCache.get(`${uri}#${integration.name}`, () => {
            const result: Queue[] = [];
            for (const description of this.index.allElements('Queue')) {
                if (description.documentUri.toString() === uri || !this.belongsTo(description, integration.name)) continue;
                const node = description.node ?? this.documents.getDocument(description.documentUri)?.parseResult.value;
                if (isQueue(node)) result.push(node);
            }
            return result;
        });
    }

    /** Does any department, in this file or another file of the integration, fall back or escalate to the queue? */
    isQueueUsed(queue: Queue): boolean {
        const integration = queue.$container;
        for (const department of integrationParts(integration).departments) {
            if (department.fallback?.ref === queue) return true;
            if (department.escalations.some(e => e.queue?.ref === queue)) return true;
        }
        // Not used here: look for references from the integration's other files (rare, so the index scan is fine).
        const queueUri = AstUtils.getDocument(queue).uri.toString();
        return this.index
            .findAllReferences(queue, this.locator.getAstNodePath(queue))
            .some(ref => ref.sourceUri.toString() !== queueUri);
    }
}

export function uriOf(node: Integration): string {
    return AstUtils.getDocument(node).uri.toString();
}
