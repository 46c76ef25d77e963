/**
 * `npm run soak` (issue 7): the fault property test's schedules at scale, plus racing applies.
 *
 *   npm run soak                                   1,000 schedules (seeds 1–1000) and 20 racing trials
 *   npm run soak -- --seed 137 --schedules 1       one schedule again, with its runs
 *   npm run soak -- --schedules 0 --races 5        racing trials only
 *
 * Schedules: test/support/fault-schedules.ts (every vendor, method and path, every fault kind, at most
 * 20 % per request; up to 8 plan → apply runs each). Reports duplicates, false successes (exit 0 but
 * the next plan not empty) and how many converged within 3 and within 8 runs.
 *
 * Racing trials: two plans computed from the same accounts and applied at once against one sandbox
 * with latency (as two people pressing Apply), then up to 3 follow-up runs: duplicates left, and
 * integrations blocked (a follow-up plan with conflicts, e.g. two queues with one name).
 *
 * Bounded in time: no schedule starts after --max-minutes (default 10); the table says how many ran.
 * Exit code 1 when any promise was broken, so CI can run it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, urlTarget } from '../src/cli/run-lock.js';
import { parseArgs } from 'node:util';
import { applyPlan, readLiveState } from '../src/apply/index.js';
import { computePlan } from '../src/plan/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { fixtureState } from '../test/support/fault-fixture.js';
import {
    describeChanges,
    describeOutcome,
    failed,
    faultFreePlan,
    fixtureContext,
    MAX_FAULT_RATE,
    planAndApply,
    providersFor,
    runSchedules,
    type FixtureContext,
    type ProviderTuning,
    type ScheduleOutcome,
} from '../test/support/fault-schedules.js';
import { convergedViolations, duplicateCounts, duplicateViolations } from '../test/support/invariants.js';

const USAGE = 'usage: npm run soak -- [--schedules N] [--seed FIRST] [--races N] [--latency MS] [--workers N] [--timeout MS] [--max-minutes M]';
const MAX_RUNS = 8;
const FOLLOW_UPS = 3;

interface Options {
    readonly schedules: number;
    readonly seed: number;
    readonly races: number;
    readonly latencyMs: number;
    readonly workers: number;
    readonly timeoutMs: number;
    readonly maxMinutes: number;
}

function readOptions(argv: readonly string[]): Options {
    const { values } = parseArgs({
        args: [...argv],
        options: {
            schedules: { type: 'string', default: '1000' },
            seed: { type: 'string', default: '1' },
            races: { type: 'string', default: '20' },
            latency: { type: 'string', default: '20' },
            workers: { type: 'string', default: '10' },
            timeout: { type: 'string', default: '300' },
            'max-minutes': { type: 'string', default: '10' },
            help: { type: 'boolean', default: false },
        },
        strict: true,
    });
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
    }
    const integer = (name: string, text: string, min: number) => {
        const n = Number(text);
        if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer of at least ${min} (got "${text}")`);
        return n;
    };
    return {
        schedules: integer('schedules', values.schedules, 0),
        seed: integer('seed', values.seed, 0),
        races: integer('races', values.races, 0),
        latencyMs: integer('latency', values.latency, 0),
        workers: integer('workers', values.workers, 1),
        timeoutMs: integer('timeout', values.timeout, 1),
        maxMinutes: integer('max-minutes', values['max-minutes'], 1),
    };
}

const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);
const seedList = (outcomes: readonly ScheduleOutcome[]) => {
    const seeds = outcomes.map(o => o.schedule.seed);
    return seeds.length === 0 ? 'none' : seeds.length > 25 ? `${seeds.slice(0, 25).join(', ')}, … (${seeds.length})` : seeds.join(', ');
};

// ─── Racing trials ──────────────────────────────────────────────────────────────────────────────────

/**
 * `lock`: both racers take the run lock the CLI takes (one machine: the guarantee is no duplicate at
 * all). `none`: no lock can be shared (two CI runners): Dixa queue twins can then happen and no API can
 * remove them, so the promise is no Synthflow duplicate left and no blocked integration.
 */
