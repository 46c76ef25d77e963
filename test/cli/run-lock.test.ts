// The run lock (src/cli/run-lock.ts): the lock itself in-process, then the bundled CLI as a user runs it,
// against a sandbox with latency: two applies racing, refusals that send nothing, waiting, stale locks,
// and release on errors and signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, awaitRunLockFree, lockDirectory, lockFileName, RunLockHeldError, urlTarget, type LockHolder, type RunLockKey } from '../../src/cli/run-lock.js';
import { cliRunLockKey } from '../../src/cli/commands/run-lock-options.js';
import { readLiveState } from '../../src/apply/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { computePlan } from '../../src/plan/index.js';
import { createDixaProvider } from '../../src/providers/dixa/index.js';
import { createSynthflowProvider } from '../../src/providers/synthflow/index.js';
import { startSandbox, type Sandbox, type SandboxState } from '../../src/sandbox/index.js';
import { desiredFrom } from '../model/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const WORKSPACE = /workspace\s+"([^"]+)"/.exec(EXAMPLE)![1]!;

let lockDir: string;
beforeEach(() => {
    lockDir = mkdtempSync(path.join(tmpdir(), 'sipflow-locks-'));
});
afterEach(() => rmSync(lockDir, { recursive: true, force: true }));

const lockFiles = () => readdirSync(lockDir).filter(name => name.endsWith('.lock'));

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise(resolve => child.on('exit', resolve));
    return child.pid!;
}

function staleRecord(key: RunLockKey, pid: number): string {
    const holder: LockHolder = { pid, host: hostname(), command: 'sipflow apply acme.sipflow --yes', since: '2026-01-01T00:00:00Z', ...key, token: 'stale' };
    return JSON.stringify(holder);
}

