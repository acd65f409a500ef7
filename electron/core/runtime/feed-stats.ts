/**
 * Counters and rolling rates of one feed, updated on the hot path and read by health(): live
 * feeds (FeedRunner) and replays (ReplayRunner) alike.
 */
import type { MarketData } from '../../../shared/domain';
import type { FeedCounts, FeedError, FeedHealth } from '../../../shared/health';
import { PercentileRing, RollingRate } from '../util/rate';

/** The part of a feed's health that comes from its counters, the same for every kind of feed. */
export type CountersHealth = Pick<
  FeedHealth,
  'messagesPerSec' | 'bytesPerSec' | 'tradesPerSec' | 'lastDataAgeMs' | 'latencyP50Ms' | 'latencyP99Ms' | 'reconnects' | 'errors' | 'notices' | 'lastError'
>;

/** Trades whose exchange-to-local latency is sampled (most recent first out). */
const LATENCY_SAMPLES = 2_048;

/** A feed that has received nothing yet. */
export function emptyFeedCounts(): FeedCounts {
  return {
    trades: 0,
    quotes: 0,
    liquidations: 0,
    funding: 0,
    books: 0,
    errors: 0,
    notices: 0,
    reconnects: 0,
    firstReceivedAt: null,
    lastReceivedAt: null,
  };
}

export class FeedStats {
  readonly counts: FeedCounts = emptyFeedCounts();
  lastError: FeedError | null = null;
  readonly messages: RollingRate;
  readonly bytes: RollingRate;
  readonly trades: RollingRate;
  readonly latency = new PercentileRing(LATENCY_SAMPLES);

  constructor(since: number) {
    this.messages = new RollingRate(since);
    this.bytes = new RollingRate(since);
    this.trades = new RollingRate(since);
  }

  frame(bytes: number, at: number): void {
    this.messages.add(at);
    this.bytes.add(at, bytes);
  }

  data(ev: MarketData): void {
    const c = this.counts;
    switch (ev.type) {
      case 'trade':
        c.trades++;
        this.trades.add(ev.receivedAt);
        this.latency.push(ev.receivedAt - ev.time);
        break;
      case 'quote':
        c.quotes++;
        break;
      case 'liquidation':
        c.liquidations++;
        break;
      case 'funding':
        c.funding++;
        break;
      case 'book':
        c.books++;
        break;
    }
    if (c.firstReceivedAt === null) c.firstReceivedAt = ev.receivedAt;
    c.lastReceivedAt = ev.receivedAt;
  }

  error(e: FeedError): void {
    this.counts.errors++;
    this.lastError = e;
  }

  /**
   * Rates, ages and counts for FeedHealth. `latency: false` for a replay: its receive times are
   * now and its exchange times recorded, so their difference says nothing.
   */
  health(now: number, opts: { latency: boolean }): CountersHealth {
    const c = this.counts;
    return {
      messagesPerSec: round(this.messages.perSecond(now)),
      bytesPerSec: round(this.bytes.perSecond(now)),
      tradesPerSec: round(this.trades.perSecond(now)),
      lastDataAgeMs: c.lastReceivedAt === null ? null : Math.max(0, now - c.lastReceivedAt),
      latencyP50Ms: opts.latency ? this.latency.percentile(50) : null,
      latencyP99Ms: opts.latency ? this.latency.percentile(99) : null,
      reconnects: c.reconnects,
      errors: c.errors,
      notices: c.notices,
      lastError: this.lastError ? { ...this.lastError } : null,
    };
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
