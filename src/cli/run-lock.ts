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
 *
 * Node built-ins only: the VS Code extension's Apply takes the same lock. The CLI's options and its use
 * in plan and apply are in commands/run-lock-options.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { SipflowError } from '../errors.js';

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

/** The lock directory or file cannot be used, or the wait was cancelled. One line, no secret. */
export class RunLockError extends SipflowError {
    constructor(message: string) {
        super('run-lock', message);
    }
}

/** The lock is held by another run (or its file cannot be read) and the timeout has passed. */
export class RunLockHeldError extends SipflowError {
    constructor(
        readonly key: RunLockKey,
        readonly lockPath: string,
        /** undefined when the lock file exists but is not a sipflow lock record. */
        readonly holder: LockHolder | undefined,
    ) {
        super(
            'run-lock-held',
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
    const hash = createHash('sha256')
        .update(JSON.stringify([key.integration, key.workspace, key.target]))
        .digest('hex')
        .slice(0, 16);
    return `${key.integration.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${hash}.lock`;
}

/** The lock key of a target given by base URLs (trailing slashes do not make another account). */
export function urlTarget(dixaBaseUrl: string, synthflowBaseUrl: string): string {
    return `dixa=${dixaBaseUrl.replace(/\/+$/, '')} synthflow=${synthflowBaseUrl.replace(/\/+$/, '')}`;
}

/**
 * Takes the lock of `key`, waiting up to `timeoutMs` for a live holder, taking over a stale one.
 * Throws RunLockHeldError when it stays held; RunLockError when the directory cannot be used.
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
        if (request.signal?.aborted) throw new RunLockError(`cancelled while waiting for the lock of integration ${key.integration}; nothing was sent`);
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
        throw new RunLockError(`cannot use the lock directory ${dir} (${code}): set SIPFLOW_LOCK_DIR to a writable directory, or pass --no-lock`);
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
        throw new RunLockError(
            `cannot create the lock ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}): set SIPFLOW_LOCK_DIR to a local directory, or pass --no-lock`,
        );
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
        throw new RunLockError(`cannot read the lock ${path} (${code ?? String(error)}): set SIPFLOW_LOCK_DIR to a writable directory, or pass --no-lock`);
    }
}

function readRecord(path: string): LockHolder | undefined {
    const raw = readRaw(path);
    return raw === undefined ? undefined : parseRecord(raw);
}

function parseRecord(raw: string): LockHolder | undefined {
    try {
        const value = JSON.parse(raw) as Partial<LockHolder>;
        const ok =
            Number.isInteger(value.pid) &&
            typeof value.host === 'string' &&
            typeof value.command === 'string' &&
            typeof value.since === 'string' &&
            typeof value.token === 'string';
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
