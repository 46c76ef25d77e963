import {
    DefaultLangiumDocumentFactory,
    type AstNode,
    type Cancellation,
    type CstNode,
    type LangiumDocument,
    type LangiumParser,
    type LangiumSharedCoreServices,
    type ParseResult,
    type URI,
} from 'langium';
import type { SipflowFile } from './generated/ast.js';
import { isDepartment, isDixaBlock, isEnvironment, isQueue, isSynthflowBlock } from './generated/ast.js';

/**
 * Re-parses only the block an edit fell in. An editor sends the whole text on every keystroke; parsing
 * 10,000 departments takes most of a second, while the block typed in is a few hundred characters. When
 * the previous parse was clean and the edit lies inside one department, queue, dixa or synthflow block
 * (after its first token, before its closing brace), that block's new text is parsed on its own, with
 * its rule as the entry rule, and, if it is clean too, spliced into the previous tree in place: its CST
 * children replace the old block's, and every CST leaf after it moves by the edit's length and lines.
 *
 * Why the result equals a full parse: the text before and after the block is unchanged and the block
 * starts and ends at token boundaries a full lexer would also find (its first token and its `}` are
 * unchanged, and the block lexed cleanly on its own), so the full token stream is the old prefix, the
 * block's tokens and the old suffix; the grammar decides inside a block from the block's tokens alone,
 * and after it the parser is where it was before. test/language/incremental-parse.test.ts checks the
 * result against a full parse, node by node and leaf by leaf, over random edits. Anything else (an
 * error before or after, an edit across blocks, a block that no longer parses alone) is parsed in full.
 */
export function reparseEditedBlock(parser: LangiumParser, previous: ParseResult<SipflowFile>, text: string): ParseResult<SipflowFile> | undefined {
    if (!isClean(previous)) return undefined;
    const root = previous.value.$cstNode;
    if (!root || !isRootNode(root)) return undefined;
    const oldText = root.fullText;
    const edit = changedRange(oldText, text);
    if (!edit) return undefined;
    const block = innermostBlock(previous.value, edit.start, edit.oldEnd);
    if (!block) return undefined;
    const body = bodyNode(block.$cstNode as CompositeNode);
    const first = body.content[0];
    const last = body.content[body.content.length - 1];
    if (!isLeaf(first) || !isLeaf(last) || last.length !== 1 || edit.start < first.end || edit.oldEnd > last.offset) return undefined;

    const delta = text.length - oldText.length;
    const blockStart = first.offset;
    const blockText = text.slice(blockStart, last.end + delta);
    const reparsed = parser.parse<AstNode>(blockText, { rule: block.$type });
    if (!isClean(reparsed) || reparsed.value.$type !== block.$type || !reparsed.value.$cstNode || !isRootNode(reparsed.value.$cstNode)) return undefined;
    const newContent = reparsed.value.$cstNode.content;
    const newLast = newContent[newContent.length - 1];
    if (!isLeaf(newLast) || newLast.end !== blockText.length) return undefined;

    // The new block's leaves count from 0 on its own line 0: move them to where the block starts.
    const start = { line: first._startLine, character: first._startColumn };
    for (const node of newContent) shiftSubtree(node, blockStart, start.line, 0, start.character);
    const oldEnd = { line: last._endLine, character: last._endColumn };
    const newEnd = { line: newLast._endLine, character: newLast._endColumn };

    // The old block's CST node keeps its place (and grammar source); its content becomes the new block's.
    for (const node of newContent) (node as { container?: CstNode }).container = body;
    body.content = newContent;
    for (let node: CompositeNode | undefined = block.$cstNode as CompositeNode; node && node !== body; node = node.content[0] as CompositeNode) node._rangeCache = undefined;
    body._rangeCache = undefined;

    // Everything after the block moves; leaves on the block's last line also move sideways.
    const lineDelta = newEnd.line - oldEnd.line;
    const columnDelta = newEnd.character - oldEnd.character;
    let child: CstNode = block.$cstNode as CstNode;
    for (let parent = child.container as CompositeNode | undefined; parent; child = parent, parent = parent.container as CompositeNode | undefined) {
        parent._rangeCache = undefined;
        const index = parent.content.indexOf(child);
        for (let i = index + 1; i < parent.content.length; i++) shiftSubtree(parent.content[i], delta, lineDelta, oldEnd.line, columnDelta);
    }

    // The AST: the new node takes the old one's place in its container.
    const neu = reparsed.value as AstNode & { $container?: AstNode; $containerProperty?: string; $containerIndex?: number; $cstNode?: CstNode };
    const container = block.$container as unknown as Record<string, AstNode[]>;
    const property = block.$containerProperty!;
    const index = block.$containerIndex!;
    // A new array, not an assignment into the old one: caches keyed by the array (integrationParts) see the change.
    const siblings = [...container[property]];
    siblings[index] = neu;
    container[property] = siblings;
    neu.$container = block.$container;
    neu.$containerProperty = property;
    neu.$containerIndex = index;
    neu.$cstNode = block.$cstNode;
    (block.$cstNode as CompositeNode).astNode = neu;

    root._text = text;
    return { value: previous.value, lexerErrors: [], lexerReport: { diagnostics: [] }, parserErrors: [] };
}

