/**
 * Owns the running feeds: one FeedSource per enabled FeedConfig, of the kind its `exchange` names
 * (sources/: a live venue, the built-in simulator, a replay). Feeds can be added, replaced and
 * removed while the pipeline runs (the UI's feed configuration applies live). One feed failing to
 * start never stops another: its error is reported through the sink as a status.
 */
import { join } from 'node:path';
import type { FeedConfig } from '../../../shared/config';
import type { FeedCounts, FeedHealth } from '../../../shared/health';
import type { Channel, MarketType } from '../../../shared/domain';
import type { InstrumentSearchResult } from '../../../shared/market-stats';
import type { VenueAdapter } from '../adapters/adapter';
import { getAdapter } from '../adapters/index';
import type { FeedSink, RuntimeTuning } from '../runtime/feed';
import { resolveSymbols, type ResolvedSymbols } from '../instruments/resolve';
import type { SimulatorServer } from '../simulator/server';
import type { VenueBuckets } from '../rest/venue-buckets';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import { searchInstruments } from './instrument-search';
import { FeedStartError, sourceKindOf, type FeedSource, type SourceContext } from './sources/index';

interface RunningFeed {
  config: FeedConfig;
  /** The started source; null while it opens, when disabled, stopped, or when it could not start. */
  source: FeedSource | null;
  /** Set when the feed could not start at all (unknown venue...). */
  startError: string | null;
  /** Counts of the last source, kept after it stops so the summary can still report them. */
  lastCounts: FeedCounts | null;
  /**
   * The feed came from the command line (a --config file): its replay file is read as given.
   * Feeds from the UI, the API or settings.json replay only from <data dir>/recordings.
   */
  trusted: boolean;
}

export interface AddOptions {
  /** See RunningFeed.trusted. Default false. */
  trusted?: boolean;
}

export interface FeedManagerOptions {
  sink: FeedSink;
  dataDir: string | null;
  clock: Clock;
  /** The venues' REST token buckets, shared with history (rest/venue-buckets.ts). */
  restBuckets?: VenueBuckets;
  tuning?: Partial<RuntimeTuning>;
  /** Called once a feed's connections are starting (history backfill hooks in here). */
  onStarted?: (config: FeedConfig) => void;
}

export class FeedManager {
  private readonly feeds = new Map<string, RunningFeed>();
  private paused = false;
  private readonly resolvers = new Map<string, Promise<ResolvedSymbols | undefined>>();

  constructor(private readonly opts: FeedManagerOptions) {}

  configs(): FeedConfig[] {
    return [...this.feeds.values()].map((f) => f.config);
  }

  has(id: string): boolean {
    return this.feeds.has(id);
  }

  /** Starts a feed (or records it as disabled). Resolves once it is connecting. */
  async add(config: FeedConfig, opts: AddOptions = {}): Promise<void> {
    if (this.feeds.has(config.id)) throw new Error(`feed "${config.id}" already exists`);
    const entry = newEntry(config, opts.trusted === true);
    this.feeds.set(config.id, entry);
    if (config.enabled) await this.launchOrFail(entry);
  }

  /**
   * Replaces a feed's configuration: the old connections close, the new ones open. The feed keeps
   * its place in the list, and keeps command-line trust only while its input is unchanged.
   */
  async update(config: FeedConfig): Promise<void> {
    const old = this.feeds.get(config.id);
    if (!old) return this.add(config);
    const entry = newEntry(config, this.trustAfterUpdate(old, config));
    this.feeds.set(config.id, entry); // an existing Map key keeps its position
    await this.halt(old);
    if (config.enabled) await this.launchOrFail(entry);
  }

