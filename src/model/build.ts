import { AstUtils, type AstNode, type LangiumDocument, type Reference } from 'langium';
import { SipflowError } from '../errors.js';
import type { Allowlist, Department, Escalation, Integration, Queue, SecretValue, SynthflowBlock } from '../language/generated/ast.js';
import { isIntegration, isCredentialsTrunkAuth, isSipflowFile } from '../language/generated/ast.js';
import { integrationParts, type IntegrationParts } from '../language/integration-parts.js';
import { parseDuration } from '../language/values/durations.js';
import { parseSipUri } from '../language/values/network.js';
import { checkDid } from '../language/values/phone-number.js';
import { dixaCompanyOf, dixaEscalationUri, QUEUE_KIND_OFFER_ALGORITHM, TRANSFER_TIMEOUT, type QueueKindKeyword } from '../vendors/dixa-facts.js';
import {
    DEFAULT_TRANSFER_MODE,
    DEFAULT_UUI_KEY,
    isSynthflowRegion,
    numberSlug,
    SYNTHFLOW_REGION_FACTS,
    SYNTHFLOW_SIP_PORT,
    type SynthflowRegion,
    synthflowSipAddress,
    type TransferModeKeyword,
} from '../vendors/synthflow-facts.js';
import { transferFromSettings } from '../vendors/transfer-fields.js';
import { deepFreeze, sha256, sourceHashOf } from './hash.js';
import { departmentMarker, escalationActionName, ownerKey, ownershipMarker } from './ownership.js';
import { effectiveIntegrations, environmentNamesOf } from '../language/environments.js';
import { diagnosticAppliesTo, integrationOf, sameIntegration, type IntegrationSource } from './sources.js';
import type { DesiredAllowlist, DesiredDixaOrganization, DesiredDepartment, DesiredEscalation, DesiredQueue, DesiredSource, DesiredState, DesiredTrunkAuth } from './types.js';

/** A parsed `.sipflow` file, its root node, or its integration node. */

/** One error diagnostic of the integration's documents, as `buildDesiredState` reports it. */
export interface ModelProblem {
    /** The document URI. */
    readonly uri?: string;
    /** 1-based position. */
    readonly line?: number;
    readonly column?: number;
    /** The diagnostic code (README's diagnostics table). */
    readonly code: string;
    readonly message: string;
}

/** Thrown by `buildDesiredState` when the files have error diagnostics: lists every one of them. */
export class DesiredStateError extends SipflowError {
    constructor(
        readonly integration: string | undefined,
        readonly problems: readonly ModelProblem[],
    ) {
        const name = integration ? `integration ${integration}` : 'the file';
        const lines = problems.map(p => `  ${p.uri ? `${p.uri}${p.line ? `:${p.line}:${p.column ?? 1}` : ''} ` : ''}[${p.code}] ${p.message}`);
        super('desired-state', `Cannot plan ${name}: ${problems.length} error${problems.length === 1 ? '' : 's'} to fix first.\n${lines.join('\n')}`);
    }
}

/**
 * Thrown by `buildDesiredState` when it is called wrongly, not because of the file's contents: a file
 * without an integration (nothing to build), a document that was not validated, files of one
 * integration left out (a reference into them), or a value validation should have refused (a bug).
 */
export class ModelInputError extends SipflowError {
    constructor(message: string) {
        super('model-input', message);
    }
}

/** The UUI header value Dixa sends: the key and the caller's E.164 number. */
export function uuiHeader(key: string): string {
    return `${key}={caller}`;
}

/**
 * Turns an integration into its desired state. `others` may hold further files of the same
 * integration (queues in one file, departments in another); files of other integrations are ignored.
 * The rules live in the validator (src/language/validation), not here: the documents must have been
 * validated together, and when any of them has an error diagnostic this throws `DesiredStateError`
 * listing those diagnostics. Otherwise it only derives values.
 */
