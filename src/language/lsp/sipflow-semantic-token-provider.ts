import { CstUtils, GrammarAST, isLeafCstNode, type AstNode, type LangiumDocument, type LeafCstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor, type SemanticTokenRangeOptions } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes, type CancellationToken, type Range } from 'vscode-languageserver';
import { isAllowlist, isDepartment, isEscalation, isHeader, isIntegration, isQueue, isSecretValue, isSynthflowBlock } from '../generated/ast.js';

/**
 * Semantic tokens add what the TextMate grammar cannot know: which words are names (even when a name is spelled
 * like a keyword, `queue did { … }`), queue declarations versus references, DIDs and durations as numbers,
 * `env:` references as variables, and the value keywords (region, mode, kind) as enum members.
 *
 * Then every other token gets its lexical type — keywords, strings, comments and numbers — so that editors
 * without the TextMate grammar (Neovim, Helix, Emacs) colour a whole file from the language server alone.
 */
export class SipflowSemanticTokenProvider extends AbstractSemanticTokenProvider {
    /** Start offsets of the tokens the AST pass highlighted in the current request (they win over lexical types). */
    private highlighted = new Set<number>();

    protected override async computeHighlighting(document: LangiumDocument, acceptor: SemanticTokenAcceptor, cancelToken: CancellationToken): Promise<void> {
        this.highlighted = new Set();
        await super.computeHighlighting(document, acceptor, cancelToken);
        const root = document.parseResult.value.$cstNode;
        if (!root) return;
        for (const node of CstUtils.streamCst(root)) {
            if (!isLeafCstNode(node) || this.highlighted.has(node.offset)) continue;
            const type = lexicalType(node);
            if (type !== undefined) for (const range of lineRanges(node)) acceptor({ range, type });
        }
    }

    protected override highlightToken(options: SemanticTokenRangeOptions): void {
        if (this.currentDocument) this.highlighted.add(this.currentDocument.textDocument.offsetAt(options.range.start));
        super.highlightToken(options);
    }

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
        } else if (isHeader(node)) {
            if (node.name !== undefined) acceptor({ node, property: 'name', type: SemanticTokenTypes.property });
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

/** The semantic token type of a token by what it is lexically, or undefined for names and punctuation. */
function lexicalType(leaf: LeafCstNode): string | undefined {
    switch (leaf.tokenType.name) {
        case 'SL_COMMENT':
        case 'ML_COMMENT':
            return SemanticTokenTypes.comment;
        case 'STRING':
            return SemanticTokenTypes.string;
        case 'DURATION':
            return SemanticTokenTypes.number;
        case 'ENV_REF':
            return SemanticTokenTypes.variable;
    }
    return GrammarAST.isKeyword(leaf.grammarSource) && /^[a-z]/.test(leaf.text) ? SemanticTokenTypes.keyword : undefined;
}

/**
 * The token's range cut at line ends (a block comment may span lines; few clients accept multi-line tokens,
 * and Langium's own splitting miscounts lines after the first).
 */
function lineRanges(leaf: LeafCstNode): Range[] {
    const { start, end } = leaf.range;
    if (start.line === end.line) return [leaf.range];
    const lines = leaf.text.split(/\r\n|\r|\n/);
    return lines
        .map((line, index) => {
            const character = index === 0 ? start.character : 0;
            return { start: { line: start.line + index, character }, end: { line: start.line + index, character: character + line.length } };
        })
        .filter(range => range.end.character > range.start.character);
}
