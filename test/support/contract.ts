/**
 * Contract harness: a sandbox on a random port behind two Prism validating proxies, so every test
 * request goes client → Prism (vendor OpenAPI file) → sandbox, and both the request and the sandbox's
 * response are judged by the vendor's own spec (`--errors`: a request violation answers 422, a
 * response violation answers 500 with a problem+json body of type …#VIOLATIONS).
 *
 *   const env = await startContractEnvironment();
 *   // Dixa:      `${env.dixaBaseUrl}/queues`       (= http://127.0.0.1:P/v1/queues)
 *   // Synthflow: `${env.synthflowBaseUrl}/numbers` (= http://127.0.0.1:Q/numbers; Prism adds /v2 upstream)
 *   await env.close();
 *
 * `env.direct` has the sandbox's own base URLs, for traffic Prism cannot carry (transport faults).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { contractDixaSpec, contractSynthflowSpec, REPO_ROOT } from './spec-errata.js';

export const PRISM_CLI = join(REPO_ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

export interface PrismProxy {
    readonly url: string;
    readonly port: number;
    /** The last lines Prism printed (warnings and violations; `-v warn`). */
    output(): string;
    stop(): Promise<void>;
}

export interface ContractEnvironment {
    readonly sandbox: Sandbox;
    /** Through Prism: `http://127.0.0.1:P/v1`. */
    readonly dixaBaseUrl: string;
    /** Through Prism: `http://127.0.0.1:Q` (Prism's paths have no /v2; it forwards to the sandbox's /v2). */
    readonly synthflowBaseUrl: string;
    readonly dixaToken: string;
    readonly synthflowKey: string;
    /** The sandbox itself, bypassing Prism. */
    readonly direct: { readonly dixaBaseUrl: string; readonly synthflowBaseUrl: string };
    readonly prism: { readonly dixa: PrismProxy; readonly synthflow: PrismProxy };
    close(): Promise<void>;
}

export interface ContractOptions {
    readonly sandbox?: SandboxOptions;
    /** How long to wait for each Prism to accept requests. Default 45 s (a busy 2-core CI machine; below vitest's 60 s hook timeout). */
    readonly prismStartTimeoutMs?: number;
}

/** Process groups of running Prisms, killed on exit if a test forgot to (or crashed before) closing. */
const runningGroups = new Set<number>();
process.once('exit', () => {
    for (const pid of runningGroups) {
        try {
            process.kill(-pid, 'SIGKILL');
        } catch {
            // already gone
        }
    }
});

export async function startContractEnvironment(options: ContractOptions = {}): Promise<ContractEnvironment> {
    const specDir = mkdtempSync(join(tmpdir(), 'sipflow-contract-'));
    const cleanups: Array<() => Promise<void> | void> = [() => rmSync(specDir, { recursive: true, force: true })];
    const closeAll = async () => {
        for (const cleanup of cleanups.reverse()) await cleanup();
    };
    try {
        const dixaSpec = join(specDir, 'dixa-v1.json');
        const synthflowSpec = join(specDir, 'synthflow-openapi.json');
        writeFileSync(dixaSpec, JSON.stringify(contractDixaSpec()));
        writeFileSync(synthflowSpec, JSON.stringify(contractSynthflowSpec()));

        const sandbox = await startSandbox(options.sandbox);
        cleanups.push(() => sandbox.close());
        const timeoutMs = options.prismStartTimeoutMs ?? 45_000;
        const started = await Promise.allSettled([startPrismProxy(dixaSpec, sandbox.url, timeoutMs), startPrismProxy(synthflowSpec, sandbox.synthflowBaseUrl, timeoutMs)]);
        for (const s of started) if (s.status === 'fulfilled') cleanups.push(() => s.value.stop());
        const failed = started.find(s => s.status === 'rejected');
        if (failed) throw failed.reason;
        const [dixa, synthflow] = started.map(s => (s as PromiseFulfilledResult<PrismProxy>).value) as [PrismProxy, PrismProxy];
        return {
            sandbox,
            dixaBaseUrl: `${dixa.url}/v1`,
            synthflowBaseUrl: synthflow.url,
            dixaToken: sandbox.dixaToken,
            synthflowKey: sandbox.synthflowKey,
            direct: { dixaBaseUrl: sandbox.dixaBaseUrl, synthflowBaseUrl: sandbox.synthflowBaseUrl },
            prism: { dixa, synthflow },
            close: closeAll,
        };
    } catch (error) {
        await closeAll();
        throw error;
    }
}

