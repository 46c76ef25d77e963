import {
    AstUtils,
    Cancellation,
    DefaultLinker,
    interruptAndCheck,
    isAstNode,
    isMultiReference,
    isReference,
    type AstNode,
    type CstNode,
    type LangiumDocument,
    type MultiReference,
    type Reference,
} from 'langium';
import { yieldToRequests } from '../yield-to-requests.js';

/** How many AST nodes are linked between two checks for cancellation (Langium checks at every node). */
const NODES_BETWEEN_CHECKS = 1000;

/**
 * Langium's linker with a cheaper walk. DefaultLinker.link streams every node (streamAst), streams each
 * node's references (streamReferences) and awaits a cancellation check at every node; at 10,000
 * departments that walk, not the resolution, was most of the ~90 ms link phase of each keystroke. This
 * visits the same nodes in the same order with a plain loop over their own properties and yields to
 * requests and checks for cancellation every NODES_BETWEEN_CHECKS nodes (yieldToRequests). Resolution is Langium's (DefaultLinker.doLink).
 */
export class SipflowLinker extends DefaultLinker {
    override async link(document: LangiumDocument, cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('linking')) return super.link(document, cancelToken);
        const pending: AstNode[] = [document.parseResult.value];
        let sinceCheck = 0;
        while (pending.length > 0) {
            const node = pending.pop()!;
            if (++sinceCheck === NODES_BETWEEN_CHECKS) {
                sinceCheck = 0;
                await yieldToRequests(cancelToken);
            }
            // Children go onto the stack first to last and are then reversed in place, so that they are linked
            // first to last, as streamAst would. Indexed loops: most of a CLI run is not yet optimized, and there
            // every for…of step allocates an iterator result (~0.8 MB at 1,000 departments, with the children arrays).
            const firstChild = pending.length;
            const properties = Object.keys(node);
            for (let p = 0; p < properties.length; p++) {
                const property = properties[p];
                if (property.charCodeAt(0) === 36 /* $ */) continue;
                const value: unknown = (node as unknown as Record<string, unknown>)[property];
                if (Array.isArray(value)) {
                    for (let index = 0; index < value.length; index++) this.visit(node, property, value[index], pending, document, index);
                } else this.visit(node, property, value, pending, document);
            }
            for (let i = firstChild, j = pending.length - 1; i < j; i++, j--) {
                const child = pending[i];
                pending[i] = pending[j];
                pending[j] = child;
            }
        }
        await interruptAndCheck(cancelToken);
    }

    /**
     * Langium's unlink, assigning undefined where it deletes: `delete` turns each of the file's references (20,000
     * at 10,000 departments) into a dictionary-mode object, ~10 ms on every keystroke before the new text is parsed,
     * and slower property reads when the references are linked again. Langium reads these fields by value only
     * (isAstNodeDescription, isLinkingError), never with `in`, so undefined and absent mean the same.
     */
    override unlink(document: LangiumDocument): void {
        for (const ref of document.references as unknown as Array<Record<string, unknown>>) {
            if ('_ref' in ref) {
                ref._ref = undefined;
                if (ref._nodeDescription !== undefined) ref._nodeDescription = undefined;
            } else if ('_items' in ref) {
                ref._items = undefined;
                if (ref._linkingError !== undefined) ref._linkingError = undefined;
            }
        }
        document.references = [];
    }

    private visit(container: AstNode, property: string, value: unknown, children: AstNode[], document: LangiumDocument, index?: number): void {
        if (isReference(value) || isMultiReference(value)) this.doLink({ reference: value, container, property, index }, document);
        else if (isAstNode(value) && value.$container === container) children.push(value);
    }
}

/** A reference as the parser built it: where it was assigned. */
interface BuiltReference {
    readonly reference: Reference | MultiReference;
    readonly container: AstNode;
    readonly property: string;
}

/**
 * The linker of a one-shot build (the CLI: documents parsed once, linked once, never updated). The parser
 * hands every reference it builds to buildReference, in source order; link() resolves those of the
 * document instead of walking all of its nodes to find them (the walk was ~10 ms of a cold
 * 1,000-department validate, the resolution itself ~1 ms). Only for a document without syntax errors: error
 * recovery may drop a node after its references were built. A reference the parser built and then replaced
 * (a setting written twice) is skipped, as the walk never sees it; one in an array property is linked with
 * its index, as the walk links it. What is linked is what SipflowLinker
 * links; the order is the source's, which differs from the walk's only in where a block's nested blocks
 * come (test/language/sipflow-linker.test.ts).
 */
export class OneShotLinker extends SipflowLinker {
    /** Built since the last grouping, in source order. */
    private built: BuiltReference[] = [];
    /** Grouped by the root of their container (a document's root; a node error recovery dropped has its own). */
    private readonly builtByRoot = new WeakMap<AstNode, BuiltReference[]>();

    override buildReference(node: AstNode, property: string, refNode: CstNode | undefined, refText: string): Reference {
        const reference = super.buildReference(node, property, refNode, refText);
        this.built.push({ reference, container: node, property });
        return reference;
    }

    override buildMultiReference(node: AstNode, property: string, refNode: CstNode | undefined, refText: string): MultiReference {
        const reference = super.buildMultiReference(node, property, refNode, refText);
        this.built.push({ reference, container: node, property });
        return reference;
    }

    override async link(document: LangiumDocument, cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None): Promise<void> {
        const { value: root, lexerErrors, parserErrors } = document.parseResult;
        if (this.profiler?.isActive('linking') || lexerErrors.length > 0 || parserErrors.length > 0) return super.link(document, cancelToken);
        // Containers are set once the parse is done (Langium's linkContentToContainer), so group now, not in buildReference.
        for (const built of this.built) {
            const rootOfBuilt = AstUtils.findRootNode(built.container);
            let group = this.builtByRoot.get(rootOfBuilt);
            if (!group) this.builtByRoot.set(rootOfBuilt, (group = []));
            group.push(built);
        }
        this.built = [];
        const references = this.builtByRoot.get(root);
        if (!references) return super.link(document, cancelToken);
        this.builtByRoot.delete(root);
        for (let i = 0; i < references.length; i++) {
            const { reference, container, property } = references[i];
            const value: unknown = (container as unknown as Record<string, unknown>)[property];
            if (value === reference) this.doLink({ reference, container, property }, document);
            else if (Array.isArray(value)) {
                const index = value.indexOf(reference);
                if (index >= 0) this.doLink({ reference, container, property, index }, document);
            }
        }
        await interruptAndCheck(cancelToken);
    }
}