  /**
   * What validation alone cannot check, for a feed about to be added or changed through the API
   * (a replay file must be inside <data dir>/recordings, or unchanged on a command-line feed).
   * Throws an Error naming the field; changes nothing.
   */
  async preflight(config: FeedConfig): Promise<void> {
    const kind = sourceKindOf(config.exchange);
    if (!kind.preflight) return;
    const old = this.feeds.get(config.id);
    const trusted = old !== undefined && this.trustAfterUpdate(old, config);
    await kind.preflight(config, { recordingsDir: this.recordingsDir(), trusted });
  }

  private trustAfterUpdate(old: RunningFeed, config: FeedConfig): boolean {
    if (!old.trusted || old.config.exchange !== config.exchange) return false;
    return sourceKindOf(config.exchange).keepsTrust?.(old.config, config) ?? true;
  }

  async remove(id: string): Promise<void> {
    const entry = this.feeds.get(id);
    if (!entry) return;
    this.feeds.delete(id);
    await this.halt(entry);
  }

  /** Backpressure from the ingest queue: stop reading sockets until it drains. */
  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    for (const f of this.feeds.values()) f.source?.setPaused(paused);
  }

  /** Resubscribes a market's channel on every running feed that carries it (a book resync). */
  resubscribe(exchange: string, market: MarketType, symbol: string, channel: Channel): boolean {
    let done = false;
    for (const f of this.feeds.values()) {
      const c = f.config;
      if (c.exchange !== exchange || c.market !== market || !c.symbols.includes(symbol) || !c.channels.includes(channel)) continue;
      if (f.source?.resubscribe?.(symbol, channel)) done = true;
    }
    return done;
  }

  /** A REST book snapshot of one of the feed's markets goes into its recording (when it records). */
  recordBookSnapshot(id: string, symbol: string, body: unknown, at: number): void {
    this.feeds.get(id)?.source?.recordBookSnapshot?.(symbol, body, at);
  }

  /** The embedded simulator serving a feed, for fault injection in tests and demos. */
  simulatorFor(id: string): SimulatorServer | null {
    return this.feeds.get(id)?.source?.simulator ?? null;
  }

  health(now: number): FeedHealth[] {
    return [...this.feeds.values()].map((f) => f.source?.health(now) ?? idleHealth(f, now));
  }

  /**
   * The recorded time every running replay has reached (the smallest), or null when no replay
   * runs. The pipeline closes bars by it instead of the wall clock while a replay plays.
   */
  replayHorizon(): number | null {
    let h: number | null = null;
    for (const f of this.feeds.values()) {
      const reached = f.source?.horizon?.();
      if (reached !== undefined) h = Math.min(h ?? Infinity, reached);
    }
    return h;
  }

  /** Where feeds record raw frames (one sub-directory per feed id); null without a data dir. */
  recordingsDir(): string | null {
    return this.opts.dataDir === null ? null : join(this.opts.dataDir, 'recordings');
  }

  counts(): Map<string, { config: FeedConfig; counts: FeedCounts | null }> {
    const out = new Map<string, { config: FeedConfig; counts: FeedCounts | null }>();
    for (const [id, f] of this.feeds) out.set(id, { config: f.config, counts: f.source?.counts() ?? f.lastCounts });
    return out;
  }

  async stopAll(): Promise<void> {
    const all = [...this.feeds.values()];
    await Promise.all(all.map((f) => this.halt(f)));
  }

  /**
   * Instrument search for the feed editor: canonical symbols the venue lists, matching query, from
   * the list at the REST URL the form names (its override) or the venue's own (instrument-search.ts).
   */
  async searchMarkets(q: { exchange: string; market: MarketType; query: string; restUrl?: string | undefined }): Promise<InstrumentSearchResult> {
    const adapter = getAdapter(q.exchange);
    if (!adapter) throw new Error(`exchange: unknown venue "${q.exchange}"`);
    return searchInstruments(await this.resolver(adapter, q.market, q.restUrl), adapter.knownSymbols?.(q.market) ?? null, q.query);
  }

  /** The instrument mapping of a venue, market type and REST URL, as its feeds use it (history shares it). */
  symbolsFor(feed: { exchange: string; market: MarketType; restUrl?: string | undefined }): Promise<ResolvedSymbols | undefined> {
    const adapter = getAdapter(feed.exchange);
    return adapter ? this.resolver(adapter, feed.market, feed.restUrl) : Promise.resolve(undefined);
  }

  /** Starts a feed; anything unexpected becomes the feed's start error, never a rejection. */
  private async launchOrFail(entry: RunningFeed): Promise<void> {
    try {
      await this.launch(entry);
    } catch (e) {
      this.fail(entry, e instanceof FeedStartError ? e.message : `could not start: ${describeCause(e)}`);
    }
  }

  private async launch(entry: RunningFeed): Promise<void> {
    const { config } = entry;
    const kind = sourceKindOf(config.exchange);
    const source = await kind.open(config, this.context(entry));
    if (!source) return;
    if (!this.isCurrent(entry)) {
      // Removed or replaced between the source's own check and here: it never starts.
      await source.stop();
      return;
    }
    entry.source = source;
    source.start();
    if (this.paused) source.setPaused(true);
    if (kind.backfill) this.opts.onStarted?.(config);
  }

  private context(entry: RunningFeed): SourceContext {
    return {
      sink: this.opts.sink,
      clock: this.opts.clock,
      tuning: this.opts.tuning,
      recordingsDir: this.recordingsDir(),
      trusted: entry.trusted,
      symbols: (adapter, market, restUrl) => this.resolver(adapter, market, restUrl),
      ...(this.opts.restBuckets ? { restBuckets: this.opts.restBuckets } : {}),
      wanted: () => this.isCurrent(entry),
    };
  }

  private isCurrent(entry: RunningFeed): boolean {
    return this.feeds.get(entry.config.id) === entry;
  }

  /** One instrument lookup per venue, market type and REST URL, shared by its feeds. */
  private resolver(adapter: VenueAdapter, market: MarketType, restUrl: string | undefined): Promise<ResolvedSymbols | undefined> {
    if (!adapter.instruments) return Promise.resolve(undefined);
    const key = `${adapter.id}:${market}:${restUrl ?? ''}`;
    let r = this.resolvers.get(key);
    if (!r) {
      r = resolveSymbols({ adapter, market, restUrl, cacheDir: this.opts.dataDir, clock: this.opts.clock, buckets: this.opts.restBuckets });
      this.resolvers.set(key, r);
    }
    return r;
  }

  /** A feed that cannot start at all: state `error` with the reason, and no retry. */
  private fail(entry: RunningFeed, why: string): void {
    const { config } = entry;
    entry.startError = why;
    this.opts.sink.status({
      type: 'status', feedId: config.id, exchange: config.exchange, market: config.market,
      state: 'error', at: this.opts.clock.now(), cause: why,
    });
  }

  private async halt(entry: RunningFeed): Promise<void> {
    const source = entry.source;
    entry.source = null;
    if (!source) return;
    await source.stop();
    entry.lastCounts = source.counts();
  }
}

function newEntry(config: FeedConfig, trusted: boolean): RunningFeed {
  return { config, source: null, startError: null, lastCounts: null, trusted };
}

function idleHealth(f: RunningFeed, now: number): FeedHealth {
  return {
    feedId: f.config.id,
    exchange: f.config.exchange,
    market: f.config.market,
    state: f.startError ? 'error' : 'stopped',
    nextRetryAt: null,
    connections: 0,
    messagesPerSec: 0,
    bytesPerSec: 0,
    tradesPerSec: 0,
    lastDataAgeMs: null,
    latencyP50Ms: null,
    latencyP99Ms: null,
    reconnects: 0,
    errors: f.startError ? 1 : 0,
    notices: 0,
    lastError: f.startError ? { kind: 'config', message: f.startError, at: now } : null,
    markets: f.config.symbols.map((symbol) => ({ symbol, lastDataAt: null, staleAfterMs: 0, stale: false })),
  };
}
