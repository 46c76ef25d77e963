/**
 * Fault injection. A fault spec is a comma-separated list of rules, e.g.
 *
 *     synthflow:POST:/custom-numbers=lost*1,dixa:*:*=429*2
 *     seed=7,synthflow:*:/actions/**=503~0.25*5
 *     dixa:GET:/queues=delay:2000@3
 *
 *   spec    := item ("," item)*
 *   item    := "seed=" INT | rule
 *   rule    := vendor ":" method ":" path "=" action modifier*
 *   vendor  := "dixa" | "synthflow" | "*"
 *   method  := GET | POST | PUT | PATCH | DELETE | "*"
 *   path    := a path below the vendor prefix (/v1, /v2), e.g. /queues/{id}/members; a segment "*" or
 *              "{name}" matches any one segment, a final "**" matches the rest; "*" alone matches all
 *   action  := STATUS [":" RETRY_AFTER_SECONDS]   4xx/5xx reply in the vendor's error shape, nothing applied
 *            | "delay:" MS                        wait, then handle normally
 *            | "timeout" [":" MS]                 never answer (or destroy the socket after MS); nothing applied
 *            | "reset"                            destroy the socket at once; nothing applied
 *            | "malformed"                        apply the request, answer its status with a truncated JSON body
 *            | "lost"                             apply the request, then destroy the socket: the write
 *                                                 succeeded but the response was lost
 *   modifier:= "*" N     fire at most N times (default: every match)
 *            | "@" N     let the first N-1 matching requests through, start firing at the N-th
 *            | "~" P     fire with probability P (0..1), drawn from a PRNG seeded by "seed=" (default 1)
 *
 * Rules are tried in order; the first that fires wins. Everything is deterministic for a given spec
 * and request sequence.
 */
import { SipflowError } from '../errors.js';
import type { Vendor } from './http.js';
import { splitPath } from './http.js';

export type FaultAction =
    | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: number }
    | { readonly kind: 'delay'; readonly ms: number }
    | { readonly kind: 'timeout'; readonly ms?: number }
    | { readonly kind: 'reset' }
    | { readonly kind: 'malformed' }
    | { readonly kind: 'lost' };

export interface FaultRule {
    /** Default `*`. */
    readonly vendor?: Vendor | '*';
    /** Default `*`. */
    readonly method?: string;
    /** Path pattern below the vendor prefix. Default `*` (everything). */
    readonly path?: string;
    readonly action: FaultAction;
    /** Fire at most this many times; undefined = unlimited. */
    readonly times?: number;
    /** First matching request (1-based) that may fire. Default 1. */
    readonly at?: number;
    /** Probability of firing on an eligible match. Default 1. */
    readonly probability?: number;
}

export interface FaultConfig {
    readonly rules: readonly FaultRule[];
    readonly seed?: number;
}

