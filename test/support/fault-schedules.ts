/**
 * Seeded random fault schedules and the runner that applies the 12-department fixture under them
 * (issue 7): shared by test/apply/fault-property.test.ts and scripts/soak.ts.
 *
 * A schedule is a sandbox fault spec over every vendor, method and path sipflow uses — reads as well
 * as writes — with every fault kind, at a per-request probability of at most 20 % (the sum of the
 * probabilities of the rules that can match one request, an upper bound on its fault rate). It is a
 * pure function of its seed, so a failure is reproduced from the seed alone.
 */
import { applyPlan, readLiveState, type ApplyResult, type Providers } from '../../src/apply/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { computePlan, type Plan } from '../../src/plan/index.js';
import { createDixaProvider } from '../../src/providers/dixa/index.js';
import { createSynthflowProvider } from '../../src/providers/synthflow/index.js';
import { mulberry32 } from '../../src/sandbox/faults.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { buildFixture, fixtureDesiredState, fixtureState, type Fixture } from './fault-fixture.js';
import { convergedViolations, duplicateCounts, duplicateViolations, expectationOf, type Expectation } from './invariants.js';

/** Highest fault probability of any single request. */
export const MAX_FAULT_RATE = 0.2;

/** Every request sipflow's plan and apply make (and those the new contract adds), with a sample path. */
export const ENDPOINTS: ReadonlyArray<{ readonly vendor: 'dixa' | 'synthflow'; readonly method: string; readonly pattern: string; readonly sample: string }> = [
    { vendor: 'dixa', method: 'GET', pattern: '/organization', sample: '/organization' },
    { vendor: 'dixa', method: 'GET', pattern: '/contact-endpoints', sample: '/contact-endpoints' },
    { vendor: 'dixa', method: 'GET', pattern: '/conversations/flows', sample: '/conversations/flows' },
    { vendor: 'dixa', method: 'GET', pattern: '/queues', sample: '/queues' },
    { vendor: 'dixa', method: 'GET', pattern: '/queues/{id}', sample: '/queues/q' },
    { vendor: 'dixa', method: 'POST', pattern: '/queues', sample: '/queues' },
    { vendor: 'synthflow', method: 'GET', pattern: '/numbers', sample: '/numbers' },
    { vendor: 'synthflow', method: 'GET', pattern: '/numbers/{slug}', sample: '/numbers/4533100000' },
    { vendor: 'synthflow', method: 'PATCH', pattern: '/numbers/{slug}', sample: '/numbers/4533100000' },
    { vendor: 'synthflow', method: 'POST', pattern: '/custom-numbers', sample: '/custom-numbers' },
    { vendor: 'synthflow', method: 'GET', pattern: '/assistants/{model_id}', sample: '/assistants/a' },
    { vendor: 'synthflow', method: 'PUT', pattern: '/assistants/{model_id}', sample: '/assistants/a' },
    { vendor: 'synthflow', method: 'PUT', pattern: '/assistants/{model_id}/phone_numbers', sample: '/assistants/a/phone_numbers' },
    { vendor: 'synthflow', method: 'DELETE', pattern: '/assistants/{model_id}/phone_numbers/{slug}', sample: '/assistants/a/phone_numbers/4533100000' },
    { vendor: 'synthflow', method: 'GET', pattern: '/actions', sample: '/actions' },
    { vendor: 'synthflow', method: 'GET', pattern: '/actions/{action_id}', sample: '/actions/x' },
    { vendor: 'synthflow', method: 'POST', pattern: '/actions', sample: '/actions' },
    { vendor: 'synthflow', method: 'PUT', pattern: '/actions/{action_id}', sample: '/actions/x' },
    { vendor: 'synthflow', method: 'POST', pattern: '/actions/attach', sample: '/actions/attach' },
    { vendor: 'synthflow', method: 'POST', pattern: '/actions/detach', sample: '/actions/detach' },
];

