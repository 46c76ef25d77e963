import { Cancellation, DefaultLinker, interruptAndCheck, isAstNode, isMultiReference, isReference, type AstNode, type LangiumDocument } from 'langium';
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
