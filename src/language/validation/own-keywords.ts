import { AstUtils, CstUtils, GrammarAST, GrammarUtils, isLeafCstNode, type AstNode, type LeafCstNode } from 'langium';

/**
 * The keyword tokens that belong to this node itself (not to nested blocks), in source order.
 * A keyword spelt inside a value (a department named `did`, a queue named `mode`) comes from a
 * datatype rule such as Name and is not a setting keyword.
 */
export function* ownKeywords(node: AstNode): Generator<LeafCstNode> {
    if (!node.$cstNode) return;
    for (const leaf of CstUtils.streamCst(node.$cstNode)) {
        if (!isLeafCstNode(leaf) || leaf.hidden || leaf.astNode !== node || !GrammarAST.isKeyword(leaf.grammarSource)) continue;
        const rule = AstUtils.getContainerOfType(leaf.grammarSource, GrammarAST.isParserRule);
        if (rule && GrammarUtils.isDataTypeRule(rule)) continue;
        yield leaf;
    }
}

/**
 * Was this setting's keyword written? When it was but its value is missing, the parser has already
 * reported the problem; a "missing setting" diagnostic on top would only add noise.
 */
export function settingWritten(node: AstNode, keyword: string): boolean {
    let first = true;
    for (const leaf of ownKeywords(node)) {
        if (!first && leaf.text === keyword) return true;
        first = false;
    }
    return false;
}
