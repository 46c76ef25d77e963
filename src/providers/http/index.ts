export { backoffDelay, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, parseRetryAfter, sleep } from './backoff.js';
export { BaseUrlError, checkBaseUrl, isLoopbackHost } from './base-url.js';
export {
    DEFAULT_MAX_RETRIES,
    DEFAULT_REQUEST_DEADLINE_MS,
    DEFAULT_RETRY_BASE_DELAY_MS,
    DEFAULT_TIMEOUT_MS,
    HttpClient,
    newStats,
    resolveServerUrl,
    type HttpClientTuning,
    type HttpMethod,
    type HttpRequest,
    type HttpResult,
    type VendorProfile,
} from './client.js';
export { createWithReread, type CreateWithReread, type Reread } from './create-with-reread.js';
export { REDACTED, Redactor } from './redact.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
