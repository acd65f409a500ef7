/**
 * Coalesces the pipeline's latest state and flushes it to subscribers at a fixed cadence
 * (default 30 Hz), one StreamBatch per flush with a monotonic `seq` (docs/architecture.md, From
 * socket to pixel, and Backpressure).
 *
 * - Empty flushes are skipped: a batch goes out only if something changed (bars, trades, quotes,
 *   liquidations, funding) or a status/health is pending; seq is unchanged by a skipped flush.
 *   seq starts at 1 and counts batches built, whether or not anyone was subscribed.
 * - Bars come from `barsSource` (aggregator.takeChanged(): one entry per series+window).
 * - Trades: the most recent maxTradesPerBatch are kept (a ring, no allocation per trade); the rest
 *   are counted in tradesOmitted. Quotes and funding: latest per market. Liquidations and
 *   statuses: all, up to LIST_CAP per batch (the oldest excess is dropped and counted in stats()).
 * - Slow subscriber: while its ready() is false, its pending batch is merged with each new one
 *   (batch-merge.ts) instead of queueing, so memory stays bounded however slow it is. The merged
 *   batch goes out at the first flush tick where ready() is true, even if nothing new happened.
 * - A subscriber whose send (or ready) throws is unsubscribed; the others are unaffected.
 */
import type { BookView } from '../../../shared/books';
import type { Bar, Funding, Liquidation, Quote, Trade } from '../../../shared/domain';
import type { PipelineHealth, StatusRecord } from '../../../shared/health';
import type { StreamBatch } from '../../../shared/protocol';
import { systemClock, type Clock } from '../util/clock';
import { mergeBatches, type MergeCounters, type MergeLimits } from './batch-merge';
import { MarketMap } from '../util/market-map';

export interface PublisherOptions {
  /** Flush period; default 1000/30 ms. */
  cadenceMs?: number;
  /** Trades per batch; default 500. */
  maxTradesPerBatch?: number;
  clock?: Clock;
}

export interface Subscriber {
  send(batch: StreamBatch): void;
  /**
   * false while the transport is still busy (e.g. ws.bufferedAmount high): the pending batch is
   * held and merged (conflated) with the next one instead of queueing. Default: always ready.
   */
  ready?(): boolean;
}

/** Liquidations and statuses kept per batch (also per conflated batch). */
export const LIST_CAP = 1000;
/** Bars kept in one conflated batch of a slow subscriber. */
export const CONFLATED_BAR_CAP = 20_000;

interface SubscriberRecord {
  sub: Subscriber;
  /** The batch held back because the subscriber was not ready (already merged). */
  held: StreamBatch | null;
  active: boolean;
}

/** Latest value per market since the last take(); no allocation per update in steady state. */
class LatestByMarket<T extends Quote | Funding> {
  private readonly slots = new MarketMap<{ value: T; dirty: boolean }>();
  private dirty: { value: T; dirty: boolean }[] = [];
  get pending(): number {
    return this.dirty.length;
  }
  put(v: T): void {
    let slot = this.slots.get(v.exchange, v.market, v.symbol);
    if (!slot) {
      slot = { value: v, dirty: false };
      this.slots.set(v.exchange, v.market, v.symbol, slot);
    }
    slot.value = v;
    if (!slot.dirty) {
      slot.dirty = true;
      this.dirty.push(slot);
    }
  }
  take(): T[] {
    const out = this.dirty.map((s) => {
      s.dirty = false;
      return s.value;
    });
    this.dirty = [];
    return out;
  }
}

export class Publisher {
  private readonly clock: Clock;
  private readonly cadenceMs: number;
  private readonly limits: MergeLimits;
  private seq = 0;
  private readonly tradeRing: (Trade | undefined)[];
  private tradeStart = 0;
  private tradeCount = 0;
  private tradesOmitted = 0;
  private readonly quotes = new LatestByMarket<Quote>();
  private readonly funding = new LatestByMarket<Funding>();
  private liquidations: Liquidation[] = [];
  private statuses: StatusRecord[] = [];
  private health: PipelineHealth | null = null;
  /** Book views due this flush (the book registry conflates them: <= 10 Hz per market, top N). */
  private booksSource: (now: number) => BookView[] = () => [];
  private subs: SubscriberRecord[] = [];
  private timer: unknown = null;
  private running = false;
  /** When the next flush is due on the cadence grid (clock ms), null while stopped. */
  private nextFlushAt: number | null = null;
  private readonly counters: MergeCounters & {
    conflated: number;
    batchesSent: number;
    subscriberErrors: number;
    sourceErrors: number;
  } = { liquidationsOmitted: 0, statusesOmitted: 0, barsDropped: 0, conflated: 0, batchesSent: 0, subscriberErrors: 0, sourceErrors: 0 };

  constructor(
    opts: PublisherOptions,
    private readonly barsSource: () => Bar[],
  ) {
    this.clock = opts.clock ?? systemClock;
    this.cadenceMs = Math.max(1, opts.cadenceMs ?? 1000 / 30);
    const maxTrades = Math.max(0, Math.floor(opts.maxTradesPerBatch ?? 500));
    this.limits = { maxTrades, maxList: LIST_CAP, maxBars: CONFLATED_BAR_CAP };
    this.tradeRing = new Array<Trade | undefined>(maxTrades).fill(undefined);
  }

  /** HOT PATH: keeps the newest maxTradesPerBatch trades of the current batch. */
  pushTrade(t: Trade): void {
    const cap = this.tradeRing.length;
    if (this.tradeCount < cap) {
      this.tradeRing[(this.tradeStart + this.tradeCount) % cap] = t;
      this.tradeCount++;
    } else {
      this.tradesOmitted++;
      if (cap === 0) return;
      this.tradeRing[this.tradeStart] = t; // overwrite the oldest
      this.tradeStart = (this.tradeStart + 1) % cap;
    }
  }

