/**
 * The Synthflow provider, composed of small modules over one HTTP client: ./transport.ts (profile,
 * envelope, paging), ./decoders.ts (response shapes), ./numbers.ts, ./assistants.ts, ./actions.ts and
 * ./calls.ts. Creates re-read when their outcome is unknown (numbers by E.164; transfer actions by
 * their exact name or configuration, among actions that appeared since; ../http/create-with-reread.ts);
 * every write that changes an assistant is read back.
 * Contract: shared/reference/synthflow-api.md; shapes: ./api-types.ts.
 */
import { HttpClient, type HttpClientTuning } from '../http/client.js';
import { ProviderError, type ProviderStats, type SynthflowProvider, type SynthflowProviderOptions } from '../types.js';
import { synthflowActions } from './actions.js';
import { synthflowAssistants } from './assistants.js';
import { synthflowCalls, type SynthflowCalls } from './calls.js';
import { synthflowNumbers } from './numbers.js';
import { SYNTHFLOW_PAGE_SIZE, SYNTHFLOW_PROFILE, synthflowTransport } from './transport.js';

export type { CallRequest, SynthflowPageProbe, SynthflowProbeAnswer } from './calls.js';
export { liveTransferBody, readLiveTransfer, type LiveCall } from './decoders.js';
export { SYNTHFLOW_PAGE_SIZE, SYNTHFLOW_PROFILE, synthflowErrorMessage } from './transport.js';

/** The Synthflow provider plus test calls, doctor's probes and instrumentation. */
export interface SynthflowClient extends SynthflowProvider, SynthflowCalls {
    readonly stats: ProviderStats;
    /** Frees pooled connections. */
    close(): void;
}

export interface SynthflowClientOptions extends SynthflowProviderOptions {
    /** Items per list page; default SYNTHFLOW_PAGE_SIZE (tests use small pages). */
    readonly pageSize?: number;
}

export function createSynthflowProvider(options: SynthflowClientOptions, tuning: HttpClientTuning = {}): SynthflowClient {
    const http = new HttpClient(SYNTHFLOW_PROFILE, options, tuning);
    const workspace = options.workspace;
    if (!workspace || workspace.trim() === '') {
        throw new ProviderError({ vendor: 'synthflow', operation: 'configure', message: `${SYNTHFLOW_PROFILE.label} workspace id is empty` });
    }
    const transport = synthflowTransport(http, workspace, Math.max(1, Math.floor(options.pageSize ?? SYNTHFLOW_PAGE_SIZE)));
    return {
        stats: http.stats,
        ...synthflowNumbers(transport),
        ...synthflowAssistants(transport),
        ...synthflowActions(transport),
        ...synthflowCalls(transport),
        close(): void {
            http.close();
        },
    };
}