describe('the lock', () => {
    const key: RunLockKey = { integration: 'acme', workspace: WORKSPACE, target: urlTarget('http://127.0.0.1:1/v1', 'http://127.0.0.1:1/v2') };

    it('is exclusive, names its holder, and is released only by its holder', async () => {
        const first = await acquireRunLock(key, { timeoutMs: 0, command: 'first', dir: lockDir });
        expect(JSON.parse(readFileSync(first.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), command: 'first', integration: 'acme' });
        const refused = await acquireRunLock(key, { timeoutMs: 0, command: 'second', dir: lockDir }).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(RunLockHeldError);
        expect((refused as RunLockHeldError).holder?.command).toBe('first');
        expect((refused as Error).message).toMatch(
            new RegExp(`^integration acme is locked by pid ${process.pid} on host "${hostname()}" \\(first\\) since \\S+Z \\(\\d+ s ago\\); nothing was sent\\.`),
        );
        first.release();
        expect(lockFiles()).toEqual([]);
        const second = await acquireRunLock(key, { timeoutMs: 0, command: 'second', dir: lockDir });
        first.release(); // a second release of an old holding must not remove the new one
        expect(lockFiles()).toHaveLength(1);
        second.release();
        expect(lockFiles()).toEqual([]);
    });

    it('waits up to the timeout, saying so once, and gets the lock when it is released', async () => {
        const held = await acquireRunLock(key, { timeoutMs: 0, command: 'holder', dir: lockDir });
        setTimeout(() => held.release(), 400);
        const waits: string[] = [];
        const started = Date.now();
        const waiter = await acquireRunLock(key, { timeoutMs: 5_000, command: 'waiter', dir: lockDir, onWait: holder => waits.push(holder.command) });
        expect(Date.now() - started).toBeGreaterThanOrEqual(300);
        expect(waits).toEqual(['holder']);
        waiter.release();
        const again = await acquireRunLock(key, { timeoutMs: 0, command: 'holder', dir: lockDir });
        await expect(acquireRunLock(key, { timeoutMs: 300, command: 'late', dir: lockDir })).rejects.toBeInstanceOf(RunLockHeldError);
        again.release();
    });

    it('takes over a lock whose holder no longer runs on this host; keeps one held by a live process', async () => {
        const file = path.join(lockDir, lockFileName(key));
        writeFileSync(file, staleRecord(key, await deadPid()));
        const removed: number[] = [];
        const lock = await acquireRunLock(key, { timeoutMs: 0, command: 'new', dir: lockDir, onStaleRemoved: holder => removed.push(holder.pid) });
        expect(removed).toHaveLength(1);
        expect(JSON.parse(readFileSync(file, 'utf8')).command).toBe('new');
        lock.release();
        // Same record, but the pid is alive (this process): not stale.
        writeFileSync(file, staleRecord(key, process.pid));
        await expect(acquireRunLock(key, { timeoutMs: 0, command: 'new', dir: lockDir })).rejects.toBeInstanceOf(RunLockHeldError);
        // And a record from another host is never judged by pid.
        writeFileSync(file, JSON.stringify({ ...JSON.parse(staleRecord(key, await deadPid())), host: 'elsewhere.example' }));
        await expect(acquireRunLock(key, { timeoutMs: 0, command: 'new', dir: lockDir })).rejects.toBeInstanceOf(RunLockHeldError);
    });

    it('plan waits without taking the lock, and removes a stale one', async () => {
        await awaitRunLockFree(key, { timeoutMs: 0, command: 'plan', dir: lockDir });
        expect(lockFiles()).toEqual([]);
        const held = await acquireRunLock(key, { timeoutMs: 0, command: 'apply', dir: lockDir });
        await expect(awaitRunLockFree(key, { timeoutMs: 0, command: 'plan', dir: lockDir })).rejects.toBeInstanceOf(RunLockHeldError);
        held.release();
        writeFileSync(path.join(lockDir, lockFileName(key)), staleRecord(key, await deadPid()));
        await awaitRunLockFree(key, { timeoutMs: 0, command: 'plan', dir: lockDir });
        expect(lockFiles()).toEqual([]);
    });

    it('refuses a lock file that is not a lock record, naming the file', async () => {
        const file = path.join(lockDir, lockFileName(key));
        writeFileSync(file, 'not json');
        const refused = (await acquireRunLock(key, { timeoutMs: 0, command: 'x', dir: lockDir }).catch((e: unknown) => e)) as Error;
        expect(refused).toBeInstanceOf(RunLockHeldError);
        expect(refused.message).toContain(file);
    });

    it('is one file per integration, workspace and target; the directory is per user and overridable', () => {
        const names = new Set([
            lockFileName(key),
            lockFileName({ ...key, integration: 'other' }),
            lockFileName({ ...key, workspace: 'another-workspace' }),
            lockFileName({ ...key, target: urlTarget('http://127.0.0.1:2/v1', 'http://127.0.0.1:2/v2') }),
        ]);
        expect(names.size).toBe(4);
        expect(lockFileName(key)).toMatch(/^acme-[0-9a-f]{16}\.lock$/);
        expect(urlTarget('https://dev.dixa.io/v1/', 'https://api.eu.synthflow.ai/v2')).toBe(urlTarget('https://dev.dixa.io/v1', 'https://api.eu.synthflow.ai/v2/'));
        expect(lockDirectory({ SIPFLOW_LOCK_DIR: '/x/locks', XDG_STATE_HOME: '/state' })).toBe(path.resolve('/x/locks'));
        expect(lockDirectory({ XDG_STATE_HOME: '/state' })).toBe(path.join('/state', 'sipflow', 'locks'));
    });
});

// ─── The CLI ──────────────────────────────────────────────────────────────────────────────────────

interface Run {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly pid: number;
}

interface Started {
    readonly child: ChildProcess;
    readonly done: Promise<Run>;
    stderrSoFar(): string;
}

let sandbox: Sandbox;
let dir: string;

/** Children still running: a failed or timed-out test must not leave them sending requests. */
const running = new Set<ChildProcess>();
afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
});

/** Runs the bundled CLI against `target` (the suite's sandbox by default), no terminal, no colour. */
function start(args: readonly string[], env: Record<string, string | undefined> = {}, target: Sandbox = sandbox): Started {
    const childEnv: NodeJS.ProcessEnv = {
        ...process.env,
        NO_COLOR: '1',
        SIPFLOW_LOCK_DIR: lockDir,
        DIXA_BASE_URL: target.dixaBaseUrl,
        DIXA_API_TOKEN: target.dixaToken,
        SYNTHFLOW_BASE_URL: target.synthflowBaseUrl,
        SYNTHFLOW_API_KEY: target.synthflowKey,
    };
    for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete childEnv[name];
        else childEnv[name] = value;
    }
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', chunk => (stdout += chunk));
    child.stderr!.on('data', chunk => (stderr += chunk));
    const done = new Promise<Run>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) => {
            running.delete(child);
            resolve({ code, signal, stdout, stderr, pid: child.pid! });
        });
    });
    return { child, done, stderrSoFar: () => stderr };
}

