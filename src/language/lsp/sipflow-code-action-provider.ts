import { AstUtils, CstUtils, GrammarAST, GrammarUtils, isCompositeCstNode, type AstNode, type CstNode, type LangiumDocument, type MaybePromise } from 'langium';
import type { CodeActionProvider, LangiumServices } from 'langium/lsp';
import {
    CodeActionKind,
    type ClientCapabilities,
    type CodeAction,
    type CodeActionParams,
    type Command,
    type Diagnostic,
    type Range,
    type SnippetTextEdit,
    type TextEdit,
} from 'vscode-languageserver';
import type { SipflowFile } from '../generated/ast.js';
import { isAllowlist, isDixaBlock } from '../generated/ast.js';
import { integrationParts } from '../integration-parts.js';
import type { SipflowDiagnosticData } from '../validation/report.js';
import { parseSipUri } from '../values/network.js';
import { TRANSFER_TIMEOUT } from '../../vendors/dixa-facts.js';
import { DEFAULT_TRANSFER_MODE, DEFAULT_UUI_KEY } from '../../vendors/synthflow-facts.js';

/** One indentation level, as the formatter writes it. */
const INDENT_UNIT = '  ';

/** The shape of `data` on Langium's own linking diagnostics. */
interface LinkingErrorData {
    readonly code: 'linking-error';
    readonly refText?: string;
    readonly containerType?: string;
    readonly property?: string;
}

type QuickFix = (diagnostic: Diagnostic, document: LangiumDocument) => CodeAction[];

/**
 * Quick fixes, keyed on the diagnostic code and driven by the diagnostic's `data` (what the validator already
 * computed: the canonical DID, the SIP URI, the missing IPs…), so the fix and the message cannot disagree.
 */
export class SipflowCodeActionProvider implements CodeActionProvider {
    /**
     * Whether the client applies LSP 3.18 snippet edits (`workspace.workspaceEdit.snippetEditSupport`; VS Code's
     * language client 10 does, and turns them into a SnippetTextEdit with tab stops). That standard capability
     * beats an extension command inserting a SnippetString: the server stays the one place that builds the edit,
     * every client that advertises the capability gets the tab stops, and the others keep a plain edit.
     */
    private snippetEdits = false;

    constructor(services?: LangiumServices) {
        services?.shared.lsp.LanguageServer?.onInitialize(params => {
            this.snippetEdits = supportsSnippetEdits(params.capabilities);
        });
    }

    private readonly fixes: Readonly<Record<string, QuickFix>> = {
        'e164-not-canonical': (d, doc) => this.replaceWithString(d, doc, 'Write the DID as'),
        // Only with a replacement: the number is valid once the missing + is added.
        'e164-invalid': (d, doc) => this.replaceWithString(d, doc, 'Add the missing +:'),
        'sip-domain-not-dixa': (d, doc) => this.replaceWithString(d, doc, 'Write the domain as'),
        'allowlist-missing': (d, doc) => this.addAllowlistSynthflow(d, doc),
        'escalation-not-sip': (d, doc) => this.escalateBySip(d, doc),
        'escalation-wrong-domain': (d, doc) => this.replaceWithString(d, doc, 'Escalate to'),
        'allowlist-incomplete': (d, doc) => this.completeAllowlist(d, doc),
        'cold-transfer-refer': (d, doc) => [this.replace(d, doc, `Switch to mode ${DEFAULT_TRANSFER_MODE}`, data(d)?.replacement ?? DEFAULT_TRANSFER_MODE)],
        'linking-error': (d, doc) => this.declareMissingQueue(d, doc),
        'escalation-unknown-queue': (d, doc) => this.declareQueueForUri(d, doc),
        'timeout-range': (d, doc) => this.recommendedTimeout(d, doc),
        'timeout-unusual': (d, doc) => this.recommendedTimeout(d, doc),
        'plaintext-secret': (d, doc) => (data(d)?.replacement ? [this.replace(d, doc, `Read it from ${data(d)!.replacement}`, data(d)!.replacement!)] : []),
        'uui-key': (d, doc) => [this.replace(d, doc, `Use the UUI key ${DEFAULT_UUI_KEY}`, data(d)?.replacement ?? DEFAULT_UUI_KEY)],
        'sip-domain-invalid': (d, doc) => this.replaceWithString(d, doc, 'Write the domain as'),
        // One fix per successor region; none is preferred: only the user knows where the workspace moves.
        'region-global-retiring': (d, doc) => (data(d)?.values ?? []).map(region => this.replace(d, doc, `Use region ${region}`, region, false)),
    };

    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction> | undefined> {
        const actions: CodeAction[] = [];
        const serverDiagnosticFor = serverDiagnosticFinder(document);
        for (const echoed of params.context.diagnostics) {
            // Edits are built from the server's own diagnostic: the range a client echoes back may be in other
            // units (Neovim 0.7 converts to byte columns on non-ASCII lines) or stale.
            const diagnostic = serverDiagnosticFor(echoed);
            if (!diagnostic) continue;
            const code = data(diagnostic)?.code ?? (typeof diagnostic.code === 'string' ? diagnostic.code : undefined);
            const fix = code === undefined ? undefined : this.fixes[code];
            // The actions name the client's diagnostic, so that the client can match them to what it shows.
            if (fix) actions.push(...fix(diagnostic, document).map(action => ({ ...action, diagnostics: [echoed] })));
        }
        return actions.length > 0 ? actions : undefined;
    }

