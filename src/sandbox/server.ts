/**
 * The sandbox HTTP server: one loopback listener, Dixa under /v1, Synthflow under /v2 and an admin
 * surface under /_sandbox (admin.ts). A vendor request goes through the stages of stages.ts:
 * body → latency → fault rules → auth → Dixa rate limit → route → persist → reply (or lose it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, type AdminTarget } from './admin.js';
import { resolveAssumptions, type SandboxAssumptions } from './assumptions.js';
import { DIXA_MESSAGES, DIXA_PREFIX, dixaRoutes } from './dixa.js';
import { FaultInjector, parseFaultSpec, type FaultConfig, type FaultRule, type FaultStatus } from './faults.js';
import { Router, type Vendor } from './http.js';
import { DIXA_DEFAULT_RATE_LIMIT, TokenBuckets, type DixaRateLimitOptions } from './rate-limit.js';
import { demoDixaManual, seedState, SEED_NAMES, type SeedName } from './seed.js';
import { deliver, runStages, send, type SandboxRuntime, type VendorRequest } from './stages.js';
import { checkState, cloneState, emptyDixaManual, type SandboxState } from './state.js';
import { checkSubdomain, loadState, writeStateFile } from './state-file.js';
import { SYNTHFLOW_PREFIX, synthflowRoutes } from './synthflow.js';

export { DIXA_DEFAULT_RATE_LIMIT, type DixaRateLimitOptions } from './rate-limit.js';

export const ADMIN_PREFIX = '/_sandbox';
export const DEFAULT_SANDBOX_KEY = 'sandbox';

export type FaultsInput = string | readonly FaultRule[] | FaultConfig;

export interface SandboxOptions {
    /** 0 (default) picks a free port. */
    readonly port?: number;
    /** Loopback only by default. */
    readonly host?: string;
    /** Added before every vendor response. */
    readonly latencyMs?: number;
    readonly faults?: FaultsInput;
    /** Load the state from this JSON file if it exists (else seed it), and persist every change to it. */
    readonly statePath?: string;
    /** Default `demo`. */
    readonly seed?: SeedName;
    /** Default `sandbox`. */
    readonly dixaToken?: string;
    /** Default `sandbox`. */
    readonly synthflowKey?: string;
    /** Default Dixa's documented 10 req/s, burst 4, per token; `false` turns it off. */
    readonly dixaRateLimit?: DixaRateLimitOptions | false;
    /** Called after every request is logged (the CLI prints them). */
    readonly onRequest?: (entry: RequestLogEntry) => void;
    /** Oldest entries are dropped beyond this (default 100 000). */
    readonly maxLoggedRequests?: number;
    /** Overrides of the behaviour where the vendor specs are silent (assumptions.ts; default DEFAULT_ASSUMPTIONS). */
    readonly assumptions?: Partial<SandboxAssumptions>;
    /**
     * The Dixa steps that have no API (calls.ts): `done` sets them as examples/acme.sipflow needs
     * (seed.ts `demoDixaManual`), `none` leaves all undone. Unset: as seeded or loaded (none when seeded).
     */
    readonly dixaManual?: 'done' | 'none';
    /** The Dixa organization's `subdomain` (GET /organization), e.g. to make it differ from a file's for the account guard. */
    readonly dixaOrganization?: string;
}

export interface RequestLogEntry {
    readonly seq: number;
    readonly vendor: Vendor | 'admin' | 'unknown';
    readonly method: string;
    /** The request path, without the query string. */
    readonly path: string;
    /** The query string without `?` (no credentials travel there). */
    readonly query: string;
    /** The HTTP status sent, or null when no response was sent (reset, timeout, lost). */
    readonly status: number | null;
    /** The fault that fired, e.g. `lost`, `429`, `delay:2000`; or `rate-limit`. */
    readonly fault?: string;
    /** Whether the request changed the state (a `lost` write has status null and mutated true). */
    readonly mutated: boolean;
    readonly durationMs: number;
}