/**
 * The document factory of the language server: a changed document is first offered to reparseEditedBlock
 * with its previous parse, and parsed in full only when that declines.
 */
export class IncrementalDocumentFactory extends DefaultLangiumDocumentFactory {
    /** The parse each document had before the update in progress. */
    private readonly previousParse = new Map<string, ParseResult<SipflowFile>>();

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    override async update<T extends AstNode = AstNode>(document: LangiumDocument<T>, cancellationToken: Cancellation.CancellationToken): Promise<LangiumDocument<T>> {
        const key = document.uri.toString();
        this.previousParse.set(key, document.parseResult as unknown as ParseResult<SipflowFile>);
        try {
            return await super.update(document, cancellationToken);
        } finally {
            this.previousParse.delete(key);
        }
    }

    protected override parseAsync<T extends AstNode>(uri: URI, text: string, cancellationToken: Cancellation.CancellationToken): Promise<ParseResult<T>> {
        const previous = this.previousParse.get(uri.toString());
        if (previous) {
            const parser = this.serviceRegistry.getServices(uri).parser.LangiumParser;
            const reparsed = reparseEditedBlock(parser, previous, text);
            if (reparsed) return Promise.resolve(reparsed as unknown as ParseResult<T>);
        }
        return super.parseAsync(uri, text, cancellationToken);
    }
}

// ─── Langium's CST, as its implementation stores it ───────────────────────────────────────────────
// These are the fields of Langium's LeafCstNodeImpl, CompositeCstNodeImpl and RootCstNodeImpl
// (langium/lib/parser/cst-node-builder.js). isLeaf and isRootNode check them, so a Langium that stores
// them differently makes every edit a full parse (and the equivalence test fail), never a wrong tree.

interface LeafNode extends CstNode {
    _offset: number;
    _startLine: number;
    _startColumn: number;
    _endLine: number;
    _endColumn: number;
}

interface CompositeNode extends CstNode {
    content: CstNode[];
    _rangeCache: unknown;
    astNode: AstNode;
}

interface RootNode extends CompositeNode {
    _text: string;
    readonly fullText: string;
}

function isLeaf(node: CstNode | undefined): node is LeafNode {
    return node !== undefined && !('content' in node) && typeof (node as Partial<LeafNode>)._offset === 'number' && typeof (node as Partial<LeafNode>)._endColumn === 'number';
}

function isRootNode(node: CstNode): node is RootNode {
    return 'content' in node && typeof (node as Partial<RootNode>)._text === 'string' && '_rangeCache' in node;
}

function isClean(result: ParseResult<unknown>): boolean {
    return result.lexerErrors.length === 0 && result.parserErrors.length === 0 && (result.lexerReport?.diagnostics.length ?? 0) === 0;
}