    /** Replaces the diagnostic's range (a quoted string) with `data.replacement`, quoted. */
    protected replaceWithString(diagnostic: Diagnostic, document: LangiumDocument, title: string): CodeAction[] {
        const replacement = data(diagnostic)?.replacement;
        if (replacement === undefined) return [];
        return [this.replace(diagnostic, document, `${title} "${replacement}"`, quote(replacement))];
    }

    protected recommendedTimeout(diagnostic: Diagnostic, document: LangiumDocument): CodeAction[] {
        const replacement = data(diagnostic)?.replacement ?? `${TRANSFER_TIMEOUT.recommended}s`;
        return [this.replace(diagnostic, document, `Use the recommended timeout ${replacement}`, replacement)];
    }

    /** escalation-not-sip: name the queue that owns the number (preferred), or dial the number on the Dixa domain. */
    protected escalateBySip(diagnostic: Diagnostic, document: LangiumDocument): CodeAction[] {
        const { name, replacement } = data(diagnostic) ?? {};
        const actions: CodeAction[] = [];
        if (name !== undefined) actions.push(this.replace(diagnostic, document, `Escalate to queue ${name}`, name));
        if (replacement !== undefined) {
            actions.push(this.replace(diagnostic, document, `Escalate to "${replacement}"`, quote(replacement), actions.length === 0));
        }
        return actions;
    }

    /** allowlist-missing (reported on the `dixa` keyword): add `allowlist synthflow` as the block's last setting. */
    protected addAllowlistSynthflow(diagnostic: Diagnostic, document: LangiumDocument): CodeAction[] {
        const block = nodeAt(document, diagnostic.range, isDixaBlock);
        const edit = block && insertIntoBlock(document, block, 'allowlist synthflow');
        return edit ? [quickFix('Add "allowlist synthflow"', diagnostic, document, [edit])] : [];
    }

    /** allowlist-incomplete: append the missing IPs to the explicit list, or replace the list with `synthflow`. */
    protected completeAllowlist(diagnostic: Diagnostic, document: LangiumDocument): CodeAction[] {
        const missing = data(diagnostic)?.values ?? [];
        const allowlist = nodeAt(document, diagnostic.range, isAllowlist);
        const lastIp = allowlist && GrammarUtils.findNodesForProperty(allowlist.$cstNode, 'ips').at(-1);
        if (!allowlist?.$cstNode || !lastIp || missing.length === 0) return [];
        const append: TextEdit = { range: { start: lastIp.range.end, end: lastIp.range.end }, newText: missing.map(ip => `, ${quote(ip)}`).join('') };
        const replaceAll: TextEdit = { range: allowlist.$cstNode.range, newText: 'allowlist synthflow' };
        return [
            quickFix(`Add ${missing.join(', ')} to the allowlist`, diagnostic, document, [append], true),
            quickFix('Replace with "allowlist synthflow"', diagnostic, document, [replaceAll], false),
        ];
    }