export class FaultSpecError extends SipflowError {
    constructor(message: string) {
        super('fault-spec', message);
    }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*'];

export function parseFaultSpec(spec: string): FaultConfig {
    const rules: FaultRule[] = [];
    let seed: number | undefined;
    for (const rawItem of spec.split(',')) {
        const item = rawItem.trim();
        if (item === '') continue;
        const seedMatch = /^seed=(\d+)$/.exec(item);
        if (seedMatch) {
            seed = Number(seedMatch[1]);
            continue;
        }
        rules.push(parseRule(item));
    }
    return seed === undefined ? { rules } : { rules, seed };
}

function parseRule(item: string): FaultRule {
    const eq = item.indexOf('=');
    if (eq < 0) throw new FaultSpecError(`fault rule "${item}": expected VENDOR:METHOD:PATH=ACTION`);
    const head = item.slice(0, eq);
    const tail = item.slice(eq + 1);
    const parts = head.split(':');
    if (parts.length !== 3) throw new FaultSpecError(`fault rule "${item}": expected VENDOR:METHOD:PATH before "="`);
    const [vendorRaw, methodRaw, pathRaw] = parts as [string, string, string];
    const vendor = vendorRaw.toLowerCase();
    if (vendor !== 'dixa' && vendor !== 'synthflow' && vendor !== '*') throw new FaultSpecError(`fault rule "${item}": vendor must be dixa, synthflow or *`);
    const method = methodRaw.toUpperCase();
    if (!METHODS.includes(method)) throw new FaultSpecError(`fault rule "${item}": method must be one of ${METHODS.join(', ')}`);
    const path = pathRaw === '' ? '*' : pathRaw;
    if (path !== '*' && !path.startsWith('/')) throw new FaultSpecError(`fault rule "${item}": path must start with "/" or be "*"`);

    const m = /^([a-z]+(?::\d+)?|\d{3}(?::\d+)?)((?:[*@~][0-9.]+)*)$/.exec(tail);
    if (!m) throw new FaultSpecError(`fault rule "${item}": cannot read the action "${tail}"`);
    const action = parseAction(m[1]!, item);
    let times: number | undefined;
    let at: number | undefined;
    let probability: number | undefined;
    for (const mod of m[2]!.match(/[*@~][0-9.]+/g) ?? []) {
        const value = Number(mod.slice(1));
        if (mod[0] === '*') {
            if (!Number.isInteger(value) || value < 1) throw new FaultSpecError(`fault rule "${item}": *N needs a positive integer`);
            times = value;
        } else if (mod[0] === '@') {
            if (!Number.isInteger(value) || value < 1) throw new FaultSpecError(`fault rule "${item}": @N needs a positive integer`);
            at = value;
        } else {
            if (!(value >= 0 && value <= 1)) throw new FaultSpecError(`fault rule "${item}": ~P needs a probability between 0 and 1`);
            probability = value;
        }
    }
    return {
        vendor: vendor as FaultRule['vendor'],
        method,
        path,
        action,
        ...(times !== undefined ? { times } : {}),
        ...(at !== undefined ? { at } : {}),
        ...(probability !== undefined ? { probability } : {}),
    };
}

function parseAction(text: string, item: string): FaultAction {
    const [name, arg] = text.split(':') as [string, string | undefined];
    const num = arg === undefined ? undefined : Number(arg);
    if (/^\d{3}$/.test(name)) {
        const status = Number(name);
        if (status < 400 || status > 599) throw new FaultSpecError(`fault rule "${item}": status faults must be 4xx or 5xx`);
        return num === undefined ? { kind: 'status', status } : { kind: 'status', status, retryAfter: num };
    }
    switch (name) {
        case 'delay':
            if (num === undefined) throw new FaultSpecError(`fault rule "${item}": delay needs milliseconds, e.g. delay:2000`);
            return { kind: 'delay', ms: num };
        case 'timeout':
            return num === undefined ? { kind: 'timeout' } : { kind: 'timeout', ms: num };
        case 'reset':
        case 'malformed':
        case 'lost':
            if (num !== undefined) throw new FaultSpecError(`fault rule "${item}": ${name} takes no argument`);
            return { kind: name };
        default:
            throw new FaultSpecError(`fault rule "${item}": unknown action "${name}" (use a status, delay:MS, timeout[:MS], reset, malformed or lost)`);
    }
}

/** A rule's canonical spec text (what `GET /_sandbox/faults` shows). */
export function formatFaultRule(rule: FaultRule): string {
    const a = rule.action;
    const action =
        a.kind === 'status'
            ? `${a.status}${a.retryAfter !== undefined ? `:${a.retryAfter}` : ''}`
            : a.kind === 'delay'
              ? `delay:${a.ms}`
              : a.kind === 'timeout'
                ? `timeout${a.ms !== undefined ? `:${a.ms}` : ''}`
                : a.kind;
    const mods = `${rule.times !== undefined ? `*${rule.times}` : ''}${rule.at !== undefined ? `@${rule.at}` : ''}${rule.probability !== undefined ? `~${rule.probability}` : ''}`;
    return `${rule.vendor ?? '*'}:${rule.method ?? '*'}:${rule.path ?? '*'}=${action}${mods}`;
}

export function pathMatches(pattern: string, path: string): boolean {
    if (pattern === '*' || pattern === '/**') return true;
    const p = splitPath(pattern);
    const a = splitPath(path);
    for (let i = 0; i < p.length; i++) {
        const seg = p[i]!;
        if (seg === '**' && i === p.length - 1) return true;
        if (i >= a.length) return false;
        if (seg === '*' || (seg.startsWith('{') && seg.endsWith('}'))) continue;
        if (seg !== a[i]) return false;
    }
    return p.length === a.length;
}

interface LiveRule {
    readonly rule: FaultRule;
    seen: number;
    fired: number;
}

export interface FaultStatus {
    readonly rule: string;
    readonly seen: number;
    readonly fired: number;
    /** undefined = unlimited. */
    readonly remaining?: number;
}

/** Holds the active rules and decides, per request, which fault (if any) fires. */
export class FaultInjector {
    private live: LiveRule[] = [];
    private random: () => number = mulberry32(1);

    constructor(config?: FaultConfig) {
        if (config) this.set(config);
    }

    set(config: FaultConfig): void {
        for (const rule of config.rules) validateRule(rule);
        this.live = config.rules.map(rule => ({ rule, seen: 0, fired: 0 }));
        this.random = mulberry32(config.seed ?? 1);
    }

    /** The action to apply to this request, if a rule fires. */
    next(vendor: Vendor, method: string, path: string): FaultAction | undefined {
        for (const l of this.live) {
            const { rule } = l;
            if (rule.vendor && rule.vendor !== '*' && rule.vendor !== vendor) continue;
            if (rule.method && rule.method !== '*' && rule.method.toUpperCase() !== method) continue;
            if (!pathMatches(rule.path ?? '*', path)) continue;
            if (rule.times !== undefined && l.fired >= rule.times) continue;
            l.seen++;
            if (l.seen < (rule.at ?? 1)) continue;
            if (rule.probability !== undefined && this.random() >= rule.probability) continue;
            l.fired++;
            return rule.action;
        }
        return undefined;
    }

    status(): FaultStatus[] {
        return this.live.map(l => ({
            rule: formatFaultRule(l.rule),
            seen: l.seen,
            fired: l.fired,
            ...(l.rule.times !== undefined ? { remaining: Math.max(0, l.rule.times - l.fired) } : {}),
        }));
    }
}

function validateRule(rule: FaultRule): void {
    // Programmatic rules go through the same checks as parsed ones.
    const text = formatFaultRule(rule);
    parseRule(text);
}

/** Small deterministic PRNG (public-domain mulberry32). */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
