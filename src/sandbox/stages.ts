/**
 * A vendor request's way through the sandbox, one stage each, in this order:
 * latency → fault rules → auth → Dixa rate limit → route → deliver (or lose the reply).
 * A stage either lets the request go on (returns undefined) or ends it with a reply, or with none
 * (`drop`: a reset, a timeout or a lost reply). server.ts runs them and logs the outcome.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxAssumptions } from './assumptions.js';
import { DIXA_MESSAGES, dixaError } from './dixa.js';
import type { FaultAction, FaultInjector } from './faults.js';
import { ApiError, type Reply, type RequestContext, type Router, type Vendor } from './http.js';
import type { DixaRateLimitOptions, TokenBuckets } from './rate-limit.js';
import type { SandboxState } from './state.js';
import { synthflowError } from './synthflow.js';

/** One vendor request on its way: what the stages read, and what they record for the log. */
export interface VendorRequest {
    readonly req: IncomingMessage;
    readonly vendor: Vendor;
    readonly method: string;
    /** The path below the vendor's prefix (`/queues`, not `/v1/queues`). */
    readonly path: string;
    readonly query: URLSearchParams;
    readonly rawBody: string;
    /** The fault that fired (`lost`, `429`, `delay:2000`) or `rate-limit`, for the log. */
    fault?: string;
    /** A fault that acts on the route's reply (`lost`, `malformed`); an earlier stage's reply is sent as it is. */
    replyFault?: ReplyFault;
    mutated: boolean;
}

export type ReplyFault = 'lost' | 'malformed';

/** How a request ends: a reply to send (perhaps mangled by a reply fault), or none at all. */
export type Ending = { readonly reply: Reply; readonly replyFault?: ReplyFault } | { readonly drop: true };

/** What the stages need of the running sandbox; functions, since reset() and the admin API replace these. */
export interface SandboxRuntime {
    readonly latencyMs: number;
    readonly faults: FaultInjector;
    readonly dixaToken: string;
    readonly synthflowKey: string;
    readonly routers: Readonly<Record<Vendor, Router>>;
    rateLimit(): { readonly limit: DixaRateLimitOptions; readonly buckets: TokenBuckets } | undefined;
    state(): SandboxState;
    assumptions(): SandboxAssumptions;
    persist(): void;
}

export type Stage = (request: VendorRequest, runtime: SandboxRuntime) => Promise<Ending | undefined> | Ending | undefined;

export const VENDOR_STAGES: readonly Stage[] = [latencyStage, faultStage, authStage, rateLimitStage, routeStage];

/** Runs the stages until one ends the request (the route stage always does). */
export async function runStages(request: VendorRequest, runtime: SandboxRuntime, stages: readonly Stage[] = VENDOR_STAGES): Promise<Ending> {
    for (const stage of stages) {
        const ending = await stage(request, runtime);
        if (ending) return ending;
    }
    throw new Error('no stage answered the request');
}

/** The vendor's own error shape (Dixa `{message}`, Synthflow `{detail: {…}}`). */
export function vendorError(vendor: Vendor, status: number, message: string, category: string, headers?: Record<string, string>): Reply {
    const reply = vendor === 'dixa' ? dixaError(status, message) : synthflowError(status, message, category);
    return headers ? { ...reply, headers } : reply;
}

export async function latencyStage(_request: VendorRequest, runtime: SandboxRuntime): Promise<undefined> {
    if (runtime.latencyMs > 0) await sleep(runtime.latencyMs);
    return undefined;
}

/** The next matching fault rule: a delay waits and goes on; reset, timeout and an injected status end here. */
export async function faultStage(request: VendorRequest, runtime: SandboxRuntime): Promise<Ending | undefined> {
    const action = runtime.faults.next(request.vendor, request.method, request.path);
    if (!action) return undefined;
    request.fault = describeAction(action);
    switch (action.kind) {
        case 'delay':
            await sleep(action.ms);
            return undefined;
        case 'reset':
            request.req.socket.destroy();
            return { drop: true };
        case 'timeout':
            // The request hangs; with a duration the connection is cut after it.
            if (action.ms !== undefined) setTimeout(() => request.req.socket.destroy(), action.ms).unref();
            return { drop: true };
        case 'status': {
            const headers = action.retryAfter !== undefined ? { 'retry-after': String(action.retryAfter) } : undefined;
            return { reply: vendorError(request.vendor, action.status, injectedMessage(request.vendor, action.status), categoryFor(action.status), headers) };
        }
        case 'lost':
        case 'malformed':
            request.replyFault = action.kind;
            return undefined;
    }
}

