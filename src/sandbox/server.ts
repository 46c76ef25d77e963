/**
 * The sandbox HTTP server: one loopback listener, Dixa under /v1, Synthflow under /v2 and an admin
 * surface under /_sandbox. Order of processing for a vendor request:
 * body → latency → fault rules → auth → Dixa rate limit → route → persist → reply (or lose it).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_ASSUMPTIONS, resolveAssumptions, type SandboxAssumptions } from './assumptions.js';
import { DIXA_MESSAGES, DIXA_PREFIX, dixaError, dixaRoutes } from './dixa.js';
import { FaultInjector, parseFaultSpec, type FaultAction, type FaultConfig, type FaultRule, type FaultStatus } from './faults.js';
import { ApiError, isRecord, Router, type Reply, type RequestContext, type Vendor } from './http.js';
import { TokenBuckets, type RateLimitOptions } from './rate-limit.js';
import { checkDixaManual } from './calls.js';
import { demoDixaManual, seedState, SEED_NAMES, type SeedName } from './seed.js';
import { checkState, cloneState, emptyDixaManual, type SandboxState } from './state.js';
import { SYNTHFLOW_PREFIX, synthflowError, synthflowRoutes } from './synthflow.js';

export const ADMIN_PREFIX = '/_sandbox';
export const DEFAULT_SANDBOX_KEY = 'sandbox';
/** Dixa's documented per-token limit (DOCS-rules): 10 requests/s, burst 4. */
export const DIXA_DEFAULT_RATE_LIMIT: DixaRateLimitOptions = { ratePerSecond: 10, burst: 4 };

export type FaultsInput = string | readonly FaultRule[] | FaultConfig;

export interface DixaRateLimitOptions extends RateLimitOptions {
    /** Send `Retry-After` (whole seconds) with the 429. Dixa does not document one: default false. */
    readonly retryAfter?: boolean;
}

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

