/**
 * A `nats` feed: subscribes to a shared ingest node's JetStream stream (scaleout/nats-consumer.ts)
 * and hands its records to ingest as they were published: original exchange, market, ids and
 * times, so bars, composites, the tape and the bar store are per original venue as with a direct
 * feed. Upstream status records pass through as the original feed's status; this feed's own row
 * shows the NATS connection, the consumer lag and redeliveries, and the worst upstream state.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { FeedConfig } from '../../../../shared/config';
import type { FeedCounts, FeedHealth, FeedState, NatsFeedHealth } from '../../../../shared/health';
import { natsOptionsSchema } from '../../../../shared/venue-options';
import { FeedStats } from '../../runtime/feed-stats';
import { credentialsFromEnv } from '../../scaleout/connect';
import { NatsConsumer } from '../../scaleout/nats-consumer';
import { RecentTrades } from '../../scaleout/recent-trades';
import type { ScaleoutRecord } from '../../scaleout/subjects';
import { FeedStartError, type FeedSource, type SourceContext, type SourceKind } from './feed-source';

/** When upstream feeds disagree, this feed shows the one a trader most needs to know about. */
const UPSTREAM_PRIORITY: readonly FeedState[] = ['error', 'backoff', 'stopped', 'connecting', 'subscribing', 'stale', 'live'];

export const natsSource: SourceKind = {
  // The ingest node already has the venue's history; this client replays it from the stream.
  backfill: false,
  async open(config, ctx) {
    const parsed = natsOptionsSchema.safeParse(config.options ?? {});
    if (!parsed.success) throw new FeedStartError(parsed.error.issues.map((i) => `options.${i.path.join('.')}: ${i.message}`).join('; '));
    if (!config.url) throw new FeedStartError('a nats feed needs a nats:// or tls:// URL');
    if (!ctx.wanted()) return null;
    return new NatsSource(config, parsed.data, ctx, durableName(parsed.data.durable, config.id, ctx.recordingsDir));
  },
};

/**
 * The durable consumer's name: the option, else an id kept in the data dir (the same client
 * resumes after a restart), else one derived from the host and feed id.
 */
export function durableName(option: string | undefined, feedId: string, recordingsDir: string | null): string {
  if (option) return option;
  if (recordingsDir !== null) {
    const file = join(dirname(recordingsDir), 'nats-client-id');
    try {
      return `${readFileSync(file, 'utf8').trim()}_${feedId}`;
    } catch {
      const id = `ts-${randomUUID().slice(0, 8)}`;
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, id + '\n');
        return `${id}_${feedId}`;
      } catch {
        // an unwritable data dir: fall through to the host-derived name
      }
    }
  }
  return `ts-${hostname().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32)}_${feedId}`;
}

class NatsSource implements FeedSource {
  private readonly consumer: NatsConsumer;
  private readonly stats: FeedStats;
  private readonly symbols: Set<string>;
  private readonly upstream = new Map<string, { state: FeedState; cause?: string }>();
  /** Trades two ingest nodes both published (hot standby): handed on once. */
  private readonly recent = new RecentTrades();
  private state: FeedState = 'stopped';

  constructor(
    private readonly config: FeedConfig,
    options: ReturnType<typeof natsOptionsSchema.parse>,
    private readonly ctx: SourceContext,
    durable: string,
  ) {
    this.stats = new FeedStats(ctx.clock.now());
    this.symbols = new Set(config.symbols);
    this.consumer = new NatsConsumer({
      url: config.url!,
      credentials: credentialsFromEnv(process.env, options),
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
      ...(options.stream !== undefined ? { stream: options.stream } : {}),
      ...(options.subjectPrefix !== undefined ? { subjectPrefix: options.subjectPrefix } : {}),
      sources: options.sources,
      durable,
      onRecords: (records, source) => this.deliver(records, source),
      onConnection: (connected, cause) => this.setState(connected ? 'live' : 'connecting', cause),
    });
  }

  start(): void {
    this.setState('connecting', `subscribing to ${this.config.url ?? ''}`.replace(/\/\/[^@/]*@/, '//***@'));
    this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    this.setState('stopped', 'stopped');
  }

  setPaused(paused: boolean): void {
    this.consumer.setPaused(paused);
  }

  horizon(): number {
    return this.consumer.horizon() ?? this.ctx.clock.now();
  }

  counts(): FeedCounts {
    return { ...this.stats.counts };
  }

  health(now: number): FeedHealth {
    const c = this.consumer.stats();
    const counters = this.stats.health(now, { latency: true });
    const nats: NatsFeedHealth = {
      connected: c.connected,
      pending: c.pending,
      redelivered: c.redelivered,
      duplicateTrades: this.recent.duplicates,
      upstream: [...this.upstream].map(([source, u]) => ({ source, ...u })),
    };
    return {
      feedId: this.config.id,
      exchange: this.config.exchange,
      market: this.config.market,
      state: this.shownState(),
      nextRetryAt: null,
      connections: c.connected ? 1 : 0,
      ...counters,
      errors: counters.errors + c.badLines,
      lastError: counters.lastError ?? (c.lastError ? { kind: 'network', message: c.lastError, at: now } : null),
      markets: this.config.symbols.map((symbol) => ({ symbol, lastDataAt: null, staleAfterMs: 0, stale: false })),
      nats,
    };
  }

  /** Connected: the worst upstream state (a stale venue at the ingest node shows here); else this connection's. */
  private shownState(): FeedState {
    if (this.state !== 'live') return this.state;
    let worst: FeedState = 'live';
    for (const u of this.upstream.values()) {
      if (UPSTREAM_PRIORITY.indexOf(u.state) < UPSTREAM_PRIORITY.indexOf(worst)) worst = u.state;
    }
    return worst === 'stopped' ? 'stale' : worst;
  }

  private deliver(records: ScaleoutRecord[], source: string): void {
    const sink = this.ctx.sink;
    const now = this.ctx.clock.now();
    for (const r of records) {
      switch (r.type) {
        case 'bar':
          break; // this client's aggregator makes its own bars from the same trades
        case 'status':
          this.upstream.set(source, { state: r.state, ...(r.cause !== undefined ? { cause: r.cause } : {}) });
          sink.status(r);
          break;
        case 'gap': {
          const symbols = r.symbols.filter((s) => this.symbols.has(s));
          if (symbols.length > 0) sink.gap({ ...r, symbols });
          break;
        }
        default:
          if (!this.symbols.has(r.symbol) || (r.type === 'trade' && !this.recent.first(r))) break;
          this.stats.frame(0, now);
          this.stats.data(r);
          sink.data(r);
      }
    }
  }

  private setState(state: FeedState, cause: string): void {
    if (state === this.state) return;
    this.state = state;
    const { clock, sink } = this.ctx;
    sink.status({ type: 'status', feedId: this.config.id, exchange: this.config.exchange, market: this.config.market, state, at: clock.now(), cause });
  }
}
