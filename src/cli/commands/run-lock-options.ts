/**
 * The run lock in the CLI (src/cli/run-lock.ts has the lock itself): `--lock-timeout` and `--no-lock`,
 * the lock key of a run, apply holding it and plan waiting for it. README: "Concurrent runs".
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { onExit } from 'signal-exit';
import { parseDuration } from '../../language/values/durations.js';
import type { DesiredState } from '../../model/index.js';
import { DIXA_API_BASE_URL } from '../../vendors/dixa-facts.js';
import { acquireRunLock, awaitRunLockFree, describeHolder, RunLockError, RunLockHeldError, urlTarget, type LockRequest, type RunLockKey } from '../run-lock.js';
import { CommandError } from '../vendor-session.js';

export interface RunLockOptions {
    /** false with --no-lock / --lock=false. */
    readonly lock?: boolean;
    /** --lock-timeout, in milliseconds. */
    readonly lockTimeout?: number;
    readonly sandbox?: boolean;
    readonly sandboxState?: string;
}

/** `--lock-timeout DURATION` and `--no-lock` (also `--lock=false`), for plan and apply. */
export function addRunLockOptions(command: Command): Command {
    return command
        .addOption(
            new Option('--lock-timeout <duration>', 'how long to wait for another sipflow run of this integration to finish (e.g. 30s, 5m; 0s refuses at once)')
                .default(0, '0s')
                .argParser(parseLockTimeout),
        )
        .addOption(new Option('--lock <boolean>', 'false: do not take the run lock (see --no-lock)').argParser(parseBoolean))
        .addOption(
            new Option('--no-lock', 'do not take the run lock: only when nothing else can run sipflow on this integration at the same time (a race can duplicate Dixa queues)'),
        );
}

function parseLockTimeout(value: string): number {
    const duration = parseDuration(value.trim());
    // InvalidArgumentError: commander reports it as a usage error (exit 1), naming the option.
    if (!duration.ok) throw new InvalidArgumentError(duration.reason.includes('write') ? duration.reason : `${duration.reason}; write e.g. 30s or 5m`);
    return Math.round(duration.seconds * 1000);
}

function parseBoolean(value: string): boolean {
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
    throw new InvalidArgumentError('write true or false');
}

/** The lock key of a CLI run, or undefined when nothing is shared with other processes (plain --sandbox). */
export function cliRunLockKey(desired: DesiredState, options: RunLockOptions, env: NodeJS.ProcessEnv = process.env): RunLockKey | undefined {
    let target: string;
    if (options.sandbox) {
        // An in-process sandbox without a state file lives and dies with this process.
        if (!options.sandboxState) return undefined;
        target = `sandbox-state=${resolve(options.sandboxState)}`;
    } else {
        target = urlTarget(env.DIXA_BASE_URL || DIXA_API_BASE_URL, env.SYNTHFLOW_BASE_URL || desired.synthflow.apiBaseUrl);
    }
    return { integration: desired.integration, workspace: desired.synthflow.workspace, target };
}

/**
 * apply: holds the run lock of `desired` around `run`, taken before any request; released on return,
 * on errors, on exit and on signals. A refusal is a CommandError: one line naming the holder, exit 1.
 */
export async function withRunLock<T>(desired: DesiredState, options: RunLockOptions, run: () => Promise<T>): Promise<T> {
    const key = options.lock === false ? undefined : cliRunLockKey(desired, options);
    if (key === undefined) return run();
    const lock = await acquireRunLock(key, cliLockRequest(key, options)).catch(refusal);
    // Ctrl+C twice, a signal without a handler, process.exit(): the lock still goes (signal-exit).
    const removeExitHandler = onExit(() => lock.release());
    try {
        return await run();
    } finally {
        removeExitHandler();
        lock.release();
    }
}

/**
 * plan: waits while an apply holds the run lock (the accounts are changing under it), removing a stale
 * lock, then returns; the plan reads without holding it, so plans never block each other.
 */
export async function waitUntilNoApplyRuns(desired: DesiredState, options: RunLockOptions): Promise<void> {
    const key = options.lock === false ? undefined : cliRunLockKey(desired, options);
    if (key !== undefined) await awaitRunLockFree(key, cliLockRequest(key, options)).catch(refusal);
}

function cliLockRequest(key: RunLockKey, options: RunLockOptions): LockRequest {
    return {
        timeoutMs: options.lockTimeout ?? 0,
        command: ['sipflow', ...process.argv.slice(2)].join(' '),
        onWait: (holder, _path, timeoutMs) =>
            process.stderr.write(`sipflow: integration ${key.integration} is locked by ${describeHolder(holder)}; waiting up to ${formatMs(timeoutMs)}…\n`),
        onStaleRemoved: holder => process.stderr.write(`sipflow: taking over the lock of integration ${key.integration}: ${describeHolder(holder)} is no longer running.\n`),
    };
}

function refusal(error: unknown): never {
    if (error instanceof RunLockHeldError || error instanceof RunLockError) throw new CommandError(error.message);
    throw error;
}

function formatMs(ms: number): string {
    return ms % 60_000 === 0 && ms > 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
