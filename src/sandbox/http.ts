/** The sandbox's tiny HTTP vocabulary: routes, request contexts, replies and API errors. */
import { SipflowError } from '../errors.js';
import type { SandboxAssumptions } from './assumptions.js';
import type { SandboxState } from './state.js';

export type Vendor = 'dixa' | 'synthflow';

export interface RequestContext {
    readonly method: string;
    /** Path below the vendor prefix (`/queues/…` for `/v1/queues/…`), percent-decoded per segment. */
    readonly path: string;
    readonly params: Readonly<Record<string, string>>;
    readonly query: URLSearchParams;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    /** Parsed JSON body; undefined when the request had none. */
    readonly body: unknown;
    readonly state: SandboxState;
    /** How the sandbox behaves where the vendor specs are silent (assumptions.ts). */
    readonly assumptions: SandboxAssumptions;
    /** Set by handlers that changed the state (then it is persisted). */
    mutated: boolean;
    readonly now: () => Date;
    readonly newId: () => string;
}

export interface Reply {
    readonly status: number;
    /** JSON-serialised unless undefined (then no body, e.g. 204). */
    readonly body?: unknown;
    readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RequestContext) => Reply;

export interface Route {
    readonly method: string;
    /** `/queues/{queueId}/members`; `{name}` matches one non-empty segment. */
    readonly pattern: string;
    readonly handler: Handler;
}

/** A vendor-level failure (400/404/409…) that the vendor module renders in its own error shape. */
export class ApiError extends SipflowError {
    constructor(
        readonly status: number,
        message: string,
        /** Synthflow `detail.category`; ignored by Dixa. */
        readonly category = 'validation_error',
    ) {
        super('api', message);
    }
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
    return headers ? { status, body, headers } : { status, body };
}

interface CompiledRoute extends Route {
    readonly segments: readonly string[];
}

export class Router {
    private readonly routes: CompiledRoute[];

    constructor(routes: readonly Route[]) {
        this.routes = routes.map(r => ({ ...r, segments: splitPath(r.pattern) }));
    }

    /**
     * The route for method + path, or `method-not-allowed` when the path exists with other methods, or
     * undefined. Literal segments beat parameters (`/actions/attach` before `/actions/{action_id}`).
     */
    match(method: string, path: string): { route: Route; params: Record<string, string> } | 'method-not-allowed' | undefined {
        const segments = splitPath(path);
        let best: { route: CompiledRoute; params: Record<string, string>; literals: number } | undefined;
        let pathMatched = false;
        for (const route of this.routes) {
            const params = matchSegments(route.segments, segments);
            if (!params) continue;
            pathMatched = true;
            if (route.method !== method) continue;
            const literals = route.segments.filter(s => !isParam(s)).length;
            if (!best || literals > best.literals) best = { route, params, literals };
        }
        if (best) return { route: best.route, params: best.params };
        return pathMatched ? 'method-not-allowed' : undefined;
    }
}

/** Splits on `/`, drops empty segments (so a trailing slash is insignificant), percent-decodes. */
export function splitPath(path: string): string[] {
    return path
        .split('/')
        .filter(s => s.length > 0)
        .map(s => {
            try {
                return decodeURIComponent(s);
            } catch {
                return s;
            }
        });
}

function isParam(segment: string): boolean {
    return segment.startsWith('{') && segment.endsWith('}');
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
    if (pattern.length !== actual.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < pattern.length; i++) {
        const p = pattern[i]!;
        const a = actual[i]!;
        if (isParam(p)) params[p.slice(1, -1)] = a;
        else if (p !== a) return undefined;
    }
    return params;
}

// ─── Small validation helpers shared by the vendor modules ─────────────────────────────────────────

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const E164 = /^\+[1-9]\d{6,14}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a non-negative integer query parameter; undefined when absent; NaN when malformed. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

/** `true`/`false` (any case, also 1/0); undefined when absent; null when malformed. */
export function boolParam(query: URLSearchParams, name: string): boolean | undefined | null {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    const lower = raw.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    return null;
}
