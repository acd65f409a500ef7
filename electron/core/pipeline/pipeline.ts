/**
 * Pipeline: the core's one running instance, used by the Electron shell, the web host, the
 * headless runner and the benchmarks alike (docs/architecture.md, From socket to pixel):
 *
 *   feed sources (sockets + adapters, a replay) --sink--> Ingest (bounded queue; full => sockets pause)
 *     --drain--> Aggregator (bars) + HistoryBridge (gap fill) + Publisher (coalesced UI batches)
 *                + record taps (headless NDJSON)
 *
 * This file wires the parts; callers use only the surface below and never reach into the parts:
 * - life: start(), stop();
 * - feeds: listFeeds(), hasFeed(), addFeed(), updateFeed(), removeFeed(), checkFeed(),
 *   searchMarkets(), simulatorFor(), recordingsDir();
 * - queries: bars(), openSeries() (the one with an effect: a REST top-up that arrives later),
 *   openBars(), health(), summary(), notices(), stats();
 * - subscribe: subscribe() (coalesced batches for a UI), onRecord() (every record, in order).
 *
 * The parts: ingest.ts (the ingest loop), bar-query.ts (bars from store and memory),
 * pipeline-health.ts (health and summary), feed-manager.ts with sources/ (the feeds),
 * history-bridge.ts (REST backfill and gap fill), periodic-task.ts (bar clock, health sampler).
 */
import type { FeedConfig } from '../../../shared/config';
import type { Bar, MarketRef, MarketType } from '../../../shared/domain';
import type { MarketStats24h } from '../../../shared/market-stats';
import { COMPOSITE } from '../../../shared/markets';
import type { FeedSummary, PipelineHealth, QueueHealth } from '../../../shared/health';
import type { RuntimeTuning } from '../runtime/feed';
import type { BarStore, BarStoreOptions } from '../store/bar-store';
import { openBarStore } from '../store/open-store';
import { VenueBuckets } from '../rest/venue-buckets';
import { systemClock, type Clock } from '../util/clock';
import { marketStats24hAll } from './market-stats-24h';
import { Aggregator } from './aggregator';
import { queryBars, type BarQuery } from './bar-query';
import { DEFAULT_CADENCE_MS, DEFAULT_FEEDS, DEFAULT_TIMEFRAME_LIST, HEALTH_INTERVAL_MS } from './defaults';
import { FeedManager, type AddOptions } from './feed-manager';
import { HistoryBridge } from './history-bridge';
import { Ingest } from './ingest';
import { PeriodicTask } from './periodic-task';
import { feedSummaries, PipelineHealthSampler } from './pipeline-health';
import { Publisher, type Subscriber } from './publisher';
import { BookRegistry, viewOf } from '../books/book-registry';
import { RestBookSnapshots } from '../books/rest-snapshots';
import { checksumFor, snapshotsByRest, syncRuleFor } from '../books/venue-books';
import type { BookView } from '../../../shared/books';
import { RecordTaps, type PipelineRecord } from './record-taps';
import { AlertEngine } from '../alerts/alert-engine';
import type { AlertDef, AlertFired } from '../../../shared/alerts';

export type { PipelineRecord } from './record-taps';
export type { FeedSummary } from '../../../shared/health';
export type { BarQuery } from './bar-query';

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
  /** Time for everything the pipeline runs: feeds, history, bars, the publisher, its own timers. */
  clock?: Clock;
  /** Fetch recent bars from the venues' REST candles when a feed starts. Default true. */
  backfill?: boolean;
  /**
   * `feeds` came from the command line (a --config file), so their replay files are read where
   * they are. Default false: replay files must be inside <data dir>/recordings, as for every feed
   * added later through the API (see recording/replay-path.ts).
   */
  trustedReplayPaths?: boolean;
  /** Alerts evaluated on every trade and liquidation (setAlerts() replaces them; onAlert() listens). */
  alerts?: AlertDef[];
}

/** Counters of the parts, for the headless summary and the benchmarks. */
export interface PipelineStats {
  aggregator: ReturnType<Aggregator['stats']>;
  publisher: ReturnType<Publisher['stats']>;
  ingest: QueueHealth;
}

