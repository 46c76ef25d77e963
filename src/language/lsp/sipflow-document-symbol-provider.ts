import { GrammarUtils, type AstNode, type CstNode, type LangiumDocument } from 'langium';
import { DefaultDocumentSymbolProvider } from 'langium/lsp';
import type { DocumentSymbol } from 'vscode-languageserver';
import { DEFAULT_TRANSFER_MODE } from '../../vendors/synthflow-facts.js';
import { isDepartment, isDixaBlock, isEscalation, isQueue, isSynthflowBlock } from '../generated/ast.js';

/**
 * The outline: integration > dixa, synthflow, queues, departments > escalations. The vendor blocks have no name,
 * which Langium's default skips; they appear under their keyword, with their key setting as detail.
 */
export class SipflowDocumentSymbolProvider extends DefaultDocumentSymbolProvider {
    protected override getSymbol(document: LangiumDocument, node: AstNode): DocumentSymbol[] {
        if (isDixaBlock(node)) return this.keywordSymbol(node, 'dixa', node.sipDomain);
        if (isSynthflowBlock(node)) return this.keywordSymbol(node, 'synthflow', node.region !== undefined ? `region ${node.region}` : undefined);
        if (isEscalation(node)) {
            const target = node.queue !== undefined ? GrammarUtils.findNodeForProperty(node.$cstNode, 'queue') : GrammarUtils.findNodeForProperty(node.$cstNode, 'uri');
            const label = node.queue?.$refText ?? node.uri ?? '';
            return this.symbol(node, `escalate ${label}`, target, `mode ${node.mode ?? DEFAULT_TRANSFER_MODE}`);
        }
        return super.getSymbol(document, node);
    }

    protected override createSymbol(document: LangiumDocument, node: AstNode, cstNode: CstNode, nameNode: CstNode, computedName?: string): DocumentSymbol {
        const symbol = super.createSymbol(document, node, cstNode, nameNode, computedName);
        const detail = isQueue(node)
            ? [node.displayName !== undefined ? `"${node.displayName}"` : undefined, node.did].filter(Boolean).join(' · ')
            : isDepartment(node)
              ? node.did
              : undefined;
        return detail ? { ...symbol, detail } : symbol;
    }

    private keywordSymbol(node: AstNode, keyword: string, detail: string | undefined): DocumentSymbol[] {
        return this.symbol(node, keyword, GrammarUtils.findNodeForKeyword(node.$cstNode, keyword), detail);
    }

    private symbol(node: AstNode, name: string, selection: CstNode | undefined, detail: string | undefined): DocumentSymbol[] {
        const cst = node.$cstNode;
        if (!cst) return [];
        const symbol: DocumentSymbol = {
            name,
            kind: this.nodeKindProvider.getSymbolKind(node),
            range: cst.range,
            selectionRange: (selection ?? cst).range,
        };
        return [detail ? { ...symbol, detail } : symbol];
    }
}