export interface Sandbox {
    /** `http://127.0.0.1:PORT` */
    readonly url: string;
    /** `…/v1` */
    readonly dixaBaseUrl: string;
    /** `…/v2` */
    readonly synthflowBaseUrl: string;
    /** `…/_sandbox` */
    readonly adminUrl: string;
    readonly port: number;
    readonly dixaToken: string;
    readonly synthflowKey: string;
    /** The live state (replaced by reset()). Mutate only in tests that mean to. */
    readonly state: SandboxState;
    /** Every request so far, oldest first. Holds no header, body or credential. */
    readonly requests: readonly RequestLogEntry[];
    setFaults(faults: FaultsInput): void;
    /** The behaviour where the specs are silent; `setAssumptions` merges onto the defaults. */
    readonly assumptions: SandboxAssumptions;
    setAssumptions(overrides: Partial<SandboxAssumptions>): void;
    clearFaults(): void;
    /** Changes (or with `false` turns off) Dixa's rate limit; the buckets start full. */
    setDixaRateLimit(limit: DixaRateLimitOptions | false): void;
    faultStatus(): FaultStatus[];
    /** Back to the seed (default: the seed it started with); clears faults, log and rate-limit buckets; persists. */
    reset(seed?: SeedName): void;
    /** Replaces the whole state (checked), persists. */
    replaceState(state: SandboxState): void;
    close(): Promise<void>;
}

export function toFaultConfig(faults: FaultsInput): FaultConfig {
    if (typeof faults === 'string') return parseFaultSpec(faults);
    if (Array.isArray(faults)) return { rules: faults as readonly FaultRule[] };
    return faults as FaultConfig;
}

const ROUTERS = { dixa: new Router(dixaRoutes), synthflow: new Router(synthflowRoutes) } as const;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
    const seed = options.seed ?? 'demo';
    if (!SEED_NAMES.includes(seed)) throw new Error(`unknown seed "${seed}" (use ${SEED_NAMES.join(' or ')})`);
    const core = new SandboxCore(options, seed);
    const server: Server = createServer((req, res) => {
        core.handle(req, res).catch(error => {
            // A bug in a handler: answer 500 in a neutral shape rather than hang.
            if (!res.headersSent) send(res, { status: 500, body: { message: DIXA_MESSAGES.serverError, detail: String(error) } });
        });
    });
    server.keepAliveTimeout = 5_000;
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    let closed: Promise<void> | undefined;
    return {
        url,
        dixaBaseUrl: `${url}${DIXA_PREFIX}`,
        synthflowBaseUrl: `${url}${SYNTHFLOW_PREFIX}`,
        adminUrl: `${url}${ADMIN_PREFIX}`,
        port,
        dixaToken: core.runtime.dixaToken,
        synthflowKey: core.runtime.synthflowKey,
        get state() {
            return core.state;
        },
        requests: core.requests,
        setFaults: (input: FaultsInput) => core.setFaults(input),
        get assumptions() {
            return core.assumptions;
        },
        setAssumptions: (overrides: Partial<SandboxAssumptions>) => core.setAssumptions(overrides),
        clearFaults: () => core.setFaults({ rules: [] }),
        setDixaRateLimit: (limit: DixaRateLimitOptions | false) => core.setDixaRateLimit(limit),
        faultStatus: () => core.faultStatus(),
        reset: (to?: SeedName) => core.reset(to),
        replaceState: (next: SandboxState) => core.replaceState(next),
        close: () =>
            (closed ??= new Promise<void>(resolve => {
                server.close(() => resolve());
                // Hung requests (timeout faults) and idle keep-alive sockets must not keep it open.
                server.closeAllConnections();
            })),
    };
}

/** The running sandbox without its listener: state, faults, rate limit, log, and the request handler. */
class SandboxCore implements AdminTarget {
    state: SandboxState;
    assumptions: SandboxAssumptions;
    rateLimit: DixaRateLimitOptions | undefined;
    readonly requests: RequestLogEntry[] = [];
    readonly runtime: SandboxRuntime;
    private buckets: TokenBuckets | undefined;
    private readonly faults: FaultInjector;
    private readonly initialAssumptions: SandboxAssumptions;
    private seq = 0;

