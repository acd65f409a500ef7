/**
 * FeedRunner: one feed (venue + market type + symbols x channels) kept alive by the connection
 * runtime, for every venue alike. The adapter describes the venue; this file plans the streams,
 * runs one Shard per connection (shard.ts), and turns what they see into data, gap and status
 * events for the pipeline plus a FeedHealth snapshot on request.
 */
import type { Channel, Gap, MarketData } from '../../../shared/domain';
import type { FeedConfig } from '../../../shared/config';
import type { FeedCounts, FeedHealth, FeedState, StatusRecord } from '../../../shared/health';
import type { SymbolResolver, VenueAdapter } from '../adapters/adapter';
import { systemClock, type Clock } from '../util/clock';
import { describeCause, toFeedError } from '../util/errors';
import { Connection, type ConnectionListener } from './connection';
import { fetchConnectTarget } from './connect-token';
import { VenueBuckets } from '../rest/venue-buckets';
import { FeedStats } from './feed-stats';
import { frameCapOf } from './frame-guard';
import { FundingMerge } from './funding-merge';
import { RestPoller } from './rest-poller';
import type { InstrumentsRestError } from '../instruments/resolve';
import { Shard, type ShardHost } from './shard';
import { planStreams } from './streams';
import { resolveTuning, type RuntimeTuning } from './tuning';
import { MarketWatchdog } from './watchdog';

export type { RuntimeTuning } from './tuning';
export { DEFAULT_TUNING } from './tuning';

export interface FeedSink {
  /** Trades, quotes, liquidations, funding. */
  data(event: MarketData): void;
  /** `start` when a connection carrying markets is lost, `end` when data flows again. */
  gap(gap: Gap): void;
  /** Every feed state change with its cause (and informational lines: notices, rotations). */
  status(s: StatusRecord): void;
}

export interface FeedRunnerOptions {
  config: FeedConfig;
  adapter: VenueAdapter;
  sink: FeedSink;
  clock?: Clock;
  /**
   * Symbol mapping (instruments/resolve.ts). When its REST list could not be had, `restError`
   * says why; the feed counts it in its health (errors, lastError) and shows it as a status line.
   */
  symbols?: SymbolResolver & { restError?: InstrumentsRestError };
  tuning?: Partial<RuntimeTuning>;
  /**
   * For a venue with a connect token (VenueStream.connectToken): the REST buckets the request is
   * paced by (the app's shared ones; default: the feed's own) and the fetch to make it with.
   */
  rest?: { buckets?: VenueBuckets; fetchImpl?: typeof fetch };
  /**
   * Optional raw-frame tap (the recorder): every received frame's text, its receive time, the id
   * of the connection it came on (new per reconnect/rotation) and the shard (which streams).
   */
  onFrame?(frame: string, receivedAt: number, connection: number, shard: number): void;
}

/** When shards disagree, the feed shows the one a trader most needs to know about. */
const STATE_PRIORITY: readonly FeedState[] = ['error', 'backoff', 'connecting', 'subscribing', 'stale', 'live'];

interface MarketWatch {
  watchdog: MarketWatchdog;
  /** When a connection carrying the market last opened (or ingest resumed); null before. */
  since: number | null;
}

export class FeedRunner {
  readonly id: string;
  private readonly config: FeedConfig;
  private readonly adapter: VenueAdapter;
  private readonly sink: FeedSink;
  private readonly clock: Clock;
  private readonly tuning: RuntimeTuning;
  private readonly toNative: (symbol: string) => string;
  private readonly toCanonical: (native: string) => string;
  private readonly contractSize: ((native: string) => number | undefined) | undefined;
  private readonly stats: FeedStats;
  private readonly markets = new Map<string, MarketWatch>();
  private shards: Shard[] = [];
  private state: FeedState = 'stopped';
  private lastEmitted: { state: FeedState; nextRetryAt: number | null } | null = null;
  private started = false;
  private stopping: Promise<void> | null = null;
  private paused = false;
  private connectionSeq = 0;
  private readonly onFrame: FeedRunnerOptions['onFrame'];
  private readonly maxFrameBytes: number;
  private readonly restError: InstrumentsRestError | undefined;
  private readonly rest: { buckets: VenueBuckets; fetchImpl?: typeof fetch };
  /** The venue's REST polls for this feed (VenueRest.polls), and the merge of their Funding with the stream's. */
  private pollers: RestPoller[] = [];
  private readonly fundingMerge: FundingMerge | null;

