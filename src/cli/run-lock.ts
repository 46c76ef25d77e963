/**
 * The run lock: at most one `sipflow apply` per integration and account at a time on this machine, like
 * Terraform's state lock. Dixa has no queue update or delete and neither API has compare-and-set, so two
 * applies racing each other can each create the same queue; the only remedy is the Dixa UI.
 *
 * One lock file per integration + Synthflow workspace + target (the base URLs, or the sandbox state file),
 * in a per-user directory: `$SIPFLOW_LOCK_DIR`, else `$XDG_STATE_HOME/sipflow/locks`, else
 * `~/.local/state/sipflow/locks` (`%LOCALAPPDATA%\sipflow\locks` on Windows). Two checkouts of one repository
 * therefore share it. The file holds who has it (pid, host, command, since), so a refusal can say.
 *
 * Taking it is atomic: the holder's record is written to a private file and hard-linked into place, which
 * fails when the lock exists (and never shows a half-written record). A lock whose holder is a process of
 * this host that no longer runs is stale and taken over; removing it happens under a second, short-lived
 * `.takeover` lock, so two runs that both find it stale cannot remove a fresh lock the other just took.
 *
 * `plan` does not hold the lock (concurrent plans are fine): it waits while an apply holds it, because the
 * accounts are changing under it, and then reads without it. A saved plan is re-checked by apply anyway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { onExit } from 'signal-exit';
import { parseDuration } from '../language/values/misc.js';
import type { DesiredState } from '../model/index.js';
import { DIXA_API_BASE_URL } from '../vendors/dixa-facts.js';
import { CommandError } from './vendor-session.js';

// ─── The lock itself (also used by the VS Code extension) ─────────────────────────────────────────

/** What identifies the state a run changes: one integration in one pair of accounts. */
export interface RunLockKey {
    readonly integration: string;
    readonly workspace: string;
    /** Where the accounts are: `dixa=URL synthflow=URL`, or `sandbox-state=PATH`. No secret. */
    readonly target: string;
}

/** The record in a lock file. */
export interface LockHolder {
    readonly pid: number;
    readonly host: string;
    /** `sipflow apply acme.sipflow --yes`, or what the extension is doing. */
    readonly command: string;
    /** ISO 8601, UTC. */
    readonly since: string;
    readonly integration: string;
    readonly workspace: string;
    readonly target: string;
    /** Tells this holding apart from an earlier one of the same pid. */
    readonly token: string;
}

export interface LockEvents {
    /** Once, when the lock is held by a live run and the caller starts waiting for it. */
    onWait?(holder: LockHolder, lockPath: string, timeoutMs: number): void;
    /** When a stale lock (its holder no longer runs on this host) is removed. */
    onStaleRemoved?(holder: LockHolder, lockPath: string): void;
}

export interface LockRequest extends LockEvents {
    /** How long to wait for a live holder; 0 refuses at once (Terraform's default). */
    readonly timeoutMs: number;
    /** What this run is, for other runs' messages. */
    readonly command: string;
    /** The lock directory; default lockDirectory(). */
    readonly dir?: string;
    readonly signal?: AbortSignal;
}

/** The lock is held by another run (or its file cannot be read) and the timeout has passed. */
export class RunLockHeldError extends Error {
    override readonly name = 'RunLockHeldError';
    constructor(
        readonly key: RunLockKey,
        readonly lockPath: string,
        /** undefined when the lock file exists but is not a sipflow lock record. */
        readonly holder: LockHolder | undefined,
    ) {
        super(
            holder
                ? `integration ${key.integration} is locked by ${describeHolder(holder)}; nothing was sent. Wait for that run, retry with --lock-timeout 5m, or, if it is not running, delete ${lockPath}`
                : `integration ${key.integration} is locked: ${lockPath} exists but is not a sipflow lock record; nothing was sent. If no sipflow run is active, delete it`,
        );
    }
}

/** A lock this process holds. release() is idempotent and synchronous (it also runs from exit handlers). */
export interface HeldRunLock {
    readonly path: string;
    readonly holder: LockHolder;
    release(): void;
}

/** `pid 4242 on host "ci-7" (sipflow apply acme.sipflow --yes) since 2026-12-01T20:01:02Z (12 s ago)` */
export function describeHolder(holder: LockHolder, now = Date.now()): string {
    const ago = Math.max(0, Math.round((now - Date.parse(holder.since)) / 1000));
    return `pid ${holder.pid} on host "${holder.host}" (${holder.command}) since ${holder.since} (${ago} s ago)`;
}

