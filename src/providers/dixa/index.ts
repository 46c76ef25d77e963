export * from './api-types.js';
export { describeBulkFailures, readBulkOutcomes, type DixaBulkItemFailure, type DixaBulkOutcomes } from './bulk.js';
export {
    createDixaProvider,
    DIXA_CLIENT_THROTTLE,
    DIXA_MEMBER_REMOVAL_CHUNK,
    DIXA_OFFER_ALGORITHMS,
    DIXA_PROFILE,
    type DixaAgent,
    type DixaClient,
    type DixaProviderOptions,
    type DixaQueueMember,
} from './client.js';
export { collectDixaPages } from './paging.js';
