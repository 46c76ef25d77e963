import { AstUtils, type AstNode, type LangiumDocument } from 'langium';
import type { Allowlist, Department, Escalation, Integration, Queue, SecretValue, SipflowFile, SynthflowBlock } from '../language/generated/ast.js';
import { isIntegration, isCredentialsTrunkAuth, isSipflowFile } from '../language/generated/ast.js';
import { integrationParts } from '../language/integration-parts.js';
import { isUuid, parseDuration } from '../language/values/misc.js';
import { isHostName, isIPv4, parseSipUri } from '../language/values/network.js';
import { checkDid } from '../language/values/phone-number.js';
import { dixaCompanyOf, dixaEscalationUri, QUEUE_KIND_OFFER_ALGORITHM, TRANSFER_TIMEOUT, type QueueKindKeyword } from '../vendors/dixa-facts.js';
import {
    DEFAULT_ESCALATION_SAY,
    DEFAULT_ESCALATION_WHEN,
    DEFAULT_UUI_KEY,
    isSynthflowRegion,
    numberSlug,
    SYNTHFLOW_REGION_FACTS,
    SYNTHFLOW_SIP_PORT,
    synthflowSipAddress,
    TRANSFER_MODES,
    type TransferModeKeyword,
} from '../vendors/synthflow-facts.js';
import { deepFreeze, sha256, sourceHashOf } from './hash.js';
import { departmentMarker, escalationActionName, ownershipMarker } from './ownership.js';
import type {
    DesiredAllowlist,
    DesiredDepartment,
    DesiredEscalation,
    DesiredQueue,
    DesiredSource,
    DesiredState,
    DesiredTrunkAuth,
} from './types.js';

/** A parsed `.sipflow` file, its root node, or its integration node. */
export type IntegrationSource = LangiumDocument<SipflowFile> | SipflowFile | Integration;

/** One reason the desired state cannot be built. */
export interface ModelProblem {
    /** The document URI, when the node is in a document. */
    readonly uri?: string;
    /** 1-based position. */
    readonly line?: number;
    readonly column?: number;
    /** The diagnostic code (LANGUAGE.md), or `model-*` for checks of this module. */
    readonly code: string;
    readonly message: string;
}

/** Thrown by `buildDesiredState` when the file has errors: lists every one of them. */
export class DesiredStateError extends Error {
    constructor(
        readonly integration: string | undefined,
        readonly problems: readonly ModelProblem[],
    ) {
        const name = integration ? `integration ${integration}` : 'the file';
        const lines = problems.map(p => `  ${p.uri ? `${p.uri}${p.line ? `:${p.line}:${p.column ?? 1}` : ''} ` : ''}[${p.code}] ${p.message}`);
        super(`Cannot plan ${name}: ${problems.length} error${problems.length === 1 ? '' : 's'} to fix first.\n${lines.join('\n')}`);
        this.name = 'DesiredStateError';
    }
}


/** The UUI header value Dixa sends: the key and the caller's E.164 number. */
export function uuiHeader(key: string): string {
    return `${key}={caller}`;
}

/**
 * Turns an integration into its desired state. `others` may hold further files of the same
 * integration (queues in one file, departments in another); files of other integrations are ignored.
 * Throws `DesiredStateError` when any file has validation errors (its Langium diagnostics, when it was
 * validated) or lacks something the model needs.
 */
export function buildDesiredState(main: IntegrationSource, others: readonly IntegrationSource[] = []): DesiredState {
    const integration = integrationOf(main);
    if (!integration) {
        throw new DesiredStateError(undefined, [{ ...where(rootOf(main)), code: 'required-missing', message: 'The file declares no integration: write integration NAME { … }.' }]);
    }
    const name = integration.name;
    const integrations = [integration];
    for (const other of others) {
        const candidate = integrationOf(other);
        if (candidate && candidate !== integration && candidate.name === name && !integrations.includes(candidate)) integrations.push(candidate);
    }
    const builder = new Builder(name);
    for (const node of integrations) builder.collectDiagnostics(node);
    const state = builder.build(integrations);
    if (builder.problems.length > 0) throw new DesiredStateError(name, dedupe(builder.problems));
    return deepFreeze(state!);
}

