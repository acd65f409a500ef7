/**
 * startPipeline(): the one entry used by the Electron shell, the web host and the headless
 * runner alike (docs/architecture.md, From socket to pixel). Data flow:
 *
 *   FeedRunner (socket + adapter) --sink--> ingest queue (bounded, 'wait': full => sockets pause)
 *     --drain--> Aggregator (bars) + Publisher (coalesced batches) + record taps (headless, recorder)
 *
 * Ingest never waits for the UI: the publisher conflates for slow subscribers. The ingest queue
 * itself applies backpressure to the sockets rather than dropping, so the lossless taps (headless
 * NDJSON) see every trade.
 */
import type { FeedConfig } from '../../../shared/config';
import type { Bar, Gap, MarketData, MarketType } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import type { PipelineHealth, StatusRecord, StoreHealth } from '../../../shared/health';
import type { RuntimeTuning } from '../runtime/feed';
import { systemClock, type Clock } from '../util/clock';
import { Aggregator } from './aggregator';
import { DEFAULT_CADENCE_MS, DEFAULT_FEEDS, DEFAULT_TIMEFRAME_LIST, HEALTH_INTERVAL_MS } from './defaults';
import { FeedManager } from './feed-manager';
import { HealthCollector } from './health-collector';
import { PeriodicTask } from './periodic-task';
import { HistoryBridge } from './history-bridge';
import { Publisher } from './publisher';
import { BoundedQueue } from './queue';
import type { BarStore, BarStoreOptions } from '../store/bar-store';
import { mergeBars } from '../bars/merge-bars';
import { openBarStore } from '../store/open-store';

export type PipelineRecord = MarketData | Bar | StatusRecord | Gap;

export interface PipelineOptions {
  feeds?: FeedConfig[];
  timeframes?: string[];
  cadenceMs?: number;
  /** Where instrument lists are cached, bars stored and feeds recorded; null = none of these. */
  dataDir?: string | null;
  /** Keep final bars in the local store (dataDir/bars.sqlite). Default true when dataDir is set. */
  store?: boolean;
  /** Store tuning: flush cadence, retention per timeframe. */
  storeOptions?: Omit<BarStoreOptions, 'path'>;
  tuning?: Partial<RuntimeTuning>;
  ingestCapacity?: number;
  healthIntervalMs?: number;
  /** How often open bars are checked for their window's end. */
  barTickMs?: number;
  clock?: Clock;
  /** Fetch recent bars from the venues' REST candles when a feed starts. Default true. */
  backfill?: boolean;
  /**
   * `feeds` came from the command line (a --config file), so their replay files are read where
   * they are. Default false: replay files must be inside <data dir>/recordings, as for every feed
   * added later through the API (see recording/replay-path.ts).
   */
  trustedReplayPaths?: boolean;
}

export type FeedSummary = {
  id: string;
  exchange: string;
  market: string;
  trades: number;
  quotes: number;
  liquidations: number;
  funding: number;
  errors: number;
  notices: number;
  reconnects: number;
  firstReceivedAt: number | null;
  lastReceivedAt: number | null;
};

/** Items per drain turn before yielding to the event loop (sockets, timers). */
const DRAIN_BATCH = 4096;

export class Pipeline {
  readonly aggregator: Aggregator;
  readonly publisher: Publisher;
  readonly feeds: FeedManager;
  readonly ingest: BoundedQueue<MarketData | Gap>;
  private readonly taps = new Set<(r: PipelineRecord) => void>();
  /** Items the ingest queue refused while full; bounded by what a paused socket still delivers. */
  private overflow: (MarketData | Gap)[] = [];
  private drainScheduled = false;
  private tradesIn = 0;
  private tradesOut = 0;
  private readonly collector = new HealthCollector();
  private lastHealth: PipelineHealth | null = null;
  /** The bar clock and the health sampler. */
  private readonly tasks: PeriodicTask[] = [];
  private readonly clock: Clock;
  private stopped = false;
  /** The local bar store; null when there is no data dir or it could not open (storeNotice). */
  readonly store: BarStore | null = null;
  private readonly storeNotice: string | null = null;
  /** REST backfill on feed start and chart open; gap fill after disconnects. */
  readonly history: HistoryBridge;
  private historyNote: string | null = null;