/** Which configuration to build: the default (top level) or an environment's (`environment NAME { … }`). */
export interface BuildOptions {
    readonly environment?: string;
}

/** `--env staging` names an environment the integration's files do not declare. */
export class UnknownEnvironmentError extends SipflowError {
    constructor(
        readonly integration: string,
        readonly environment: string,
        readonly known: readonly string[],
    ) {
        super(
            'unknown-environment',
            `integration ${integration} has no environment ${environment}: ${known.length > 0 ? `its environments are ${known.join(', ')}` : 'it declares none (environment NAME { … })'}`,
        );
    }
}

export function buildDesiredState(main: IntegrationSource, others: readonly IntegrationSource[] = [], options: BuildOptions = {}): DesiredState {
    const integration = integrationOf(main);
    if (!integration) throw new ModelInputError(`${describeSource(main)} declares no integration: there is nothing to plan.`);
    const name = integration.name;
    const integrations = sameIntegration(integration, others);
    const environment = options.environment;
    if (environment !== undefined) {
        const known = environmentNamesOf(integrations);
        if (!known.includes(environment)) throw new UnknownEnvironmentError(name, environment, known);
    }
    const problems = integrations.flatMap(node => errorsOf(node, environment));
    if (problems.length > 0) throw new DesiredStateError(name, problems);
    const effective = environment === undefined ? integrations : effectiveIntegrations(integrations, environment);
    return deepFreeze(new Derivation(name, effective, environment ?? null).build());
}

function documentOf(node: AstNode): LangiumDocument | undefined {
    const root = AstUtils.findRootNode(node);
    return (root as { $document?: LangiumDocument }).$document;
}

function describeSource(source: IntegrationSource): string {
    const document = isIntegration(source) || isSipflowFile(source) ? documentOf(source) : (source as LangiumDocument);
    return document?.uri.toString() ?? 'the file';
}

/** The error diagnostics of the integration's document (lexer, parser, linker and validator alike). */
function errorsOf(integration: Integration, environment: string | undefined): ModelProblem[] {
    const document = documentOf(integration);
    if (!document || document.diagnostics === undefined) {
        throw new ModelInputError(`${document?.uri.toString() ?? 'The file'} was not validated: build its documents with { validation: true } before building the desired state.`);
    }
    const uri = document.uri.toString();
    return document.diagnostics
        .filter(diagnostic => diagnostic.severity === 1 && diagnosticAppliesTo(diagnostic, environment))
        .map(diagnostic => ({
            uri,
            line: diagnostic.range.start.line + 1,
            column: diagnostic.range.start.character + 1,
            code: String(diagnostic.code ?? (diagnostic.data as { code?: unknown } | undefined)?.code ?? 'error'),
            message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
        }));
}

/**
 * A value the validator guarantees for a file without errors. Missing means the validator let a file
 * through that it should not have: a bug, reported as such rather than as a half-built state.
 */
function validated<T>(value: T | undefined | null, what: string): T {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
        throw new ModelInputError(`Validation accepted the file, yet ${what} is missing or invalid: please report this as a sipflow bug.`);
    }
    return value;
}

/** Derives the desired state from validated files: every value here has been checked by the validator. */
class Derivation {
    private readonly parts: IntegrationParts[];
    private readonly queueNodes: ReadonlyMap<Queue, DesiredQueue>;
    private readonly sipDomain: string;
    private readonly region: SynthflowRegion;

    constructor(
        private readonly name: string,
        private readonly integrations: readonly Integration[],
        private readonly environment: string | null,
    ) {
        this.parts = integrations.map(integrationParts);
        const dixa = validated(this.parts.flatMap(p => p.dixaBlocks)[0], `the dixa block of integration ${name}`);
        this.sipDomain = validated(dixa.sipDomain, 'the sip-domain');
        const region = validated(this.parts.flatMap(p => p.synthflowBlocks)[0], `the synthflow block of integration ${name}`).region;
        if (!isSynthflowRegion(region)) throw new ModelInputError(`Validation accepted the file, yet its region "${region}" is unknown: please report this as a sipflow bug.`);
        this.region = region;
        this.queueNodes = new Map(this.parts.flatMap(p => p.queues).map(node => [node, this.queue(node)]));
    }

