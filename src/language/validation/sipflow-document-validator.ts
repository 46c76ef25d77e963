import {
    AstUtils,
    Cancellation,
    DefaultDocumentValidator,
    DocumentValidator,
    interruptAndCheck,
    isOperationCancelled,
    type AstNode,
    type DiagnosticInfo,
    type LangiumDocument,
    type MaybePromise,
    type TreeIterator,
    type ValidationAcceptor,
    type ValidationCategory,
    type ValidationCheck,
    type ValidationOptions,
    type ValidationRegistry,
} from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { INTERNAL_ERROR_CODE, MAX_DIAGNOSTICS_PER_FILE, PROBLEMS_CAPPED_CODE } from '../diagnostic-codes.js';
import { isDepartment, isIntegration, isQueue, isSynthflowBlock, type Integration, type Queue } from '../generated/ast.js';
import { effectiveIntegrations, environmentNamesOf, originOf, overrideOf, overridesOf } from '../environments.js';
import { yieldToRequests } from '../yield-to-requests.js';
import { SipflowValidationRegistry } from './sipflow-validation-registry.js';
import type { SipflowCoreServices } from '../sipflow-core-module.js';

/** Langium's own problem kinds, given the stable codes docs/language.md and `sipflow validate` promise. */
const BUILT_IN_CODES: Readonly<Record<string, string>> = {
    [DocumentValidator.LexingError]: 'parse-error',
    [DocumentValidator.ParsingError]: 'parse-error',
    [DocumentValidator.LinkingError]: 'linking-error',
};

/** How many problems of each severity the `problems-capped` diagnostic stands for. */
export interface HiddenProblems {
    readonly error: number;
    readonly warning: number;
    readonly info: number;
    readonly hint: number;
}

const SEVERITY_KEYS = ['error', 'warning', 'info', 'hint'] as const;

/** The problems a `problems-capped` diagnostic hides, or undefined for any other diagnostic. */
export function hiddenProblemsOf(diagnostic: Diagnostic): HiddenProblems | undefined {
    if (diagnostic.code !== PROBLEMS_CAPPED_CODE) return undefined;
    return (diagnostic.data as { hidden?: HiddenProblems } | undefined)?.hidden;
}

/**
 * Gives lexer, parser and linker diagnostics a `code`, rewrites unresolved queue references into a
 * message that says what to write instead, reports a failing check as an `internal-error` (never as a
 * clean file), and caps the diagnostics of one file at MAX_DIAGNOSTICS_PER_FILE.
 */
export class SipflowDocumentValidator extends DefaultDocumentValidator {
    /** Per document, the last diagnostics of each department and queue block (see validateByBlock). */
    private readonly blockCaches = new WeakMap<LangiumDocument, BlockCache>();
    /** How many blocks the last validations checked and reused (for tests and the benchmark). */
    readonly blockStats = { checked: 0, reused: 0 };
    /** Nodes checked since the last yield to requests (checkNodes). */
    private nodesSinceCheck = 0;

    /**
     * `reuseBlocks: false` for a one-shot build (the CLI): every document is validated once, so the block
     * cache would only cost a key (the block's text) per department and queue.
     */
    constructor(
        private readonly sipflowServices: SipflowCoreServices,
        private readonly options: { readonly reuseBlocks: boolean } = { reuseBlocks: true },
    ) {
        super(sipflowServices);
    }