    /**
     * linking-error on a queue reference: declare the queue before the first department, indented like it, with
     * placeholders for the Dixa name and DID (the DID placeholder is reported until it is filled in).
     */
    protected declareMissingQueue(diagnostic: Diagnostic, document: LangiumDocument): CodeAction[] {
        const linking = diagnostic.data as LinkingErrorData | undefined;
        const name = linking?.refText;
        if (name === undefined || !/^[_a-zA-Z]\w*$/.test(name)) return [];
        if (linking?.containerType !== undefined && !['Department', 'Escalation'].includes(linking.containerType)) return [];
        const declaration = declareQueue(document, name, '+…');
        if (!declaration) return [];
        if (!this.snippetEdits) return [quickFix(`Declare queue ${name}`, diagnostic, document, [declaration])];
        // With tab stops on the Dixa name and the DID's digits (the plain edit's placeholders are a new error).
        const snippet = declaration.newText.replace('name "…"', 'name "${1}"').replace('did "+…"', 'did "+${2}"');
        const edit: SnippetTextEdit = { range: declaration.range, snippet: { kind: 'snippet', value: snippet } };
        return [
            {
                title: `Declare queue ${name}`,
                kind: CodeActionKind.QuickFix,
                diagnostics: [diagnostic],
                isPreferred: true,
                edit: { documentChanges: [{ textDocument: { uri: document.textDocument.uri, version: document.textDocument.version }, edits: [edit] }] },
            },
        ];
    }

    /**
     * escalation-unknown-queue: declare a queue for the URI's DID and escalate to it by name, so that the queue is
     * part of the integration (and checked) like the others.
     */
    protected declareQueueForUri(diagnostic: Diagnostic, document: LangiumDocument): CodeAction[] {
        const name = data(diagnostic)?.name;
        const uri = parseSipUri(document.textDocument.getText(diagnostic.range).slice(1, -1));
        if (name === undefined || !uri.ok) return [];
        const declaration = declareQueue(document, name, uri.uri.user);
        if (!declaration) return [];
        return [quickFix(`Declare queue ${name} for ${uri.uri.user} and escalate to it`, diagnostic, document, [declaration, { range: diagnostic.range, newText: name }])];
    }

    protected replace(diagnostic: Diagnostic, document: LangiumDocument, title: string, newText: string, isPreferred = true): CodeAction {
        return quickFix(title, diagnostic, document, [{ range: diagnostic.range, newText }], isPreferred);
    }
}

/**
 * Finds the diagnostic the server published that a client's echoed one stands for: the same code and message at
 * the same position; else, the same code and message on the same line (lines survive any column-unit confusion),
 * nearest first; else on the nearest line; else, when the client reworded the message, the same code on the same
 * line. Undefined when the document no longer has it (fixed, or the client's copy is stale): no fix is better
 * than a wrong edit. Indexed once per request: a document may have tens of thousands of diagnostics.
 */
export function serverDiagnosticFinder(document: LangiumDocument): (echoed: Diagnostic) => Diagnostic | undefined {
    const exact = new Map<string, Diagnostic>();
    const byCodeAndLine = new Map<string, Diagnostic[]>();
    const byCodeAndMessage = new Map<string, Diagnostic[]>();
    const push = (map: Map<string, Diagnostic[]>, key: string, diagnostic: Diagnostic) => {
        const list = map.get(key);
        if (list) list.push(diagnostic);
        else map.set(key, [diagnostic]);
    };
    for (const diagnostic of document.diagnostics ?? []) {
        const { code, message, range } = diagnostic;
        const key = `${String(code)}\u0000${message}\u0000${range.start.line}:${range.start.character}`;
        if (!exact.has(key)) exact.set(key, diagnostic);
        push(byCodeAndLine, `${String(code)}\u0000${range.start.line}`, diagnostic);
        push(byCodeAndMessage, `${String(code)}\u0000${message}`, diagnostic);
    }
    return echoed => {
        const { code, message, range } = echoed;
        const found = exact.get(`${String(code)}\u0000${message}\u0000${range.start.line}:${range.start.character}`);
        if (found) return found;
        const sameLine = byCodeAndLine.get(`${String(code)}\u0000${range.start.line}`) ?? [];
        const sameMessage = byCodeAndMessage.get(`${String(code)}\u0000${message}`) ?? [];
        const nearest = (candidates: readonly Diagnostic[]) => {
            let best: Diagnostic | undefined;
            let bestDistance = Infinity;
            for (const candidate of candidates) {
                const distance = Math.abs(candidate.range.start.line - range.start.line) * 1_000_000 + Math.abs(candidate.range.start.character - range.start.character);
                if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
            }
            return best;
        };
        return nearest(sameLine.filter(d => d.message === message)) ?? nearest(sameMessage) ?? nearest(sameLine);
    };
}

