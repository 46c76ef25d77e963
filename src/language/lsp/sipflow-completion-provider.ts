import {
    AstUtils,
    GrammarAST,
    GrammarUtils,
    TextDocument,
    isCompositeCstNode,
    stream,
    URI,
    type AstNodeDescription,
    type LangiumDocument,
    type LangiumDocuments,
    type MaybePromise,
    type ReferenceInfo,
    type Stream,
} from 'langium';
import {
    DefaultCompletionProvider,
    type CompletionAcceptor,
    type CompletionBacktrackingInformation,
    type CompletionContext,
    type CompletionValueItem,
    type NextFeature,
} from 'langium/lsp';
import {
    CompletionItemKind,
    CompletionList,
    CompletionTriggerKind,
    InsertTextFormat,
    type CancellationToken,
    type CompletionItem,
    type CompletionParams,
    type Position,
    type Range,
} from 'vscode-languageserver';
import type { SecretValue, SipflowFile } from '../generated/ast.js';
import { isCredentialsTrunkAuth, isIntegration, isQueue } from '../generated/ast.js';
import { isEnvironmentOverride } from '../environments.js';
import type { SipflowQueues } from '../references/sipflow-queues.js';
import { integrationParts } from '../integration-parts.js';
import type { SipflowServices } from '../sipflow-module.js';
import { QUEUE_KINDS } from '../../vendors/dixa-facts.js';
import { DEFAULT_TRANSFER_MODE, DEFAULT_UUI_KEY, SYNTHFLOW_REGION_FACTS, TRANSFER_MODES, isSynthflowRegion, type TransferModeKeyword } from '../../vendors/synthflow-facts.js';
import { keywordDoc } from './keyword-docs.js';
import { SUGGESTED_TRUNK_ENV } from '../validation/synthflow-checks.js';
import { triggerAsksForValue } from './completion-triggers.js';
import { shownReferenceCandidates } from './reference-candidates.js';

/** The variables the trunk credentials are expected in, also suggested by the plaintext-secret message. */
export const DEFAULT_ENV_REFS = { username: `env:${SUGGESTED_TRUNK_ENV.username}`, password: `env:${SUGGESTED_TRUNK_ENV.password}` } as const;

/** Grammar rules whose keywords are values (an enum), not settings. */
const VALUE_RULES = new Set(['Region', 'TransferMode', 'QueueKind']);

/** What a block keyword opens, for the completion item's detail. */
const BLOCK_SUMMARIES: Readonly<Record<string, string>> = {
    'Integration:integration': 'block: one Dixa ⇄ Synthflow integration',
    'DixaBlock:dixa': 'block: the Dixa side',
    'SynthflowBlock:synthflow': 'block: the Synthflow side',
    'Queue:queue': 'block: a Dixa agent queue at a DID',
    'Department:department': 'block: an inbound DID routed to an assistant',
    'Environment:environment': 'block: the overrides of another environment',
};

/** The block a setting keyword belongs to, by the grammar rule it is written in. */
const SETTING_BLOCKS: Readonly<Record<string, string>> = {
    DixaBlock: 'dixa',
    Allowlist: 'dixa',
    SynthflowBlock: 'synthflow',
    CredentialsTrunkAuth: 'trunk-auth credentials',
    Queue: 'queue',
    Department: 'department',
    Header: 'department',
    Escalation: 'escalate',
};

/** Value keywords outside the enum rules: `trunk-auth ip | credentials`, `allowlist synthflow`. */
const OTHER_VALUE_DETAILS: Readonly<Record<string, string>> = {
    'IpTrunkAuth:ip': 'value of trunk-auth · Dixa trusts the source IP',
    'CredentialsTrunkAuth:credentials': 'value of trunk-auth · SIP username and password from env:',
    'Allowlist:synthflow': "value of allowlist · the region's signalling IPs",
};