/** Broader targets: a whole vendor, a method, a subtree. */
const WILDCARDS: ReadonlyArray<{ readonly vendor: string; readonly method: string; readonly pattern: string }> = [
    { vendor: '*', method: '*', pattern: '*' },
    { vendor: 'dixa', method: '*', pattern: '*' },
    { vendor: 'synthflow', method: '*', pattern: '*' },
    { vendor: '*', method: 'GET', pattern: '*' },
    { vendor: '*', method: 'POST', pattern: '*' },
    { vendor: 'synthflow', method: '*', pattern: '/actions/**' },
    { vendor: 'synthflow', method: '*', pattern: '/assistants/**' },
    { vendor: 'synthflow', method: '*', pattern: '/numbers/**' },
];

export const FAULT_KINDS = ['429', '429:0', '500', '502', '503', 'timeout', 'reset', 'malformed', 'lost', 'delay'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduleOptions {
    /** The providers' per-request timeout: `delay:MS` stays below it; `timeout:MS` falls either side. */
    readonly clientTimeoutMs: number;
}

export interface FaultSchedule {
    readonly seed: number;
    /** The sandbox fault spec, without its `seed=` item (the runner adds one per run). */
    readonly rules: readonly string[];
}

/** Whether a rule's (vendor, method, pattern) can match a request to this endpoint. */
function matches(rule: { vendor: string; method: string; pattern: string }, endpoint: (typeof ENDPOINTS)[number]): boolean {
    if (rule.vendor !== '*' && rule.vendor !== endpoint.vendor) return false;
    if (rule.method !== '*' && rule.method !== endpoint.method) return false;
    if (rule.pattern === '*') return true;
    const p = rule.pattern.split('/').filter(Boolean);
    const a = endpoint.sample.split('/').filter(Boolean);
    for (let i = 0; i < p.length; i++) {
        if (p[i] === '**' && i === p.length - 1) return true;
        if (i >= a.length) return false;
        if (p[i] === '*' || p[i]!.startsWith('{')) continue;
        if (p[i] !== a[i]) return false;
    }
    return p.length === a.length;
}

/**
 * The schedule of a seed: 1–6 rules, each a target (a concrete endpoint or a wildcard), a fault kind
 * (the first rule's kind cycles with the seed, so consecutive seeds cover every kind) and a
 * probability, lowered so that no endpoint's rules add up to more than MAX_FAULT_RATE; sometimes
 * `*N` (a cap) or `@N` (a late start).
 */
export function scheduleFor(seed: number, options: ScheduleOptions): FaultSchedule {
    const random = mulberry32(seed * 7919 + 17);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const budget = new Map(ENDPOINTS.map(e => [e, 0]));
    const rules: string[] = [];
    const count = between(1, 6);
    for (let i = 0; i < count; i++) {
        const target = random() < 0.3 ? pick(WILDCARDS) : pick(ENDPOINTS);
        const kind: FaultKind = i === 0 ? FAULT_KINDS[seed % FAULT_KINDS.length]! : pick(FAULT_KINDS);
        const hit = ENDPOINTS.filter(e => matches(target, e));
        const room = Math.min(...hit.map(e => MAX_FAULT_RATE - budget.get(e)!));
        // Two decimals, rounded down, so the spec's text is the probability the budget counted.
        const probability = Math.floor(Math.min(0.02 + random() * 0.18, room) * 100) / 100;
        if (probability < 0.01) continue;
        for (const e of hit) budget.set(e, budget.get(e)! + probability);
        const action =
            kind === 'delay' ? `delay:${between(5, Math.floor(options.clientTimeoutMs / 2))}` : kind === 'timeout' ? `timeout:${between(20, options.clientTimeoutMs * 2)}` : kind;
        const modifier = random() < 0.2 ? `*${between(1, 4)}` : random() < 0.15 ? `@${between(2, 6)}` : '';
        rules.push(`${target.vendor}:${target.method}:${target.pattern}=${action}${modifier}~${probability}`);
    }
    return { seed, rules };
}

/** The spec a run uses: the rules with a PRNG seed of its own (the seed and the run number). */
export function specOf(schedule: FaultSchedule, run: number): string {
    return [`seed=${schedule.seed * 100 + run}`, ...schedule.rules].join(',');
}

// ─── Running a schedule ─────────────────────────────────────────────────────────────────────────────

export interface FixtureContext {
    readonly fixture: Fixture;
    readonly desired: DesiredState;
    readonly expectation: Expectation;
}

export async function fixtureContext(): Promise<FixtureContext> {
    const fixture = buildFixture();
    const desired = await fixtureDesiredState(fixture);
    return { fixture, desired, expectation: expectationOf(desired, fixture.preexisting) };
}

export interface ProviderTuning {
    readonly timeoutMs: number;
    readonly retryBaseDelayMs: number;
}

export function providersFor(sandbox: Sandbox, desired: DesiredState, tuning: ProviderTuning): Providers & { close(): void } {
    const dixa = createDixaProvider({ baseUrl: sandbox.dixaBaseUrl, apiKey: sandbox.dixaToken, ...tuning });
    const synthflow = createSynthflowProvider({ baseUrl: sandbox.synthflowBaseUrl, apiKey: sandbox.synthflowKey, workspace: desired.synthflow.workspace, ...tuning });
    return {
        dixa,
        synthflow,
        close: () => {
            dixa.close();
            synthflow.close();
        },
    };
}

/** One plan → apply, as one CLI invocation: fresh providers, the plan read under the same faults. */
export async function planAndApply(sandbox: Sandbox, desired: DesiredState, tuning: ProviderTuning): Promise<{ plan?: Plan; result?: ApplyResult; error?: string }> {
    const providers = providersFor(sandbox, desired, tuning);
    try {
        let plan: Plan;
        try {
            plan = computePlan(desired, await readLiveState(desired, providers));
        } catch (error) {
            return { error: `plan failed: ${messageOf(error)}` };
        }
        try {
            return { plan, result: await applyPlan(plan, providers) };
        } catch (error) {
            return { plan, error: `apply refused: ${messageOf(error)}` };
        }
    } finally {
        providers.close();
    }
}

/** The checks' own reads are not under test: a generous timeout, so that a loaded machine cannot fail them. */
const CHECK_TUNING: ProviderTuning = { timeoutMs: 10_000, retryBaseDelayMs: 1 };

/** The plan read without faults (the faults are set again by the caller). */
export async function faultFreePlan(sandbox: Sandbox, desired: DesiredState): Promise<Plan> {
    sandbox.clearFaults();
    const providers = providersFor(sandbox, desired, CHECK_TUNING);
    try {
        return computePlan(desired, await readLiveState(desired, providers));
    } finally {
        providers.close();
    }
}

export const describeChanges = (plan: Plan): string[] => plan.items.filter(i => i.operation !== null || i.kind === 'conflict').map(i => `${i.kind} ${i.id}`);

export interface RunRecord {
    readonly run: number;
    /** The apply's status, or the error that stopped plan or apply. */
    readonly status: string;
    readonly ok: boolean;
    /** What the fault-free plan after the run still wants to do (empty = converged). */
    readonly remaining: readonly string[];
    readonly duplicates: readonly string[];
}

export interface ScheduleOutcome {
    readonly schedule: FaultSchedule;
    readonly runs: readonly RunRecord[];
    /** The run after which the fault-free plan was empty, or null. */
    readonly convergedAfter: number | null;
    /** Runs that reported success (exit 0) while the next plan was not empty. */
    readonly falseSuccesses: readonly RunRecord[];
    /** Duplicate violations seen after any run (the first run's that showed them). */
    readonly duplicates: readonly string[];
    /** The invariants after the last run with faults cleared (empty when converged and all hold). */
    readonly finalViolations: readonly string[];
    /** A fault-free plan had conflicts: the integration is blocked until someone fixes the accounts. */
    readonly blocked: boolean;
    readonly duplicateCounts: { transfers: number; numbers: number; queues: number };
    readonly durationMs: number;
}

/** Fixture state in, up to `maxRuns` faulty plan → apply runs, every invariant checked after each. */
export async function runSchedule(
    sandbox: Sandbox,
    context: FixtureContext,
    schedule: FaultSchedule,
    options: { maxRuns: number; tuning: ProviderTuning },
): Promise<ScheduleOutcome> {
    const started = performance.now();
    sandbox.reset();
    sandbox.replaceState(fixtureState(context.fixture));
    const runs: RunRecord[] = [];
    let convergedAfter: number | null = null;
    let duplicates: string[] = [];
    let blocked = false;
    for (let run = 1; run <= options.maxRuns && convergedAfter === null; run++) {
        sandbox.setFaults(specOf(schedule, run));
        const { result, error } = await planAndApply(sandbox, context.desired, options.tuning);
        sandbox.clearFaults();
        const seen = duplicateViolations(sandbox.state);
        if (seen.length > 0 && duplicates.length === 0) duplicates = seen;
        const after = await faultFreePlan(sandbox, context.desired);
        if (after.summary.conflict > 0) blocked = true;
        const remaining = after.hasChanges || after.summary.conflict > 0 ? describeChanges(after) : [];
        runs.push({ run, status: error ?? result!.status, ok: result?.ok ?? false, remaining, duplicates: seen });
        if (remaining.length === 0) convergedAfter = run;
    }
    const final = await faultFreePlan(sandbox, context.desired);
    const finalViolations = [
        ...(final.hasChanges || final.summary.conflict > 0 ? [`not converged after ${runs.length} runs: the plan still has ${describeChanges(final).join('; ')}`] : []),
        ...convergedViolations(sandbox.state, context.expectation),
    ];
    return {
        schedule,
        runs,
        convergedAfter,
        falseSuccesses: runs.filter(r => r.ok && r.remaining.length > 0),
        duplicates,
        finalViolations,
        blocked,
        duplicateCounts: duplicateCounts(sandbox.state, context.expectation),
        durationMs: performance.now() - started,
    };
}

/** Whether the outcome breaks a promise: a duplicate, a false success, non-convergence or a violated invariant. */
export function failed(outcome: ScheduleOutcome): boolean {
    return outcome.duplicates.length > 0 || outcome.falseSuccesses.length > 0 || outcome.finalViolations.length > 0;
}

/** A failure report a person can act on: the seed, the schedule, what broke and each run. */
export function describeOutcome(outcome: ScheduleOutcome): string {
    const lines = [
        `seed ${outcome.schedule.seed}: ${outcome.schedule.rules.join(',')}`,
        ...outcome.duplicates.map(d => `  duplicate after a run: ${d}`),
        ...outcome.falseSuccesses.map(r => `  false success: run ${r.run} reported ${r.status} (exit 0) but the next plan has ${r.remaining.join('; ')}`),
        ...outcome.finalViolations.map(v => `  final: ${v}`),
        ...outcome.runs.map(r => `  run ${r.run}: ${r.status}${r.remaining.length > 0 ? ` → ${r.remaining.length} item(s) left` : ' → converged'}`),
    ];
    return lines.join('\n');
}

/** Runs the seeds' schedules on `workers` sandboxes at once (the Dixa client throttle is per provider, mostly waiting). */
export async function runSchedules(
    context: FixtureContext,
    seeds: readonly number[],
    options: {
        workers: number;
        maxRuns: number;
        tuning: ProviderTuning;
        onOutcome?: (outcome: ScheduleOutcome, done: number) => void;
        /** Checked before each schedule starts: true ends the run early (the soak's time bound). */
        shouldStop?: () => boolean;
    },
): Promise<ScheduleOutcome[]> {
    const outcomes: ScheduleOutcome[] = new Array(seeds.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
        const sandbox = await startSandbox({ port: 0, seed: 'demo', dixaRateLimit: false, maxLoggedRequests: 1 });
        try {
            while (next < seeds.length && !options.shouldStop?.()) {
                const index = next++;
                const outcome = await runSchedule(sandbox, context, scheduleFor(seeds[index]!, { clientTimeoutMs: options.tuning.timeoutMs }), options);
                outcomes[index] = outcome;
                options.onOutcome?.(outcome, ++done);
            }
        } finally {
            await sandbox.close();
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.workers) }, worker));
    // In seed order; schedules not started (time bound) are left out.
    return outcomes.filter(o => o !== undefined);
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
