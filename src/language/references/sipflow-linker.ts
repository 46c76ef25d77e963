import { AstUtils, Cancellation, DefaultLinker, interruptAndCheck, type LangiumDocument } from 'langium';

/** How many AST nodes are linked between two checks for cancellation (Langium checks at every node). */
const NODES_BETWEEN_CHECKS = 1000;

/**
 * Langium's linker, checking for cancellation once every NODES_BETWEEN_CHECKS nodes instead of awaiting at
 * every node: at 10,000 departments those 80,000 awaits were most of the link phase of each keystroke. A
 * superseded build still stops within a millisecond or so; linking itself is unchanged (DefaultLinker.doLink).
 */
export class SipflowLinker extends DefaultLinker {
    override async link(document: LangiumDocument, cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('linking')) return super.link(document, cancelToken);
        let sinceCheck = 0;
        for (const node of AstUtils.streamAst(document.parseResult.value)) {
            if (++sinceCheck === NODES_BETWEEN_CHECKS) {
                sinceCheck = 0;
                await interruptAndCheck(cancelToken);
            }
            AstUtils.streamReferences(node).forEach(reference => this.doLink(reference, document));
        }
        await interruptAndCheck(cancelToken);
    }
}
