import { AstUtils, DefaultReferences, GrammarUtils, stream, type AstNode, type FindReferencesOptions, type ReferenceDescription, type Stream } from 'langium';
import type { Department, Integration, Queue } from '../generated/ast.js';
import { isDepartment, isIntegration, isQueue } from '../generated/ast.js';
import { environmentBlocksOf, isEnvironmentOverride } from '../environments.js';
import { integrationParts } from '../integration-parts.js';
import type { SipflowCoreServices } from '../sipflow-core-module.js';
import type { SipflowQueues } from './sipflow-queues.js';

/**
 * An environment's `queue NAME` / `department NAME` names the top-level block it overrides, so it acts
 * as a reference to it: go to definition from the override lands on the declaration, and the
 * declaration's references (find references, highlights, rename) include every override of it.
 */
export class SipflowReferences extends DefaultReferences {
    private readonly queues: SipflowQueues;

    constructor(services: SipflowCoreServices) {
        super(services);
        this.queues = services.references.SipflowQueues;
    }

    protected override getSelfNodes(node: AstNode): AstNode[] {
        if ((isQueue(node) || isDepartment(node)) && isEnvironmentOverride(node)) {
            const declared = this.declarationOf(node);
            if (declared) return [declared];
        }
        return super.getSelfNodes(node);
    }

    override findReferences(targetNode: AstNode, options: FindReferencesOptions): Stream<ReferenceDescription> {
        const references = super.findReferences(targetNode, options).toArray();
        if (!(isQueue(targetNode) || isDepartment(targetNode)) || isEnvironmentOverride(targetNode)) return stream(references);
        const targetUri = AstUtils.getDocument(targetNode).uri;
        const targetPath = this.nodeLocator.getAstNodePath(targetNode);
        for (const override of this.overridesOf(targetNode)) {
            const nameNode = GrammarUtils.findNodeForProperty(override.$cstNode, 'name');
            if (!nameNode) continue;
            const sourceUri = AstUtils.getDocument(override).uri;
            if (options.documentUri && sourceUri.toString() !== options.documentUri.toString()) continue;
            references.push({
                sourceUri,
                sourcePath: this.nodeLocator.getAstNodePath(override),
                targetUri,
                targetPath,
                segment: { offset: nameNode.offset, end: nameNode.end, length: nameNode.length, range: nameNode.range },
                local: sourceUri.toString() === targetUri.toString(),
            });
        }
        return stream(references);
    }

    private filesOf(node: AstNode): Integration[] {
        const integration = AstUtils.getContainerOfType(node, isIntegration);
        return integration ? [integration, ...this.queues.siblingsOf(integration)] : [];
    }

    /** The top-level queue or department an override names, in any file of the integration. */
    private declarationOf(override: Queue | Department): AstNode | undefined {
        return this.filesOf(override)
            .flatMap((file): AstNode[] => [...(isQueue(override) ? integrationParts(file).queues : integrationParts(file).departments)])
            .find(node => (node as Queue | Department).name === override.name);
    }

    /** Every environment's override of a top-level queue or department, in every file of the integration. */
    private overridesOf(declared: Queue | Department): AstNode[] {
        return environmentBlocksOf(this.filesOf(declared))
            .flatMap(env => env.overrides)
            .filter(override => override.$type === declared.$type && (override as Queue | Department).name === declared.name);
    }
}