type RaceMode = 'lock' | 'none';

interface RaceOutcome {
    readonly trial: number;
    readonly mode: RaceMode;
    /** What the two concurrent applies reported. */
    readonly racers: readonly string[];
    readonly duplicates: { transfers: number; numbers: number; queues: number };
    readonly duplicateViolations: readonly string[];
    readonly blocked: boolean;
    readonly converged: boolean;
    readonly violations: readonly string[];
}

async function race(context: FixtureContext, trial: number, mode: RaceMode, lockDir: string, options: Options, tuning: ProviderTuning): Promise<RaceOutcome> {
    const sandbox = await startSandbox({ port: 0, seed: 'demo', dixaRateLimit: false, latencyMs: options.latencyMs, maxLoggedRequests: 1 });
    try {
        sandbox.replaceState(fixtureState(context.fixture));
        const { desired } = context;
        // The second racer starts up to 19 ms later: each trial interleaves the two differently.
        const stagger = trial % 20;
        const racer = async (delayMs: number): Promise<string> => {
            await new Promise(resolve => setTimeout(resolve, delayMs));
            const providers = providersFor(sandbox, desired, tuning);
            // As `sipflow apply` does: the lock is held from the plan through the apply.
            const key = { integration: desired.integration, workspace: desired.synthflow.workspace, target: urlTarget(sandbox.dixaBaseUrl, sandbox.synthflowBaseUrl) };
            const lock = mode === 'lock' ? await acquireRunLock(key, { timeoutMs: 120_000, command: `soak racer ${trial}`, dir: lockDir }) : undefined;
            try {
                const plan = computePlan(desired, await readLiveState(desired, providers));
                return (await applyPlan(plan, providers)).status;
            } catch (error) {
                return `error: ${error instanceof Error ? error.message : String(error)}`;
            } finally {
                lock?.release();
                providers.close();
            }
        };
        const racers = await Promise.all([racer(0), racer(stagger)]);
        let blocked = false;
        let converged = false;
        for (let run = 0; run < FOLLOW_UPS && !converged; run++) {
            const plan = await faultFreePlan(sandbox, desired);
            if (plan.summary.conflict > 0) {
                blocked = true;
                break;
            }
            if (!plan.hasChanges) {
                converged = true;
                break;
            }
            await planAndApply(sandbox, desired, tuning);
        }
        if (!converged && !blocked) {
            const plan = await faultFreePlan(sandbox, desired);
            blocked = plan.summary.conflict > 0;
            converged = !plan.hasChanges && !blocked;
        }
        const final = await faultFreePlan(sandbox, desired);
        const violations = [
            ...(final.hasChanges || final.summary.conflict > 0 ? [`plan not empty after ${FOLLOW_UPS} follow-ups: ${describeChanges(final).join('; ')}`] : []),
            ...convergedViolations(sandbox.state, context.expectation),
        ];
        return {
            trial,
            mode,
            racers,
            duplicates: duplicateCounts(sandbox.state, context.expectation),
            duplicateViolations: duplicateViolations(sandbox.state),
            blocked,
            converged,
            violations,
        };
    } finally {
        await sandbox.close();
    }
}

// ─── Main ───────────────────────────────────────────────────────────────────────────────────────────