const dixaRouter = new Router(dixaRoutes);
const synthflowRouter = new Router(synthflowRoutes);

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
    const host = options.host ?? '127.0.0.1';
    const seed = options.seed ?? 'demo';
    if (!SEED_NAMES.includes(seed)) throw new Error(`unknown seed "${seed}" (use ${SEED_NAMES.join(' or ')})`);
    const dixaToken = options.dixaToken ?? DEFAULT_SANDBOX_KEY;
    const synthflowKey = options.synthflowKey ?? DEFAULT_SANDBOX_KEY;
    const latencyMs = options.latencyMs ?? 0;
    const maxLogged = options.maxLoggedRequests ?? 100_000;
    const statePath = options.statePath;
    let rateLimit: DixaRateLimitOptions | undefined;
    let buckets: TokenBuckets | undefined;
    const setDixaRateLimit = (limit: DixaRateLimitOptions | false) => {
        if (limit !== false && !(limit.ratePerSecond > 0 && limit.burst >= 1)) throw new Error('the rate limit needs ratePerSecond > 0 and burst >= 1');
        rateLimit = limit === false ? undefined : limit;
        buckets = rateLimit ? new TokenBuckets(rateLimit) : undefined;
    };
    setDixaRateLimit(options.dixaRateLimit ?? DIXA_DEFAULT_RATE_LIMIT);
    const faults = new FaultInjector(options.faults === undefined ? undefined : toFaultConfig(options.faults));

    const withDixaManual = (loaded: SandboxState): SandboxState => {
        if (options.dixaManual !== undefined) loaded.dixaManual = options.dixaManual === 'done' ? demoDixaManual() : emptyDixaManual();
        if (options.dixaOrganization !== undefined) loaded.dixa.organization.subdomain = checkSubdomain(options.dixaOrganization);
        return loaded;
    };
    let state = withDixaManual(loadState(statePath, seed));
    const initialAssumptions = resolveAssumptions(options.assumptions ?? {});
    let assumptions = initialAssumptions;
    const requests: RequestLogEntry[] = [];
    let seq = 0;

    const persist = () => {
        if (statePath) writeStateFile(statePath, state);
    };
    const reset = (to?: SeedName) => {
        state = withDixaManual(seedState(to ?? seed));
        assumptions = initialAssumptions;
        faults.set({ rules: [] });
        requests.length = 0;
        buckets?.reset();
        persist();
    };
    const replaceState = (next: SandboxState) => {
        state = checkState(cloneState(next), 'the new state');
        persist();
    };

    const log = (entry: Omit<RequestLogEntry, 'seq'>) => {
        const full = { seq: ++seq, ...entry };
        requests.push(full);
        if (requests.length > maxLogged) requests.splice(0, requests.length - maxLogged);
        options.onRequest?.(full);
    };

    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const started = performance.now();
        const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
        const method = (req.method ?? 'GET').toUpperCase();
        const vendor: RequestLogEntry['vendor'] = underPrefix(url.pathname, DIXA_PREFIX)
            ? 'dixa'
            : underPrefix(url.pathname, SYNTHFLOW_PREFIX)
              ? 'synthflow'
              : underPrefix(url.pathname, ADMIN_PREFIX)
                ? 'admin'
                : 'unknown';
        let fault: string | undefined;
        let mutated = false;
        const finish = (status: number | null) =>
            log({
                vendor,
                method,
                path: url.pathname,
                query: url.search.replace(/^\?/, ''),
                status,
                ...(fault !== undefined ? { fault } : {}),
                mutated,
                durationMs: Math.round(performance.now() - started),
            });

        const rawBody = await readBody(req);

        if (vendor === 'admin' || vendor === 'unknown') {
            const reply = vendor === 'admin' ? handleAdmin(method, url.pathname.slice(ADMIN_PREFIX.length), rawBody) : json404Unknown();
            send(res, reply);
            finish(reply.status);
            return;
        }

        const prefix = vendor === 'dixa' ? DIXA_PREFIX : SYNTHFLOW_PREFIX;
        const path = url.pathname.slice(prefix.length) || '/';
        const errorReply = (status: number, message: string, category: string, headers?: Record<string, string>): Reply => {
            const reply = vendor === 'dixa' ? dixaError(status, message) : synthflowError(status, message, category);
            return headers ? { ...reply, headers } : reply;
        };

        if (latencyMs > 0) await sleep(latencyMs);

        let action: FaultAction | undefined = faults.next(vendor, method, path);
        if (action) fault = describeAction(action);
        if (action?.kind === 'delay') {
            await sleep(action.ms);
            action = undefined;
        }
        if (action?.kind === 'reset') {
            req.socket.destroy();
            finish(null);
            return;
        }
        if (action?.kind === 'timeout') {
            if (action.ms !== undefined) setTimeout(() => req.socket.destroy(), action.ms).unref();
            finish(null);
            return;
        }
        if (action?.kind === 'status') {
            const headers = action.retryAfter !== undefined ? { 'retry-after': String(action.retryAfter) } : undefined;
            const reply = errorReply(action.status, injectedMessage(vendor, action.status), categoryFor(action.status), headers);
            send(res, reply);
            finish(reply.status);
            return;
        }

        // Authentication.
        const authorization = req.headers.authorization;
        if (vendor === 'dixa' ? authorization !== dixaToken : !isBearer(authorization, synthflowKey)) {
            const reply = errorReply(401, vendor === 'dixa' ? DIXA_MESSAGES.unauthorized : 'Invalid or missing API key', 'authentication_error');
            send(res, reply);
            finish(reply.status);
            return;
        }

        // Dixa's per-token rate limit.
        if (vendor === 'dixa' && buckets && !buckets.take(dixaToken)) {
            const headers = rateLimit?.retryAfter ? { 'retry-after': String(Math.max(1, Math.ceil(buckets.secondsUntilToken(dixaToken)))) } : undefined;
            fault ??= 'rate-limit';
            const reply = errorReply(429, DIXA_MESSAGES.rateLimited, 'rate_limit', headers);
            send(res, reply);
            finish(reply.status);
            return;
        }

        let reply: Reply;
        let parsed: unknown;
        let bodyError = false;
        if (rawBody.length > 0) {
            try {
                parsed = JSON.parse(rawBody);
            } catch {
                bodyError = true;
            }
        }
        const router = vendor === 'dixa' ? dixaRouter : synthflowRouter;
        const match = router.match(method, path);
        if (match === undefined) {
            reply = vendor === 'dixa' ? dixaError(404, DIXA_MESSAGES.notFound) : { status: 404, body: { detail: 'Not Found' } };
        } else if (match === 'method-not-allowed') {
            reply = vendor === 'dixa' ? dixaError(405, DIXA_MESSAGES.methodNotAllowed) : { status: 405, body: { detail: 'Method Not Allowed' } };
        } else if (bodyError) {
            reply = errorReply(400, vendor === 'dixa' ? DIXA_MESSAGES.decoding : 'The request body is not valid JSON', 'validation_error');
        } else {
            const ctx: RequestContext = {
                method,
                path,
                params: match.params,
                query: url.searchParams,
                headers: req.headers,
                body: parsed,
                state,
                assumptions,
                mutated: false,
                now: () => new Date(),
                newId: () => randomUUID(),
            };
            try {
                reply = match.route.handler(ctx);
            } catch (error) {
                if (!(error instanceof ApiError)) throw error;
                reply = errorReply(error.status, error.message, error.category);
            }
            if (ctx.mutated) {
                mutated = true;
                persist();
            }
        }

        if (action?.kind === 'lost') {
            // The write is applied (and persisted); the client never hears about it.
            req.socket.destroy();
            finish(null);
            return;
        }
        if (action?.kind === 'malformed') {
            const text = JSON.stringify(reply.body ?? { data: [] });
            res.writeHead(reply.body === undefined ? 200 : reply.status, { 'content-type': 'application/json' });
            res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
            finish(reply.body === undefined ? 200 : reply.status);
            return;
        }
        send(res, reply);
        finish(reply.status);
    };

    const handleAdmin = (method: string, path: string, rawBody: string): Reply => {
        let body: unknown;
        try {
            body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
        } catch {
            body = rawBody;
        }
        const route = `${method} ${path.replace(/\/+$/, '') || '/'}`;
        try {
            switch (route) {
                case 'GET /health':
                    return { status: 200, body: { ok: true } };
                case 'GET /state':
                    return { status: 200, body: cloneState(state) };
                case 'PUT /state':
                    replaceState(body as SandboxState);
                    return { status: 200, body: cloneState(state) };
                case 'GET /requests':
                    return { status: 200, body: requests };
                case 'DELETE /requests':
                    requests.length = 0;
                    return { status: 204 };
                case 'GET /faults':
                    return { status: 200, body: { rules: faults.status() } };
                case 'POST /faults':
                case 'PUT /faults': {
                    const input: FaultsInput =
                        typeof body === 'string'
                            ? body
                            : isRecord(body) && typeof body.spec === 'string'
                              ? body.spec
                              : isRecord(body) && Array.isArray(body.rules)
                                ? { rules: body.rules as FaultRule[], ...(typeof body.seed === 'number' ? { seed: body.seed } : {}) }
                                : '';
                    faults.set(toFaultConfig(input));
                    return { status: 200, body: { rules: faults.status() } };
                }
                case 'PUT /rate-limit':
                    setDixaRateLimit(body === false ? false : (body as DixaRateLimitOptions));
                    return { status: 200, body: { rateLimit: rateLimit ?? false } };
                case 'GET /rate-limit':
                    return { status: 200, body: { rateLimit: rateLimit ?? false } };
                case 'GET /assumptions':
                    return { status: 200, body: { assumptions, defaults: DEFAULT_ASSUMPTIONS } };
                case 'PUT /assumptions':
                    assumptions = resolveAssumptions(body);
                    return { status: 200, body: { assumptions } };
                case 'GET /organization':
                    return { status: 200, body: state.dixa.organization };
                case 'PUT /organization': {
                    // Only the subdomain: what the account guard compares.
                    const subdomain = isRecord(body) && typeof body.subdomain === 'string' ? body.subdomain : undefined;
                    if (subdomain === undefined) return { status: 400, body: { error: 'PUT /_sandbox/organization needs {"subdomain": "…"}' } };
                    state.dixa.organization.subdomain = checkSubdomain(subdomain);
                    persist();
                    return { status: 200, body: state.dixa.organization };
                }
                case 'GET /dixa-manual':
                    return { status: 200, body: state.dixaManual };
                case 'PUT /dixa-manual':
                    state.dixaManual = checkDixaManual(body);
                    persist();
                    return { status: 200, body: state.dixaManual };
                case 'DELETE /faults':
                    faults.set({ rules: [] });
                    return { status: 204 };
                case 'POST /reset': {
                    const to = isRecord(body) && typeof body.seed === 'string' ? body.seed : undefined;
                    if (to !== undefined && !SEED_NAMES.includes(to as SeedName)) return { status: 400, body: { error: `unknown seed "${to}"` } };
                    reset(to as SeedName | undefined);
                    return { status: 200, body: { ok: true, seed: to ?? seed } };
                }
                default:
                    return { status: 404, body: { error: `no admin route ${route}` } };
            }
        } catch (error) {
            return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
        }
    };

    const server: Server = createServer((req, res) => {
        handle(req, res).catch(error => {
            // A bug in a handler: answer 500 in a neutral shape rather than hang.
            if (!res.headersSent) send(res, { status: 500, body: { message: DIXA_MESSAGES.serverError, detail: String(error) } });
        });
    });
    server.keepAliveTimeout = 5_000;

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
        dixaToken,
        synthflowKey,
        get state() {
            return state;
        },
        requests,
        setFaults: (input: FaultsInput) => faults.set(toFaultConfig(input)),
        get assumptions() {
            return assumptions;
        },
        setAssumptions: (overrides: Partial<SandboxAssumptions>) => {
            assumptions = resolveAssumptions(overrides);
        },
        clearFaults: () => faults.set({ rules: [] }),
        setDixaRateLimit,
        faultStatus: () => faults.status(),
        reset,
        replaceState,
        close: () =>
            (closed ??= new Promise<void>(resolve => {
                server.close(() => resolve());
                // Hung requests (timeout faults) and idle keep-alive sockets must not keep it open.
                server.closeAllConnections();
            })),
    };
}

