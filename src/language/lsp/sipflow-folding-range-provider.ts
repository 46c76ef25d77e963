import { CstUtils, type LangiumDocument } from 'langium';
import { DefaultFoldingRangeProvider, type FoldingRangeAcceptor } from 'langium/lsp';
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver';

/**
 * Langium folds every block and every multi-line block comment; this adds runs of `//` comment lines (a file
 * header, a note above a department), which editors otherwise only fold by indentation.
 */
export class SipflowFoldingRangeProvider extends DefaultFoldingRangeProvider {
    protected override collectFolding(document: LangiumDocument, acceptor: FoldingRangeAcceptor): void {
        super.collectFolding(document, acceptor);
        const root = document.parseResult?.value?.$cstNode;
        if (!root) return;
        let run: { first: number; last: number } | undefined;
        const flush = () => {
            if (run && run.last > run.first) acceptor(FoldingRange.create(run.first, run.last, undefined, undefined, FoldingRangeKind.Comment));
            run = undefined;
        };
        for (const leaf of CstUtils.flattenCst(root)) {
            if (!leaf.hidden || !leaf.text.startsWith('//')) {
                flush();
                continue;
            }
            const line = leaf.range.start.line;
            const ownLine = /^\s*$/.test(document.textDocument.getText({ start: { line, character: 0 }, end: leaf.range.start }));
            if (ownLine && run && line === run.last + 1) {
                run.last = line;
            } else {
                flush();
                if (ownLine) run = { first: line, last: line };
            }
        }
        flush();
    }
}