// eslint-disable-next-line max-lines-per-function -- the soak's script, read top to bottom: schedules, races, the table
async function main(): Promise<number> {
    const options = readOptions(process.argv.slice(2));
    const tuning: ProviderTuning = { timeoutMs: options.timeoutMs, retryBaseDelayMs: 1 };
    const context = await fixtureContext();
    const started = performance.now();
    const deadline = started + options.maxMinutes * 60_000;
    const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

    // Schedules, stopping (between schedules) at the deadline.
    const seeds = Array.from({ length: options.schedules }, (_, i) => options.seed + i);
    const progressEvery = Math.max(1, Math.round(options.schedules / 20));
    let brokenSoFar = 0;
    const outcomes = await runSchedules(context, seeds, {
        workers: options.workers,
        maxRuns: MAX_RUNS,
        tuning,
        shouldStop: () => performance.now() > deadline,
        onOutcome: (outcome, done) => {
            if (failed(outcome)) brokenSoFar++;
            if (done % progressEvery === 0 || done === seeds.length) {
                const rate = done / ((performance.now() - started) / 1000);
                process.stderr.write(
                    `soak: ${done}/${seeds.length} schedules, ${brokenSoFar} broke a promise, ${elapsed()} (about ${Math.ceil((seeds.length - done) / rate)} s left)\n`,
                );
            }
        },
    });

    // Racing trials, a few at a time: on one machine (the run lock), then across machines (no lock).
    const lockDir = mkdtempSync(join(tmpdir(), 'sipflow-soak-locks-'));
    const races: RaceOutcome[] = [];
    for (const mode of ['lock', 'none'] as const) {
        for (let first = 1; first <= options.races; first += 5) {
            const batch = Array.from({ length: Math.min(5, options.races - first + 1) }, (_, i) => first + i);
            races.push(...(await Promise.all(batch.map(trial => race(context, trial, mode, lockDir, options, tuning)))));
            process.stderr.write(
                `soak: ${races.filter(r => r.mode === mode).length}/${options.races} racing trials (${mode === 'lock' ? 'with the run lock' : 'no lock'}), ${elapsed()}\n`,
            );
        }
    }
    rmSync(lockDir, { recursive: true, force: true });

    // Report.
    const ran = outcomes.length;
    const withDuplicates = outcomes.filter(o => o.duplicates.length > 0);
    const falseSuccess = outcomes.filter(o => o.falseSuccesses.length > 0);
    const falseSuccessRuns = outcomes.reduce((n, o) => n + o.falseSuccesses.length, 0);
    const within = (runs: number) => outcomes.filter(o => o.convergedAfter !== null && o.convergedAfter <= runs && o.finalViolations.length === 0).length;
    const neverConverged = outcomes.filter(o => o.convergedAfter === null);
    const invariantBroken = outcomes.filter(o => o.finalViolations.some(v => !v.startsWith('not converged')));
    const blocked = outcomes.filter(o => o.blocked);
    const sum = (key: 'transfers' | 'numbers' | 'queues') => outcomes.reduce((n, o) => n + o.duplicateCounts[key], 0);
    const raceRows = (mode: RaceMode): Array<[string, string, string]> => {
        const of = races.filter(r => r.mode === mode);
        const dup = of.filter(r => r.duplicates.transfers + r.duplicates.numbers + r.duplicates.queues > 0 || r.duplicateViolations.length > 0);
        const sumOf = (key: 'transfers' | 'numbers' | 'queues') => of.reduce((n, r) => n + r.duplicates[key], 0);
        const blockedOf = of.filter(r => r.blocked);
        // Without a lock, a queue twin is expected (no API removes one): only the other invariants count.
        const brokenOf = of.filter(r => r.violations.some(v => mode === 'lock' || !/queue/.test(v)));
        return [
            [
                mode === 'lock' ? 'racing trials, one machine (run lock)' : 'racing trials, no lock (two CI runners)',
                String(of.length),
                `two applies at once, ${options.latencyMs} ms latency, then ≤ ${FOLLOW_UPS} follow-ups`,
            ],
            [
                '  with duplicates left',
                String(dup.length),
                `LIVE_TRANSFER ${sumOf('transfers')}, numbers ${sumOf('numbers')}, queues ${sumOf('queues')}${mode === 'none' ? ' (queue twins: no API removes one; sipflow picks one)' : ''}`,
            ],
            ['  blocked (follow-up plan with conflicts)', String(blockedOf.length), blockedOf.map(r => `#${r.trial}`).join(', ') || 'none'],
            ['  other invariant violated after follow-ups', String(brokenOf.length), brokenOf.map(r => `#${r.trial}`).join(', ') || 'none'],
        ];
    };
    const raceFailed = races.some(
        r =>
            r.blocked ||
            r.duplicates.transfers + r.duplicates.numbers > 0 ||
            (r.mode === 'lock' && (r.duplicates.queues > 0 || r.duplicateViolations.length > 0 || r.violations.length > 0)) ||
            (r.mode === 'none' && r.violations.some(v => !/queue/.test(v))),
    );

    const rows: Array<[string, string, string]> = [
        [
            'fault schedules run',
            `${ran}${ran < seeds.length ? ` of ${seeds.length} (time bound)` : ''}`,
            `seeds ${options.seed}–${options.seed + Math.max(0, ran - 1)}, ≤ ${MAX_FAULT_RATE * 100} % per request, ≤ ${MAX_RUNS} runs`,
        ],
        ['  with a duplicate after a run', `${withDuplicates.length} (${percent(withDuplicates.length, ran)})`, seedList(withDuplicates)],
        ['  duplicate LIVE_TRANSFER actions left', String(sum('transfers')), `numbers ${sum('numbers')}, queues ${sum('queues')}`],
        [
            '  false successes (exit 0, next plan not empty)',
            `${falseSuccess.length} (${percent(falseSuccess.length, ran)})`,
            `${falseSuccessRuns} run(s); seeds ${seedList(falseSuccess)}`,
        ],
        ['  converged within 3 runs', `${within(3)} (${percent(within(3), ran)})`, 'plan empty and every invariant holds'],
        ['  converged within 8 runs', `${within(8)} (${percent(within(8), ran)})`, ''],
        ['  never converged (8 runs)', `${neverConverged.length} (${percent(neverConverged.length, ran)})`, seedList(neverConverged)],
        ['  final invariant violated', `${invariantBroken.length} (${percent(invariantBroken.length, ran)})`, seedList(invariantBroken)],
        ['  blocked (a plan with conflicts)', `${blocked.length}`, seedList(blocked)],
        ...raceRows('lock'),
        ...raceRows('none'),
    ];
    const width = [0, 1, 2].map(i => Math.max(...rows.map(r => r[i]!.length)));
    const out = [
        '',
        `sipflow soak: ${elapsed()}, ${options.workers} sandboxes at once, client timeout ${options.timeoutMs} ms`,
        '',
        ...rows.map(r => `${r[0].padEnd(width[0]!)}  ${r[1].padStart(width[1]!)}  ${r[2]}`),
        '',
        `Reproduce: npm run soak -- --seed ${options.seed} --schedules ${options.schedules} --races ${options.races} --latency ${options.latencyMs}`,
        'One schedule with its runs: npm run soak -- --seed SEED --schedules 1 --races 0',
    ];
    const broken = outcomes.filter(failed);
    if (broken.length > 0) {
        out.push('', `First ${Math.min(5, broken.length)} broken schedules:`, ...broken.slice(0, 5).map(describeOutcome));
    }
    for (const r of races.filter(r => (r.mode === 'lock' ? r.violations.length > 0 || r.blocked : r.blocked || r.violations.some(v => !/queue/.test(v)))).slice(0, 3)) {
        out.push(
            '',
            `racing trial #${r.trial} (${r.mode === 'lock' ? 'run lock' : 'no lock'}): racers ${r.racers.join(' / ')}${r.blocked ? ', blocked' : ''}`,
            ...r.violations.map(v => `  ${v}`),
        );
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return broken.length > 0 || raceFailed ? 1 : 0;
}

main().then(
    code => process.exit(code),
    error => {
        process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
        process.exit(2);
    },
);
