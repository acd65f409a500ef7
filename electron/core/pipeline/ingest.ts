/**
 * The ingest loop: what the feeds deliver goes through a bounded queue to the aggregator (bars),
 * the history bridge (gap fill), the publisher (UI batches) and the record taps, in order.
 *
 * The queue never drops: when it is full, what still arrives waits in `overflow` (bounded by what
 * a paused socket still delivers) and the feeds are paused until the queue drains to its low-water
 * mark, so the lossless taps (headless NDJSON) see every trade. Ingest never waits for the UI:
 * the publisher conflates for slow subscribers.
 */
import type { Gap, MarketData } from '../../../shared/domain';
import type { QueueHealth } from '../../../shared/health';
import type { AlertEngine } from '../alerts/alert-engine';
import type { BookRegistry } from '../books/book-registry';
import type { Aggregator } from './aggregator';
import type { HistoryBridge } from './history-bridge';
import type { Publisher } from './publisher';
import { BoundedQueue } from './queue';
import type { RecordTaps } from './record-taps';

/** Items per drain turn before yielding to the event loop (sockets, timers). */
const DRAIN_BATCH = 4096;

export interface IngestOptions {
  capacity: number;
  aggregator: Aggregator;
  history: HistoryBridge;
  publisher: Publisher;
  taps: RecordTaps;
  /** Order books: `book` records are applied here, after the trade cases (never on the trade path). */
  books?: BookRegistry;
  /** Alerts, evaluated on every trade, liquidation and funding record (docs/architecture.md, Alerts). */
  alerts?: AlertEngine;
  /** Backpressure: true when the queue is full (stop reading sockets), false once it drained. */
  setPaused(paused: boolean): void;
}

export class Ingest {
  private readonly queue: BoundedQueue<MarketData | Gap>;
  /** Items the queue refused while full; bounded by what a paused socket still delivers. */
  private overflow: (MarketData | Gap)[] = [];
  private drainScheduled = false;
  private closing = false;
  private tradesIn = 0;
  private tradesOut = 0;
  private readonly aggregator: Aggregator;
  private readonly history: HistoryBridge;
  private readonly publisher: Publisher;
  private readonly taps: RecordTaps;
  private readonly alerts: AlertEngine | undefined;

  constructor(private readonly o: IngestOptions) {
    this.aggregator = o.aggregator;
    this.history = o.history;
    this.publisher = o.publisher;
    this.taps = o.taps;
    this.alerts = o.alerts;
    this.queue = new BoundedQueue<MarketData | Gap>({ name: 'ingest', capacity: o.capacity });
    this.queue.onSpace = () => o.setPaused(false);
  }

  /** What a feed delivered (the feeds' sink `data` and `gap`). */
  readonly enqueue = (item: MarketData | Gap): void => {
    if (item.type === 'trade') this.tradesIn++;
    if (this.overflow.length > 0 || !this.queue.push(item)) {
      this.overflow.push(item);
      this.o.setPaused(true);
    }
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      queueMicrotask(this.drainSoon);
    }
  };

  /** Shutting down: a drain that leaves items no longer schedules another turn (drainAll() finishes). */
  close(): void {
    this.closing = true;
  }

  /** Processes everything received so far, now. */
  drainAll(): void {
    this.drain(Infinity);
  }

  /** Running totals of trades received and processed (rates in the health view). */
  trades(): { in: number; out: number } {
    return { in: this.tradesIn, out: this.tradesOut };
  }

  health(): QueueHealth {
    return this.queue.health();
  }

  /**
   * The first drain after a socket read runs as a microtask, right after the read's frames were
   * parsed, not a loop turn later (setImmediate): then the queue holds one read's worth of items,
   * not up to its capacity. Measured: with setImmediate the queue sat at 65,536 during a replay,
   * every scavenge copied those live trades and GC took ~30% of the process. Side by side (npm run
   * bench, 3 rounds): Bybit 0.60x -> 1.32x of the ws+JSON.parse ceiling, Binance 0.79x -> 0.95x.
   * A drain that leaves items (more than DRAIN_BATCH arrived) continues on setImmediate, so
   * sockets and timers still get their turn.
   */
  private readonly drainSoon = (): void => {
    this.drainScheduled = false;
    this.drain(DRAIN_BATCH);
  };

  private drain(max: number): void {
    let budget = max;
    while (budget > 0) {
      const n = this.queue.drain(this.process, Math.min(budget, DRAIN_BATCH));
      budget -= n;
      // Refill from items refused while the queue was full, preserving order.
      if (this.overflow.length > 0) {
        let i = 0;
        while (i < this.overflow.length && this.queue.push(this.overflow[i]!)) i++;
        this.overflow = i === this.overflow.length ? [] : this.overflow.slice(i);
        continue;
      }
      if (n === 0) break;
    }
    if ((this.queue.length > 0 || this.overflow.length > 0) && !this.drainScheduled && !this.closing) {
      this.drainScheduled = true;
      setImmediate(() => {
        this.drainScheduled = false;
        this.drain(DRAIN_BATCH);
      });
    }
  }

  /** Hot path: one call per received record. */
  private readonly process = (item: MarketData | Gap): void => {
    switch (item.type) {
      case 'trade':
        this.tradesOut++;
        this.aggregator.onTrade(item);
        this.history.onTrade(item);
        this.publisher.pushTrade(item);
        break;
      case 'quote':
        this.publisher.pushQuote(item);
        break;
      case 'liquidation':
        this.publisher.pushLiquidation(item);
        break;
      case 'funding':
        this.publisher.pushFunding(item);
        break;
      case 'book':
        this.o.books?.apply(item);
        break;
      case 'gap':
        if (item.phase === 'start') this.o.books?.disconnected(item.exchange, item.market, item.symbols);
        this.aggregator.onGap(item);
        this.history.onGap(item);
        break;
    }
    this.taps.emit(item);
    // After the record's own tap, so a headless `alert` line follows the trade that fired it.
    if (this.alerts !== undefined) {
      if (item.type === 'trade') this.alerts.onTrade(item);
      else if (item.type === 'liquidation') this.alerts.onLiquidation(item);
      else if (item.type === 'funding') this.alerts.onFunding(item);
    }
  };
}