    /**
     * Langium's own validateDocument, without its two flaws for large files: it appends the checks'
     * diagnostics with `push(...all)`, which overflows the stack at ~130,000, and it swallows a failing
     * check with a console message, so the file looked clean.
     */
    override async validateDocument(document: LangiumDocument, options: ValidationOptions = {}, cancelToken = Cancellation.CancellationToken.None): Promise<Diagnostic[]> {
        const parseResult = document.parseResult;
        const diagnostics: Diagnostic[] = [];
        await interruptAndCheck(cancelToken);
        if (!options.categories || options.categories.includes('built-in')) {
            this.processLexingErrors(parseResult, diagnostics, options);
            this.processParsingErrors(parseResult, diagnostics, options);
            this.processLinkingErrors(document, diagnostics, options);
        }
        try {
            const cacheable = parseResult.lexerErrors.length === 0 && parseResult.parserErrors.length === 0 && !this.profiler?.isActive('validating');
            const checked = cacheable ? await this.validateByBlock(document, options, cancelToken) : await this.validateAst(parseResult.value, options, cancelToken);
            for (const diagnostic of checked) diagnostics.push(diagnostic);
        } catch (error) {
            if (isOperationCancelled(error)) throw error;
            diagnostics.push(internalErrorDiagnostic(error));
        }
        try {
            for (const diagnostic of await this.validateEnvironments(document, diagnostics, options, cancelToken)) diagnostics.push(diagnostic);
        } catch (error) {
            if (isOperationCancelled(error)) throw error;
            diagnostics.push(internalErrorDiagnostic(error));
        }
        await interruptAndCheck(cancelToken);
        for (const diagnostic of diagnostics) {
            const kind = (diagnostic.data as { code?: string } | undefined)?.code;
            if (diagnostic.code === undefined && kind !== undefined && BUILT_IN_CODES[kind]) {
                diagnostic.code = BUILT_IN_CODES[kind];
            }
        }
        this.explainUnresolvedQueues(document, diagnostics);
        return capDiagnostics(diagnostics, document);
    }

    /**
     * validateAst, in the same order (before-checks, the file and integration nodes, each member's subtree,
     * after-checks), reusing the diagnostics of a department or queue block whose text, and everything
     * outside departments it can depend on (contextKeyOf), are unchanged since the last validation of this
     * document. A reused block's diagnostics were computed at some position: they are reused as they are
     * when the block starts where it did, or when there are none (no range to be wrong). Checks across
     * blocks (the integration node's) always run. Only for a file without lexer or parser errors: error
     * recovery may let a block's AST depend on more than its own text.
     */
    private async validateByBlock(document: LangiumDocument, options: ValidationOptions, cancelToken: Cancellation.CancellationToken): Promise<Diagnostic[]> {
        const root = document.parseResult.value;
        const integration = (root as { integration?: unknown }).integration;
        if (!isIntegration(integration)) return this.validateAst(root, options, cancelToken);
        let cache: BlockCache | undefined;
        if (this.options.reuseBlocks) {
            const contextKey = this.contextKeyOf(integration, options);
            cache = this.blockCaches.get(document);
            if (cache?.contextKey !== contextKey) {
                cache = { contextKey, blocks: new Map(), keys: new WeakMap() };
                this.blockCaches.set(document, cache);
            }
        }
        const items: Diagnostic[] = [];
        const accept: ValidationAcceptor = (severity, message, info) => void items.push(this.toDiagnostic(severity, message, info));
        await this.validateAstBefore(root, options, accept, cancelToken);
        await this.checkNode(root, options, accept, cancelToken);
        await this.checkNode(integration, options, accept, cancelToken);
        const seen = new Set<string>();
        let sinceCheck = 0;
        for (const member of integration.members) {
            if (++sinceCheck === MEMBERS_BETWEEN_CHECKS) {
                sinceCheck = 0;
                await yieldToRequests(cancelToken);
            }
            if (!cache || !member.$cstNode || !(isDepartment(member) || isQueue(member))) {
                const pending = this.checkSubtree(member, options, accept, cancelToken);
                if (pending) await pending;
                continue;
            }
            // queue-unused depends on every department's references: part of the queue's key. A concatenation,
            // not the CST text itself (a slice of the whole document's): V8 flattens it into a string of its
            // own when it is hashed, so a key kept across edits does not keep an old version of the file alive.
            const kind = isQueue(member) ? (this.sipflowServices.references.SipflowQueues.isQueueUsed(member) ? 'used queue' : 'unused queue') : 'department';
            // A node seen before has the text it had (an incremental re-parse keeps the nodes of the blocks it did
            // not re-parse, and a full parse makes new ones): its key is known without reading and hashing the text.
            let key = cache.keys.get(member);
            if (key === undefined || !key.startsWith(`${kind}\0`)) {
                key = `${kind}\0${member.$cstNode.text}`;
                cache.keys.set(member, key);
            }
            const start = member.$cstNode!.range.start;
            const cached = cache.blocks.get(key);
            seen.add(key);
            if (cached && (cached.diagnostics.length === 0 || (cached.line === start.line && cached.character === start.character))) {
                this.blockStats.reused++;
                for (const diagnostic of cached.diagnostics) items.push(diagnostic);
                continue;
            }
            const own: Diagnostic[] = [];
            const pending = this.checkSubtree(member, options, (severity, message, info) => void own.push(this.toDiagnostic(severity, message, info)), cancelToken);
            if (pending) await pending;
            this.blockStats.checked++;
            cache.blocks.set(key, { line: start.line, character: start.character, diagnostics: own });
            for (const diagnostic of own) items.push(diagnostic);
        }
        // Forget blocks that are gone, so that the cache holds one file's blocks, not every version's.
        if (cache) for (const key of cache.blocks.keys()) if (!seen.has(key)) cache.blocks.delete(key);
        await this.validateAstAfter(root, options, accept, cancelToken);
        return items;
    }

