import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { createDixaProvider } from '../../src/providers/dixa/index.js';
import { createSynthflowProvider } from '../../src/providers/synthflow/index.js';
import { computePlan, type Plan } from '../../src/plan/index.js';
import { readLiveState, type Providers } from '../../src/apply/index.js';
import type { DesiredState } from '../../src/model/index.js';

export interface Harness {
    readonly sandbox: Sandbox;
    readonly providers: Providers;
    plan(desired: DesiredState): Promise<Plan>;
    close(): Promise<void>;
}

/** An in-process sandbox (demo seed, no rate limit unless asked) and real HTTP providers against it. */
export async function harness(desired: DesiredState, options: SandboxOptions = {}, providerOptions: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Harness> {
    const sandbox = await startSandbox({ port: 0, seed: 'demo', dixaRateLimit: false, ...options });
    const tuning = { retryBaseDelayMs: 1, timeoutMs: 2_000, ...providerOptions };
    const dixa = createDixaProvider({ baseUrl: sandbox.dixaBaseUrl, apiKey: sandbox.dixaToken, ...tuning });
    const synthflow = createSynthflowProvider({ baseUrl: sandbox.synthflowBaseUrl, apiKey: sandbox.synthflowKey, workspace: desired.synthflow.workspace, ...tuning });
    const providers: Providers = { dixa, synthflow };
    return {
        sandbox,
        providers,
        plan: async (d: DesiredState) => computePlan(d, await readLiveState(d, providers)),
        close: async () => {
            dixa.close();
            synthflow.close();
            await sandbox.close();
        },
    };
}