    build(): DesiredState {
        const dixa = this.parts.flatMap(p => p.dixaBlocks)[0];
        const synthflow = this.parts.flatMap(p => p.synthflowBlocks)[0];
        const trunkAuth = this.trunkAuth(synthflow);
        const facts = SYNTHFLOW_REGION_FACTS[this.region];
        const sources = this.integrations.map((node, index) => sourceOf(node, index));
        return {
            integration: this.name,
            environment: this.environment,
            owner: this.owner,
            ownershipMarker: ownershipMarker(this.owner),
            sources: sources.map(s => s.source),
            sourceHash: sourceHashOf(sources.map(s => s.text)),
            dixa: {
                sipDomain: this.sipDomain,
                company: dixaCompanyOf(this.sipDomain) ?? null,
                organization: this.organization(dixa.organization),
                allowlist: this.allowlist(dixa.allowlists),
            },
            synthflow: {
                region: this.region,
                apiBaseUrl: facts.apiBaseUrl,
                apiHost: facts.apiHost,
                sipHost: facts.sipHost,
                sipPort: SYNTHFLOW_SIP_PORT,
                workspace: validated(synthflow.workspace, 'the synthflow workspace').trim(),
                trunkAuth,
            },
            queues: [...this.queueNodes.values()],
            departments: this.parts.flatMap(p => p.departments).map(node => this.department(node, trunkAuth)),
        };
    }

    /** What the markers name: the integration, and the environment when it is not the default. */
    private get owner(): string {
        return ownerKey(this.name, this.environment);
    }

    private trunkAuth(block: SynthflowBlock): DesiredTrunkAuth {
        const auth = block.trunkAuth;
        if (!auth || !isCredentialsTrunkAuth(auth)) return { kind: 'ip' };
        // Only environment variable names: the validator refuses literals, and values are never read here.
        const envName = (value: SecretValue | undefined, setting: string) => validated(value?.env, `the trunk ${setting} env:NAME`).replace(/^env:/, '');
        return { kind: 'credentials', usernameEnv: envName(auth.username, 'username'), passwordEnv: envName(auth.password, 'password') };
    }

    /** The explicit `organization`, else the sip-domain's `{company}` (the validator checked both). */
    private organization(explicit: string | undefined): DesiredDixaOrganization | null {
        if (explicit !== undefined) return { subdomain: explicit.trim(), from: 'file' };
        // [I] assumption: dixa-subdomain-is-company
        const company = dixaCompanyOf(this.sipDomain);
        return company === undefined ? null : { subdomain: company, from: 'sip-domain' };
    }

    private allowlist(allowlists: readonly Allowlist[]): DesiredAllowlist {
        const regionIps = SYNTHFLOW_REGION_FACTS[this.region].signallingIps;
        const usesRegion = allowlists.some(a => a.synthflow);
        const explicit = allowlists.flatMap(a => (a.synthflow ? [] : a.ips));
        const ips = [...new Set([...(usesRegion ? regionIps : []), ...explicit])];
        return {
            source: usesRegion && explicit.length > 0 ? 'both' : usesRegion ? 'region' : 'explicit',
            ips,
            regionIps: [...regionIps],
            missingRegionIps: regionIps.filter(ip => !ips.includes(ip)),
        };
    }

    private queue(node: Queue): DesiredQueue {
        const did = this.did(node.did, `the did of queue ${node.name}`);
        const kind: QueueKindKeyword = node.kind ?? 'queue';
        return {
            key: node.name,
            name: validated(node.displayName, `the name of queue ${node.name}`).trim(),
            did,
            kind,
            offerAlgorithm: QUEUE_KIND_OFFER_ALGORITHM[kind],
            escalationUri: dixaEscalationUri(did, this.sipDomain),
        };
    }