const sipflow = (args: readonly string[], env?: Record<string, string | undefined>, target?: Sandbox) => start(args, env, target).done;

/** Objects sipflow must never create twice: queues by name, numbers by E.164, LIVE_TRANSFER actions by target. */
function duplicates(state: SandboxState): string[] {
    const keys = [
        ...state.dixa.queues.map(q => `queue ${q.name}`),
        ...state.synthflow.numbers.map(n => `number ${n.phone_number}`),
        ...state.synthflow.actions.filter(a => a.action_type === 'LIVE_TRANSFER').map(a => `LIVE_TRANSFER ${a.name} ${JSON.stringify(a.config)}`),
    ];
    return keys.filter((key, index) => keys.indexOf(key) !== index);
}

/** Whether a plan of the example against `target` would change anything (in-process: cheaper than the CLI). */
async function hasChanges(target: Sandbox): Promise<boolean> {
    const desired = await desiredFrom(EXAMPLE);
    const dixa = createDixaProvider({ baseUrl: target.dixaBaseUrl, apiKey: target.dixaToken });
    const synthflow = createSynthflowProvider({ baseUrl: target.synthflowBaseUrl, apiKey: target.synthflowKey, workspace: desired.synthflow.workspace });
    try {
        return computePlan(desired, await readLiveState(desired, { dixa, synthflow })).hasChanges;
    } finally {
        dixa.close();
        synthflow.close();
    }
}

const cliKey = (): RunLockKey => ({ integration: 'acme', workspace: WORKSPACE, target: urlTarget(sandbox.dixaBaseUrl, sandbox.synthflowBaseUrl) });

/** Per request: widens the window in which two unlocked applies both see "no queue yet". */
const RACE_LATENCY_MS = 30;

const REFUSAL = /^sipflow: integration acme is locked by pid (\d+) on host "([^"]+)" \((.+)\) since (\S+Z) \(\d+ s ago\); nothing was sent\. .+\n$/;

