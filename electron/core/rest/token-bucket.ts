/**
 * Request pacing for one venue's REST API: a token bucket (requestsPerSecond, burst) shared by
 * every feed of that venue, plus a "blocked until" set when the venue answers 429/418 with
 * Retry-After. take() resolves when a request may go; waiting callers are served in order.
 */
import type { RestRateLimit } from '../adapters/adapter';
import type { Clock } from '../util/clock';

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private blockedUntil = 0;
  private queue: { resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  private timer: unknown = null;

  constructor(readonly limit: RestRateLimit, private readonly clock: Clock) {
    this.tokens = Math.max(1, limit.burst);
    this.refilledAt = clock.now();
  }

  /** Resolves when a request may be sent; rejects with the signal's reason if it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: (typeof this.queue)[number] = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          this.queue = this.queue.filter((w) => w !== waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** The venue said "not before now + ms" (Retry-After); every caller of this venue waits. */
  blockFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + Math.max(0, ms));
    // One request may go the moment the block ends (that is what Retry-After promises), the rest
    // at the steady rate: no burst right after a refusal.
    this.tokens = 1;
    this.refilledAt = Math.max(this.refilledAt, this.blockedUntil);
  }

  /** ms until the next request may go (0 = now); for health and for callers deciding to give up. */
  waitMs(): number {
    this.refill();
    const now = this.clock.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.limit.requestsPerSecond) * 1000);
  }

  private refill(): void {
    const now = this.clock.now();
    if (now <= this.refilledAt) return;
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limit.requestsPerSecond);
    this.refilledAt = now;
  }

  private pump(): void {
    if (this.timer !== null) return;
    while (this.queue.length > 0) {
      const wait = this.waitMs();
      if (wait > 0) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      this.tokens -= 1;
      const w = this.queue.shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
  }
}