    /**
     * What a department's or queue's checks may read outside the block itself: the integration's name, its
     * other members (dixa, synthflow, queues, environments: sip-domain, region, queue names and DIDs) and
     * the other files of the integration (their queues, blocks and departments). Conservative: any change
     * there re-checks every block. Departments do not read each other; the checks across them are on the
     * integration node, which always runs.
     */
    private contextKeyOf(integration: Integration, options: ValidationOptions): string {
        const parts: string[] = [options.categories?.join(',') ?? '*', integration.name ?? ''];
        for (const member of integration.members) {
            if (!isDepartment(member)) parts.push(member.$cstNode?.text ?? '');
        }
        for (const sibling of this.sipflowServices.references.SipflowQueues.siblingsOf(integration)) {
            const siblingDocument = AstUtils.getDocument(sibling);
            parts.push(siblingDocument.uri.toString(), siblingDocument.textDocument.getText());
        }
        return parts.join('\0');
    }

    /**
     * The node's checks, in order. Synchronous while they are: a promise only when a check returns one, so
     * that 10,000 departments' nodes do not each cost a chain of promises and microtask turns.
     */
    private checkNode(node: AstNode, options: ValidationOptions, accept: ValidationAcceptor, cancelToken: Cancellation.CancellationToken): MaybePromise<void> {
        if (!this.validateSingleNodeOptions(node, options).validateNode) return;
        const checks = checksOf(this.validationRegistry, node.$type, options.categories);
        for (let i = 0; i < checks.length; i++) {
            const pending = checks[i](node, accept, cancelToken);
            if (pending) return finishChecks(pending, checks.slice(i + 1), node, accept, cancelToken);
        }
    }

    /**
     * The checks of `node` and everything in it, in Langium's order. Synchronous while the checks are; every
     * NODES_BETWEEN_CHECKS nodes checked (counted across members: an environment may hold thousands of
     * blocks) it yields to requests and checks for cancellation, as Langium's per-node interruptAndCheck did
     * every 10 ms.
     */
    private checkSubtree(node: AstNode, options: ValidationOptions, accept: ValidationAcceptor, cancelToken: Cancellation.CancellationToken): MaybePromise<void> {
        return this.checkNodes(AstUtils.streamAst(node).iterator(), options, accept, cancelToken);
    }

    /** checkSubtree's loop from where `nodes` stands; it goes on in a promise once a check returned one or it yields. */
    private checkNodes(nodes: TreeIterator<AstNode>, options: ValidationOptions, accept: ValidationAcceptor, cancelToken: Cancellation.CancellationToken): MaybePromise<void> {
        // next() by hand, not for…of: leaving a for…of would call the iterator's return(), ending the walk.
        for (let next = nodes.next(); !next.done; next = nodes.next()) {
            const current = next.value;
            const pending = this.checkNode(current, options, accept, cancelToken);
            const yieldNow = ++this.nodesSinceCheck >= NODES_BETWEEN_CHECKS && cancelToken !== Cancellation.CancellationToken.None;
            if (!pending && !yieldNow) {
                if (!this.validateSingleNodeOptions(current, options).validateChildren) nodes.prune();
                continue;
            }
            return (async () => {
                await pending;
                if (!this.validateSingleNodeOptions(current, options).validateChildren) nodes.prune();
                if (yieldNow) {
                    this.nodesSinceCheck = 0;
                    await yieldToRequests(cancelToken);
                }
                await this.checkNodes(nodes, options, accept, cancelToken);
            })();
        }
    }