  constructor(private readonly opts: PipelineOptions) {
    this.clock = opts.clock ?? systemClock;
    this.aggregator = new Aggregator({ timeframes: opts.timeframes ?? DEFAULT_TIMEFRAME_LIST });
    if (opts.dataDir && opts.store !== false) {
      const opened = openBarStore(opts.dataDir, { clock: this.clock, ...opts.storeOptions });
      this.store = opened.store;
      this.storeNotice = opened.disabledReason;
    }
    const store = this.store;
    this.aggregator.onFinal = (bar) => {
      store?.put(bar);
      this.emit(bar);
    };
    // Bars from REST backfill or corrected by a gap fill: the store upserts by start, and a later
    // bar record for the same start supersedes the earlier one for every other consumer.
    this.aggregator.onRevised = (bar) => {
      store?.put(bar);
      this.emit(bar);
    };
    this.publisher = new Publisher(
      { cadenceMs: opts.cadenceMs ?? DEFAULT_CADENCE_MS, clock: this.clock },
      () => this.aggregator.takeChanged(),
    );
    this.ingest = new BoundedQueue<MarketData | Gap>({
      name: 'ingest',
      capacity: opts.ingestCapacity ?? 65_536,
    });
    this.ingest.onSpace = () => this.feeds.setPaused(false);
    this.history = new HistoryBridge({
      aggregator: this.aggregator,
      timeframes: opts.timeframes ?? DEFAULT_TIMEFRAME_LIST,
      feedFor: (id) => this.feeds.configs().find((f) => f.id === id),
      feedsFor: (exchange, market, symbol) =>
        this.feeds.configs().filter((f) => f.enabled && f.exchange === exchange && f.market === market && f.symbols.includes(symbol)),
      report: (note) => (this.historyNote = note),
    });
    this.feeds = new FeedManager({
      dataDir: opts.dataDir ?? null,
      clock: this.clock,
      tuning: opts.tuning,
      onStarted: opts.backfill === false ? undefined : (config) => this.history.feedStarted(config),
      sink: {
        data: (e) => this.enqueue(e),
        gap: (g) => this.enqueue(g),
        status: (s) => {
          this.publisher.pushStatus(s);
          this.emit(s);
        },
      },
    });
  }

  async start(): Promise<void> {
    this.publisher.start();
    this.loop('bar-clock', this.opts.barTickMs ?? 250, () => this.advanceBars());
    this.loop('health', this.opts.healthIntervalMs ?? HEALTH_INTERVAL_MS, () => this.publisher.setHealth(this.health()));
    const feeds = this.opts.feeds ?? DEFAULT_FEEDS;
    // Feeds start independently: one that fails (bad URL, unknown venue) never blocks another.
    const trusted = this.opts.trustedReplayPaths === true;
    await Promise.all(feeds.map((f) => this.feeds.add(f, { trusted })));
  }

  /** A periodic task: if its body throws (a bug, a bad bar), the error shows in health `tasks` and it goes on. */
  private loop(name: string, ms: number, body: () => void): void {
    const task = new PeriodicTask(name, ms, body, this.clock);
    this.tasks.push(task);
    task.start();
  }

  /** Subscribes to every record (trades, quotes, final bars, statuses, gaps) in order. */
  onRecord(fn: (r: PipelineRecord) => void): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  health(): PipelineHealth {
    const now = this.clock.now();
    const sample = this.collector.sample(
      now,
      this.tradesIn,
      this.tradesOut,
      this.feeds.health(now),
      [this.ingest.health()],
    );
    const store = this.storeHealth();
    const h = this.history.service.stats();
    const history = { requests: h.requests, rateLimited: h.rateLimited, errors: h.errors, lastError: h.lastError, lastNote: this.historyNote };
    const tasks = this.tasks.map((t) => t.info());
    this.lastHealth = store ? { ...sample, store, history, tasks } : { ...sample, history, tasks };
    return this.lastHealth;
  }

