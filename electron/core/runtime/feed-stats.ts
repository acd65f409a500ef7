/**
 * Counters and rolling rates of one feed, updated on the hot path and read by health().
 */
import type { MarketData } from '../../../shared/domain';
import type { FeedError } from '../../../shared/health';
import { PercentileRing, RollingRate } from '../util/rate';

export interface FeedCounts {
  trades: number;
  quotes: number;
  liquidations: number;
  funding: number;
  errors: number;
  notices: number;
  reconnects: number;
  firstReceivedAt: number | null;
  lastReceivedAt: number | null;
}

/** Trades whose exchange-to-local latency is sampled (most recent first out). */
const LATENCY_SAMPLES = 2_048;

export class FeedStats {
  readonly counts: FeedCounts = {
    trades: 0,
    quotes: 0,
    liquidations: 0,
    funding: 0,
    errors: 0,
    notices: 0,
    reconnects: 0,
    firstReceivedAt: null,
    lastReceivedAt: null,
  };
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
    }
    if (c.firstReceivedAt === null) c.firstReceivedAt = ev.receivedAt;
    c.lastReceivedAt = ev.receivedAt;
  }

  error(e: FeedError): void {
    this.counts.errors++;
    this.lastError = e;
  }
}
