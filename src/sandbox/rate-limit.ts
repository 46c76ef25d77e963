/** Dixa's per-token rate limit as a token bucket: `ratePerSecond` refill, `burst` capacity. */

export interface RateLimitOptions {
    readonly ratePerSecond: number;
    readonly burst: number;
}

export class TokenBuckets {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();

    constructor(
        readonly options: RateLimitOptions,
        private readonly clock: () => number = () => performance.now(),
    ) {}

    /** Takes a token for `key`; false when the bucket is empty (→ 429). */
    take(key: string): boolean {
        const now = this.clock();
        const { ratePerSecond, burst } = this.options;
        const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
        bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
        bucket.at = now;
        this.buckets.set(key, bucket);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return true;
        }
        return false;
    }

    /** Seconds until `key` has a token again (for an optional Retry-After). */
    secondsUntilToken(key: string): number {
        const bucket = this.buckets.get(key);
        if (!bucket || bucket.tokens >= 1) return 0;
        return (1 - bucket.tokens) / this.options.ratePerSecond;
    }

    reset(): void {
        this.buckets.clear();
    }
}

export interface DixaRateLimitOptions extends RateLimitOptions {
    /** Send `Retry-After` (whole seconds) with the 429. Dixa does not document one: default false. */
    readonly retryAfter?: boolean;
}

/** Dixa's documented per-token limit (DOCS-rules): 10 requests/s, burst 4. */
export const DIXA_DEFAULT_RATE_LIMIT: DixaRateLimitOptions = { ratePerSecond: 10, burst: 4 };