/**
 * The skeleton each block keyword inserts where a block may start (tab stops on what must be filled in; `\t` is
 * re-indented by the client). Overrides in an environment hold only what differs, so they open empty.
 */
const BLOCK_SNIPPETS: Readonly<Record<string, string>> = {
    'Integration:integration': 'integration ${1:name} {\n\t$0\n}',
    'DixaBlock:dixa': 'dixa {\n\tsip-domain "${1:company}.sip.dixa.com"\n\tallowlist synthflow\n}',
    'SynthflowBlock:synthflow': 'synthflow {\n\tregion ${1|eu,us|}\n\tworkspace "${2}"\n\ttrunk-auth ip\n}',
    'Queue:queue': 'queue ${1:name} {\n\tname "${2}"\n\tdid "+${3}"\n}',
    'Department:department': 'department ${1:name} {\n\tdid "+${2}"\n\tassistant "${3}"\n\tfallback ${4:queue}\n\tescalate $4\n}',
    'Environment:environment': 'environment ${1:staging} {\n\t$0\n}',
    'CredentialsTrunkAuth:credentials': `credentials {\n\tusername ${DEFAULT_ENV_REFS.username.replace('env:', 'env:${1:')}}\n\tpassword ${DEFAULT_ENV_REFS.password.replace('env:', 'env:${2:')}}\n}`,
};

const OVERRIDE_SNIPPETS: Readonly<Record<string, string>> = {
    'DixaBlock:dixa': 'dixa {\n\t$0\n}',
    'SynthflowBlock:synthflow': 'synthflow {\n\t$0\n}',
    'Queue:queue': 'queue ${1:name} {\n\t$0\n}',
    'Department:department': 'department ${1:name} {\n\t$0\n}',
};

/** `escalate` may stand alone (`escalate tier1`); the block form is offered besides it, under its own label. */
const ESCALATION_BLOCK_LABEL = 'escalate … { mode … }';
const ESCALATION_BLOCK_SNIPPET =
    'escalate ${1:queue} {\n\tmode ${2|warm,warm-with-context|}\n\twhen "${3:The caller asks for a human}"\n\tsay "${4:One moment, I am putting you through to a colleague.}"\n}';

/**
 * Completion: Langium's keyword and cross-reference completion, plus documentation for every keyword,
 * descriptions for the value keywords (regions, transfer modes, queue kinds), `env:` references for the trunk
 * credentials and the UUI key. Tuned to stay fast on very large files (see {@link findFeaturesAt}).
 */
export class SipflowCompletionProvider extends DefaultCompletionProvider {
    private readonly documents: LangiumDocuments;
    private readonly sipflowQueues: SipflowQueues;

    /** Whether the client takes a list-wide edit range (LSP 3.17 `itemDefaults.editRange`; VS Code's language client does). */
    private clientTakesDefaultEditRange = false;

    constructor(services: SipflowServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.sipflowQueues = services.references.SipflowQueues;
        services.shared.lsp.LanguageServer.onInitialize(params => {
            this.clientTakesDefaultEditRange = params.capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange') === true;
        });
    }

    /**
     * A space asks for a value after `fallback`, `region`, `mode`…, a colon for the name after `env:`; everywhere
     * else a trigger character is answered with an empty, complete list, so the client shows no popup.
     */
    override readonly completionOptions = { triggerCharacters: [' ', ':'] };

    override async getCompletion(document: LangiumDocument, params: CompletionParams, cancelToken?: CancellationToken): Promise<CompletionList | undefined> {
        const trigger = params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? params.context.triggerCharacter : undefined;
        if (trigger !== undefined && !triggerAsksForValue(document.textDocument, params.position, trigger)) return CompletionList.create([], false);
        const result = await super.getCompletion(document, params, cancelToken);
        if (result && result.items.length > 0) return this.clientTakesDefaultEditRange ? withDefaultEditRange(result) : result;
        return this.completionForBareEnvPrefix(document, params.position) ?? result;
    }