/** The per-user lock directory (not created here). */
export function lockDirectory(env: NodeJS.ProcessEnv = process.env): string {
    if (env.SIPFLOW_LOCK_DIR) return resolve(env.SIPFLOW_LOCK_DIR);
    if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'sipflow', 'locks');
    if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'sipflow', 'locks');
    return join(homedir(), '.local', 'state', 'sipflow', 'locks');
}

/** The lock file of a key: readable by its integration name, unique by a hash of the whole key. */
export function lockFileName(key: RunLockKey): string {
    const hash = createHash('sha256').update(JSON.stringify([key.integration, key.workspace, key.target])).digest('hex').slice(0, 16);
    return `${key.integration.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${hash}.lock`;
}

/** The lock key of a target given by base URLs (trailing slashes do not make another account). */
export function urlTarget(dixaBaseUrl: string, synthflowBaseUrl: string): string {
    return `dixa=${dixaBaseUrl.replace(/\/+$/, '')} synthflow=${synthflowBaseUrl.replace(/\/+$/, '')}`;
}

/**
 * Takes the lock of `key`, waiting up to `timeoutMs` for a live holder, taking over a stale one.
 * Throws RunLockHeldError when it stays held; CommandError when the directory cannot be used.
 */
export async function acquireRunLock(key: RunLockKey, request: LockRequest): Promise<HeldRunLock> {
    const { path, dir } = prepare(key, request.dir);
    const holder: LockHolder = {
        pid: process.pid,
        host: hostname(),
        command: request.command,
        since: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        integration: key.integration,
        workspace: key.workspace,
        target: key.target,
        token: randomBytes(12).toString('hex'),
    };
    const record = `${JSON.stringify(holder, null, 2)}\n`;
    await untilFree(key, path, dir, request, () => (linkRecord(dir, path, record) ? 'taken' : 'exists'));
    let released = false;
    return {
        path,
        holder,
        release() {
            if (released) return;
            released = true;
            // Remove it only while it is still ours: a lock taken over from us is someone else's now.
            if (readRecord(path)?.token === holder.token) unlinkQuietly(path);
        },
    };
}

/** Waits until no live run holds the lock of `key` (removing a stale one), without taking it: for plan. */
export async function awaitRunLockFree(key: RunLockKey, request: LockRequest): Promise<void> {
    const { path, dir } = prepare(key, request.dir);
    await untilFree(key, path, dir, request, () => (exists(path) ? 'exists' : 'taken'));
}

/** After this many milliseconds another run's takeover is surely over (it takes a few file operations). */
const TAKEOVER_GRACE_MS = 2_000;

async function untilFree(key: RunLockKey, path: string, dir: string, request: LockRequest, attempt: () => 'taken' | 'exists'): Promise<void> {
    const deadline = Date.now() + Math.max(0, request.timeoutMs);
    let waiting = false;
    let takeoverBusySince: number | undefined;
    for (;;) {
        if (request.signal?.aborted) throw new CommandError(`cancelled while waiting for the lock of integration ${key.integration}; nothing was sent`);
        if (attempt() === 'taken') return;
        const raw = readLockFile(path);
        if (raw === undefined) continue; // released in between: try again at once
        const holder = parseRecord(raw);
        if (holder !== undefined && isStale(holder)) {
            const removal = removeStale(dir, path, raw);
            if (removal === 'removed') request.onStaleRemoved?.(holder, path);
            if (removal !== 'busy') continue;
            // Another run is taking it over this very moment: its outcome decides, whatever the timeout.
            takeoverBusySince ??= Date.now();
            if (Date.now() - takeoverBusySince < TAKEOVER_GRACE_MS) {
                await sleep(10);
                continue;
            }
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new RunLockHeldError(key, path, holder);
        if (!waiting && holder !== undefined) request.onWait?.(holder, path, request.timeoutMs);
        waiting = true;
        // Poll with jitter, so that waiters do not move in step.
        await sleep(Math.min(remaining, 50 + Math.random() * 100), request.signal);
    }
}

function prepare(key: RunLockKey, dirOption: string | undefined): { path: string; dir: string } {
    const dir = dirOption ?? lockDirectory();
    try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        // A home without room for state (a read-only CI image) still gets a per-user lock directory.
        if (dirOption === undefined && !process.env.SIPFLOW_LOCK_DIR) {
            const fallback = join(tmpdir(), `sipflow-locks-${userId()}`);
            try {
                mkdirSync(fallback, { recursive: true, mode: 0o700 });
                return { dir: fallback, path: join(fallback, lockFileName(key)) };
            } catch {
                // fall through to the message about the first directory
            }
        }
        throw new CommandError(`cannot use the lock directory ${dir} (${code}): set SIPFLOW_LOCK_DIR to a writable directory, or pass --no-lock`);
    }
    return { dir, path: join(dir, lockFileName(key)) };
}