  constructor(opts: FeedRunnerOptions) {
    this.onFrame = opts.onFrame;
    this.config = opts.config;
    this.id = opts.config.id;
    this.adapter = opts.adapter;
    this.sink = opts.sink;
    this.clock = opts.clock ?? systemClock;
    this.tuning = resolveTuning(opts.tuning);
    this.maxFrameBytes = frameCapOf(opts.adapter, this.tuning.maxFrameBytes);
    this.restError = opts.symbols?.restError;
    this.rest = { buckets: opts.rest?.buckets ?? new VenueBuckets(this.clock), ...(opts.rest?.fetchImpl ? { fetchImpl: opts.rest.fetchImpl } : {}) };
    const market = opts.config.market;
    this.toNative = opts.symbols ? (s) => opts.symbols!.toNative(s) : (s) => opts.adapter.toNative(s, market);
    this.toCanonical = opts.symbols ? (n) => opts.symbols!.toCanonical(n) : (n) => opts.adapter.toCanonical(n, market);
    this.contractSize = opts.symbols?.contractSize ? (n) => opts.symbols!.contractSize!(n) : undefined;
    this.stats = new FeedStats(this.clock.now());
    this.fundingMerge = opts.adapter.polls?.some((p) => p.market === market) ? new FundingMerge() : null;
    const limits = { floorMs: this.tuning.watchdogFloorMs, ceilingMs: this.tuning.watchdogCeilingMs, factor: this.tuning.watchdogFactor };
    for (const symbol of new Set(opts.config.symbols)) this.markets.set(symbol, { watchdog: new MarketWatchdog(limits), since: null });
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    let plan;
    try {
      plan = planStreams(this.config, this.adapter, this.toNative);
    } catch (err) {
      // A feed the venue cannot serve is an error state with its reason, never a thrown exception.
      this.stats.error(toFeedError(err, this.clock.now()));
      this.state = 'error';
      this.emitStatus(describeCause(err), true);
      return;
    }
    const host = this.host();
    this.shards = plan.shards.map((streams, i) => new Shard(i, streams, host));
    for (const shard of this.shards) shard.start();
    try {
      this.pollers = this.makePollers();
    } catch (err) {
      this.stats.error({ kind: 'config', message: `${this.adapter.displayName} REST polls could not be planned`, cause: describeCause(err), at: this.clock.now() });
    }
    for (const p of this.pollers) p.start();
    for (const channel of plan.unsupported) {
      this.notice(`${this.adapter.displayName} ${this.config.market} has no ${channel} channel; it is not subscribed`);
    }
    if (this.restError) {
      // The feed runs on the fallback (or cached) mapping; the REST failure is still an error.
      this.stats.error({ ...this.restError, at: this.clock.now() });
      this.emitStatus(`instrument list: ${this.restError.message}`, true);
    }
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    for (const p of this.pollers) p.stop();
    this.stopping = (async () => {
      await Promise.all(this.shards.map((s) => s.stop()));
      if (this.state !== 'stopped') {
        this.state = 'stopped';
        this.emitStatus('stopped', true);
      }
    })();
    return this.stopping;
  }

  /** Backpressure from a full ingest queue: stop reading every socket (TCP pushes back to the venue). */
  /** Resubscribes a market's channel where it is subscribed (a book resync); false when it could not. */
  resubscribe(symbol: string, channel: Channel): boolean {
    return this.shards.some((s) => s.resubscribe(symbol, channel));
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (!paused) {
      // Silence while we were not reading is ours, not the market's.
      const now = this.clock.now();
      for (const m of this.markets.values()) if (m.since !== null) m.since = Math.max(m.since, now);
    }
    for (const s of this.shards) s.setPaused(paused);
  }

