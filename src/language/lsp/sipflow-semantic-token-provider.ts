import type { AstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import { isAllowlist, isDepartment, isEscalation, isIntegration, isQueue, isSecretValue, isSynthflowBlock } from '../generated/ast.js';

/**
 * Semantic tokens add what the TextMate grammar cannot know: which words are names (even when a name is spelled
 * like a keyword, `queue did { … }`), queue declarations versus references, DIDs and durations as numbers,
 * `env:` references as variables, and the value keywords (region, mode, kind) as enum members.
 */
export class SipflowSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        const declaration = SemanticTokenModifiers.declaration;
        if (isIntegration(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.namespace, modifier: declaration });
        } else if (isQueue(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.type, modifier: declaration });
            if (node.did !== undefined) acceptor({ node, property: 'did', type: SemanticTokenTypes.number });
            if (node.kind !== undefined) acceptor({ node, property: 'kind', type: SemanticTokenTypes.enumMember });
        } else if (isDepartment(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.class, modifier: declaration });
            if (node.did !== undefined) acceptor({ node, property: 'did', type: SemanticTokenTypes.number });
            if (node.timeout !== undefined) acceptor({ node, property: 'timeout', type: SemanticTokenTypes.number });
            if (node.fallback !== undefined) acceptor({ node, property: 'fallback', type: SemanticTokenTypes.type });
            if (node.uui !== undefined) acceptor({ node, property: 'uui', type: SemanticTokenTypes.property });
        } else if (isEscalation(node)) {
            if (node.queue !== undefined) acceptor({ node, property: 'queue', type: SemanticTokenTypes.type });
            if (node.mode !== undefined) acceptor({ node, property: 'mode', type: SemanticTokenTypes.enumMember });
        } else if (isSynthflowBlock(node)) {
            if (node.region !== undefined) acceptor({ node, property: 'region', type: SemanticTokenTypes.enumMember });
        } else if (isAllowlist(node)) {
            if (node.synthflow) acceptor({ node, keyword: 'synthflow', type: SemanticTokenTypes.enumMember });
        } else if (isSecretValue(node)) {
            if (node.env !== undefined) acceptor({ node, property: 'env', type: SemanticTokenTypes.variable, modifier: SemanticTokenModifiers.readonly });
        }
    }
}
