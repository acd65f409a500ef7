/**
 * Owns the running feeds: one FeedRunner per enabled FeedConfig, plus an embedded simulator
 * server for simulator feeds that do not name a URL. Feeds can be added, replaced and removed
 * while the pipeline runs (the UI's feed configuration applies live). One feed failing to start
 * never stops another: its error is reported through the sink as a status.
 */
import { join } from 'node:path';
import type { FeedConfig } from '../../../shared/config';
import type { FeedHealth } from '../../../shared/health';
import type { MarketType } from '../../../shared/domain';
import type { SymbolResolver, VenueAdapter } from '../adapters/adapter';
import { getAdapter } from '../adapters/index';
import { FeedRunner, type FeedSink, type RuntimeTuning } from '../runtime/feed';
import { resolveSymbols } from '../runtime/instruments';
import { Recorder } from '../recording/recorder';
import { readHeader } from '../recording/reader';
import { resolveReplayPath } from '../recording/replay-path';
import { ReplayRunner, replayOptionsFromFeed } from '../recording/replay-runner';
import { simulatorOptionsFromFeed } from '../simulator/options';
import { SimulatorServer } from '../simulator/server';

interface RunningFeed {
  config: FeedConfig;
  runner: FeedRunner | ReplayRunner | null;
  /** Raw frame recorder, when the feed has `record: true` and the pipeline has a data dir. */
  recorder: Recorder | null;
  simulator: SimulatorServer | null;
  /** Set when the feed could not start at all (unknown venue...). */
  startError: string | null;
  /** Counts of the last runner, kept after it stops so the summary can still report them. */
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
  tuning?: Partial<RuntimeTuning>;
  /** Called once a feed's connections are starting (history backfill hooks in here). */
  onStarted?: (config: FeedConfig) => void;
}

export type FeedCounts = ReturnType<FeedRunner['counts']>;

export class FeedManager {
  private readonly feeds = new Map<string, RunningFeed>();
  private paused = false;
  private readonly resolvers = new Map<string, Promise<SymbolResolver>>();

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
   * its place in the list, and keeps command-line trust only while its replay file is unchanged.
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
   * What validation alone cannot check, for a feed about to be added or changed through the API:
   * a replay file must be inside <data dir>/recordings (or unchanged on a command-line feed).
   * Throws an Error naming the field; changes nothing.
   */
  async preflight(config: FeedConfig): Promise<void> {
    if (config.exchange !== 'replay') return;
    const old = this.feeds.get(config.id);
    const trusted = old !== undefined && this.trustAfterUpdate(old, config);
    await resolveReplayPath(replayOptionsFromFeed(config.options).path, { recordingsDir: this.recordingsDir(), trusted });
  }

  private trustAfterUpdate(old: RunningFeed, config: FeedConfig): boolean {
    return old.trusted && old.config.exchange === config.exchange && old.config.options?.['file'] === config.options?.['file'];
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
    for (const f of this.feeds.values()) f.runner?.setPaused(paused);
  }

  /** The embedded simulator serving a feed, for fault injection in tests and demos. */
  simulatorFor(id: string): SimulatorServer | null {
    return this.feeds.get(id)?.simulator ?? null;
  }

  health(now: number): FeedHealth[] {
    return [...this.feeds.values()].map((f) => {
      const h = f.runner?.health(now) ?? idleHealth(f);
      return f.recorder ? { ...h, recording: f.recorder.health() } : h;
    });
  }

  /**
   * The recorded time every running replay has reached (the smallest), or null when no replay
   * runs. The pipeline closes bars by it instead of the wall clock while a replay plays.
   */
  replayHorizon(): number | null {
    let h: number | null = null;
    for (const f of this.feeds.values()) {
      if (f.runner instanceof ReplayRunner) h = Math.min(h ?? Infinity, f.runner.horizon());
    }
    return h;
  }

  /** Where feeds record raw frames (one sub-directory per feed id); null without a data dir. */
  recordingsDir(): string | null {
    return this.opts.dataDir === null ? null : join(this.opts.dataDir, 'recordings');
  }

  counts(): Map<string, { config: FeedConfig; counts: FeedCounts | null }> {
    const out = new Map<string, { config: FeedConfig; counts: FeedCounts | null }>();
    for (const [id, f] of this.feeds) out.set(id, { config: f.config, counts: f.runner?.counts() ?? f.lastCounts });
    return out;
  }

  async stopAll(): Promise<void> {
    const all = [...this.feeds.values()];
    await Promise.all(all.map((f) => this.halt(f)));
  }

  /** Starts a feed; anything unexpected becomes the feed's start error, never a rejection. */
  private async launchOrFail(entry: RunningFeed): Promise<void> {
    try {
      await this.launch(entry);
    } catch (e) {
      this.fail(entry, `could not start: ${(e as Error).message}`);
    }
  }

