import { CstUtils, GrammarAST, isCompositeCstNode, isLeafCstNode, type AstNode, type CstNode, type LangiumDocument, type LeafCstNode } from 'langium';
import { AbstractFormatter } from 'langium/lsp';
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';

/** The canonical indentation of one block level (the style of examples/acme.sipflow), whatever the editor's tab size. */
export const FORMAT_INDENT = '  ';
/** Blank lines the formatter keeps between two lines: at most one. */
const MAX_LINE_BREAKS = 2;

/**
 * The canonical layout of a `.sipflow` file: every setting and member on its own line, indented two spaces per
 * block level; one space between a keyword and its value and before `{`; `, ` between allowlist entries; at most
 * one blank line kept between lines; comments kept, and a comment that trails a line keeps the whitespace before
 * it (so that aligned trailing comments stay aligned).
 *
 * Langium's rule-based formatting (`format(node)` with prepend/append actions) re-indents hidden comment nodes by
 * where the parser attached them in the CST and cannot keep the column of a trailing comment. The layout here is
 * instead computed over the token sequence: for each pair of neighbouring tokens, the whitespace between them is a
 * function of the two tokens and the block depth only, which makes the result idempotent by construction.
 */
export class SipflowFormatter extends AbstractFormatter {
    protected format(_node: AstNode): void {
        // The layout is computed in doDocumentFormat from the tokens, not from per-node formatting actions.
    }

    protected override doDocumentFormat(document: LangiumDocument, _options: FormattingOptions, range?: Range): TextEdit[] {
        const root = document.parseResult.value.$cstNode;
        if (!root) return [];
        const edits = layoutEdits(document, root);
        return range === undefined ? edits : edits.filter(edit => edit.range.end.line >= range.start.line && edit.range.start.line <= range.end.line);
    }
}

function layoutEdits(document: LangiumDocument, root: CstNode): TextEdit[] {
    const text = document.textDocument.getText();
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const tokens = CstUtils.flattenCst(root)
        .filter(leaf => leaf.text.trim() !== '')
        .toArray();
    const lineStarts = tokensStartingALine(root, tokens);
    const edits: TextEdit[] = [];
    const replaceGap = (start: number, end: number, desired: string) => {
        if (text.slice(start, end) !== desired) edits.push(edit(document, start, end, desired));
    };
    const lineBreaks = (gap: string, depth: number) => eol.repeat(clamp(countLineBreaks(gap), 1, MAX_LINE_BREAKS)) + FORMAT_INDENT.repeat(depth);

    let depth = 0;
    let previous: LeafCstNode | undefined;
    for (const token of tokens) {
        const gapStart = previous?.end ?? 0;
        const gap = text.slice(gapStart, token.offset);
        let desired: string;
        if (token.hidden) {
            if (previous === undefined) desired = '';
            // A comment trailing a line keeps its whitespace (aligned comments stay aligned).
            else if (countLineBreaks(gap) === 0) desired = gap === '' ? ' ' : gap;
            else desired = lineBreaks(gap, depth);
            const comment = normalizedComment(token, text, countLineBreaks(gap) > 0 || previous === undefined ? desired : undefined);
            if (comment !== token.text) edits.push(edit(document, token.offset, token.end, comment));
        } else if (isBrace(token, '}')) {
            depth = Math.max(0, depth - 1);
            desired = previous !== undefined && !previous.hidden && isBrace(previous, '{') ? '' : eol + FORMAT_INDENT.repeat(depth);
        } else if (lineStarts.has(token)) {
            desired = previous === undefined ? '' : lineBreaks(gap, depth);
        } else if (previous?.hidden && (isLineComment(previous) || countLineBreaks(gap) > 0)) {
            // A value separated from its keyword by a comment that ends the line: continue on the next line.
            desired = eol + FORMAT_INDENT.repeat(depth + 1);
        } else {
            desired = token.text === ',' ? '' : ' ';
        }
        replaceGap(gapStart, token.offset, desired);
        if (!token.hidden && isBrace(token, '{')) depth++;
        previous = token;
    }
    if (previous) replaceGap(previous.end, text.length, eol);
    return edits;
}