/** The validator and this module may report the same thing on the same line: keep one. */
function dedupe(problems: readonly ModelProblem[]): ModelProblem[] {
    const seen = new Set<string>();
    return problems.filter(p => {
        const key = `${p.uri ?? ''}:${p.line ?? ''}:${p.code}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

function integrationOf(source: IntegrationSource): Integration | undefined {
    if (isIntegration(source)) return source;
    if (isSipflowFile(source)) return source.integration;
    return (source as LangiumDocument<SipflowFile>).parseResult?.value?.integration;
}

function rootOf(source: IntegrationSource): AstNode {
    if (isIntegration(source) || isSipflowFile(source)) return source;
    return (source as LangiumDocument<SipflowFile>).parseResult.value;
}

function documentOf(node: AstNode): LangiumDocument | undefined {
    const root = AstUtils.findRootNode(node);
    return (root as { $document?: LangiumDocument }).$document;
}

function where(node: AstNode | undefined): Pick<ModelProblem, 'uri' | 'line' | 'column'> {
    if (!node) return {};
    const document = documentOf(node);
    const start = node.$cstNode?.range.start;
    return {
        ...(document ? { uri: document.uri.toString() } : {}),
        ...(start ? { line: start.line + 1, column: start.character + 1 } : {}),
    };
}

class Builder {
    readonly problems: ModelProblem[] = [];
    private readonly seenDocuments = new Set<LangiumDocument>();
    private queueNodes = new Set<Queue>();

    constructor(private readonly name: string) {}

    private fail(node: AstNode | undefined, code: string, message: string): void {
        this.problems.push({ ...where(node), code, message });
    }

    /** The document's own errors: parse errors and validation errors (when it was validated). */
    collectDiagnostics(integration: Integration): void {
        const document = documentOf(integration);
        if (!document || this.seenDocuments.has(document)) return;
        this.seenDocuments.add(document);
        const uri = document.uri.toString();
        const reported = new Set<string>();
        for (const diagnostic of document.diagnostics ?? []) {
            if (diagnostic.severity !== 1) continue;
            const line = diagnostic.range.start.line + 1;
            const column = diagnostic.range.start.character + 1;
            reported.add(`${line}:${column}`);
            this.problems.push({ uri, line, column, code: String(diagnostic.code ?? 'error'), message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value });
        }
        if (document.diagnostics === undefined) {
            for (const error of document.parseResult.lexerErrors) {
                this.problems.push({ uri, line: error.line, column: error.column, code: 'lexing-error', message: error.message });
            }
            for (const error of document.parseResult.parserErrors) {
                this.problems.push({ uri, line: error.token.startLine, column: error.token.startColumn, code: 'parsing-error', message: error.message });
            }
        }
    }

    build(integrations: readonly Integration[]): DesiredState | undefined {
        const parts = integrations.map(integrationParts);
        const dixaBlocks = parts.flatMap(p => p.dixaBlocks);
        const synthflowBlocks = parts.flatMap(p => p.synthflowBlocks);
        const queueNodes = parts.flatMap(p => p.queues);
        this.queueNodes = new Set(queueNodes);
        const departmentNodes = parts.flatMap(p => p.departments);
        const integration = integrations[0];

        if (dixaBlocks.length === 0) this.fail(integration, 'required-missing', `Integration ${this.name} has no dixa block.`);
        if (synthflowBlocks.length === 0) this.fail(integration, 'required-missing', `Integration ${this.name} has no synthflow block.`);
        // An integration has one dixa and one synthflow block, in any one of its files.
        for (const extra of dixaBlocks.slice(1)) this.fail(extra, 'block-duplicate', `The dixa block is already in ${describe(dixaBlocks[0])}: an integration has one. Merge the settings there.`);
        for (const extra of synthflowBlocks.slice(1)) this.fail(extra, 'block-duplicate', `The synthflow block is already in ${describe(synthflowBlocks[0])}: an integration has one. Merge the settings there.`);

        const dixaBlock = dixaBlocks[0];
        const synthflowBlock = synthflowBlocks[0];
        const sipDomain = dixaBlock?.sipDomain;
        if (dixaBlock && (sipDomain === undefined || !isHostName(sipDomain))) {
            this.fail(dixaBlock, sipDomain === undefined ? 'required-missing' : 'sip-domain-invalid', 'The dixa block needs a valid sip-domain "{company}.sip.dixa.com".');
        }
        const region = synthflowBlock?.region;
        if (synthflowBlock && !isSynthflowRegion(region)) this.fail(synthflowBlock, 'required-missing', 'The synthflow block needs a region (global, us or eu).');
        const workspace = synthflowBlock?.workspace?.trim();
        if (synthflowBlock && !workspace) this.fail(synthflowBlock, 'workspace-missing', 'The synthflow block needs a workspace id.');
        const trunkAuth = synthflowBlock ? this.trunkAuth(synthflowBlock) : undefined;

        const allowlist = dixaBlock && isSynthflowRegion(region) ? this.allowlist(dixaBlock.allowlists, region) : undefined;
        if (dixaBlock && dixaBlock.allowlists.length === 0) this.fail(dixaBlock, 'allowlist-missing', 'The dixa block has no allowlist: add "allowlist synthflow".');

        const queues = this.queues(queueNodes, sipDomain);
        const departments = isSynthflowRegion(region) && sipDomain !== undefined
            ? this.departments(departmentNodes, queues, sipDomain, region, trunkAuth)
            : [];

        if (this.problems.length > 0 || !dixaBlock || !synthflowBlock || !sipDomain || !isSynthflowRegion(region) || !workspace || !trunkAuth || !allowlist) {
            return undefined;
        }
        const facts = SYNTHFLOW_REGION_FACTS[region];
        const sources = integrations.map((node, index) => sourceOf(node, index));
        return {
            integration: this.name,
            ownershipMarker: ownershipMarker(this.name),
            sources: sources.map(s => s.source),
            sourceHash: sourceHashOf(sources.map(s => s.text)),
            dixa: { sipDomain, company: dixaCompanyOf(sipDomain) ?? null, allowlist },
            synthflow: {
                region,
                apiBaseUrl: facts.apiBaseUrl,
                apiHost: facts.apiHost,
                sipHost: facts.sipHost,
                sipPort: SYNTHFLOW_SIP_PORT,
                workspace,
                trunkAuth,
            },
            queues: [...queues.values()],
            departments,
        };
    }

    private trunkAuth(block: SynthflowBlock): DesiredTrunkAuth | undefined {
        const auth = block.trunkAuth;
        if (!auth || !isCredentialsTrunkAuth(auth)) return { kind: 'ip' };
        const usernameEnv = this.envName(auth.username, 'username', auth);
        const passwordEnv = this.envName(auth.password, 'password', auth);
        return usernameEnv && passwordEnv ? { kind: 'credentials', usernameEnv, passwordEnv } : undefined;
    }

    private envName(value: SecretValue | undefined, setting: string, owner: AstNode): string | undefined {
        if (value?.env) return value.env.replace(/^env:/, '');
        // Never echo a literal: it may be a real secret.
        this.fail(value ?? owner, value ? 'plaintext-secret' : 'required-missing', `The trunk ${setting} must be an env:NAME reference.`);
        return undefined;
    }

    private allowlist(allowlists: readonly Allowlist[], region: keyof typeof SYNTHFLOW_REGION_FACTS): DesiredAllowlist {
        const regionIps = SYNTHFLOW_REGION_FACTS[region].signallingIps;
        const usesRegion = allowlists.some(a => a.synthflow);
        const explicit = allowlists.flatMap(a => (a.synthflow ? [] : a.ips));
        for (const ip of explicit) if (!isIPv4(ip)) this.fail(allowlists[0], 'ip-invalid', `"${ip}" is not an IPv4 address.`);
        const ips = [...new Set([...(usesRegion ? regionIps : []), ...explicit])];
        return {
            source: usesRegion && explicit.length > 0 ? 'both' : usesRegion ? 'region' : 'explicit',
            ips,
            regionIps: [...regionIps],
            missingRegionIps: regionIps.filter(ip => !ips.includes(ip)),
        };
    }

    private queues(nodes: readonly Queue[], sipDomain: string | undefined): Map<Queue, DesiredQueue> {
        const result = new Map<Queue, DesiredQueue>();
        const keys = new Set<string>();
        const names = new Map<string, string>();
        for (const node of nodes) {
            if (keys.has(node.name)) this.fail(node, 'name-duplicate', `Another queue is already named ${node.name}.`);
            keys.add(node.name);
            const did = this.did(node, node.did, `queue ${node.name}`);
            const name = node.displayName?.trim();
            if (!name) this.fail(node, 'required-missing', `Queue ${node.name} has no name: add name "…" with the Dixa queue name.`);
            else if (names.has(name)) this.fail(node, 'name-duplicate', `Queues ${names.get(name)} and ${node.name} have the same Dixa name "${name}".`);
            else names.set(name, node.name);
            if (!did || !name || sipDomain === undefined) continue;
            const kind: QueueKindKeyword = node.kind ?? 'queue';
            result.set(node, {
                key: node.name,
                name,
                did,
                kind,
                offerAlgorithm: QUEUE_KIND_OFFER_ALGORITHM[kind],
                escalationUri: dixaEscalationUri(did, sipDomain),
            });
        }
        return result;
    }

    private did(node: AstNode, text: string | undefined, what: string): string | undefined {
        if (text === undefined) {
            this.fail(node, 'required-missing', `${capitalise(what)} has no did.`);
            return undefined;
        }
        const check = checkDid(text);
        if (check.kind === 'invalid') {
            this.fail(node, 'e164-invalid', `The did of ${what} is not a valid phone number: ${check.reason}.`);
            return undefined;
        }
        return check.e164;
    }

    private departments(
        nodes: readonly Department[],
        queues: ReadonlyMap<Queue, DesiredQueue>,
        sipDomain: string,
        region: keyof typeof SYNTHFLOW_REGION_FACTS,
        trunkAuth: DesiredTrunkAuth | undefined,
    ): DesiredDepartment[] {
        const result: DesiredDepartment[] = [];
        const keys = new Set<string>();
        const dids = new Map<string, string>();
        for (const queue of queues.values()) dids.set(queue.did, `queue ${queue.key}`);
        for (const node of nodes) {
            if (keys.has(node.name)) this.fail(node, 'name-duplicate', `Another department is already named ${node.name}.`);
            keys.add(node.name);
            const did = this.did(node, node.did, `department ${node.name}`);
            if (did && dids.has(did)) this.fail(node, 'did-duplicate', `${did} is already the did of ${dids.get(did)}.`);
            if (did) dids.set(did, `department ${node.name}`);
            const assistantId = node.assistant?.trim().toLowerCase();
            if (!assistantId || !isUuid(assistantId)) {
                this.fail(node, assistantId ? 'assistant-id-invalid' : 'required-missing', `Department ${node.name} needs an assistant "uuid".`);
            }
            const timeoutSeconds = this.timeout(node);
            const fallbackQueue = this.queueRef(node, node.fallback, queues, 'fallback');
            const friendlyName = departmentMarker(this.name, node.name);
            const escalations = node.escalations
                .map(escalation => this.escalation(node, escalation, queues, sipDomain))
                .filter((e): e is DesiredEscalation => e !== undefined);
            const targets = new Set<string>();
            for (const escalation of escalations) {
                if (targets.has(escalation.target)) this.fail(node, 'model-escalation-duplicate', `Department ${node.name} escalates to ${escalation.target} twice: keep one.`);
                targets.add(escalation.target);
            }
            if (!did || !assistantId || !isUuid(assistantId) || timeoutSeconds === undefined || fallbackQueue === undefined) continue;
            const uuiKey = node.uui ?? DEFAULT_UUI_KEY;
            result.push({
                key: node.name,
                flow: node.flow?.trim() || null,
                did,
                slug: numberSlug(did),
                assistantId,
                timeoutSeconds,
                fallbackQueue,
                uui: { key: uuiKey, header: uuiHeader(uuiKey) },
                transferSipAddress: synthflowSipAddress(did, region),
                number: {
                    e164: did,
                    slug: numberSlug(did),
                    friendlyName,
                    providerName: 'custom',
                    terminationUri: sipDomain,
                    trunkUsernameEnv: trunkAuth?.kind === 'credentials' ? trunkAuth.usernameEnv : null,
                    trunkPasswordEnv: trunkAuth?.kind === 'credentials' ? trunkAuth.passwordEnv : null,
                },
                escalations,
            });
        }
        return result;
    }

    private timeout(node: Department): number | undefined {
        if (node.timeout === undefined) return TRANSFER_TIMEOUT.recommended;
        const duration = parseDuration(node.timeout);
        if (!duration.ok) {
            this.fail(node, 'duration-invalid', `${duration.reason}.`);
            return undefined;
        }
        if (duration.seconds < TRANSFER_TIMEOUT.min || duration.seconds > TRANSFER_TIMEOUT.max) {
            this.fail(node, 'timeout-range', `timeout ${node.timeout} is outside ${TRANSFER_TIMEOUT.min}s–${TRANSFER_TIMEOUT.max}s.`);
            return undefined;
        }
        return duration.seconds;
    }

    /** null = no reference written; undefined = an unresolved reference (reported). */
    private queueRef(
        node: AstNode,
        ref: { ref?: Queue; $refText: string } | undefined,
        queues: ReadonlyMap<Queue, DesiredQueue>,
        what: string,
    ): string | null | undefined {
        if (ref === undefined) return null;
        const target = ref.ref;
        if (!target) {
            this.fail(node, 'linking-error', `The ${what} queue ${ref.$refText} is not declared in integration ${this.name}.`);
            return undefined;
        }
        if (!queues.has(target)) {
            // A queue of the given files that has errors of its own is reported on itself; anything else
            // was resolved from a file the caller did not pass (or from another integration).
            if (!this.queueNodes.has(target)) {
                const elsewhere = where(target).uri;
                this.fail(node, 'linking-error', target.$container.name !== this.name
                    ? `The ${what} queue ${ref.$refText} belongs to integration ${target.$container.name}, not ${this.name}.`
                    : `The ${what} queue ${ref.$refText} is declared in ${elsewhere ?? 'another file'}, which was not given with this file.`);
            }
            return undefined;
        }
        return queues.get(target)!.key;
    }

    private escalation(
        department: Department,
        node: Escalation,
        queues: ReadonlyMap<Queue, DesiredQueue>,
        sipDomain: string,
    ): DesiredEscalation | undefined {
        let queue: DesiredQueue | undefined;
        let target: string;
        if (node.queue !== undefined) {
            const key = this.queueRef(node, node.queue, queues, 'escalation');
            if (!key) return undefined;
            queue = [...queues.values()].find(q => q.key === key)!;
            target = queue.escalationUri;
        } else if (node.uri !== undefined) {
            const parsed = parseSipUri(node.uri.trim());
            if (!parsed.ok) {
                this.fail(node, 'sip-uri-invalid', `"${node.uri}" is not a valid SIP URI: ${parsed.reason}.`);
                return undefined;
            }
            target = node.uri.trim();
            const user = checkDid(parsed.uri.user);
            queue = user.kind === 'valid' ? [...queues.values()].find(q => q.did === user.e164) : undefined;
        } else {
            this.fail(node, 'required-missing', 'escalate needs a queue or a "sip:…" URI.');
            return undefined;
        }
        const mode: TransferModeKeyword = node.mode ?? 'warm';
        return {
            queue: queue?.key ?? null,
            target,
            mode,
            actionName: escalationActionName(this.name, department.name, queue?.key ?? target),
            transfer: {
                transferMode: TRANSFER_MODES[mode],
                phone: target,
                instructions: node.when ?? DEFAULT_ESCALATION_WHEN,
                initiatingMsg: node.say ?? DEFAULT_ESCALATION_SAY,
                ...(node.failed !== undefined ? { failedMsg: node.failed } : {}),
            },
        };
    }
}

function sourceOf(integration: Integration, index: number): { source: DesiredSource; text: string } {
    const document = documentOf(integration);
    const text = document?.textDocument.getText() ?? integration.$cstNode?.root.fullText ?? `inline:${index}`;
    return { source: { uri: document?.uri.toString() ?? `inline:${index}`, sha256: sha256(text) }, text };
}

function describe(node: AstNode): string {
    const { uri, line } = where(node);
    return uri ? `${uri}${line ? `:${line}` : ''}` : 'another file';
}

function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