  counts(): FeedCounts {
    return { ...this.stats.counts };
  }

  health(now: number = this.clock.now()): FeedHealth {
    const watching = this.state !== 'stopped' && this.state !== 'error' && !this.paused;
    return {
      feedId: this.id,
      exchange: this.config.exchange,
      market: this.config.market,
      state: this.state,
      nextRetryAt: this.nextRetryAt(),
      connections: this.shards.reduce((n, sh) => n + sh.connections, 0),
      ...this.stats.health(now, { latency: true }),
      markets: [...this.markets].map(([symbol, m]) => ({
        symbol,
        lastDataAt: m.watchdog.lastDataAt,
        staleAfterMs: m.watchdog.thresholdMs(),
        stale: watching && m.watchdog.isStale(now, m.since),
      })),
    };
  }

  // ---- what the shards call ------------------------------------------------------------------

  private host(): ShardHost {
    const rotateAfterMs = this.tuning.rotateAfterMs ?? this.adapter.rotateAfterMs ?? null;
    return {
      clock: this.clock,
      tuning: this.tuning,
      rotateAfterMs,
      newConnection: (shard, listener) => this.newConnection(shard, listener),
      watchdog: (symbol) => this.markets.get(symbol)?.watchdog,
      watching: (symbols, at) => {
        for (const sym of symbols) {
          const m = this.markets.get(sym);
          if (m) m.since = Math.max(m.since ?? at, at);
        }
      },
      frame: (bytes, at) => this.stats.frame(bytes, at),
      data: (ev) => this.data(ev),
      error: (e) => this.stats.error({ ...e, at: this.clock.now() }),
      notice: (message) => this.notice(message),
      gap: (shard, phase, at, reason) => this.emitGap(shard, phase, at, reason),
      reconnecting: () => this.stats.counts.reconnects++,
      changed: (_shard, cause, at) => this.shardChanged(cause, at),
      info: (cause) => this.emitStatus(cause, true),
    };
  }

  private newConnection(shard: Shard, listener: ConnectionListener): Connection {
    const base = this.config.url ?? this.adapter.defaultUrl(this.config.market);
    let url = base;
    try {
      url = this.adapter.connectUrl?.(base, shard.streams) ?? base;
    } catch (err) {
      // Connection.open() reports the unusable URL as a config error (no retry).
      url = `invalid:${describeCause(err)}`;
    }
    const id = ++this.connectionSeq;
    const tap = this.onFrame;
    const resolveTarget = this.connectTokenStep(id);
    return new Connection({
      id,
      url,
      ...(resolveTarget ? { resolveTarget } : {}),
      streams: shard.streams,
      adapter: this.adapter,
      market: this.config.market,
      toCanonical: this.toCanonical,
      ...(this.contractSize ? { contractSize: this.contractSize } : {}),
      clock: this.clock,
      connectTimeoutMs: this.tuning.connectTimeoutMs,
      maxFrameBytes: this.maxFrameBytes,
      subscribeAckTimeoutMs: this.tuning.subscribeAckTimeoutMs,
      paused: this.paused,
      listener,
      ...(tap ? { onFrame: (text: string, at: number) => tap(text, at, id, shard.index) } : {}),
    });
  }

  /** The venue's pre-connect request for connection `id`, if it has one (a fresh token each time). */
  private connectTokenStep(id: number): (() => ReturnType<typeof fetchConnectTarget>) | undefined {
    const { adapter, config, clock } = this;
    const restBase = config.restUrl ?? adapter.defaultRestUrl?.(config.market);
    if (!adapter.connectToken || restBase === undefined) return undefined;
    return () => fetchConnectTarget({
      adapter, market: config.market, restBase, endpoint: config.url, connectionId: `${config.id}-${id}-${clock.now()}`,
      clock, timeoutMs: this.tuning.connectTimeoutMs, ...this.rest,
    });
  }

