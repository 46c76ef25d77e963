import {
    AstUtils,
    DefaultScopeComputation,
    DefaultScopeProvider,
    MapScope,
    MultiMap,
    type AstNode,
    type AstNodeDescription,
    type LangiumDocument,
    type LocalSymbols,
    type ReferenceInfo,
    type Scope,
} from 'langium';
import type { Integration, SipflowFile } from '../generated/ast.js';
import { isIntegration } from '../generated/ast.js';
import type { SipflowCoreServices } from '../sipflow-core-module.js';
import type { SipflowQueues } from './sipflow-queues.js';
import { BuildCache } from './build-cache.js';

/** Exports the queues of a file so that other files of the same integration can reference them. */
export class SipflowScopeComputation extends DefaultScopeComputation {
    private readonly queues: SipflowQueues;

    constructor(services: SipflowCoreServices) {
        super(services);
        this.queues = services.references.SipflowQueues;
    }

    override async collectExportedSymbols(document: LangiumDocument): Promise<AstNodeDescription[]> {
        const integration = (document.parseResult.value as SipflowFile).integration;
        if (!integration) return [];
        return [...this.queues.queueDescriptionsOf(integration)];
    }

    /**
     * Only queues can be referenced, and only from their integration, so the local symbol table holds the
     * integration's queues and nothing else. Langium's default walks the whole AST and describes every
     * named node (10,000 departments, their escalations…), awaiting a cancellation check per node.
     * (Queue references are resolved by SipflowScopeProvider's own map; this table serves Langium's
     * default scope, should anything ask it.)
     */
    override async collectLocalSymbols(document: LangiumDocument): Promise<LocalSymbols> {
        const symbols = new MultiMap<AstNode, AstNodeDescription>();
        const integration = (document.parseResult.value as SipflowFile).integration;
        if (!integration) return symbols;
        symbols.addAll(integration, this.queues.queueDescriptionsOf(integration));
        return symbols;
    }
}

/**
 * Queue references (`fallback`, `escalate`) see the file's own queues first, then those in other files
 * of the same integration only. The scope is a map built once per integration and linking pass: the
 * default scope scans every named node per reference, which is quadratic in a 10,000-department file.
 */
export class SipflowScopeProvider extends DefaultScopeProvider {
    private readonly queues: SipflowQueues;
    private readonly queueScopes: BuildCache<Integration, Scope>;

    constructor(services: SipflowCoreServices) {
        super(services);
        this.queues = services.references.SipflowQueues;
        this.queueScopes = new BuildCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        const integration = AstUtils.getContainerOfType(context.container, isIntegration);
        if (!integration || this.reflection.getReferenceType(context) !== 'Queue') return super.getScope(context);
        return this.queueScopes.get(integration, () => {
            const own = this.queues.queueDescriptionsOf(integration);
            const foreign = this.queues.siblingsOf(integration).flatMap(sibling => this.queues.queueDescriptionsOf(sibling));
            return new MapScope(own, new MapScope(foreign));
        });
    }
}