export function supportsSnippetEdits(capabilities: ClientCapabilities): boolean {
    return capabilities.workspace?.workspaceEdit?.snippetEditSupport === true && capabilities.workspace.workspaceEdit.documentChanges === true;
}

function data(diagnostic: Diagnostic): SipflowDiagnosticData | undefined {
    const value = diagnostic.data as SipflowDiagnosticData | undefined;
    return value && typeof value === 'object' && typeof value.code === 'string' ? value : undefined;
}

function quickFix(title: string, diagnostic: Diagnostic, document: LangiumDocument, edits: TextEdit[], isPreferred = true): CodeAction {
    return {
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred,
        edit: { changes: { [document.textDocument.uri]: edits } },
    };
}

/** A string literal of the language for this text. */
function quote(text: string): string {
    return `"${text.replace(/["\\]/g, match => `\\${match}`)}"`;
}

/** The innermost AST node of the given type whose CST starts the diagnostic's range. */
function nodeAt<T extends AstNode>(document: LangiumDocument, range: Range, is: (node: unknown) => node is T): T | undefined {
    const root = document.parseResult.value.$cstNode;
    const leaf = root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(range.start));
    return leaf ? AstUtils.getContainerOfType(leaf.astNode, is) : undefined;
}

function leadingWhitespace(document: LangiumDocument['textDocument'], line: number): string {
    const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    return /^[ \t]*/.exec(text)![0];
}

/** The first line of the `//` comment lines directly above `line` (they document what follows them). */
function firstLineOfLeadingComments(document: LangiumDocument, line: number): number {
    let first = line;
    while (first > 0) {
        const previous = document.textDocument.getText({ start: { line: first - 1, character: 0 }, end: { line: first, character: 0 } });
        if (!/^\s*\/\//.test(previous)) break;
        first--;
    }
    return first;
}

/**
 * An edit declaring `queue NAME { name "…" did "DID" }` before the first department (above the comment lines
 * that document it), indented like that department.
 */
function declareQueue(document: LangiumDocument, name: string, did: string): TextEdit | undefined {
    const integration = (document.parseResult.value as SipflowFile).integration;
    if (!integration || integrationParts(integration).queues.some(queue => queue.name === name)) return undefined;
    const firstDepartment = integrationParts(integration).departments[0];
    const keyword = firstDepartment?.$cstNode && GrammarUtils.findNodeForKeyword(firstDepartment.$cstNode, 'department');
    if (!keyword) return undefined;
    const line = firstLineOfLeadingComments(document, keyword.range.start.line);
    const indent = leadingWhitespace(document.textDocument, keyword.range.start.line);
    const skeleton = [`queue ${name} {`, `${INDENT_UNIT}name "…"`, `${INDENT_UNIT}did ${quote(did)}`, '}'].map(l => indent + l).join('\n');
    const position = { line, character: 0 };
    return { range: { start: position, end: position }, newText: `${skeleton}\n\n` };
}

/** The block's closing `}` (its own, not a nested block's). */
function closingBrace(node: AstNode): CstNode | undefined {
    const cst = node.$cstNode;
    if (!cst) return undefined;
    // The block may be wrapped in a rule-call node of the same AST node; look through such wrappers.
    let composite = cst;
    while (isCompositeCstNode(composite) && composite.content.length === 1 && composite.content[0].astNode === node) composite = composite.content[0];
    if (!isCompositeCstNode(composite)) return undefined;
    return [...composite.content].reverse().find(child => child.text === '}' && GrammarAST.isKeyword(child.grammarSource));
}

/**
 * An edit adding `setting` as the last line of a block: on its own line, indented one level deeper than the line
 * of the closing brace; or, for a block written on one line, before the closing brace.
 */
function insertIntoBlock(document: LangiumDocument, block: AstNode, setting: string): TextEdit | undefined {
    const brace = closingBrace(block);
    if (!brace) return undefined;
    const text = document.textDocument;
    const { line, character } = brace.range.start;
    const beforeBrace = text.getText({ start: { line, character: 0 }, end: brace.range.start });
    if (beforeBrace.trim() === '') {
        const position = { line, character: 0 };
        return { range: { start: position, end: position }, newText: `${beforeBrace}${INDENT_UNIT}${setting}\n` };
    }
    const position = { line, character };
    const separator = beforeBrace.endsWith(' ') ? '' : ' ';
    return { range: { start: position, end: position }, newText: `${separator}${setting} ` };
}
