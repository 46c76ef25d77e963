/**
 * The admin surface under /_sandbox: health, state, request log, faults, rate limit, assumptions, the
 * Dixa organization and manual steps, reset. Not a vendor API: errors are `{error: "…"}`.
 */
import { DEFAULT_ASSUMPTIONS, type SandboxAssumptions } from './assumptions.js';
import { checkDixaManual } from './calls.js';
import type { FaultRule, FaultStatus } from './faults.js';
import { isRecord, type Reply } from './http.js';
import type { DixaRateLimitOptions } from './rate-limit.js';
import { SEED_NAMES, type SeedName } from './seed.js';
import { cloneState, type SandboxState } from './state.js';
import type { FaultsInput, RequestLogEntry } from './server.js';
import { checkSubdomain } from './state-file.js';

/** What the admin routes act on: the running sandbox. */
export interface AdminTarget {
    readonly seed: SeedName;
    readonly state: SandboxState;
    readonly requests: RequestLogEntry[];
    readonly assumptions: SandboxAssumptions;
    readonly rateLimit: DixaRateLimitOptions | undefined;
    replaceState(state: SandboxState): void;
    setFaults(faults: FaultsInput): void;
    faultStatus(): FaultStatus[];
    setDixaRateLimit(limit: DixaRateLimitOptions | false): void;
    setAssumptions(overrides: unknown): void;
    persist(): void;
    reset(seed?: SeedName): void;
}

/** `rawBody` is JSON where it parses, else the text itself (a fault spec may be sent as plain text). */
export function handleAdmin(target: AdminTarget, method: string, path: string, rawBody: string): Reply {
    let body: unknown;
    try {
        body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
    } catch {
        body = rawBody;
    }
    const route = `${method} ${path.replace(/\/+$/, '') || '/'}`;
    try {
        return adminRoute(target, route, body);
    } catch (error) {
        return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
    }
}

function adminRoute(target: AdminTarget, route: string, body: unknown): Reply {
    switch (route) {
        case 'GET /health':
            return { status: 200, body: { ok: true } };
        case 'GET /state':
            return { status: 200, body: cloneState(target.state) };
        case 'PUT /state':
            target.replaceState(body as SandboxState);
            return { status: 200, body: cloneState(target.state) };
        case 'GET /requests':
            return { status: 200, body: target.requests };
        case 'DELETE /requests':
            target.requests.length = 0;
            return { status: 204 };
        case 'GET /faults':
            return { status: 200, body: { rules: target.faultStatus() } };
        case 'POST /faults':
        case 'PUT /faults':
            target.setFaults(faultsInputOf(body));
            return { status: 200, body: { rules: target.faultStatus() } };
        case 'DELETE /faults':
            target.setFaults({ rules: [] });
            return { status: 204 };
        case 'PUT /rate-limit':
            target.setDixaRateLimit(body === false ? false : (body as DixaRateLimitOptions));
            return { status: 200, body: { rateLimit: target.rateLimit ?? false } };
        case 'GET /rate-limit':
            return { status: 200, body: { rateLimit: target.rateLimit ?? false } };
        case 'GET /assumptions':
            return { status: 200, body: { assumptions: target.assumptions, defaults: DEFAULT_ASSUMPTIONS } };
        case 'PUT /assumptions':
            target.setAssumptions(body);
            return { status: 200, body: { assumptions: target.assumptions } };
        case 'GET /organization':
            return { status: 200, body: target.state.dixa.organization };
        case 'PUT /organization': {
            // Only the subdomain: what the account guard compares.
            const subdomain = isRecord(body) && typeof body.subdomain === 'string' ? body.subdomain : undefined;
            if (subdomain === undefined) return { status: 400, body: { error: 'PUT /_sandbox/organization needs {"subdomain": "…"}' } };
            target.state.dixa.organization.subdomain = checkSubdomain(subdomain);
            target.persist();
            return { status: 200, body: target.state.dixa.organization };
        }
        case 'GET /dixa-manual':
            return { status: 200, body: target.state.dixaManual };
        case 'PUT /dixa-manual':
            target.state.dixaManual = checkDixaManual(body);
            target.persist();
            return { status: 200, body: target.state.dixaManual };
        case 'POST /reset': {
            const to = isRecord(body) && typeof body.seed === 'string' ? body.seed : undefined;
            if (to !== undefined && !SEED_NAMES.includes(to as SeedName)) return { status: 400, body: { error: `unknown seed "${to}"` } };
            target.reset(to as SeedName | undefined);
            return { status: 200, body: { ok: true, seed: to ?? target.seed } };
        }
        default:
            return { status: 404, body: { error: `no admin route ${route}` } };
    }
}

/** A fault spec as text, `{spec}`, or `{rules, seed?}`; anything else clears the rules. */
function faultsInputOf(body: unknown): FaultsInput {
    if (typeof body === 'string') return body;
    if (isRecord(body) && typeof body.spec === 'string') return body.spec;
    if (isRecord(body) && Array.isArray(body.rules)) return { rules: body.rules as FaultRule[], ...(typeof body.seed === 'number' ? { seed: body.seed } : {}) };
    return '';
}