    /**
     * `username env:` is not a token yet (ENV_REF needs a character after the colon), so Langium finds nothing to
     * complete; offer the `env:` names in place of the `env:` typed so far.
     */
    protected completionForBareEnvPrefix(document: LangiumDocument, position: Position): CompletionList | undefined {
        const textDocument = document.textDocument;
        const offset = textDocument.offsetAt(position);
        const lineBefore = textDocument.getText({ start: { line: position.line, character: 0 }, end: position });
        const match = /\b(?:username|password)\s+(env:)$/.exec(lineBefore);
        if (!match) return undefined;
        const tokenOffset = offset - match[1].length;
        const context: CompletionContext = { document, textDocument, features: [], tokenOffset, tokenEndOffset: offset, offset, position };
        const items: CompletionItem[] = [];
        this.completionForEnvRef(context, (ctx, value) => {
            const item = this.fillCompletionItem(ctx, value);
            if (item) items.push(item);
        });
        return CompletionList.create(items, true);
    }

    protected override completionFor(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): MaybePromise<void> {
        const feature = next.feature;
        if (GrammarAST.isRuleCall(feature)) {
            const ruleName = feature.rule.ref?.name;
            if (ruleName === 'ENV_REF') return this.completionForEnvRef(context, acceptor);
            // `uui` takes a Name; the only key the Dixa guide knows is phone_number.
            if (ruleName === 'ID' && next.property === 'uui') return this.completionForUuiKey(context, acceptor);
            // `queue ` / `department ` inside an environment names what it overrides: offer those names.
            const overriding = context.node && isEnvironmentOverride(context.node) ? context.node.$type : undefined;
            if (ruleName === 'ID' && next.property === 'name' && (overriding === 'Queue' || overriding === 'Department')) {
                return this.completionForOverrideTarget(context, overriding, acceptor);
            }
        }
        return super.completionFor(context, next, acceptor);
    }

    protected override filterKeyword(context: CompletionContext, keyword: GrammarAST.Keyword): boolean {
        // The soft keywords a name may be spelled as (`queue did { … }`) are no suggestion for a name.
        return super.filterKeyword(context, keyword) && ruleOf(keyword) !== 'Name';
    }

    protected override completionForKeyword(context: CompletionContext, keyword: GrammarAST.Keyword, acceptor: CompletionAcceptor): MaybePromise<void> {
        if (!this.filterKeyword(context, keyword) || this.isSettingAlreadyWritten(context, keyword)) return;
        const rule = ruleOf(keyword);
        const doc = keywordDoc(keyword.value, rule);
        const documentation = doc === undefined ? undefined : { kind: 'markdown' as const, value: doc };
        const isValue = rule !== undefined && (VALUE_RULES.has(rule) || `${rule}:${keyword.value}` in OTHER_VALUE_DETAILS);
        const snippet = this.blockSnippet(context, `${rule}:${keyword.value}`);
        acceptor(context, {
            label: keyword.value,
            kind: isValue ? CompletionItemKind.EnumMember : CompletionItemKind.Keyword,
            detail: this.keywordDetail(keyword.value, rule),
            documentation,
            sortText: isValue ? '0' : '1',
            ...(snippet === undefined ? {} : { insertText: snippet, insertTextFormat: InsertTextFormat.Snippet }),
        });
        if (rule === 'Escalation' && keyword.value === 'escalate' && this.snippetsSupported()) {
            acceptor(context, {
                label: ESCALATION_BLOCK_LABEL,
                filterText: 'escalate',
                kind: CompletionItemKind.Snippet,
                detail: 'setting of department · escalate with mode and messages',
                documentation,
                insertText: ESCALATION_BLOCK_SNIPPET,
                insertTextFormat: InsertTextFormat.Snippet,
                sortText: '2',
            });
        }
    }