export class Pipeline {
  private readonly clock: Clock;
  private readonly aggregator: Aggregator;
  private readonly publisher: Publisher;
  private readonly feeds: FeedManager;
  private readonly ingest: Ingest;
  private readonly history: HistoryBridge;
  private readonly taps = new RecordTaps();
  private readonly alerts: AlertEngine;
  private readonly alertListeners = new Set<(a: AlertFired) => void>();
  /**
   * Order books from `book` records. A detected gap or crossed book marks the book resyncing at
   * once and asks for a new snapshot (at most once a second per market): a REST snapshot where
   * the venue's stream has only diffs (Binance, books/rest-snapshots.ts), else a resubscribe of
   * its `book` stream, which answers with a snapshot (simulator).
   */
  private readonly books: BookRegistry;
  /** REST book snapshots (Binance); set in the constructor, where the REST buckets are made. */
  private readonly bookSnapshots: RestBookSnapshots;
  /** The bar clock and the health sampler. */
  private readonly tasks: PeriodicTask[] = [];
  private readonly healthSampler: PipelineHealthSampler;
  /** The local bar store; null when there is no data dir or it could not open (storeNotice). */
  private readonly store: BarStore | null = null;
  private readonly storeNotice: string | null = null;
  private stopped = false;

  constructor(private readonly opts: PipelineOptions) {
    const clock = (this.clock = opts.clock ?? systemClock);
    this.books = new BookRegistry({
      clock,
      ruleFor: syncRuleFor,
      snapshotOnDemand: snapshotsByRest,
      checksumFor,
      requestResync: (ref) => {
        if (snapshotsByRest(ref.exchange)) this.bookSnapshots.request(ref);
        else this.feeds.resubscribe(ref.exchange, ref.market, ref.symbol, 'book');
      },
    });
    this.alerts = new AlertEngine({
      clock,
      onFire: (a) => {
        for (const fn of this.alertListeners) fn(a);
      },
      probes: {
        feedsFor: (ref) =>
          this.feeds
            .configs()
            .filter((f) => f.enabled && f.market === ref.market && (ref.exchange === COMPOSITE || f.exchange === ref.exchange) && f.symbols.includes(ref.symbol))
            .map((f) => f.id),
        bookStates: (ref) =>
          this.books
            .all()
            .filter((b) => b.ref.market === ref.market && b.ref.symbol === ref.symbol && (ref.exchange === COMPOSITE || b.ref.exchange === ref.exchange))
            .map((b) => b.state),
      },
    });
    this.alerts.set(opts.alerts ?? []);
    const timeframes = opts.timeframes ?? DEFAULT_TIMEFRAME_LIST;
    this.aggregator = new Aggregator({ timeframes });
    if (opts.dataDir && opts.store !== false) {
      const opened = openBarStore(opts.dataDir, { clock, ...opts.storeOptions });
      this.store = opened.store;
      this.storeNotice = opened.disabledReason;
    }
    const store = this.store;
    this.aggregator.onFinal = (bar) => {
      store?.put(bar);
      this.taps.emit(bar);
    };
    // Bars from REST backfill or corrected by a gap fill: the store upserts by start, and a later
    // bar record for the same start supersedes the earlier one for every other consumer.
    this.aggregator.onRevised = (bar) => {
      store?.put(bar);
      this.taps.emit(bar);
    };
    this.publisher = new Publisher({ cadenceMs: opts.cadenceMs ?? DEFAULT_CADENCE_MS, clock }, () => this.aggregator.takeChanged());
    this.publisher.setBooksSource((now) => this.books.takeViews(now));
    // One token bucket per venue for every REST request: instrument lists, candles, trades.
    const restBuckets = new VenueBuckets(clock);
    this.history = new HistoryBridge({
      aggregator: this.aggregator,
      timeframes,
      clock,
      buckets: restBuckets,
      symbols: (feed) => this.feeds.symbolsFor(feed),
      feedFor: (id) => this.feeds.configs().find((f) => f.id === id),
      feedsFor: (exchange, market, symbol) =>
        this.feeds.configs().filter((f) => f.enabled && f.exchange === exchange && f.market === market && f.symbols.includes(symbol)),
    });
    this.bookSnapshots = new RestBookSnapshots({
      clock,
      buckets: restBuckets,
      feedFor: (ref) =>
        this.feeds.configs().find((f) => f.enabled && f.exchange === ref.exchange && f.market === ref.market && f.symbols.includes(ref.symbol) && f.channels.includes('book')),
      wanted: (ref) => this.books.get(ref)?.state !== 'valid',
      deliver: (u) => this.ingest.enqueue(u),
      // Recorded with the frames, so a replay of a REST-snapshot venue builds the same book.
      record: (feed, ref, body, at) => this.feeds.recordBookSnapshot(feed.id, ref.symbol, body, at),
    });
    this.ingest = new Ingest({
      capacity: opts.ingestCapacity ?? 65_536,
      aggregator: this.aggregator,
      history: this.history,
      publisher: this.publisher,
      taps: this.taps,
      books: this.books,
      alerts: this.alerts,
      setPaused: (paused) => this.feeds.setPaused(paused),
    });
    this.feeds = new FeedManager({
      dataDir: opts.dataDir ?? null,
      clock,
      restBuckets,
      tuning: opts.tuning,
      onStarted: opts.backfill === false ? undefined : (config) => this.history.feedStarted(config),
      sink: {
        data: this.ingest.enqueue,
        gap: this.ingest.enqueue,
        status: (s) => {
          this.publisher.pushStatus(s);
          this.alerts.onStatus(s);
          this.taps.emit(s);
        },
      },
    });
    this.healthSampler = new PipelineHealthSampler({
      clock,
      feeds: this.feeds,
      ingest: this.ingest,
      history: this.history,
      tasks: this.tasks,
      store: this.store,
      storeNotice: this.storeNotice,
    });
  }

