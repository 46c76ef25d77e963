/**
 * Helpers for the provider suites (test/providers): build the vendor clients against a contract
 * environment (through Prism, or straight at the sandbox for transport faults), capture their logs,
 * and read the sandbox's request log with timestamps.
 */
import { createDixaProvider, type DixaClient, type DixaProviderOptions } from '../../src/providers/dixa/index.js';
import { createSynthflowProvider, type SynthflowClient, type SynthflowClientOptions } from '../../src/providers/synthflow/index.js';
import type { ProviderOptions } from '../../src/providers/types.js';
import { DEMO, type RequestLogEntry, type SandboxOptions } from '../../src/sandbox/index.js';
import { startContractEnvironment, type ContractEnvironment } from './contract.js';

/** Fast retries for tests: the rules are the same, only the waiting is shorter. */
export const FAST: Pick<ProviderOptions, 'retryBaseDelayMs' | 'timeoutMs' | 'maxRetries'> = {
    retryBaseDelayMs: 20,
    timeoutMs: 10_000,
    maxRetries: 4,
};

/** A request-log entry with the moment the sandbox finished it (performance.now() in this process). */
export interface TimedEntry extends RequestLogEntry {
    readonly finishedAt: number;
    readonly startedAt: number;
}

export interface ProviderTestEnv {
    readonly env: ContractEnvironment;
    /** Every sandbox request since start (or the last `resetAll`), with timings. */
    readonly timed: TimedEntry[];
    /** Log lines of every client made by `dixa()` / `synthflow()` since the last reset. */
    readonly logs: string[];
    dixa(options?: Partial<DixaProviderOptions> & { direct?: boolean }): DixaClient;
    synthflow(options?: Partial<SynthflowClientOptions> & { direct?: boolean }): SynthflowClient;
    /** Sandbox back to its seed (faults, log and rate-limit buckets cleared), logs cleared. */
    resetAll(): void;
    /** Sandbox requests for one vendor path (below /v1 or /v2), e.g. `POST /queues`. */
    requestsTo(method: string, path: string): TimedEntry[];
    close(): Promise<void>;
}

export async function startProviderTestEnv(sandbox: SandboxOptions = {}): Promise<ProviderTestEnv> {
    const timed: TimedEntry[] = [];
    const logs: string[] = [];
    const clients: { close(): void }[] = [];
    const env = await startContractEnvironment({
        sandbox: {
            ...sandbox,
            onRequest: entry => {
                const finishedAt = performance.now();
                timed.push({ ...entry, finishedAt, startedAt: finishedAt - entry.durationMs });
                sandbox.onRequest?.(entry);
            },
        },
    });
    const log = (line: string) => logs.push(line);
    return {
        env,
        timed,
        logs,
        dixa(options = {}) {
            const { direct, ...rest } = options;
            const client = createDixaProvider({
                baseUrl: direct ? env.direct.dixaBaseUrl : env.dixaBaseUrl,
                apiKey: env.dixaToken,
                log,
                ...FAST,
                ...rest,
            });
            clients.push(client);
            return client;
        },
        synthflow(options = {}) {
            const { direct, ...rest } = options;
            const client = createSynthflowProvider({
                baseUrl: direct ? env.direct.synthflowBaseUrl : env.synthflowBaseUrl,
                apiKey: env.synthflowKey,
                workspace: DEMO.synthflow.workspace,
                log,
                ...FAST,
                ...rest,
            });
            clients.push(client);
            return client;
        },
        resetAll() {
            env.sandbox.reset();
            timed.length = 0;
            logs.length = 0;
        },
        requestsTo(method, path) {
            return timed.filter(e => e.method === method && (e.path === `/v1${path}` || e.path === `/v2${path}`));
        },
        async close() {
            for (const c of clients) c.close();
            await env.close();
        },
    };
}

/** Runs `fn`, expecting a rejection; returns the error (fails the test if it resolves). */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<unknown> {
    try {
        await fn();
    } catch (error) {
        return error;
    }
    throw new Error('expected a rejection, but the call succeeded');
}
