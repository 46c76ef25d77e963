/**
 * What plan, apply, pull and checklist share: loading a `.sipflow` integration (refused when it has
 * errors), and connecting to the vendors — the live accounts from environment variables, or an
 * in-process sandbox with `--sandbox`.
 */
import { resolve } from 'node:path';
import type { LangiumDocument } from 'langium';
import { SipflowError } from '../errors.js';
import type { SipflowFile } from '../language/generated/ast.js';
import { buildDesiredState, DesiredStateError, diagnosticAppliesTo, environmentsOf, ModelInputError, UnknownEnvironmentError, type DesiredState } from '../model/index.js';
import { createDixaProvider, type DixaClient } from '../providers/dixa/index.js';
import { createSynthflowProvider, type SynthflowClient } from '../providers/synthflow/index.js';
import { BaseUrlError } from '../providers/http/base-url.js';
import { ProviderError } from '../providers/types.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { DIXA_API_BASE_URL } from '../vendors/dixa-facts.js';
import { isNumberImportForbidden, NUMBER_IMPORT_FORBIDDEN } from '../vendors/synthflow-facts.js';
import { NotRegularFileError, SIPFLOW_EXTENSION, folderContext, integrationOf, loadWorkspace, type SourceFile } from './workspace.js';
import { formatText, toReported, compareReported, type ReportedDiagnostic } from './diagnostic-report.js';
import { UsageError, type Styles } from './cli-support.js';

/** A failure the CLI reports as one line with exit code 1: configuration, credentials, vendors. */
export class CommandError extends SipflowError {
    /** The diagnostics behind the failure, when it is errors in the file (for `plan --json`). */
    constructor(
        message: string,
        readonly diagnostics: readonly ReportedDiagnostic[] = [],
    ) {
        super('command', message);
    }
}

export interface LoadedIntegration {
    readonly file: SourceFile;
    readonly document: LangiumDocument<SipflowFile>;
    readonly desired: DesiredState;
    /** Every file of the integration that was read (the main one first). */
    readonly files: readonly SourceFile[];
}

/**
 * Loads FILE together with the other files of its integration (the scoping rule in
 * src/language/references/integration-scope.ts: the same name, directly in its folder, not pulled),
 * validates them, and refuses with the diagnostics when the integration has errors — before any
 * request is made.
 */
export interface LoadOptions {
    /** `--env NAME`: build that environment's configuration instead of the default. */
    readonly env?: string;
}

export async function loadIntegration(path: string, out: { write(text: string): unknown }, styles: Styles, options: LoadOptions = {}): Promise<LoadedIntegration> {
    if (!path.endsWith(SIPFLOW_EXTENSION)) throw new UsageError(`${path}: not a ${SIPFLOW_EXTENSION} file`);
    const file: SourceFile = { displayPath: path, absolutePath: resolve(path) };
    // The files of its integration by the scoping rule, exactly as `validate FILE` reports them.
    const workspace = await loadWorkspace([file], { validation: true, context: await folderContext([file]) }).catch((error: unknown) => {
        if (error instanceof NotRegularFileError) throw new CommandError(error.message);
        throw error;
    });
    const main = workspace.documents[0];
    const integrationName = main.document.parseResult.value.integration?.name;
    const relevant = integrationOf(workspace, main);
    // Before the errors: a mistyped --env is the one thing to say, not another environment's errors.
    if (options.env !== undefined && integrationName !== undefined) {
        const known = environmentsOf(
            main.document,
            relevant.slice(1).map(d => d.document),
        );
        if (!known.includes(options.env)) throw new CommandError(new UnknownEnvironmentError(integrationName, options.env, known).message);
    }
    const errors = relevant
        .flatMap(({ file, document }) => (document.diagnostics ?? []).filter(d => diagnosticAppliesTo(d, options.env)).map(d => toReported(file.displayPath, d)))
        .filter(d => d.severity === 'error')
        .sort(compareReported);
    if (errors.length > 0) {
        out.write(`${errors.map(d => formatText(d, styles)).join('\n')}\n`);
        const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
        const elsewhere = relevant.length > 1 ? ` in the ${relevant.length} files of integration ${integrationName}` : '';
        throw new CommandError(`${path}: ${count}${elsewhere} to fix first; nothing was sent to Dixa or Synthflow.`, errors);
    }
    if (integrationName === undefined) throw new CommandError(`${path}: declares no integration, so there is nothing to plan; write integration NAME { … }.`);
    try {
        const desired = buildDesiredState(
            main.document,
            relevant.slice(1).map(d => d.document),
            { environment: options.env },
        );
        return { file: main.file, document: main.document, desired, files: relevant.map(d => d.file) };
    } catch (error) {
        if (error instanceof DesiredStateError || error instanceof ModelInputError || error instanceof UnknownEnvironmentError) throw new CommandError(error.message);
        throw error;
    }
}

export interface VendorSession {
    readonly dixa: DixaClient;
    readonly synthflow: SynthflowClient;
    /** The in-process sandbox, with `--sandbox`. */
    readonly sandbox?: Sandbox;
    /** `live accounts` or `the sandbox at http://127.0.0.1:…`, for messages. */
    readonly target: string;
    close(): Promise<void>;
}