  // ---- life -----------------------------------------------------------------------------------

  /** Starts the publisher, the bar clock, the health sampler and the configured feeds. */
  async start(): Promise<void> {
    this.publisher.start();
    this.every('bar-clock', this.opts.barTickMs ?? 250, () => this.advanceBars());
    this.every('health', this.opts.healthIntervalMs ?? HEALTH_INTERVAL_MS, () => this.publisher.setHealth(this.health()));
    this.every('alerts', 1000, () => this.alerts.tick());
    const feeds = this.opts.feeds ?? DEFAULT_FEEDS;
    // Feeds start independently: one that fails (bad URL, unknown venue) never blocks another.
    const trusted = this.opts.trustedReplayPaths === true;
    await Promise.all(feeds.map((f) => this.feeds.add(f, { trusted })));
  }

  /**
   * Stops the feeds, processes everything already received, closes due bars and flushes the
   * publisher, within deadlineMs. Open bars stay open (see openBars()).
   */
  async stop(deadlineMs = 5_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ingest.close();
    this.history.stop();
    this.bookSnapshots.stop();
    for (const task of this.tasks) task.cancel();
    const feedsStopped = this.feeds.stopAll();
    const deadline = new Promise<void>((r) => setTimeout(r, deadlineMs).unref());
    await Promise.race([feedsStopped, deadline]);
    this.ingest.drainAll();
    this.aggregator.advance(this.clock.now());
    this.publisher.flush();
    this.publisher.stop();
    this.healthSampler.close();
    // After the last bars closed: they are committed before the process goes.
    this.store?.close();
  }

  // ---- feeds ----------------------------------------------------------------------------------

  listFeeds(): FeedConfig[] {
    return this.feeds.configs();
  }

  hasFeed(id: string): boolean {
    return this.feeds.has(id);
  }

  /** Starts a feed (or records it as disabled); resolves once it is connecting. A feed that cannot start shows its error in a status and in health, it does not reject. */
  addFeed(config: FeedConfig, opts?: AddOptions): Promise<void> {
    return this.feeds.add(config, opts);
  }

  /** Replaces a feed's configuration (its old connections close, the new ones open); adds it if unknown. */
  updateFeed(config: FeedConfig): Promise<void> {
    return this.feeds.update(config);
  }

  removeFeed(id: string): Promise<void> {
    return this.feeds.remove(id);
  }

  /**
   * What validation alone cannot check, for a feed about to be added or changed through the API
   * (a replay file's location). Throws an Error naming the field; changes nothing.
   */
  checkFeed(config: FeedConfig): Promise<void> {
    return this.feeds.preflight(config);
  }

  /** Instrument search for the feed editor. */
  searchMarkets(q: Parameters<FeedManager['searchMarkets']>[0]): ReturnType<FeedManager['searchMarkets']> {
    return this.feeds.searchMarkets(q);
  }

  /** The embedded simulator serving a feed (fault injection in tests and demos), or null. */
  simulatorFor(id: string): ReturnType<FeedManager['simulatorFor']> {
    return this.feeds.simulatorFor(id);
  }

  /** Where feeds record raw frames (and replay files are read from); null without a data dir. */
  recordingsDir(): string | null {
    return this.feeds.recordingsDir();
  }

  // ---- queries --------------------------------------------------------------------------------