/**
 * The tokens that begin a line: the first token of the file, and inside each `{ … }` block the keyword of each
 * setting and the first token of each nested member (allowlist, escalation, queue, department, block). A nested
 * node right after a setting keyword is that setting's value (`trunk-auth ip`) and stays on the keyword's line.
 */
function tokensStartingALine(root: CstNode, tokens: readonly LeafCstNode[]): Set<CstNode> {
    const starts = new Set<CstNode>();
    const first = tokens.find(token => !token.hidden);
    if (first) starts.add(first);
    for (const node of CstUtils.streamCst(root)) {
        if (!isCompositeCstNode(node)) continue;
        const children = node.content.filter(child => !child.hidden);
        const open = children.findIndex(child => isLeafCstNode(child) && isBrace(child, '{'));
        const close = children.findLastIndex(child => isLeafCstNode(child) && isBrace(child, '}'));
        if (open < 0 || close < open) continue;
        let afterSettingKeyword = false;
        for (const child of children.slice(open + 1, close)) {
            if (isLeafCstNode(child) && isSettingKeyword(child)) {
                starts.add(child);
                afterSettingKeyword = true;
                continue;
            }
            if (isCompositeCstNode(child) && child.astNode !== node.astNode && !afterSettingKeyword) {
                const firstLeaf = CstUtils.flattenCst(child).find(leaf => !leaf.hidden);
                if (firstLeaf) starts.add(firstLeaf);
            }
            afterSettingKeyword = false;
        }
    }
    return starts;
}

/** A keyword that introduces a setting (`did`, `timeout`, …), as opposed to a keyword that is a value (`eu`, `warm`). */
function isSettingKeyword(leaf: LeafCstNode): boolean {
    const source = leaf.grammarSource;
    return GrammarAST.isKeyword(source) && !GrammarAST.isAssignment(source.$container) && !['{', '}', ','].includes(source.value);
}

function isBrace(token: LeafCstNode, brace: '{' | '}'): boolean {
    return !token.hidden && token.text === brace && GrammarAST.isKeyword(token.grammarSource);
}

function isLineComment(token: LeafCstNode): boolean {
    return token.text.startsWith('//');
}

/**
 * A comment without trailing whitespace on its lines; when a block comment that starts a line moves to another
 * indentation, its following lines move by the same amount so that its inner layout is kept.
 */
function normalizedComment(token: LeafCstNode, text: string, newLeadingWhitespace: string | undefined): string {
    const lines = token.text.split(/\r?\n/);
    const eol = token.text.includes('\r\n') ? '\r\n' : '\n';
    if (lines.length > 1 && newLeadingWhitespace !== undefined) {
        const lineStart = text.lastIndexOf('\n', token.offset - 1) + 1;
        const oldIndent = token.offset - lineStart;
        const newIndent = newLeadingWhitespace.length - (newLeadingWhitespace.lastIndexOf('\n') + 1);
        const shift = newIndent - oldIndent;
        for (let i = 1; i < lines.length; i++) {
            if (shift > 0 && lines[i].trim() !== '') lines[i] = ' '.repeat(shift) + lines[i];
            if (shift < 0) lines[i] = lines[i].replace(new RegExp(`^[ \\t]{0,${-shift}}`), '');
        }
    }
    return lines.map(line => line.trimEnd()).join(eol);
}

function countLineBreaks(text: string): number {
    let count = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    return count;
}

function clamp(value: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, value));
}

function edit(document: LangiumDocument, start: number, end: number, newText: string): TextEdit {
    const textDocument = document.textDocument;
    return { range: { start: textDocument.positionAt(start), end: textDocument.positionAt(end) }, newText };
}