  pushQuote(q: Quote): void {
    this.quotes.put(q);
  }

  pushFunding(f: Funding): void {
    this.funding.put(f);
  }

  pushLiquidation(l: Liquidation): void {
    if (this.liquidations.length >= LIST_CAP) {
      this.liquidations.shift();
      this.counters.liquidationsOmitted++;
    }
    this.liquidations.push(l);
  }

  pushStatus(s: StatusRecord): void {
    if (this.statuses.length >= LIST_CAP) {
      this.statuses.shift();
      this.counters.statusesOmitted++;
    }
    this.statuses.push(s);
  }

  /** Books are pulled at flush time, never pushed per diff (docs/architecture.md, Backpressure). */
  setBooksSource(source: (now: number) => BookView[]): void {
    this.booksSource = source;
  }

  setHealth(h: PipelineHealth): void {
    this.health = h;
  }

  /** Returns an idempotent unsubscribe. */
  subscribe(sub: Subscriber): () => void {
    const rec: SubscriberRecord = { sub, held: null, active: true };
    this.subs.push(rec);
    return () => this.drop(rec);
  }

  /** Starts the cadence timer (unref'd through the clock); idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.nextFlushAt = null;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One flush now (the timer calls this; tests and shutdown may too). */
  flush(): void {
    const batch = this.build();
    if (batch) this.seq = batch.seq;
    for (const rec of this.subs.slice()) {
      if (!rec.active) continue;
      if (batch === null && rec.held === null) continue;
      let out: StreamBatch;
      if (batch === null) out = rec.held!;
      else if (rec.held === null) out = batch;
      else {
        out = mergeBatches(rec.held, batch, this.limits, this.counters);
        this.counters.conflated++;
      }
      let ready: boolean;
      try {
        ready = rec.sub.ready ? rec.sub.ready() : true;
      } catch {
        this.fail(rec);
        continue;
      }
      if (!ready) {
        rec.held = out;
        continue;
      }
      rec.held = null;
      try {
        rec.sub.send(out);
        this.counters.batchesSent++;
      } catch {
        this.fail(rec);
      }
    }
  }

  stats(): {
    seq: number;
    subscribers: number;
    conflated: number;
    batchesSent: number;
    liquidationsOmitted: number;
    statusesOmitted: number;
    barsDropped: number;
    subscriberErrors: number;
    sourceErrors: number;
  } {
    return { seq: this.seq, subscribers: this.subs.length, ...this.counters };
  }

  /** Takes everything pending into a new batch, or null when nothing changed. */
  private build(): StreamBatch | null {
    // One clock reading for the whole batch: book views are conflated against `now`, and a batch's
    // `at` read later (after a slow bars source or a GC pause) would make two views 100 ms apart
    // look closer together than they were.
    const now = this.clock.now();
    let bars: Bar[];
    try {
      bars = this.barsSource();
    } catch {
      // A broken source must not stop trades and statuses from flowing; counted.
      this.counters.sourceErrors++;
      bars = [];
    }
    let books: BookView[];
    try {
      books = this.booksSource(now);
    } catch {
      this.counters.sourceErrors++;
      books = [];
    }
    const nothing =
      bars.length === 0 &&
      books.length === 0 &&
      this.tradeCount === 0 &&
      this.tradesOmitted === 0 &&
      this.quotes.pending === 0 &&
      this.funding.pending === 0 &&
      this.liquidations.length === 0 &&
      this.statuses.length === 0 &&
      this.health === null;
    if (nothing) return null;
    const batch: StreamBatch = {
      type: 'batch',
      seq: this.seq + 1,
      at: now,
      bars,
      trades: this.takeTrades(),
      tradesOmitted: this.tradesOmitted,
      quotes: this.quotes.take(),
      liquidations: this.liquidations,
      funding: this.funding.take(),
      statuses: this.statuses,
      books,
      conflated: 0,
    };
    if (this.health !== null) batch.health = this.health;
    this.tradesOmitted = 0;
    this.liquidations = [];
    this.statuses = [];
    this.health = null;
    return batch;
  }

  private takeTrades(): Trade[] {
    const cap = this.tradeRing.length;
    const out = new Array<Trade>(this.tradeCount);
    for (let i = 0; i < this.tradeCount; i++) {
      const slot = (this.tradeStart + i) % cap;
      out[i] = this.tradeRing[slot]!;
      this.tradeRing[slot] = undefined;
    }
    this.tradeStart = 0;
    this.tradeCount = 0;
    return out;
  }

  private fail(rec: SubscriberRecord): void {
    this.counters.subscriberErrors++;
    this.drop(rec);
  }

  private drop(rec: SubscriberRecord): void {
    if (!rec.active) return;
    rec.active = false;
    rec.held = null;
    this.subs = this.subs.filter((r) => r !== rec);
  }

  /**
   * Flushes keep to a fixed grid (start + k * cadence) rather than waiting a full cadence after
   * each flush: a chained timeout drifts by the flush's own time and the timer's lateness every
   * time, and a late flush would push every later one back too. A flush more than a cadence late
   * (a long stall) restarts the grid from itself rather than flushing again at once.
   */
  private schedule(): void {
    const now = this.clock.now();
    let next = (this.nextFlushAt ?? now) + this.cadenceMs;
    if (next <= now) next = now + this.cadenceMs;
    this.nextFlushAt = next;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (!this.running) return;
      try {
        this.flush();
      } finally {
        if (this.running) this.schedule();
      }
    }, next - now);
  }
}