/** Dixa: the token as the whole `Authorization` header; Synthflow: `Bearer KEY`. */
export function authStage(request: VendorRequest, runtime: SandboxRuntime): Ending | undefined {
    const authorization = request.req.headers.authorization;
    const dixa = request.vendor === 'dixa';
    if (dixa ? authorization === runtime.dixaToken : isBearer(authorization, runtime.synthflowKey)) return undefined;
    return { reply: vendorError(request.vendor, 401, dixa ? DIXA_MESSAGES.unauthorized : 'Invalid or missing API key', 'authentication_error') };
}

/** Dixa's per-token limit (Synthflow documents none). */
export function rateLimitStage(request: VendorRequest, runtime: SandboxRuntime): Ending | undefined {
    const rateLimit = runtime.rateLimit();
    if (request.vendor !== 'dixa' || !rateLimit || rateLimit.buckets.take(runtime.dixaToken)) return undefined;
    const headers = rateLimit.limit.retryAfter ? { 'retry-after': String(Math.max(1, Math.ceil(rateLimit.buckets.secondsUntilToken(runtime.dixaToken)))) } : undefined;
    request.fault ??= 'rate-limit';
    return { reply: vendorError('dixa', 429, DIXA_MESSAGES.rateLimited, 'rate_limit', headers) };
}

/** The vendor's route, its reply subject to a pending reply fault. */
export function routeStage(request: VendorRequest, runtime: SandboxRuntime): Ending {
    const reply = route(request, runtime);
    return request.replyFault ? { reply, replyFault: request.replyFault } : { reply };
}

/** 404/405/400 as the vendor words them, else the handler's reply (persisting what it changed). */
function route(request: VendorRequest, runtime: SandboxRuntime): Reply {
    const { vendor, method, path } = request;
    const dixa = vendor === 'dixa';
    const match = runtime.routers[vendor].match(method, path);
    if (match === undefined) return dixa ? dixaError(404, DIXA_MESSAGES.notFound) : { status: 404, body: { detail: 'Not Found' } };
    if (match === 'method-not-allowed') return dixa ? dixaError(405, DIXA_MESSAGES.methodNotAllowed) : { status: 405, body: { detail: 'Method Not Allowed' } };
    const body = parseJsonBody(request.rawBody);
    if (body === INVALID_JSON) return vendorError(vendor, 400, dixa ? DIXA_MESSAGES.decoding : 'The request body is not valid JSON', 'validation_error');
    const ctx: RequestContext = {
        method,
        path,
        params: match.params,
        query: request.query,
        headers: request.req.headers,
        body,
        state: runtime.state(),
        assumptions: runtime.assumptions(),
        mutated: false,
        now: () => new Date(),
        newId: () => randomUUID(),
    };
    let reply: Reply;
    try {
        reply = match.route.handler(ctx);
    } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        reply = vendorError(vendor, error.status, error.message, error.category);
    }
    if (ctx.mutated) {
        request.mutated = true;
        runtime.persist();
    }
    return reply;
}

/**
 * Sends how the request ended, through a reply fault if one is pending: `lost` applies the write (it is
 * persisted) but the client never hears of it; `malformed` sends half the JSON. Returns the status sent.
 */
export function deliver(req: IncomingMessage, res: ServerResponse, ending: Ending): number | null {
    if ('drop' in ending) return null;
    const { reply, replyFault } = ending;
    if (replyFault === 'lost') {
        req.socket.destroy();
        return null;
    }
    if (replyFault === 'malformed') {
        const text = JSON.stringify(reply.body ?? { data: [] });
        const status = reply.body === undefined ? 200 : reply.status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        return status;
    }
    send(res, reply);
    return reply.status;
}

export function send(res: ServerResponse, reply: Reply): void {
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

const INVALID_JSON = Symbol('invalid JSON');

/** An empty body is no body (undefined). */
function parseJsonBody(rawBody: string): unknown {
    if (rawBody.length === 0) return undefined;
    try {
        return JSON.parse(rawBody);
    } catch {
        return INVALID_JSON;
    }
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
