import { CstUtils, isLeafCstNode, type AstNode, type LeafCstNode } from 'langium';

/** The keyword tokens that belong to this node itself (not to nested blocks), in source order. */
export function* ownKeywords(node: AstNode): Generator<LeafCstNode> {
    if (!node.$cstNode) return;
    for (const leaf of CstUtils.streamCst(node.$cstNode)) {
        if (isLeafCstNode(leaf) && !leaf.hidden && leaf.astNode === node && leaf.grammarSource?.$type === 'Keyword') yield leaf;
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