export interface ConnectOptions {
    readonly sandbox?: boolean;
    /** With `--sandbox`: keep the sandbox's state in this file across runs. */
    readonly sandboxState?: string;
    readonly signal?: AbortSignal;
    readonly concurrency?: number;
    /** The environment variables keys and base URLs come from (default process.env). Not `env`: that is `--env NAME`. */
    readonly variables?: NodeJS.ProcessEnv;
    /** Redacted request log, with SIPFLOW_DEBUG=1. */
    readonly log?: (line: string) => void;
    /** Seconds before a vendor request (retries included) is given up (`--request-timeout`; default 30). */
    readonly requestTimeout?: number;
}

/**
 * Connects to Dixa and Synthflow. Keys come from DIXA_API_TOKEN and SYNTHFLOW_API_KEY; base URLs
 * default to the vendors' (Synthflow's by the file's region) and may be overridden by DIXA_BASE_URL
 * and SYNTHFLOW_BASE_URL (plain http only to loopback, which the providers enforce).
 */
export async function connect(synthflowWorkspace: string, synthflowApiBaseUrl: string, options: ConnectOptions = {}): Promise<VendorSession> {
    const env = options.variables ?? process.env;
    let sandbox: Sandbox | undefined;
    let dixaBaseUrl: string;
    let synthflowBaseUrl: string;
    let dixaKey: string | undefined;
    let synthflowKey: string | undefined;
    if (options.sandbox) {
        sandbox = await startSandbox({ port: 0, seed: 'demo', ...(options.sandboxState ? { statePath: resolve(options.sandboxState) } : {}) });
        ({ dixaBaseUrl, synthflowBaseUrl } = sandbox);
        dixaKey = sandbox.dixaToken;
        synthflowKey = sandbox.synthflowKey;
    } else {
        dixaBaseUrl = env.DIXA_BASE_URL || DIXA_API_BASE_URL;
        synthflowBaseUrl = env.SYNTHFLOW_BASE_URL || synthflowApiBaseUrl;
        dixaKey = env.DIXA_API_TOKEN;
        synthflowKey = env.SYNTHFLOW_API_KEY;
        const missing = [!dixaKey && 'DIXA_API_TOKEN', !synthflowKey && 'SYNTHFLOW_API_KEY'].filter(Boolean);
        if (missing.length > 0) {
            throw new CommandError(
                `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: export the Dixa API token and the Synthflow API key (or use --sandbox to try sipflow locally).`,
            );
        }
    }
    // SIPFLOW_DEBUG=1 prints every request the providers make (their log lines are redacted).
    const log = options.log ?? (env.SIPFLOW_DEBUG === '1' ? (line: string) => process.stderr.write(`debug: ${line}\n`) : undefined);
    const common = {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(log ? { log } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.requestTimeout ? { deadlineMs: options.requestTimeout * 1000 } : {}),
    };
    try {
        const dixa = createDixaProvider({ baseUrl: dixaBaseUrl, apiKey: dixaKey ?? '', ...common });
        const synthflow = createSynthflowProvider({ baseUrl: synthflowBaseUrl, apiKey: synthflowKey ?? '', workspace: synthflowWorkspace, ...common });
        return {
            dixa,
            synthflow,
            ...(sandbox ? { sandbox } : {}),
            target: sandbox ? `the sandbox at ${sandbox.url}` : 'the live accounts',
            async close() {
                dixa.close();
                synthflow.close();
                await sandbox?.close();
            },
        };
    } catch (error) {
        await sandbox?.close();
        if (error instanceof BaseUrlError || error instanceof ProviderError) throw new CommandError(error.message);
        throw error;
    }
}

function synthflowForbiddenHint(operation: string): string {
    if (isNumberImportForbidden(operation, 403)) return ` — ${NUMBER_IMPORT_FORBIDDEN}`;
    return " — the SYNTHFLOW_API_KEY lacks permission for this workspace (SIP features need Synthflow's Enterprise plan)";
}

/** One line for a vendor failure, with the hint the user needs. Never contains a key (providers redact). */
export function describeVendorError(error: unknown): string | undefined {
    if (!(error instanceof ProviderError)) return undefined;
    const vendor = error.vendor === 'dixa' ? 'Dixa' : 'Synthflow';
    const variable = error.vendor === 'dixa' ? 'DIXA_API_TOKEN' : 'SYNTHFLOW_API_KEY';
    const hint: Partial<Record<ProviderError['kind'], string>> = {
        auth: ` — check ${variable}`,
        forbidden: error.vendor === 'synthflow' ? synthflowForbiddenHint(error.operation) : ` — the ${variable} token lacks permission`,
        network: ` — is ${error.vendor === 'dixa' ? 'DIXA_BASE_URL' : 'SYNTHFLOW_BASE_URL'} reachable?`,
        timeout: ' — the vendor did not answer in time; try again',
    };
    const text = error.message.startsWith(vendor) ? error.message : `${vendor}: ${error.message}`;
    return `${text}${hint[error.kind] ?? ''}`;
}