describe('sipflow apply and plan with the run lock', () => {
    beforeAll(async () => {
        if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
        dir = mkdtempSync(path.join(tmpdir(), 'sipflow-race-'));
        writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
        // Latency per request widens the window in which two unlocked applies both see "no queue yet".
        sandbox = await startSandbox({ port: 0, seed: 'demo', latencyMs: 40 });
    });
    afterAll(async () => {
        await sandbox?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => sandbox.reset());

    it('two applies started at the same moment, 10 times: no duplicates; the loser waited or refused; the next plan is empty', async () => {
        // Three lanes of trials at once, each with its own sandbox (so its own lock), without Dixa's rate
        // limit (the latency is what opens the race; the limit would only add waiting): the suite stays quick.
        const LANES = 3;
        const TRIALS = 10;
        const sandboxes = await Promise.all(Array.from({ length: LANES }, () => startSandbox({ port: 0, seed: 'demo', latencyMs: RACE_LATENCY_MS, dixaRateLimit: false })));
        const outcomes = { waited: 0, refused: 0, foundNothing: 0 };
        try {
            expect(duplicates(sandboxes[0]!.state)).toEqual([]);
            await Promise.all(
                sandboxes.map(async (target, lane) => {
                    for (let trial = lane; trial < TRIALS; trial += LANES) {
                        target.reset();
                        // Half the trials wait for the lock (--lock-timeout), half refuse at once (the default, 0s).
                        const wait = trial % 2 === 0;
                        const args = ['apply', 'acme.sipflow', '--yes', ...(wait ? ['--lock-timeout', '30s'] : [])];
                        const runs = await Promise.all([sipflow(args, {}, target), sipflow(args, {}, target)]);
                        const about = `trial ${trial}: ${runs.map(r => `exit ${r.code}: ${r.stderr}`).join(' | ')}`;

                        expect(duplicates(target.state), about).toEqual([]);
                        const appliers = runs.filter(
                            r => r.code === 0 && r.stdout.includes('Apply complete: 9 of 9 steps done; a fresh read confirms the accounts match the file.'),
                        );
                        expect(appliers, `${about}: exactly one run applies the 9 steps`).toHaveLength(1);
                        const loser = runs.find(r => r !== appliers[0])!;
                        if (loser.code === 0) {
                            // It waited (or came after the winner had finished) and found nothing left to do.
                            expect(loser.stdout, about).toContain('Nothing to apply: Dixa and Synthflow already match the file.');
                            if (loser.stderr !== '') {
                                expect(wait, about).toBe(true);
                                expect(loser.stderr, about).toMatch(/^sipflow: integration acme is locked by pid \d+ .*; waiting up to 30s…\n$/);
                                outcomes.waited++;
                            } else {
                                outcomes.foundNothing++;
                            }
                        } else {
                            expect(wait, `${about}: only a run without --lock-timeout refuses`).toBe(false);
                            expect(loser.code, about).toBe(1);
                            expect(loser.stdout, about).toBe('');
                            const refusal = REFUSAL.exec(loser.stderr);
                            expect(refusal, about).not.toBeNull();
                            expect(Number(refusal![1]), about).toBe(appliers[0]!.pid);
                            expect(refusal![2]).toBe(hostname());
                            expect(refusal![3]).toBe(`sipflow ${args.join(' ')}`);
                            outcomes.refused++;
                        }
                        expect(await hasChanges(target), `${about}: a plan after it has changes`).toBe(false);
                    }
                    // And as a user checks it, after the lane's last trial.
                    const plan = await sipflow(['plan', 'acme.sipflow', '--detailed-exitcode'], {}, target);
                    expect(plan.code, `${plan.stdout}${plan.stderr}`).toBe(0);
                }),
            );
        } finally {
            await Promise.all(sandboxes.map(s => s.close()));
        }
        expect(outcomes.waited + outcomes.refused + outcomes.foundNothing).toBe(TRIALS);
        // The two processes start together, so the loser normally meets the held lock.
        expect(outcomes.waited + outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(TRIALS / 2);
        expect(lockFiles()).toEqual([]);
    }, 120_000);

    it('refuses at once, in one line naming the holder, with 0 requests sent; --no-lock opts out', async () => {
        const held = await acquireRunLock(cliKey(), { timeoutMs: 0, command: 'sipflow apply acme.sipflow (the test)', dir: lockDir });
        try {
            const before = sandbox.requests.length;
            for (const command of [
                ['apply', 'acme.sipflow', '--yes'],
                ['plan', 'acme.sipflow'],
            ]) {
                const run = await sipflow(command);
                expect(run.code).toBe(1);
                const refusal = REFUSAL.exec(run.stderr);
                expect(refusal, run.stderr).not.toBeNull();
                expect(refusal!.slice(1, 4)).toEqual([String(process.pid), hostname(), 'sipflow apply acme.sipflow (the test)']);
                expect(run.stderr).toContain(held.path);
            }
            expect(sandbox.requests.length - before).toBe(0);

            const unlocked = await sipflow(['plan', 'acme.sipflow', '--no-lock', '--detailed-exitcode']);
            expect([unlocked.code, unlocked.stderr]).toEqual([2, '']);
            const terraformStyle = await sipflow(['plan', 'acme.sipflow', '--lock=false', '--detailed-exitcode']);
            expect([terraformStyle.code, terraformStyle.stderr]).toEqual([2, '']);
            expect(sandbox.requests.length - before).toBeGreaterThan(0);
        } finally {
            held.release();
        }
    });

    it('waits with --lock-timeout, saying so once, then applies', async () => {
        const held = await acquireRunLock(cliKey(), { timeoutMs: 0, command: 'the test', dir: lockDir });
        const started = start(['apply', 'acme.sipflow', '--yes', '--lock-timeout', '20s']);
        // Release once the CLI has said it is waiting (and has therefore met the held lock).
        while (!started.stderrSoFar().includes('waiting up to 20s')) await new Promise(resolve => setTimeout(resolve, 20));
        await new Promise(resolve => setTimeout(resolve, 300));
        held.release();
        const run = await started.done;
        expect(run.code).toBe(0);
        expect(run.stderr.split('\n').filter(line => line.includes('waiting'))).toHaveLength(1);
        expect(run.stderr).toMatch(/^sipflow: integration acme is locked by pid \d+ on host "[^"]+" \(the test\) since \S+ \(\d+ s ago\); waiting up to 20s…\n/);
        expect(run.stdout).toContain('Apply complete: 9 of 9 steps done; a fresh read confirms the accounts match the file.');
        expect(lockFiles()).toEqual([]);
    });

    it('takes over a stale lock, in one line', async () => {
        writeFileSync(path.join(lockDir, lockFileName(cliKey())), staleRecord(cliKey(), await deadPid()));
        const run = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(run.code).toBe(0);
        expect(run.stderr).toMatch(
            /^sipflow: taking over the lock of integration acme: pid \d+ on host "[^"]+" \(sipflow apply acme.sipflow --yes\) since 2026-01-01T00:00:00Z \(\d+ s ago\) is no longer running\.\n/,
        );
        expect(run.stderr.split('\n').filter(line => line.includes('taking over'))).toHaveLength(1);
        expect(lockFiles()).toEqual([]);
    });

    it('releases the lock after an error and after Ctrl+C (also a second, impatient one)', async () => {
        const failed = await sipflow(['apply', 'acme.sipflow', '--yes'], { DIXA_API_TOKEN: undefined });
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain('DIXA_API_TOKEN');
        expect(lockFiles()).toEqual([]);

        for (const presses of [1, 2]) {
            sandbox.reset();
            const started = start(['apply', 'acme.sipflow', '--yes', '--concurrency', '1']);
            // Interrupt once a step has finished: the lock is held and requests are in flight.
            while (!started.stderrSoFar().includes('✓')) await new Promise(resolve => setTimeout(resolve, 10));
            expect(lockFiles()).toHaveLength(1);
            started.child.kill('SIGINT');
            if (presses === 2) {
                await new Promise(resolve => setTimeout(resolve, 20));
                started.child.kill('SIGINT');
            }
            const run = await started.done;
            if (presses === 1) expect(run.code).toBe(1);
            else expect(run.code === 1 || run.signal === 'SIGINT', `${run.code} ${run.signal}`).toBe(true);
            expect(run.stderr).toContain('cancelling');
            expect(lockFiles(), `after ${presses} Ctrl+C`).toEqual([]);
        }
    });

    it('a bad --lock-timeout or --lock is a usage error (exit 1), before anything is read', async () => {
        // A run interrupted by the previous test may still have a request in flight: let it land first.
        await new Promise(resolve => setTimeout(resolve, 500));
        const before = sandbox.requests.length;
        const badTimeout = await sipflow(['apply', 'acme.sipflow', '--yes', '--lock-timeout', '30']);
        expect([badTimeout.code, badTimeout.stderr]).toEqual([1, `sipflow: option '--lock-timeout <duration>' argument '30' is invalid. "30" has no unit: write 30s (or ms, m)\n`]);
        const badLock = await sipflow(['plan', 'acme.sipflow', '--lock=maybe']);
        expect([badLock.code, badLock.stderr]).toEqual([1, `sipflow: option '--lock <boolean>' argument 'maybe' is invalid. write true or false\n`]);
        expect(sandbox.requests.length - before).toBe(0);
    });

    it('--sandbox-state FILE is locked by the file; plain --sandbox (a sandbox of its own) takes no lock', async () => {
        const stateFile = path.join(dir, 'sandbox-state.json');
        const held = await acquireRunLock({ integration: 'acme', workspace: WORKSPACE, target: `sandbox-state=${stateFile}` }, { timeoutMs: 0, command: 'the test', dir: lockDir });
        try {
            const refused = await sipflow(['plan', 'acme.sipflow', '--sandbox', '--sandbox-state', 'sandbox-state.json']);
            expect(refused.code).toBe(1);
            expect(refused.stderr).toMatch(REFUSAL);
        } finally {
            held.release();
        }
        const desired = { integration: 'acme', synthflow: { workspace: WORKSPACE, apiBaseUrl: 'https://api.eu.synthflow.ai/v2' } } as DesiredState;
        expect(cliRunLockKey(desired, { sandbox: true })).toBeUndefined();
        expect(cliRunLockKey(desired, { sandbox: true, sandboxState: stateFile })?.target).toBe(`sandbox-state=${stateFile}`);
        // The live accounts: the same key from any checkout, whatever the directory.
        expect(cliRunLockKey(desired, {}, {})).toEqual({
            integration: 'acme',
            workspace: WORKSPACE,
            target: urlTarget('https://dev.dixa.io/v1', 'https://api.eu.synthflow.ai/v2'),
        });
    });
});