  /**
   * Bars of one series, now: the store's (older, committed) merged with the aggregator's
   * in-memory history and open bar; the in-memory bar wins at the seam. `before` pages left.
   * No side effect: to top the series up from the venue, call openSeries().
   */
  bars(q: BarQuery): Bar[] {
    return queryBars(this.aggregator, this.store, q);
  }

  /** 24 h change and volume per market from the stored and in-memory bars, as of the pipeline's clock. */
  marketStats(markets: readonly MarketRef[], timeframes: readonly string[]): MarketStats24h[] {
    return marketStats24hAll(markets, (q) => this.bars(q), timeframes, this.clock.now());
  }

  /**
   * A chart opened a series: tops it up from the venue's REST candles, once per series and
   * session, for every running feed that carries the market. Returns at once; the fetched bars
   * arrive later as revised bars, through subscribe() (the batch's bars) and onRecord(). A
   * composite series (all venues) has no REST history of its own: nothing to do.
   */
  openSeries(q: { exchange: string; market: MarketType; symbol: string; tf: string }): void {
    if (q.exchange === COMPOSITE) return;
    this.history.chartOpened(q);
  }

  /** The bars still open (their window has not ended), e.g. for a final flush at exit. */
  openBars(): Bar[] {
    return this.aggregator.openBars();
  }

  /** A health snapshot; rates are over the time since the previous one (the sampler takes one every healthIntervalMs). */
  health(): PipelineHealth {
    const h = this.healthSampler.sample();
    const books = this.books.health(h.at);
    if (books.length > 0) h.books = books;
    return h;
  }

  /** A UI shows a composite book (command watchCompositeBook): its views are published while watched. */
  watchCompositeBook(market: MarketType, symbol: string, group: number): void {
    this.books.watchComposite(market, symbol, group);
  }

  /** A chart's heatmap shows a venue book grouped deeper than the ladder's top N (command watchBookDepth, a lease). */
  watchBookDepth(ref: MarketRef, group: number, levels: number): void {
    this.books.watchDepth(ref, group, levels);
  }

  /** Every order book's current view, `depth` levels a side (headless `--emit book`, tests). */
  bookViews(depth: number): BookView[] {
    return this.books.all().map((s) => viewOf(s, depth));
  }

  /** Every feed's running totals (the last run's, for a feed that stopped). */
  summary(): FeedSummary[] {
    return feedSummaries(this.feeds);
  }

  /** Notices for every UI that connects (e.g. the bar store could not open, or was set aside). */
  notices(): string[] {
    return [...(this.storeNotice ? [this.storeNotice] : []), ...(this.store?.notices() ?? [])];
  }

  stats(): PipelineStats {
    return { aggregator: this.aggregator.stats(), publisher: this.publisher.stats(), ingest: this.ingest.health() };
  }

  // ---- subscribe ------------------------------------------------------------------------------

  /** Coalesced batches at the publisher's cadence (a UI): conflated, never queued, for a slow subscriber. Returns the unsubscribe. */
  subscribe(sub: Subscriber): () => void {
    return this.publisher.subscribe(sub);
  }

  /** Every record (trades, quotes, final bars, statuses, gaps) in order; lossless. Returns the unsubscribe. */
  onRecord(fn: (r: PipelineRecord) => void): () => void {
    return this.taps.add(fn);
  }

  // ---- alerts ---------------------------------------------------------------------------------

  /** Replaces the alerts; those whose definition did not change keep their state (docs/architecture.md, Alerts). */
  setAlerts(defs: readonly AlertDef[]): void {
    this.alerts.set(defs);
  }

  /** Every alert that fires, as it fires (inside the ingest loop: keep the listener cheap). Returns the unsubscribe. */
  onAlert(fn: (a: AlertFired) => void): () => void {
    this.alertListeners.add(fn);
    return () => this.alertListeners.delete(fn);
  }

  // ---- inside ---------------------------------------------------------------------------------

  /** A periodic task: if its body throws (a bug, a bad bar), the error shows in health `tasks` and it goes on. */
  private every(name: string, ms: number, body: () => void): void {
    const task = new PeriodicTask(name, ms, body, this.clock);
    this.tasks.push(task);
    task.start();
  }

  /** Closes due bars by the wall clock, or by the recorded time a running replay has reached. */
  private advanceBars(): void {
    const now = this.clock.now();
    const horizon = this.feeds.replayHorizon();
    this.aggregator.advance(horizon === null ? now : Math.min(now, horizon));
  }
}

export async function startPipeline(opts: PipelineOptions = {}): Promise<Pipeline> {
  const p = new Pipeline(opts);
  await p.start();
  return p;
}
