import * as vscode from 'vscode';
import type { Providers } from '../apply/index.js';
import { SipflowError } from '../errors.js';
import type { DesiredState } from '../model/index.js';
import { createDixaProvider } from '../providers/dixa/index.js';
import { createSynthflowProvider } from '../providers/synthflow/index.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { DIXA_API_BASE_URL } from '../vendors/dixa-facts.js';
import { SYNTHFLOW_REGION_FACTS, type SynthflowRegion } from '../vendors/synthflow-facts.js';
import type { Credentials } from './credentials.js';
import type { ExtensionLog } from './log.js';
import { readSettings, type Target } from './settings.js';

/** Where the vendor calls go: the in-process sandbox or the live accounts, with their keys. */
export interface Endpoint {
    readonly target: Target;
    /** For messages: `the sandbox` / `the live Dixa and Synthflow accounts`. */
    readonly label: string;
    readonly dixa: { readonly baseUrl: string; readonly apiKey: string };
    readonly synthflow: { readonly baseUrl: string; readonly apiKey: string };
}

/** What a vendor session needs from the file: the Synthflow region and workspace. */
export interface SynthflowScope {
    readonly region: SynthflowRegion;
    readonly workspace: string;
}

export function scopeOf(desired: DesiredState): SynthflowScope {
    return { region: desired.synthflow.region, workspace: desired.synthflow.workspace };
}

export class MissingCredentialsError extends SipflowError {
    constructor(readonly missing: readonly string[]) {
        super(
            'missing-credentials',
            `No ${missing.join(' and no ')} is set. Run "SIPflow: Set API Credentials" (they are kept in VS Code's secret storage), or "SIPflow: Use Sandbox".`,
        );
    }
}

/** An open pair of vendor clients; close() frees their connections. Not the CLI's VendorSession, which also holds a sandbox. */
export interface VendorConnection {
    readonly endpoint: Endpoint;
    readonly providers: Providers;
    close(): void;
}

/**
 * Resolves the target (settings `sipflow.target`, base-URL overrides) into endpoints and opens the
 * vendor clients (src/providers). The sandbox (src/sandbox) is started in-process on first use and
 * stays up until the extension deactivates, so that apply → plan shows its effect.
 */
export class Connections implements vscode.Disposable {
    private sandbox: Promise<Sandbox> | undefined;

    constructor(
        private readonly credentials: Credentials,
        private readonly log: ExtensionLog,
    ) {}

    /** The in-process sandbox's base URL, when it is running (for the test API and the status tooltip). */
    sandboxUrl: string | undefined;

    async endpoint(scope: SynthflowScope): Promise<Endpoint> {
        const settings = readSettings();
        if (settings.target === 'sandbox') {
            const sandbox = await this.startSandbox();
            return {
                target: 'sandbox',
                label: 'the sandbox',
                dixa: { baseUrl: sandbox.dixaBaseUrl, apiKey: sandbox.dixaToken },
                synthflow: { baseUrl: sandbox.synthflowBaseUrl, apiKey: sandbox.synthflowKey },
            };
        }
        const keys = await this.credentials.get();
        const missing = [...(keys.dixa ? [] : ['Dixa API token']), ...(keys.synthflow ? [] : ['Synthflow API key'])];
        if (missing.length > 0) throw new MissingCredentialsError(missing);
        return {
            target: 'live',
            label: 'the live Dixa and Synthflow accounts',
            dixa: { baseUrl: settings.dixaBaseUrl || DIXA_API_BASE_URL, apiKey: keys.dixa! },
            synthflow: { baseUrl: settings.synthflowBaseUrl || SYNTHFLOW_REGION_FACTS[scope.region].apiBaseUrl, apiKey: keys.synthflow! },
        };
    }

    async open(scope: SynthflowScope, signal?: AbortSignal): Promise<VendorConnection> {
        const endpoint = await this.endpoint(scope);
        const concurrency = readSettings().applyConcurrency;
        const log = (line: string) => this.log.debug(line);
        const dixa = createDixaProvider({ ...endpoint.dixa, log, ...(signal ? { signal } : {}) });
        const synthflow = createSynthflowProvider({ ...endpoint.synthflow, workspace: scope.workspace, log, concurrency, ...(signal ? { signal } : {}) });
        this.log.info(`Connecting to ${endpoint.label}: Dixa ${endpoint.dixa.baseUrl}, Synthflow ${endpoint.synthflow.baseUrl}`);
        return {
            endpoint,
            providers: { dixa, synthflow },
            close: () => {
                dixa.close();
                synthflow.close();
            },
        };
    }

    private startSandbox(): Promise<Sandbox> {
        this.sandbox ??= startSandbox({ port: 0, seed: 'demo' }).then(
            s => {
                this.sandboxUrl = s.url;
                this.log.info(`Started the in-process sandbox at ${s.url} (Dixa ${s.dixaBaseUrl}, Synthflow ${s.synthflowBaseUrl}).`);
                return s;
            },
            (e: unknown) => {
                this.sandbox = undefined;
                throw e;
            },
        );
        return this.sandbox;
    }

    dispose(): void {
        void this.sandbox?.then(s => s.close()).catch(() => undefined);
        this.sandbox = undefined;
    }
}
