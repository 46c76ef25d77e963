import { DefaultScopeComputation, DefaultScopeProvider, AstUtils, type AstNodeDescription, type LangiumDocument, type ReferenceInfo, type Scope } from 'langium';
import type { SipflowFile } from '../generated/ast.js';
import { isIntegration } from '../generated/ast.js';
import type { SipflowServices } from '../sipflow-module.js';
import { integrationParts } from '../integration-parts.js';
import type { SipflowQueues } from './sipflow-queues.js';

/** Exports the queues of a file so that other files of the same integration can reference them. */
export class SipflowScopeComputation extends DefaultScopeComputation {
    override async collectExportedSymbols(document: LangiumDocument): Promise<AstNodeDescription[]> {
        const integration = (document.parseResult.value as SipflowFile).integration;
        if (!integration) return [];
        return integrationParts(integration).queues
            .filter(queue => typeof queue.name === 'string' && queue.name.length > 0)
            .map(queue => this.descriptions.createDescription(queue, queue.name, document));
    }
}

/** Queue references see the file's own queues first, then those in other files of the same integration only. */
export class SipflowScopeProvider extends DefaultScopeProvider {
    private readonly queues: SipflowQueues;

    constructor(services: SipflowServices) {
        super(services);
        this.queues = services.references.SipflowQueues;
    }

    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const integration = AstUtils.getContainerOfType(context.container, isIntegration);
        if (referenceType !== 'Queue' || !integration) return super.getGlobalScope(referenceType, context);
        const ownUri = AstUtils.getDocument(context.container).uri.toString();
        const foreign = this.indexManager
            .allElements('Queue')
            .filter(d => d.documentUri.toString() !== ownUri && this.queues.belongsTo(d, integration.name));
        return this.createScope(foreign);
    }
}