  private async launch(entry: RunningFeed): Promise<void> {
    const { config } = entry;
    if (config.exchange === 'replay') return this.launchReplay(entry);
    const adapter = getAdapter(config.exchange);
    if (!adapter) return this.fail(entry, `no adapter for exchange "${config.exchange}"`);
    let runConfig = config;
    if (config.exchange === 'simulator' && !config.url) {
      try {
        // The feed's options (rate, seed, tickMs, fault...) are validated here, naming the bad field.
        entry.simulator = await SimulatorServer.start({ ...simulatorOptionsFromFeed(config.options), markets: config.symbols });
      } catch (e) {
        return this.fail(entry, (e as Error).message);
      }
      runConfig = { ...config, url: entry.simulator.url };
    }
    const symbols = await this.resolver(adapter, config.market, config.restUrl);
    // The feed may have been removed while we were resolving symbols.
    if (this.feeds.get(config.id) !== entry) {
      await entry.simulator?.close();
      return;
    }
    const recorder = this.startRecorder(entry);
    const sink: FeedSink = recorder
      ? { ...this.opts.sink, gap: (g) => (recorder.gap(g), this.opts.sink.gap(g)) }
      : this.opts.sink;
    entry.runner = new FeedRunner({
      config: runConfig,
      adapter,
      sink,
      symbols,
      tuning: this.opts.tuning,
      ...(recorder ? { onFrame: (text, at, c, shard) => recorder.frame(text, at, c, shard) } : {}),
    });
    entry.runner.start();
    if (this.paused) entry.runner.setPaused(true);
    this.opts.onStarted?.(config);
  }

  private startRecorder(entry: RunningFeed): Recorder | null {
    const { config } = entry;
    if (!config.record) return null;
    const dir = this.recordingsDir();
    if (dir === null) {
      this.status(config, 'notice: recording is on but the pipeline has no data dir; nothing is recorded');
      return null;
    }
    const MIB = 1024 * 1024;
    try {
      entry.recorder = new Recorder({
        dir: join(dir, config.id),
        header: { venue: config.exchange, market: config.market, symbols: config.symbols, channels: config.channels, feedId: config.id },
        budgetBytes: (config.recordBudgetMB ?? 1024) * MIB,
        maxFileBytes: (config.recordFileMB ?? 64) * MIB,
      });
    } catch (e) {
      this.status(config, `notice: recording could not start: ${(e as Error).message}`);
      return null;
    }
    return entry.recorder;
  }

  /** A replay feed: the recording's header names the venue whose adapter parses it. */
  private async launchReplay(entry: RunningFeed): Promise<void> {
    const { config } = entry;
    let header;
    let options;
    try {
      options = replayOptionsFromFeed(config.options);
      options.path = await resolveReplayPath(options.path, { recordingsDir: this.recordingsDir(), trusted: entry.trusted });
      header = await readHeader(options.path);
    } catch (e) {
      return this.fail(entry, (e as Error).message);
    }
    const adapter = getAdapter(header.venue);
    if (!adapter || header.venue === 'replay') return this.fail(entry, `the recording's venue "${header.venue}" has no adapter`);
    const symbols = await this.resolver(adapter, header.market, undefined);
    if (this.feeds.get(config.id) !== entry) return;
    const runner = new ReplayRunner(config, header, options, this.opts.sink, symbols);
    entry.runner = runner;
    runner.start();
    if (this.paused) runner.setPaused(true);
  }

  private status(config: FeedConfig, cause: string): void {
    this.opts.sink.status({
      type: 'status', feedId: config.id, exchange: config.exchange, market: config.market,
      state: 'connecting', at: Date.now(), cause,
    });
  }

  /** Instrument search for the feed editor: canonical symbols the venue lists, matching query. */
  async searchMarkets(q: { exchange: string; market: MarketType; query: string }): Promise<string[]> {
    const adapter = getAdapter(q.exchange);
    if (!adapter) throw new Error(`exchange: unknown venue "${q.exchange}"`);
    const listed = (await this.resolver(adapter, q.market, undefined))?.symbols() ?? adapter.knownSymbols?.(q.market) ?? [];
    const needle = q.query.trim().toUpperCase().replace(/[/_]/g, '-');
    return listed.filter((s) => s.includes(needle)).sort().slice(0, 50);
  }

  /** One instrument lookup per venue, market type and REST URL, shared by its feeds. */
  private resolver(adapter: VenueAdapter, market: MarketType, restUrl: string | undefined): Promise<SymbolResolver | undefined> {
    if (!adapter.instruments) return Promise.resolve(undefined);
    const key = `${adapter.id}:${market}:${restUrl ?? ''}`;
    let r = this.resolvers.get(key);
    if (!r) {
      r = resolveSymbols({ adapter, market, restUrl, cacheDir: this.opts.dataDir });
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
      state: 'error', at: Date.now(), cause: why,
    });
  }

  private async halt(entry: RunningFeed): Promise<void> {
    const runner = entry.runner;
    entry.runner = null;
    await runner?.stop();
    if (runner) entry.lastCounts = runner.counts();
    await entry.simulator?.close();
    entry.simulator = null;
    const recorder = entry.recorder;
    entry.recorder = null;
    await recorder?.close();
  }
}

function newEntry(config: FeedConfig, trusted: boolean): RunningFeed {
  return { config, runner: null, recorder: null, simulator: null, startError: null, lastCounts: null, trusted };
}

function idleHealth(f: RunningFeed): FeedHealth {
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
    lastError: f.startError ? { kind: 'config', message: f.startError, at: Date.now() } : null,
    markets: f.config.symbols.map((symbol) => ({ symbol, lastDataAt: null, staleAfterMs: 0, stale: false })),
  };
}