    constructor(
        private readonly options: SandboxOptions,
        readonly seed: SeedName,
    ) {
        this.setDixaRateLimit(options.dixaRateLimit ?? DIXA_DEFAULT_RATE_LIMIT);
        this.faults = new FaultInjector(options.faults === undefined ? undefined : toFaultConfig(options.faults));
        this.state = this.withDixaManual(loadState(options.statePath, seed));
        this.initialAssumptions = resolveAssumptions(options.assumptions ?? {});
        this.assumptions = this.initialAssumptions;
        this.runtime = {
            latencyMs: options.latencyMs ?? 0,
            faults: this.faults,
            dixaToken: options.dixaToken ?? DEFAULT_SANDBOX_KEY,
            synthflowKey: options.synthflowKey ?? DEFAULT_SANDBOX_KEY,
            routers: ROUTERS,
            rateLimit: () => (this.rateLimit && this.buckets ? { limit: this.rateLimit, buckets: this.buckets } : undefined),
            state: () => this.state,
            assumptions: () => this.assumptions,
            persist: () => this.persist(),
        };
    }

    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const started = performance.now();
        const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
        const method = (req.method ?? 'GET').toUpperCase();
        const vendor = vendorOf(url.pathname);
        const rawBody = await readBody(req);
        const log = (status: number | null, request?: VendorRequest) =>
            this.log({
                vendor,
                method,
                path: url.pathname,
                query: url.search.replace(/^\?/, ''),
                status,
                ...(request?.fault !== undefined ? { fault: request.fault } : {}),
                mutated: request?.mutated ?? false,
                durationMs: Math.round(performance.now() - started),
            });
        if (vendor === 'admin' || vendor === 'unknown') {
            const reply = vendor === 'admin' ? handleAdmin(this, method, url.pathname.slice(ADMIN_PREFIX.length), rawBody) : { status: 404, body: { detail: 'Not Found' } };
            send(res, reply);
            log(reply.status);
            return;
        }
        const prefix = vendor === 'dixa' ? DIXA_PREFIX : SYNTHFLOW_PREFIX;
        const request: VendorRequest = { req, vendor, method, path: url.pathname.slice(prefix.length) || '/', query: url.searchParams, rawBody, mutated: false };
        const ending = await runStages(request, this.runtime);
        log(deliver(req, res, ending), request);
    }

    setDixaRateLimit(limit: DixaRateLimitOptions | false): void {
        if (limit !== false && !(limit.ratePerSecond > 0 && limit.burst >= 1)) throw new Error('the rate limit needs ratePerSecond > 0 and burst >= 1');
        this.rateLimit = limit === false ? undefined : limit;
        this.buckets = this.rateLimit ? new TokenBuckets(this.rateLimit) : undefined;
    }

    setFaults(input: FaultsInput): void {
        this.faults.set(toFaultConfig(input));
    }

    faultStatus(): FaultStatus[] {
        return this.faults.status();
    }

    setAssumptions(overrides: unknown): void {
        this.assumptions = resolveAssumptions(overrides);
    }

    persist(): void {
        if (this.options.statePath) writeStateFile(this.options.statePath, this.state);
    }

    reset(to?: SeedName): void {
        this.state = this.withDixaManual(seedState(to ?? this.seed));
        this.assumptions = this.initialAssumptions;
        this.faults.set({ rules: [] });
        this.requests.length = 0;
        this.buckets?.reset();
        this.persist();
    }

    replaceState(next: SandboxState): void {
        this.state = checkState(cloneState(next), 'the new state');
        this.persist();
    }

    private withDixaManual(loaded: SandboxState): SandboxState {
        const { dixaManual, dixaOrganization } = this.options;
        if (dixaManual !== undefined) loaded.dixaManual = dixaManual === 'done' ? demoDixaManual() : emptyDixaManual();
        if (dixaOrganization !== undefined) loaded.dixa.organization.subdomain = checkSubdomain(dixaOrganization);
        return loaded;
    }

    private log(entry: Omit<RequestLogEntry, 'seq'>): void {
        const full = { seq: ++this.seq, ...entry };
        this.requests.push(full);
        const maxLogged = this.options.maxLoggedRequests ?? 100_000;
        if (this.requests.length > maxLogged) this.requests.splice(0, this.requests.length - maxLogged);
        this.options.onRequest?.(full);
    }
}

function vendorOf(path: string): RequestLogEntry['vendor'] {
    if (underPrefix(path, DIXA_PREFIX)) return 'dixa';
    if (underPrefix(path, SYNTHFLOW_PREFIX)) return 'synthflow';
    if (underPrefix(path, ADMIN_PREFIX)) return 'admin';
    return 'unknown';
}

function underPrefix(path: string, prefix: string): boolean {
    return path === prefix || path.startsWith(`${prefix}/`);
}

function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}