function underPrefix(path: string, prefix: string): boolean {
    return path === prefix || path.startsWith(`${prefix}/`);
}

function isBearer(header: string | undefined, key: string): boolean {
    if (!header) return false;
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    return m !== null && m[1] === key;
}

function describeAction(action: FaultAction): string {
    switch (action.kind) {
        case 'status':
            return action.retryAfter !== undefined ? `${action.status}:${action.retryAfter}` : String(action.status);
        case 'delay':
            return `delay:${action.ms}`;
        case 'timeout':
            return action.ms !== undefined ? `timeout:${action.ms}` : 'timeout';
        default:
            return action.kind;
    }
}

function injectedMessage(vendor: Vendor, status: number): string {
    if (status === 429) return vendor === 'dixa' ? DIXA_MESSAGES.rateLimited : 'Too many requests';
    if (status === 500) return vendor === 'dixa' ? DIXA_MESSAGES.serverError : 'Internal server error';
    if (status === 502) return 'Bad gateway';
    if (status === 503) return 'Service temporarily unavailable';
    if (status === 504) return 'Gateway timeout';
    if (status === 403) return vendor === 'synthflow' ? 'Importing phone numbers from this provider is not enabled for the workspace' : 'Forbidden';
    return `Injected HTTP ${status}`;
}

