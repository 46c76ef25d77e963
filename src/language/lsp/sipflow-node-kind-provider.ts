import type { AstNode, AstNodeDescription } from 'langium';
import type { NodeKindProvider } from 'langium/lsp';
import { CompletionItemKind, SymbolKind } from 'vscode-languageserver';

/** Icons for outline, workspace symbols and completion, by AST type. */
const KINDS: Readonly<Record<string, { readonly symbol: SymbolKind; readonly completion: CompletionItemKind }>> = {
    Integration: { symbol: SymbolKind.Module, completion: CompletionItemKind.Module },
    DixaBlock: { symbol: SymbolKind.Namespace, completion: CompletionItemKind.Module },
    SynthflowBlock: { symbol: SymbolKind.Namespace, completion: CompletionItemKind.Module },
    // A queue is a destination other declarations point at; a department routes calls: a "class" of behaviour.
    Queue: { symbol: SymbolKind.Struct, completion: CompletionItemKind.Struct },
    Department: { symbol: SymbolKind.Class, completion: CompletionItemKind.Class },
    Escalation: { symbol: SymbolKind.Event, completion: CompletionItemKind.Event },
};

export class SipflowNodeKindProvider implements NodeKindProvider {
    getSymbolKind(node: AstNode | AstNodeDescription): SymbolKind {
        return KINDS[typeOf(node)]?.symbol ?? SymbolKind.Field;
    }

    getCompletionItemKind(node: AstNode | AstNodeDescription): CompletionItemKind {
        return KINDS[typeOf(node)]?.completion ?? CompletionItemKind.Reference;
    }
}

function typeOf(node: AstNode | AstNodeDescription): string {
    return '$type' in node ? node.$type : node.type;
}
