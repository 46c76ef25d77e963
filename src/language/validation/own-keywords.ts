import { GrammarAST, GrammarUtils, isCompositeCstNode, isLeafCstNode, type AstNode, type CstNode, type LeafCstNode } from 'langium';

/** Own keywords per node, computed once per parse (a new parse makes new nodes, so the entries go with them). */
const ownKeywordsCache = new WeakMap<AstNode, readonly LeafCstNode[]>();
/** Is this grammar element a call of a rule that builds nodes (not Name, HeaderName…)? Grammar elements live as long as the grammar. */
const nodeRuleCallCache = new WeakMap<object, boolean>();

/**
 * The keyword tokens that belong to this node itself (not to nested blocks), in source order.
 * Only the node's own CST children are read: a nested block (an escalation, a header) is a composite
 * child of its own AST node, and a keyword spelt inside a value (a department named `did`, a queue
 * named `mode`, `escalate mode`) sits inside the composite child of a datatype rule such as Name or of
 * a cross-reference; neither is descended into. Computed once per node, shared by the duplicate-setting and
 * missing-setting checks: in an editor, a node kept across edits (incremental-parse.ts) keeps its entry, and
 * re-checking 10,000 departments when another file of the integration changes does not walk them again.
 */
export function ownKeywords(node: AstNode): readonly LeafCstNode[] {
    const cached = ownKeywordsCache.get(node);
    if (cached) return cached;
    const keywords: LeafCstNode[] = [];
    if (node.$cstNode) collectOwnKeywords(node.$cstNode, node, keywords);
    ownKeywordsCache.set(node, keywords);
    return keywords;
}

function collectOwnKeywords(cst: CstNode, node: AstNode, into: LeafCstNode[]): void {
    if (!isCompositeCstNode(cst)) return;
    // Indexed: in code not yet optimized (most of a CLI run), for…of allocates an iterator result per child.
    const content = cst.content;
    for (let i = 0; i < content.length; i++) {
        const child = content[i];
        if (isLeafCstNode(child)) {
            // `$type` directly: GrammarAST.isKeyword goes through the reflection's subtype lookup, ~5 ms of a cold
            // 1,000-department validate; Keyword has no subtypes (test/language/own-keywords.test.ts pins that).
            if (!child.hidden && child.grammarSource?.$type === GrammarAST.Keyword.$type) into.push(child);
        } else if (child.astNode === node && isNodeRuleCall(child.grammarSource)) {
            // An unassigned rule call that builds no node of its own (TrunkAuth → CredentialsTrunkAuth).
            collectOwnKeywords(child, node, into);
        }
    }
}

function isNodeRuleCall(element: GrammarAST.AbstractElement | undefined): boolean {
    if (!element) return false;
    let result = nodeRuleCallCache.get(element);
    if (result === undefined) {
        const rule = GrammarAST.isRuleCall(element) ? element.rule.ref : undefined;
        result = rule !== undefined && GrammarAST.isParserRule(rule) && !GrammarUtils.isDataTypeRule(rule);
        nodeRuleCallCache.set(element, result);
    }
    return result;
}

/**
 * The keyword a leaf of ownKeywords spells: its grammar element's value, without slicing the document's
 * text (`leaf.text`) for every setting of every block. The same string: the grammar is case-sensitive
 * (langium-config.json), so a keyword token's text is always its keyword.
 */
export function keywordOf(leaf: LeafCstNode): string {
    return (leaf.grammarSource as GrammarAST.Keyword).value;
}

/**
 * Was this setting's keyword written? When it was but its value is missing, the parser has already
 * reported the problem; a "missing setting" diagnostic on top would only add noise.
 */
export function settingWritten(node: AstNode, keyword: string): boolean {
    const keywords = ownKeywords(node);
    // The first keyword is the block's own (`queue`, `department`…), which may share a setting's spelling.
    for (let i = 1; i < keywords.length; i++) {
        if (keywordOf(keywords[i]) === keyword) return true;
    }
    return false;
}