    /** The skeleton a block keyword inserts (only where the grammar lets the block start: the keyword is offered there). */
    protected blockSnippet(context: CompletionContext, ruleKeyword: string): string | undefined {
        if (!this.snippetsSupported()) return undefined;
        const inEnvironment = context.node !== undefined && (context.node.$type === 'Environment' || isEnvironmentOverride(context.node));
        return inEnvironment ? OVERRIDE_SNIPPETS[ruleKeyword] : BLOCK_SNIPPETS[ruleKeyword];
    }

    /** Snippets, unless the client said it cannot take them (tests without an initialize handshake can). */
    protected snippetsSupported(): boolean {
        return this.clientCapabilities === undefined || this.clientCapabilities.completionItem?.snippetSupport === true;
    }

    /** At most REFERENCE_CANDIDATES_SHOWN queues, matching what is typed (shownReferenceCandidates). */
    protected override getReferenceCandidates(refInfo: ReferenceInfo, context: CompletionContext): Stream<AstNodeDescription> {
        const typed = context.textDocument.getText().substring(context.tokenOffset, context.offset);
        const all = super.getReferenceCandidates(refInfo, context);
        return stream(shownReferenceCandidates(all, typed, (query, name) => this.fuzzyMatcher.match(query, name)));
    }

    /**
     * A queue offered for `fallback` / `escalate`: its Dixa name and DID as the detail; the documentation (the
     * setting's docs and the queue, as the hover shows them) comes on completionItem/resolve, for the item the
     * editor shows. In a file of 10,000 departments the list has 1,250 queues: with the documentation inline
     * each completion was ~700 KB of JSON.
     */
    protected override createReferenceCompletionItem(nodeDescription: AstNodeDescription, refInfo: ReferenceInfo, context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(nodeDescription, refInfo, context);
        const queue = nodeDescription.node;
        if (!isQueue(queue)) return item;
        const facts = [queue.displayName && `"${queue.displayName}"`, queue.did].filter(Boolean).join(' · ');
        const reference: QueueReferenceData = [refInfo.property === 'fallback' ? 'fallback' : 'escalate', queue.name, queue.displayName ?? null, queue.did ?? null];
        return { ...item, detail: `queue${facts ? ` · ${facts}` : ''}`, data: { [QUEUE_REFERENCE_DATA]: reference } };
    }

    /**
     * A setting that may be written once per block (`did`, `timeout`…) is not proposed again in a block that has
     * it, unless the cursor is on that very keyword (the user is retyping it).
     */
    protected isSettingAlreadyWritten(context: CompletionContext, keyword: GrammarAST.Keyword): boolean {
        const node = context.node;
        const group: unknown = keyword.$container;
        if (!node || ruleOf(keyword) !== node.$type || !GrammarAST.isGroup(group)) return false;
        const assignment = group.elements[group.elements.indexOf(keyword) + 1];
        if (!GrammarAST.isAssignment(assignment) || assignment.operator === '+=') return false;
        if ((node as unknown as Record<string, unknown>)[assignment.feature] === undefined) return false;
        const written = GrammarUtils.findNodeForKeyword(node.$cstNode, keyword.value);
        return !(written && written.offset <= context.offset && context.offset <= written.end);
    }

