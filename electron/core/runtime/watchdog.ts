/**
 * The data watchdog of one market (docs/architecture.md, Reliability). Only market data counts: acks,
 * heartbeats and pongs prove the socket is alive, not that the market is.
 *
 * The threshold adapts to the market's own pace: factor x the typical gap between data arrivals
 * (an exponentially weighted mean of recent gaps), clamped to [floor, ceiling]. A busy market is
 * flagged after seconds of silence; a quiet one is given up to the ceiling. Until two arrivals
 * have been seen there is no pace to go by, so the ceiling applies.
 */
export interface WatchdogLimits {
  floorMs: number;
  ceilingMs: number;
  factor: number;
}

/** Weight of the newest gap in the running mean: about the last 20 gaps matter. */
const ALPHA = 0.05;

export class MarketWatchdog {
  /** Receive time of the last data, null before any. */
  lastDataAt: number | null = null;
  private typicalGapMs: number | null = null;
  /** Whether the next arrival may be measured against lastDataAt (false after a reconnect). */
  private continuous = false;

  constructor(private readonly limits: WatchdogLimits) {}

  /** A data arrival. Several events of one frame share receivedAt and count once. */
  observe(at: number): void {
    if (this.continuous && this.lastDataAt !== null && at > this.lastDataAt) {
      const gap = at - this.lastDataAt;
      this.typicalGapMs = this.typicalGapMs === null ? gap : this.typicalGapMs + ALPHA * (gap - this.typicalGapMs);
    }
    if (this.lastDataAt === null || at >= this.lastDataAt) this.lastDataAt = at;
    this.continuous = true;
  }

  /**
   * The silence across a reconnect or a pause says nothing about the market's pace: the next
   * arrival starts a fresh measurement instead of adding that gap to the mean.
   */
  breakContinuity(): void {
    this.continuous = false;
  }

  /** The typical inter-arrival gap in ms, null before two arrivals. */
  get typicalGap(): number | null {
    return this.typicalGapMs;
  }

  thresholdMs(): number {
    const { floorMs, ceilingMs, factor } = this.limits;
    if (this.typicalGapMs === null) return ceilingMs;
    return Math.round(Math.min(ceilingMs, Math.max(floorMs, factor * this.typicalGapMs)));
  }

  /**
   * Silent for longer than the threshold. `since` is when watching began (the connection opened,
   * or ingest resumed after a pause): silence before it is not the market's fault.
   */
  isStale(now: number, since: number | null = null): boolean {
    return this.silentForMs(now, since) > this.thresholdMs();
  }

  /** ms since the last data or since `since`, whichever is later; 0 when there is neither. */
  silentForMs(now: number, since: number | null = null): number {
    const ref = Math.max(this.lastDataAt ?? -Infinity, since ?? -Infinity);
    return ref === -Infinity ? 0 : Math.max(0, now - ref);
  }
}