  /**
   * Bars of one series for a chart: the store's (older, committed) merged with the aggregator's
   * in-memory history and open bar; the in-memory bar wins at the seam. `before` pages left.
   */
  bars(q: { exchange: string; market: MarketType; symbol: string; tf: string; limit?: number; before?: number; from?: number }): Bar[] {
    const limit = q.limit ?? 5000;
    const from = q.from ?? 0;
    const before = q.before ?? Infinity;
    let memory = this.aggregator.history(q.exchange, q.market, q.symbol, q.tf, limit);
    if (q.before !== undefined || q.from !== undefined) memory = memory.filter((b) => b.start >= from && b.start < before);
    let stored: Bar[] = [];
    if (this.store) {
      try {
        stored = this.store.range({ key: marketKey(q), tf: q.tf, limit, from, ...(q.before !== undefined ? { before: q.before } : {}) });
      } catch (e) {
        // A damaged page found mid-session: the chart still gets what memory holds, and the store
        // counts the failure (health) and says so once (notices).
        this.store.noteReadFailure(e);
      }
    }
    return mergeBars(stored, memory, limit);
  }

  /** Notices for every UI that connects (e.g. the bar store could not open, or was set aside). */
  notices(): string[] {
    return [...(this.storeNotice ? [this.storeNotice] : []), ...(this.store?.notices() ?? [])];
  }

  private storeHealth(): StoreHealth | undefined {
    if (this.store) {
      const s = this.store.stats();
      return { enabled: true, path: s.path, barsWritten: s.written, pending: s.pending, errors: s.errors, notice: s.lastError };
    }
    if (this.storeNotice) return { enabled: false, path: null, barsWritten: 0, pending: 0, errors: 0, notice: this.storeNotice };
    return undefined;
  }

  /** Closes due bars by the wall clock, or by the recorded time a running replay has reached. */
  private advanceBars(): void {
    const now = this.clock.now();
    const horizon = this.feeds.replayHorizon();
    this.aggregator.advance(horizon === null ? now : Math.min(now, horizon));
  }

  summary(): FeedSummary[] {
    return [...this.feeds.counts()].map(([id, { config, counts }]) => ({
      id,
      exchange: config.exchange,
      market: config.market,
      trades: counts?.trades ?? 0,
      quotes: counts?.quotes ?? 0,
      liquidations: counts?.liquidations ?? 0,
      funding: counts?.funding ?? 0,
      errors: counts?.errors ?? 0,
      notices: counts?.notices ?? 0,
      reconnects: counts?.reconnects ?? 0,
      firstReceivedAt: counts?.firstReceivedAt ?? null,
      lastReceivedAt: counts?.lastReceivedAt ?? null,
    }));
  }

  /**
   * Stops the feeds, processes everything already received, closes due bars and flushes the
   * publisher, within deadlineMs. Open bars stay open (see Aggregator.openBars()).
   */
  async stop(deadlineMs = 5_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.history.stop();
    for (const task of this.tasks) task.cancel();
    const feedsStopped = this.feeds.stopAll();
    const deadline = new Promise<void>((r) => setTimeout(r, deadlineMs).unref());
    await Promise.race([feedsStopped, deadline]);
    this.drain(Infinity);
    this.aggregator.advance(this.clock.now());
    this.publisher.flush();
    this.publisher.stop();
    this.collector.close();
    // After the last bars closed: they are committed before the process goes.
    this.store?.close();
  }

  private enqueue(item: MarketData | Gap): void {
    if (item.type === 'trade') this.tradesIn++;
    if (this.overflow.length > 0 || !this.ingest.push(item)) {
      this.overflow.push(item);
      this.feeds.setPaused(true);
    }
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      queueMicrotask(this.drainSoon);
    }
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
      const n = this.ingest.drain(this.process, Math.min(budget, DRAIN_BATCH));
      budget -= n;
      // Refill from items refused while the queue was full, preserving order.
      if (this.overflow.length > 0) {
        let i = 0;
        while (i < this.overflow.length && this.ingest.push(this.overflow[i]!)) i++;
        this.overflow = i === this.overflow.length ? [] : this.overflow.slice(i);
        continue;
      }
      if (n === 0) break;
    }
    if ((this.ingest.length > 0 || this.overflow.length > 0) && !this.drainScheduled && !this.stopped) {
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
      case 'gap':
        this.aggregator.onGap(item);
        this.history.onGap(item);
        break;
    }
    this.emit(item);
  };

  private emit(r: PipelineRecord): void {
    for (const tap of this.taps) {
      try {
        tap(r);
      } catch {
        // A broken tap (e.g. a closed stdout) must not stop ingest; the tap reports its own error.
      }
    }
  }
}

export async function startPipeline(opts: PipelineOptions = {}): Promise<Pipeline> {
  const p = new Pipeline(opts);
  await p.start();
  return p;
}