    /** A one-line summary shown next to a keyword in the completion list: a block, a setting of which block, a value of which setting. */
    protected keywordDetail(keyword: string, rule: string | undefined): string {
        if (rule === 'Region' && isSynthflowRegion(keyword)) return `value of region · ${SYNTHFLOW_REGION_FACTS[keyword].description} · ${SYNTHFLOW_REGION_FACTS[keyword].sipHost}`;
        if (rule === 'TransferMode' && keyword in TRANSFER_MODES)
            return `value of mode · Synthflow ${TRANSFER_MODES[keyword as TransferModeKeyword]}${keyword === DEFAULT_TRANSFER_MODE ? ' (default)' : ''}`;
        if (rule === 'QueueKind' && (QUEUE_KINDS as readonly string[]).includes(keyword))
            return `value of kind · ${keyword === 'queue' ? 'Dixa queue (default)' : 'Dixa ring group'}`;
        const ruleKeyword = `${rule}:${keyword}`;
        const known = BLOCK_SUMMARIES[ruleKeyword] ?? OTHER_VALUE_DETAILS[ruleKeyword];
        if (known !== undefined) return known;
        const block = rule === undefined ? undefined : SETTING_BLOCKS[rule];
        if (rule === 'Escalation' && keyword === 'escalate') return 'setting of department';
        return block === undefined ? 'keyword' : `setting of ${block}`;
    }

    /** `env:` names for a trunk credential: the defaults, then those already used in the workspace. */
    protected completionForEnvRef(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const before = context.textDocument.getText({ start: { line: context.position.line, character: 0 }, end: context.textDocument.positionAt(context.tokenOffset) });
        const setting = /\bpassword\s*$/.test(before) ? 'password' : /\busername\s*$/.test(before) ? 'username' : undefined;
        const names = new Set<string>();
        if (setting) names.add(DEFAULT_ENV_REFS[setting]);
        names.add(DEFAULT_ENV_REFS.username).add(DEFAULT_ENV_REFS.password);
        for (const name of this.envRefsInWorkspace(context)) names.add(name);
        const token = envTokenRange(context);
        const typed = context.textDocument.getText({ start: token.start, end: context.position });
        let rank = 0;
        for (const name of names) {
            if (!this.fuzzyMatcher.match(typed, name)) continue;
            const isDefault = name === DEFAULT_ENV_REFS.username || name === DEFAULT_ENV_REFS.password;
            acceptor(context, {
                label: name,
                // Over the whole `env:…` token, also the part after the cursor: a client that completes the word
                // at the cursor (`:` ends a word in most editors) would otherwise write `env:env:NAME`.
                textEdit: { range: token, newText: name },
                filterText: name,
                kind: CompletionItemKind.Variable,
                detail: isDefault ? 'environment variable (suggested)' : 'environment variable (used in the workspace)',
                documentation: {
                    kind: 'markdown',
                    value: `Read from the environment variable \`${name.slice('env:'.length)}\` (in VS Code: the SecretStorage entry of that name). Secrets are never written in the file.`,
                },
                insertTextFormat: InsertTextFormat.PlainText,
                preselect: rank === 0 && setting !== undefined,
                sortText: `0${String(rank++).padStart(4, '0')}`,
            });
        }
    }

    /**
     * Every `env:` reference of trunk credentials in the workspace's files (one synthflow block per file: cheap),
     * except the one being typed.
     */
    protected envRefsInWorkspace(context: CompletionContext): string[] {
        const result: string[] = [];
        const typing = (value: SecretValue) =>
            AstUtils.getDocument(value) === context.document && value.$cstNode !== undefined && value.$cstNode.offset <= context.offset && context.offset <= value.$cstNode.end;
        for (const document of this.documents.all) {
            const integration = (document.parseResult?.value as SipflowFile | undefined)?.integration;
            if (!integration) continue;
            for (const block of integrationParts(integration).synthflowBlocks) {
                const auth = block.trunkAuth;
                if (!isCredentialsTrunkAuth(auth)) continue;
                for (const value of [auth.username, auth.password]) {
                    if (value?.env !== undefined && !typing(value)) result.push(value.env);
                }
            }
        }
        return result.sort();
    }