function categoryFor(status: number): string {
    if (status === 429) return 'rate_limit';
    if (status >= 500) return 'server_error';
    return { 400: 'validation_error', 401: 'authentication_error', 403: 'permission_denied', 404: 'not_found', 409: 'conflict' }[status] ?? 'client_error';
}

function json404Unknown(): Reply {
    return { status: 404, body: { detail: 'Not Found' } };
}

function send(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (reply.body === undefined) {
        res.writeHead(reply.status, headers);
        res.end();
        return;
    }
    const text = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function loadState(path: string | undefined, seed: SeedName): SandboxState {
    if (path && existsSync(path)) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(readFileSync(path, 'utf8'));
        } catch (error) {
            throw new Error(`cannot read the sandbox state file ${path}: ${error instanceof Error ? error.message : String(error)}`);
        }
        return checkState(parsed, path);
    }
    const state = seedState(seed);
    if (path) writeStateFile(path, state);
    return state;
}

function writeStateFile(path: string, state: SandboxState): void {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, path);
}

/** A Dixa organization's subdomain is a DNS label; anything else would not be a state Dixa can be in. */
function checkSubdomain(subdomain: string): string {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(subdomain)) throw new Error(`the Dixa organization subdomain must be a DNS label (letters, digits, inner dashes), got "${subdomain}"`);
    return subdomain;
}
