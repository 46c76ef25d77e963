/**
 * A FIFO token bucket: `capacity` tokens (the burst), refilled continuously at `ratePerSecond`.
 * Each HTTP attempt takes one token before it is sent, so the vendor's own limiter never has to
 * say 429. Written here rather than taken from `limiter`/`bottleneck` because waiting must be
 * cancellable by an AbortSignal, fair (FIFO) and pausable when the server sends `Retry-After`;
 * none of those libraries offers all three, and the whole thing is ~80 lines with its own tests.
 */
export interface TokenBucketOptions {
    readonly ratePerSecond: number;
    readonly capacity: number;
    /** Monotonic clock in ms; tests may inject one. */
    readonly now?: () => number;
}

interface Waiter {
    resolve(): void;
    reject(reason: unknown): void;
    signal: AbortSignal | undefined;
    onAbort: (() => void) | undefined;
}

export class TokenBucket {
    private readonly ratePerMs: number;
    private readonly capacity: number;
    private readonly now: () => number;
    private tokens: number;
    private last: number;
    private pausedUntil = 0;
    private readonly queue: Waiter[] = [];
    private timer: NodeJS.Timeout | undefined;

    constructor(options: TokenBucketOptions) {
        if (!(options.ratePerSecond > 0) || !(options.capacity >= 1)) {
            throw new RangeError('TokenBucket needs ratePerSecond > 0 and capacity >= 1');
        }
        this.ratePerMs = options.ratePerSecond / 1000;
        this.capacity = options.capacity;
        this.now = options.now ?? (() => performance.now());
        this.tokens = this.capacity;
        this.last = this.now();
    }

    /** Resolves when a token has been taken; rejects with `signal.reason` if aborted first. */
    take(signal?: AbortSignal): Promise<void> {
        if (signal?.aborted) return Promise.reject(signal.reason);
        return new Promise<void>((resolve, reject) => {
            const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
            if (signal) {
                waiter.onAbort = () => {
                    const index = this.queue.indexOf(waiter);
                    if (index >= 0) this.queue.splice(index, 1);
                    if (this.queue.length === 0) this.clearTimer();
                    reject(signal.reason);
                };
                signal.addEventListener('abort', waiter.onAbort, { once: true });
            }
            this.queue.push(waiter);
            this.drain();
        });
    }

    /** No token is handed out before `delayMs` from now (the server asked us to wait). */
    pause(delayMs: number): void {
        const until = this.now() + Math.max(0, delayMs);
        if (until > this.pausedUntil) {
            this.pausedUntil = until;
            this.tokens = Math.min(this.tokens, 1);
            this.clearTimer();
            this.drain();
        }
    }

    /** Waiters not yet served (for tests and diagnostics). */
    get pending(): number {
        return this.queue.length;
    }

    private refill(now: number): void {
        if (now > this.last) {
            this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
            this.last = now;
        }
    }

    private drain(): void {
        if (this.timer !== undefined) return;
        const now = this.now();
        this.refill(now);
        while (this.queue.length > 0 && this.tokens >= 1 && now >= this.pausedUntil) {
            this.tokens -= 1;
            const waiter = this.queue.shift()!;
            if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
            waiter.resolve();
        }
        if (this.queue.length > 0) {
            const untilToken = (1 - this.tokens) / this.ratePerMs;
            const wait = Math.max(this.pausedUntil - now, untilToken, 1);
            this.timer = setTimeout(() => {
                this.timer = undefined;
                this.drain();
            }, Math.ceil(wait));
        }
    }

    private clearTimer(): void {
        if (this.timer !== undefined) {
            clearTimeout(this.timer);
            this.timer = undefined;
        }
    }
}
