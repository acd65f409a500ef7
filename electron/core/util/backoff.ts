/**
 * Capped exponential backoff with jitter (docs/architecture.md, Reliability): 0.5 s doubling to 30 s, each
 * delay spread by +/- jitter so that many clients cut at once do not reconnect in lockstep.
 *
 * The attempt counter is reset by the caller, and only once real data has arrived on a new
 * connection: a server that accepts the socket and then drops it must keep backing off.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Fraction, 0.25 = +/-25 %. */
  jitter: number;
  /** Uniform in [0, 1); injectable so tests get exact delays. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly opts: BackoffOptions) {
    if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs)) {
      throw new RangeError(`backoff: need 0 < initialMs <= maxMs (got ${opts.initialMs}, ${opts.maxMs})`);
    }
    if (!(opts.jitter >= 0 && opts.jitter < 1)) throw new RangeError(`backoff: jitter must be in [0, 1) (got ${opts.jitter})`);
    this.random = opts.random ?? Math.random;
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The un-jittered delay of attempt n (0-based): initial * 2^n, capped. */
  baseDelay(n: number): number {
    // 2^n overflows to Infinity long after the cap; Math.min keeps it finite.
    return Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** n);
  }

  /**
   * The delay before the next attempt, and counts the attempt. Jitter spreads the capped delay
   * both ways, then the result is clamped to maxMs so the cap is a promise ("never longer than").
   */
  next(): number {
    const base = this.baseDelay(this.attempt);
    this.attempt++;
    const r = Math.min(Math.max(this.random(), 0), 1);
    const spread = 1 + this.opts.jitter * (2 * r - 1);
    return Math.round(Math.min(this.opts.maxMs, base * spread));
  }

  /** Call when real data arrived on the new connection (not merely when it opened). */
  reset(): void {
    this.attempt = 0;
  }
}