/** Starts `prism proxy SPEC UPSTREAM --errors` on a free loopback port and waits until it answers. */
export async function startPrismProxy(spec: string, upstream: string, timeoutMs = 60_000): Promise<PrismProxy> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        try {
            return await launchPrism(spec, upstream, port, timeoutMs);
        } catch (error) {
            lastError = error as Error;
            // Only a lost race for the port is worth another try.
            if (!/EADDRINUSE/.test(lastError.message)) throw lastError;
        }
    }
    throw lastError!;
}

async function launchPrism(spec: string, upstream: string, port: number, timeoutMs: number): Promise<PrismProxy> {
    const child = spawn(process.execPath, [PRISM_CLI, 'proxy', '-h', '127.0.0.1', '-p', String(port), spec, upstream, '--errors', '-v', 'warn'], {
        detached: true, // its own process group, so stop() can take down anything it forks
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`prism could not be started (${PRISM_CLI})`);
    runningGroups.add(pid);
    const lines: string[] = [];
    const collect = (chunk: Buffer) => {
        lines.push(
            ...chunk
                .toString('utf8')
                .split('\n')
                .filter(l => l.trim() !== ''),
        );
        if (lines.length > 400) lines.splice(0, lines.length - 400);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exitPromise = new Promise<void>(resolve =>
        child.once('exit', (code, signal) => {
            exited = { code, signal };
            runningGroups.delete(pid);
            resolve();
        }),
    );

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    try {
        for (;;) {
            if (exited) throw new Error(`prism proxy for ${spec} exited (code ${exited.code}, signal ${exited.signal}) before it was ready:\n${lines.slice(-30).join('\n')}`);
            if (await answers(url)) break;
            if (Date.now() > deadline) throw new Error(`prism proxy for ${spec} did not answer on ${url} within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`);
            await sleep(50);
        }
    } catch (error) {
        await killGroup(pid, exitPromise, () => exited !== undefined);
        throw error;
    }

    let stopping: Promise<void> | undefined;
    return {
        url,
        port,
        output: () => lines.join('\n'),
        stop: () => (stopping ??= killGroup(pid, exitPromise, () => exited !== undefined)),
    };
}

/** SIGTERM to the process group, SIGKILL if it is still there after 5 s; resolves once it has exited. */
async function killGroup(pid: number, exitPromise?: Promise<void>, hasExited?: () => boolean): Promise<void> {
    if (hasExited?.()) return;
    const signal = (sig: NodeJS.Signals) => {
        try {
            process.kill(-pid, sig);
        } catch {
            // the group is gone
        }
    };
    signal('SIGTERM');
    if (!exitPromise) {
        runningGroups.delete(pid);
        return;
    }
    const timer = setTimeout(() => signal('SIGKILL'), 5_000);
    await exitPromise;
    clearTimeout(timer);
}

/** True once anything answers HTTP on `url` (Prism replies 404 to a path outside the spec). */
async function answers(url: string): Promise<boolean> {
    try {
        const res = await fetch(`${url}/__sipflow_contract_readiness_probe`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        return true;
    } catch {
        return false;
    }
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

// ─── Reading Prism's verdicts ───────────────────────────────────────────────────────────────────────

export interface PrismViolation {
    readonly location: readonly string[];
    readonly severity: string;
    readonly code?: string | number;
    readonly message: string;
}

/** The violations Prism attached (`sl-violations` header), warnings included. */
export function violationsOf(headers: Headers): PrismViolation[] {
    const raw = headers.get('sl-violations');
    if (!raw) return [];
    try {
        return JSON.parse(raw) as PrismViolation[];
    } catch {
        return [{ location: [], severity: 'Error', message: raw }];
    }
}

/** Errors only: what makes a response non-conformant. */
export function errorViolationsOf(headers: Headers): PrismViolation[] {
    return violationsOf(headers).filter(v => v.severity === 'Error');
}