  /** One poller per poll of the venue for this market type, over the feed's markets on its channel. */
  private makePollers(): RestPoller[] {
    const { adapter, config } = this;
    const restBase = config.restUrl ?? adapter.defaultRestUrl?.(config.market);
    if (restBase === undefined) return [];
    const symbols = [...new Set(config.symbols)];
    return (adapter.polls ?? []).filter((spec) => spec.market === config.market && config.channels.includes(spec.channel)).map((spec) => new RestPoller({
      spec, exchange: config.exchange, venueName: adapter.displayName, market: config.market,
      markets: symbols.map((symbol) => ({ symbol, native: this.toNative(symbol) })),
      restBase, bucket: this.rest.buckets.of(adapter), clock: this.clock, timeoutMs: this.tuning.connectTimeoutMs,
      ...(this.rest.fetchImpl ? { fetchImpl: this.rest.fetchImpl } : {}),
      // Polled data is not the stream's: it never tells the watchdog a market is live.
      deliver: (ev) => this.deliver(ev.type === 'funding' && this.fundingMerge ? this.fundingMerge.fromPoll(ev) : ev),
      error: (e) => this.stats.error({ ...e, at: this.clock.now() }),
      paused: () => this.paused,
    }));
  }

  private data(ev: MarketData): void {
    this.markets.get(ev.symbol)?.watchdog.observe(ev.receivedAt);
    this.deliver(ev.type === 'funding' && this.fundingMerge ? this.fundingMerge.fromStream(ev) : ev);
  }

  private deliver(ev: MarketData): void {
    this.stats.data(ev);
    try {
      this.sink.data(ev);
    } catch (err) {
      // A consumer bug must not unwind into the socket handler and take the connection down.
      this.stats.error({ kind: 'protocol', message: 'internal: the pipeline sink threw on data', cause: describeCause(err), at: this.clock.now() });
    }
  }

  private notice(message: string): void {
    this.stats.counts.notices++;
    this.emitStatus(`notice: ${message}`, true);
  }

  private emitGap(shard: Shard, phase: 'start' | 'end', at: number, reason: string): void {
    const gap: Gap = {
      type: 'gap',
      feedId: this.id,
      exchange: this.config.exchange,
      market: this.config.market,
      symbols: [...shard.symbols],
      phase,
      at,
      reason,
    };
    this.guard(() => this.sink.gap(gap));
  }

  private shardChanged(cause: string, at: number): void {
    if (this.stopping) return;
    const states = new Set(this.shards.map((s) => s.state));
    this.state = STATE_PRIORITY.find((s) => states.has(s)) ?? 'stopped';
    this.emitStatus(cause, false, at);
  }

  private nextRetryAt(): number | null {
    const times = this.shards.filter((s) => s.state === 'backoff' && s.nextRetryAt !== null).map((s) => s.nextRetryAt!);
    return times.length > 0 ? Math.min(...times) : null;
  }

  /** Emits when the state or the next retry time changed, or always when `force` (notices). */
  private emitStatus(cause: string, force: boolean, at = this.clock.now()): void {
    const nextRetryAt = this.nextRetryAt();
    const prev = this.lastEmitted;
    if (!force && prev && prev.state === this.state && prev.nextRetryAt === nextRetryAt) return;
    this.lastEmitted = { state: this.state, nextRetryAt };
    const record: StatusRecord = {
      type: 'status',
      feedId: this.id,
      exchange: this.config.exchange,
      market: this.config.market,
      state: this.state,
      at,
      cause,
      nextRetryAt,
    };
    this.guard(() => this.sink.status(record));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.stats.error({ kind: 'protocol', message: 'internal: the pipeline sink threw', cause: describeCause(err), at: this.clock.now() });
    }
  }
}