    private did(text: string | undefined, what: string): string {
        const check = checkDid(validated(text, what));
        return validated(check.kind === 'valid' ? check.e164 : undefined, what);
    }

    private department(node: Department, trunkAuth: DesiredTrunkAuth): DesiredDepartment {
        const did = this.did(node.did, `the did of department ${node.name}`);
        const uuiKey = node.uui ?? DEFAULT_UUI_KEY;
        return {
            key: node.name,
            flow: node.flow?.trim() || null,
            did,
            slug: numberSlug(did),
            assistantId: validated(node.assistant, `the assistant of department ${node.name}`).trim().toLowerCase(),
            timeoutSeconds: this.timeout(node),
            fallbackQueue: node.fallback === undefined ? null : this.queueOf(node.fallback).key,
            uui: { key: uuiKey, header: uuiHeader(uuiKey) },
            headers: node.headers.map(header => ({
                name: validated(header.name, `a header name of department ${node.name}`),
                value: validated(header.value, `the value of header ${header.name}`),
            })),
            transferSipAddress: synthflowSipAddress(did, this.region),
            number: {
                e164: did,
                slug: numberSlug(did),
                friendlyName: departmentMarker(this.owner, node.name),
                providerName: 'custom',
                terminationUri: this.sipDomain,
                trunkUsernameEnv: trunkAuth.kind === 'credentials' ? trunkAuth.usernameEnv : null,
                trunkPasswordEnv: trunkAuth.kind === 'credentials' ? trunkAuth.passwordEnv : null,
            },
            escalations: node.escalations.map(escalation => this.escalation(node, escalation)),
        };
    }

    private timeout(node: Department): number {
        if (node.timeout === undefined) return TRANSFER_TIMEOUT.recommended;
        const duration = parseDuration(node.timeout);
        return validated(duration.ok ? duration.seconds : undefined, `the timeout of department ${node.name}`);
    }

    /** The queue a reference resolved to; it must be one of the given files' (linking and validation saw to the rest). */
    private queueOf(ref: Reference<Queue>): DesiredQueue {
        const target = validated(ref.ref, `queue ${ref.$refText}`);
        const queue = this.queueNodes.get(target);
        if (!queue) {
            throw new ModelInputError(
                `Queue ${ref.$refText} is declared in ${documentOf(target)?.uri.toString() ?? 'another file'}, which was not given with the other files of integration ${this.name}: pass every file of the integration.`,
            );
        }
        return queue;
    }

    private escalation(department: Department, node: Escalation): DesiredEscalation {
        let queue: DesiredQueue | undefined;
        let target: string;
        if (node.queue !== undefined) {
            queue = this.queueOf(node.queue);
            target = queue.escalationUri;
        } else {
            target = validated(node.uri, `the escalation target of department ${department.name}`).trim();
            const parsed = parseSipUri(target);
            const user = parsed.ok ? checkDid(parsed.uri.user) : undefined;
            queue = user?.kind === 'valid' ? [...this.queueNodes.values()].find(q => q.did === user.e164) : undefined;
        }
        const mode: TransferModeKeyword = node.mode ?? DEFAULT_TRANSFER_MODE;
        return {
            queue: queue?.key ?? null,
            target,
            mode,
            actionName: escalationActionName(this.owner, department.name, queue?.key ?? target),
            transfer: transferFromSettings(node, target),
        };
    }
}

function sourceOf(integration: Integration, index: number): { source: DesiredSource; text: string } {
    const document = documentOf(integration);
    const text = document?.textDocument.getText() ?? integration.$cstNode?.root.fullText ?? `inline:${index}`;
    return { source: { uri: document?.uri.toString() ?? `inline:${index}`, sha256: sha256(text) }, text };
}
