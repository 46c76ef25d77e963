import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { createDixaProvider } from '../../src/providers/dixa/index.js';
import { createSynthflowProvider } from '../../src/providers/synthflow/index.js';
import { computePlan, type Plan } from '../../src/plan/index.js';
import { readLiveState, type Providers } from '../../src/apply/index.js';
import type { DesiredState } from '../../src/model/index.js';
import { startContractEnvironment, type ContractEnvironment } from '../support/contract.js';

export interface Harness {
    readonly sandbox: Sandbox;
    readonly providers: Providers;
    plan(desired: DesiredState): Promise<Plan>;
    close(): Promise<void>;
}

export interface HarnessOptions extends Pick<SandboxOptions, 'faults' | 'latencyMs'> {
    /**
     * `prism` (the default): requests go client → Prism validating proxies (the vendors' OpenAPI files) →
     * sandbox, so apply's traffic is judged by the specs. `direct` skips Prism, for what Prism cannot carry:
     * transport faults (resets, lost responses, timeouts) become Prism's own 5xx, and added latency.
     */
    readonly via?: 'prism' | 'direct';
}

/** One contract environment (sandbox + two Prisms) per test file, reset to the demo seed for each harness. */
let contract: Promise<ContractEnvironment> | undefined;

export async function closeContractEnvironment(): Promise<void> {
    const environment = contract;
    contract = undefined;
    await (await environment)?.close();
}

/** The demo-seeded sandbox (no rate limit) and real HTTP providers against it. */
export async function harness(desired: DesiredState, options: HarnessOptions = {}, providerOptions: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Harness> {
    const tuning = { retryBaseDelayMs: 1, timeoutMs: 2_000, ...providerOptions };
    let sandbox: Sandbox;
    let dixaBaseUrl: string;
    let synthflowBaseUrl: string;
    let ownSandbox = false;
    if ((options.via ?? 'prism') === 'prism') {
        if (options.latencyMs !== undefined) throw new Error('harness: latency needs via: "direct" (the shared sandbox has none)');
        contract ??= startContractEnvironment({ sandbox: { port: 0, seed: 'demo', dixaRateLimit: false } });
        const environment = await contract;
        sandbox = environment.sandbox;
        sandbox.reset('demo');
        if (options.faults !== undefined) sandbox.setFaults(options.faults);
        else sandbox.clearFaults();
        ({ dixaBaseUrl, synthflowBaseUrl } = environment);
    } else {
        sandbox = await startSandbox({ port: 0, seed: 'demo', dixaRateLimit: false, ...options });
        ({ dixaBaseUrl, synthflowBaseUrl } = sandbox);
        ownSandbox = true;
    }
    const dixa = createDixaProvider({ baseUrl: dixaBaseUrl, apiKey: sandbox.dixaToken, ...tuning });
    const synthflow = createSynthflowProvider({ baseUrl: synthflowBaseUrl, apiKey: sandbox.synthflowKey, workspace: desired.synthflow.workspace, ...tuning });
    const providers: Providers = { dixa, synthflow };
    return {
        sandbox,
        providers,
        plan: async (d: DesiredState) => computePlan(d, await readLiveState(d, providers)),
        close: async () => {
            dixa.close();
            synthflow.close();
            if (ownSandbox) await sandbox.close();
            else sandbox.clearFaults();
        },
    };
}
