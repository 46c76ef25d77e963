export * from './api-types.js';
export {
    createSynthflowProvider,
    liveTransferBody,
    readLiveTransfer,
    SYNTHFLOW_PAGE_SIZE,
    SYNTHFLOW_PROFILE,
    synthflowErrorMessage,
    type SynthflowClient,
    type SynthflowClientOptions,
    type SynthflowPageProbe,
    type SynthflowProbeAnswer,
} from './client.js';