    /**
     * Checks each environment's effective configuration (src/language/environments.ts) with the same
     * checks as the default. A finding is kept for this document when the line that wrote the value is
     * in it (an override's line, or the default's when the environment does not change that value) and
     * the default's check did not already report it; it says which environments it holds in.
     */
    private async validateEnvironments(
        document: LangiumDocument,
        existing: readonly Diagnostic[],
        options: ValidationOptions,
        cancelToken: Cancellation.CancellationToken,
    ): Promise<Diagnostic[]> {
        const integration = (document.parseResult.value as { integration?: unknown }).integration;
        if (!isIntegration(integration) || !integration.name) return [];
        const queues = this.sipflowServices.references.SipflowQueues;
        const files: Integration[] = [integration, ...queues.siblingsOf(integration)];
        const names = environmentNamesOf(files);
        if (names.length === 0) return [];
        const key = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}|${String(d.code)}|${d.message}`;
        const known = new Set(existing.map(key));
        const found = new Map<string, { diagnostic: Diagnostic; environments: string[] }>();
        const registry = this.sipflowServices.validation.ValidationRegistry;
        for (const environment of names) {
            await interruptAndCheck(cancelToken);
            const views = effectiveIntegrations(files, environment);
            // Without a dixa, synthflow or queue override, what a department's checks depend on (sip-domain,
            // region, queue DIDs) is the default's: only the departments it overrides can find anything new.
            // Checks across blocks (duplicate DIDs, shared assistants) run on the integration node either way.
            const overrides = overridesOf(files, environment);
            const onlyOverridden = overrides.dixa.length === 0 && overrides.synthflow.length === 0 && overrides.queues.size === 0;
            queues.useEffectiveSiblings(views);
            const accept: ValidationAcceptor = <N extends AstNode>(severity: Parameters<ValidationAcceptor>[0], message: string, info: DiagnosticInfo<N>) => {
                const origin = originOf(info.node, typeof info.property === 'string' ? info.property : undefined);
                if (AstUtils.getDocument(origin) !== document) return;
                const diagnostic = this.toDiagnostic(severity, message, { ...info, node: origin } as DiagnosticInfo<AstNode>);
                const id = key(diagnostic);
                if (known.has(id)) return;
                const entry = found.get(id);
                if (entry) {
                    if (!entry.environments.includes(environment)) entry.environments.push(environment);
                } else {
                    found.set(id, { diagnostic, environments: [environment] });
                }
            };
            for (const view of views) {
                for (const node of effectiveNodesOf(view, onlyOverridden)) {
                    for (const check of checksOf(registry, node.$type, options.categories)) await check(node, accept, cancelToken);
                }
            }
        }
        return [...found.values()].map(({ diagnostic, environments }) => ({
            ...diagnostic,
            message: `In environment${environments.length === 1 ? '' : 's'} ${environments.join(', ')}: ${diagnostic.message}`,
            data: { ...(diagnostic.data as object | undefined), environments },
        }));
    }

    private explainUnresolvedQueues(document: LangiumDocument, diagnostics: Diagnostic[]): void {
        const integration = (document.parseResult.value as { integration?: unknown }).integration;
        if (!isIntegration(integration)) return;
        let known: readonly Queue[] | undefined;
        for (const diagnostic of diagnostics) {
            const data = diagnostic.data as { code?: string; refText?: string; containerType?: string } | undefined;
            if (diagnostic.code !== 'linking-error' || data?.refText === undefined) continue;
            known ??= this.sipflowServices.references.SipflowQueues.queuesOf(integration);
            const names = known.map(queue => queue.name);
            const suggestion = names.length > 0 ? ` or use one of: ${names.join(', ')}` : '';
            diagnostic.message = `No queue named ${data.refText}: declare "queue ${data.refText} { name "…" did "+…" }"${suggestion}.`;
        }
    }
}

/** The diagnostics of one department or queue block, and where the block started when they were computed. */
interface CachedBlock {
    readonly line: number;
    readonly character: number;
    readonly diagnostics: readonly Diagnostic[];
}

interface BlockCache {
    readonly contextKey: string;
    /** Block kind (for a queue, whether it is used) and text → its last diagnostics. */
    readonly blocks: Map<string, CachedBlock>;
    /** A block's node → its key in `blocks`, as last computed. */
    readonly keys: WeakMap<AstNode, string>;
}

/** A node type's checks as an array: cached by the language's registry, built from the stream by any other. */
function checksOf(registry: ValidationRegistry, type: string, categories: ValidationCategory[] | undefined): readonly ValidationCheck[] {
    return registry instanceof SipflowValidationRegistry ? registry.checksFor(type, categories) : registry.getChecks(type, categories).toArray();
}

/** The rest of a node's checks once one returned a promise. */
async function finishChecks(
    pending: PromiseLike<void>,
    rest: readonly ValidationCheck[],
    node: AstNode,
    accept: ValidationAcceptor,
    cancelToken: Cancellation.CancellationToken,
): Promise<void> {
    await pending;
    for (const check of rest) await check(node, accept, cancelToken);
}

/** How many nodes are checked between two yields to requests and checks for cancellation (checkNodes). */
const NODES_BETWEEN_CHECKS = 1000;

/** How many members are checked between two checks for cancellation. */
const MEMBERS_BETWEEN_CHECKS = 500;

/**
 * The nodes of an effective view the checks run on (its own properties only: see environments.ts); with
 * `onlyOverridden`, of its members only the departments the environment overrides.
 */
function* effectiveNodesOf(view: Integration, onlyOverridden: boolean): Generator<AstNode> {
    yield view;
    for (const member of view.members) {
        if (onlyOverridden && !(isDepartment(member) && overrideOf(member) !== undefined)) continue;
        yield member;
        if (isSynthflowBlock(member) && member.trunkAuth) yield member.trunkAuth;
        if (isDepartment(member)) yield* member.escalations;
    }
}

function internalErrorDiagnostic(error: unknown): Diagnostic {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return {
        severity: 1,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        code: INTERNAL_ERROR_CODE,
        message: `sipflow could not finish checking this file (internal error: ${reason}). The file is not known to be valid; please report this.`,
        data: { code: INTERNAL_ERROR_CODE },
        source: 'sipflow',
    };
}

/**
 * Keeps the MAX_DIAGNOSTICS_PER_FILE most severe diagnostics (errors first, then by position) and adds
 * one `problems-capped` diagnostic at the end of the file that counts the rest: an editor and a
 * terminal cannot show 100,000 problems usefully, and the most severe ones decide whether the file
 * passes. Its severity is the worst it hides, so a file with hidden errors still fails.
 */
function capDiagnostics(diagnostics: Diagnostic[], document: LangiumDocument): Diagnostic[] {
    if (diagnostics.length <= MAX_DIAGNOSTICS_PER_FILE) return diagnostics;
    const byPosition = (a: Diagnostic, b: Diagnostic) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
    const ranked = diagnostics
        .map((diagnostic, index) => ({ diagnostic, index }))
        .sort((a, b) => (a.diagnostic.severity ?? 1) - (b.diagnostic.severity ?? 1) || byPosition(a.diagnostic, b.diagnostic) || a.index - b.index);
    const shown = ranked
        .slice(0, MAX_DIAGNOSTICS_PER_FILE)
        .map(r => r.diagnostic)
        .sort(byPosition);
    const hidden = ranked.slice(MAX_DIAGNOSTICS_PER_FILE).map(r => r.diagnostic);
    const counts = { error: 0, warning: 0, info: 0, hint: 0 };
    let worst = 4;
    for (const diagnostic of hidden) {
        const severity = diagnostic.severity ?? 1;
        counts[SEVERITY_KEYS[severity - 1] ?? 'error']++;
        worst = Math.min(worst, severity);
    }
    const breakdown = SEVERITY_KEYS.filter(key => counts[key] > 0)
        .map(key => `${counts[key]} ${key}${counts[key] === 1 ? '' : 's'}`)
        .join(', ');
    const end = document.textDocument.positionAt(document.textDocument.getText().length);
    shown.push({
        severity: worst as Diagnostic['severity'],
        range: { start: end, end },
        code: PROBLEMS_CAPPED_CODE,
        message: `… and ${hidden.length} more problems in this file (${breakdown}); only the first ${MAX_DIAGNOSTICS_PER_FILE} are shown. Fix these and the rest appear.`,
        data: { code: PROBLEMS_CAPPED_CODE, hidden: counts satisfies HiddenProblems },
        source: 'sipflow',
    });
    return shown;
}