    protected completionForOverrideTarget(context: CompletionContext, type: 'Queue' | 'Department', acceptor: CompletionAcceptor): void {
        const integration = context.node && AstUtils.getContainerOfType(context.node, isIntegration);
        if (!integration) return;
        const files = [integration, ...this.sipflowQueues.siblingsOf(integration)];
        const nodes = files.flatMap((file): Array<{ readonly name: string }> => {
            const parts = integrationParts(file);
            return type === 'Queue' ? [...parts.queues] : [...parts.departments];
        });
        for (const node of nodes) {
            if (!node.name) continue;
            acceptor(context, {
                label: node.name,
                kind: type === 'Queue' ? CompletionItemKind.Struct : CompletionItemKind.Class,
                detail: `override ${type === 'Queue' ? 'queue' : 'department'} ${node.name} in this environment`,
                documentation: { kind: 'markdown', value: keywordDoc('environment') ?? '' },
            });
        }
    }

    protected completionForUuiKey(context: CompletionContext, acceptor: CompletionAcceptor): void {
        acceptor(context, {
            label: DEFAULT_UUI_KEY,
            kind: CompletionItemKind.Value,
            detail: 'value of uui · the key the Dixa guide prescribes',
            documentation: { kind: 'markdown', value: keywordDoc('uui') ?? '' },
            sortText: '0',
        });
    }

    /**
     * Langium re-parses the text from the start of the file up to the cursor to find what may come next. On a file
     * of 10,000 departments that is a parse of megabytes per request. The parser's state at the cursor only
     * depends on the integration header and the top-level member the cursor is in, so parse just those.
     */
    protected override findFeaturesAt(document: TextDocument, offset: number): NextFeature[] {
        const prefix = this.shortenedPrefix(document, offset);
        if (prefix === undefined) return super.findFeaturesAt(document, offset);
        const shortened = TextDocument.create(document.uri, document.languageId, document.version, prefix);
        return super.findFeaturesAt(shortened, prefix.length);
    }

    /** The integration header (up to its `{`) followed by the text of the member the offset is in, up to the offset. */
    protected shortenedPrefix(textDocument: TextDocument, offset: number): string | undefined {
        const document = this.currentDocument(textDocument);
        const integration = (document?.parseResult.value as SipflowFile | undefined)?.integration;
        const members = integration?.members ?? [];
        const header = integration?.$cstNode;
        const openBrace = header && isCompositeCstNode(header) ? header.content.find(child => child.text === '{' && GrammarAST.isKeyword(child.grammarSource)) : undefined;
        if (!openBrace || offset <= openBrace.end) return undefined;
        const memberStart = lastStartAtOrBefore(members.length, index => members[index].$cstNode?.offset ?? Number.MAX_SAFE_INTEGER, offset);
        if (memberStart === undefined) return undefined;
        const text = textDocument.getText();
        return `${text.slice(0, openBrace.end)}\n${text.slice(memberStart, offset)}`;
    }

    /** The parsed document for this text, if its parse result is for exactly this text (not a stale one). */
    private currentDocument(textDocument: TextDocument): LangiumDocument | undefined {
        const document = this.documents.getDocument(URI.parse(textDocument.uri));
        const parsedText = document?.parseResult.value.$cstNode?.root.fullText;
        return parsedText !== undefined && parsedText === textDocument.getText() ? document : undefined;
    }

    /**
     * Langium lexes the whole file to find the tokens around the cursor. Lexing from the start of the line of the
     * previous token gives the same two tokens (except inside a multi-line comment, where nothing is completed).
     */
    protected override backtrackToAnyToken(text: string, offset: number): CompletionBacktrackingInformation {
        let previousContent = offset - 1;
        while (previousContent >= 0 && /\s/.test(text[previousContent])) previousContent--;
        const windowStart = previousContent < 0 ? 0 : text.lastIndexOf('\n', previousContent) + 1;
        const lineEnd = text.indexOf('\n', offset);
        const windowEnd = lineEnd < 0 ? text.length : lineEnd;
        const local = super.backtrackToAnyToken(text.slice(windowStart, windowEnd), offset - windowStart);
        const shift = (value: number | undefined) => (value === undefined ? undefined : value + windowStart);
        return {
            nextTokenStart: local.nextTokenStart + windowStart,
            nextTokenEnd: local.nextTokenEnd + windowStart,
            previousTokenStart: shift(local.previousTokenStart),
            previousTokenEnd: shift(local.previousTokenEnd),
        };
    }
}

