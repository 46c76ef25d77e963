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
            const children: AstNode[] = [];
            for (const property of Object.keys(node)) {
                if (property.startsWith('$')) continue;
                const value: unknown = (node as unknown as Record<string, unknown>)[property];
                if (Array.isArray(value)) {
                    for (let index = 0; index < value.length; index++) this.visit(node, property, value[index], children, document, index);
                } else this.visit(node, property, value, children, document);
            }
            // Children last to first on the stack: they are linked first to last, as streamAst would.
            for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
        }
        await interruptAndCheck(cancelToken);
    }

    private visit(container: AstNode, property: string, value: unknown, children: AstNode[], document: LangiumDocument, index?: number): void {
        if (isReference(value) || isMultiReference(value)) this.doLink({ reference: value, container, property, index }, document);
        else if (isAstNode(value) && value.$container === container) children.push(value);
    }
}