/**
 * Moves a subtree's leaves by `offset` characters and `lines` lines; a leaf starting or ending on
 * `onLine` (before the move) also moves `columns` characters sideways there.
 */
function shiftSubtree(node: CstNode, offset: number, lines: number, onLine: number, columns: number): void {
    // Runs on every leaf after the edited block (~100,000 at 10,000 departments): a composite is told from a
    // leaf by its content alone (reparseEditedBlock checked the leaf shape on the block's first and last
    // leaves), and children are visited by index.
    const content = (node as Partial<CompositeNode>).content;
    if (content === undefined) {
        const leaf = node as LeafNode;
        leaf._offset += offset;
        if (leaf._startLine === onLine) leaf._startColumn += columns;
        if (leaf._endLine === onLine) leaf._endColumn += columns;
        leaf._startLine += lines;
        leaf._endLine += lines;
        return;
    }
    (node as CompositeNode)._rangeCache = undefined;
    for (let i = 0; i < content.length; i++) shiftSubtree(content[i], offset, lines, onLine, columns);
}

/** The composite that holds a block's own tokens: its CST node wraps it in one composite per unassigned rule call. */
function bodyNode(node: CompositeNode): CompositeNode {
    let body = node;
    while (body.content.length === 1 && 'content' in body.content[0]) body = body.content[0] as CompositeNode;
    return body;
}

/**
 * Texts are compared in slices of these many characters, largest first, then character by character: a slice
 * comparison is a memory compare (~8x faster than a character loop on 2 MB), and large slices keep the number
 * of slices made small.
 */
const COMPARED_AT_ONCE = [32_768, 1024] as const;

/** The first position where the texts differ and where the difference ends in each; undefined when equal. */
export function changedRange(oldText: string, text: string): { start: number; oldEnd: number; newEnd: number } | undefined {
    const shorter = Math.min(oldText.length, text.length);
    let start = 0;
    for (const size of COMPARED_AT_ONCE) {
        while (start + size <= shorter && oldText.slice(start, start + size) === text.slice(start, start + size)) start += size;
    }
    while (start < shorter && oldText.charCodeAt(start) === text.charCodeAt(start)) start++;
    if (start === oldText.length && start === text.length) return undefined;
    let suffix = 0;
    for (const size of COMPARED_AT_ONCE) {
        while (
            suffix + size <= shorter - start &&
            oldText.slice(oldText.length - suffix - size, oldText.length - suffix) === text.slice(text.length - suffix - size, text.length - suffix)
        )
            suffix += size;
    }
    while (suffix < shorter - start && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
    return { start, oldEnd: oldText.length - suffix, newEnd: text.length - suffix };
}

type Block = AstNode & { $containerProperty?: string; $containerIndex?: number };

/** The department, queue, dixa or synthflow block (at the top level or in an environment) whose text holds [start, end). */
function innermostBlock(file: SipflowFile, start: number, end: number): Block | undefined {
    const members = file.integration?.members ?? [];
    const found = blockAt(members, start, end);
    if (found && isEnvironment(found)) return blockAt(found.overrides, start, end);
    return found && (isDepartment(found) || isQueue(found) || isDixaBlock(found) || isSynthflowBlock(found)) ? found : undefined;
}

function blockAt<T extends AstNode>(nodes: readonly T[], start: number, end: number): T | undefined {
    // Members are in text order: a binary search finds the last one starting at or before `start`.
    let low = 0;
    let high = nodes.length - 1;
    let candidate: T | undefined;
    while (low <= high) {
        const middle = (low + high) >> 1;
        const node = nodes[middle].$cstNode;
        if (!node) return undefined;
        if (node.offset <= start) {
            candidate = nodes[middle];
            low = middle + 1;
        } else high = middle - 1;
    }
    const node = candidate?.$cstNode;
    return node && end <= node.end ? candidate : undefined;
}