/** Writes `record` to a private file and hard-links it to `path`: true when that made us the holder. */
function linkRecord(dir: string, path: string, record: string): boolean {
    const temporary = join(dir, `.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
        writeFileSync(temporary, record, { encoding: 'utf8', flag: 'wx', mode: 0o600 });
        linkSync(temporary, path);
        return true;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw new CommandError(`cannot create the lock ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}): set SIPFLOW_LOCK_DIR to a local directory, or pass --no-lock`);
    } finally {
        unlinkQuietly(temporary);
    }
}

/**
 * Removes the lock at `path` if it still is exactly the stale record `staleRaw`. Only one run at a time
 * does this (under `path.takeover`); fresh takers only ever link, which fails while the stale file exists,
 * so between the check and the unlink nobody else can have replaced it.
 */
function removeStale(dir: string, path: string, staleRaw: string): 'removed' | 'changed' | 'busy' {
    const guard = `${path}.takeover`;
    const guardRecord = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`;
    if (!linkRecord(dir, guard, guardRecord)) {
        const guardHolder = parseGuard(readRaw(guard));
        // A run that died in the middle of a takeover must not block every later one.
        if (guardHolder !== undefined && guardHolder.host === hostname() && !isAlive(guardHolder.pid)) unlinkQuietly(guard);
        return 'busy';
    }
    try {
        if (readRaw(path) !== staleRaw) return 'changed';
        unlinkQuietly(path);
        return 'removed';
    } finally {
        unlinkQuietly(guard);
    }
}

function isStale(holder: LockHolder): boolean {
    return holder.host === hostname() && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        // EPERM: it exists, it is just not ours to signal.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}

function readRaw(path: string): string | undefined {
    try {
        return readFileSync(path, 'utf8');
    } catch {
        return undefined;
    }
}

/** Like readRaw, but only a missing file is undefined: an unreadable one must not spin the wait loop. */
function readLockFile(path: string): string | undefined {
    try {
        return readFileSync(path, 'utf8');
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return undefined;
        throw new CommandError(`cannot read the lock ${path} (${code ?? String(error)}): set SIPFLOW_LOCK_DIR to a writable directory, or pass --no-lock`);
    }
}

function readRecord(path: string): LockHolder | undefined {
    const raw = readRaw(path);
    return raw === undefined ? undefined : parseRecord(raw);
}

function parseRecord(raw: string): LockHolder | undefined {
    try {
        const value = JSON.parse(raw) as Partial<LockHolder>;
        const ok = Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.command === 'string'
            && typeof value.since === 'string' && typeof value.token === 'string';
        return ok ? (value as LockHolder) : undefined;
    } catch {
        return undefined;
    }
}

function parseGuard(raw: string | undefined): { pid: number; host: string } | undefined {
    try {
        const value = JSON.parse(raw ?? '') as { pid?: unknown; host?: unknown };
        return typeof value.pid === 'number' && typeof value.host === 'string' ? { pid: value.pid, host: value.host } : undefined;
    } catch {
        return undefined;
    }
}

function exists(path: string): boolean {
    return readRaw(path) !== undefined;
}

function unlinkQuietly(path: string): void {
    try {
        unlinkSync(path);
    } catch {
        // already gone
    }
}

function userId(): string {
    try {
        return String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
    } catch {
        return 'user';
    }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolveSleep => {
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolveSleep();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}

// ─── The CLI's use of it: plan and apply ─────────────────────────────────────────────────────────

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
        .addOption(new Option('--lock-timeout <duration>', 'how long to wait for another sipflow run of this integration to finish (e.g. 30s, 5m; 0s refuses at once)')
            .default(0, '0s')
            .argParser(parseLockTimeout))
        .addOption(new Option('--lock <boolean>', 'false: do not take the run lock (see --no-lock)').argParser(parseBoolean))
        .addOption(new Option('--no-lock', 'do not take the run lock: only when nothing else can run sipflow on this integration at the same time (a race can duplicate Dixa queues)'));
}

function parseLockTimeout(value: string): number {
    const duration = parseDuration(value.trim());
    if (!duration.ok) throw new Error(`--lock-timeout: ${duration.reason}`);
    return Math.round(duration.seconds * 1000);
}

function parseBoolean(value: string): boolean {
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
    throw new Error(`--lock must be true or false, not "${value}"`);
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
        onStaleRemoved: holder =>
            process.stderr.write(`sipflow: taking over the lock of integration ${key.integration}: ${describeHolder(holder)} is no longer running.\n`),
    };
}

function refusal(error: unknown): never {
    if (error instanceof RunLockHeldError) throw new CommandError(error.message);
    throw error;
}

function formatMs(ms: number): string {
    return ms % 60_000 === 0 && ms > 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