/** The range of the `env:` reference at the completion point: from its start to its end, or empty at the cursor. */
function envTokenRange(context: CompletionContext): Range {
    const text = context.textDocument.getText();
    const token = /^env:[A-Za-z0-9_]*/.exec(text.slice(context.tokenOffset));
    const end = token ? Math.max(context.offset, context.tokenOffset + token[0].length) : context.offset;
    const start = token ? context.tokenOffset : context.offset;
    return { start: context.textDocument.positionAt(start), end: context.textDocument.positionAt(end) };
}

function ruleOf(element: GrammarAST.AbstractElement): string | undefined {
    return AstUtils.getContainerOfType(element, GrammarAST.isParserRule)?.name;
}

/**
 * The last of `count` ascending starts that is ≤ offset, reading only the O(log count) starts a binary search
 * probes: a member's start is a CST offset, found by descending to its first leaf, and members number 10,000s.
 */
export function lastStartAtOrBefore(count: number, startOf: (index: number) => number, offset: number): number | undefined {
    let low = 0;
    let high = count - 1;
    let found: number | undefined;
    while (low <= high) {
        const middle = (low + high) >> 1;
        const start = startOf(middle);
        if (start <= offset) {
            found = start;
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return found;
}

export { insideStringOrComment, triggerAsksForValue, VALUE_TAKING_KEYWORDS } from './completion-triggers.js';

/** The key, in a completion item's `data`, of what resolveCompletionItem needs to document a queue reference. */
const QUEUE_REFERENCE_DATA = 'sipflowQueue';

/** The setting, the queue's name, its Dixa name and its DID: a tuple, as 1,250 of them go over the wire in one list. */
type QueueReferenceData = readonly [setting: 'fallback' | 'escalate', queue: string, displayName: string | null, did: string | null];

/**
 * The list with the edit range most items share said once (`itemDefaults.editRange`) instead of in each item: at
 * 10,000 departments the 1,250 queue items' edits were a third of the list's JSON. An item keeps its own edit when
 * its range differs or it inserts something other than its label. Only when every item has an edit: an item without
 * one would otherwise start taking the default range.
 */
function withDefaultEditRange(list: CompletionList): CompletionList {
    const edits = list.items.map(item => (item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined));
    if (list.items.length < 2 || edits.some(edit => edit === undefined)) return list;
    const keys = edits.map(edit => `${edit!.range.start.line}:${edit!.range.start.character}:${edit!.range.end.line}:${edit!.range.end.character}`);
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    const common = [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
    const range = edits[keys.indexOf(common)]!.range;
    const items = list.items.map((item, index) => {
        const edit = edits[index]!;
        if (keys[index] !== common || edit.newText !== item.label || item.insertText !== undefined) return item;
        const { textEdit: _shared, ...rest } = item;
        return rest;
    });
    return { ...list, items, itemDefaults: { ...list.itemDefaults, editRange: range } };
}

/** completionItem/resolve: the documentation of a queue reference item (see createReferenceCompletionItem); other items as they are. */
export function resolveCompletionItem(item: CompletionItem): CompletionItem {
    const reference = (item.data as Record<string, QueueReferenceData | undefined> | undefined)?.[QUEUE_REFERENCE_DATA];
    if (!Array.isArray(reference) || item.documentation !== undefined) return item;
    const [setting, queue, displayName, did] = reference;
    const value = `${keywordDoc(setting) ?? ''}\n\n**queue ${queue}**${displayName ? `: Dixa queue "${displayName}"` : ''}${did ? `, reached at \`${did}\`` : ''}.`;
    return { ...item, documentation: { kind: 'markdown', value } };
}
