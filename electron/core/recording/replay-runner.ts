/**
 * The replay venue (`exchange: 'replay'`): plays a raw recording back through the recorded
 * venue's own adapter (decoder.ts) into the pipeline, at 1x, 10x or as fast as the pipeline
 * takes it ('max', paced only by ingest backpressure).
 *
 * Why not a local WebSocket server replaying frames to the live connection runtime: the runtime
 * would add what a replay must not have (watchdog reconnects over a recording's quiet stretches,
 * a different split of frames over connections, keepalive timeouts while paused), and frames of
 * one recorded connection must reach one parser in their recorded order to rebuild its state.
 * Feeding the parsers directly reproduces exactly what the live run parsed.
 *
 * Exchange times, ids and therefore bars are identical to the live run; receivedAt is now.
 * Recorded gap events are replayed with their recorded times, so incomplete flags match too.
 * `horizon()` is the recorded time reached so far: the pipeline closes bars by it rather than by
 * the wall clock, as the live run did (see Pipeline's bar tick).
 */
import { z } from 'zod';
import { formatIssues, type FeedConfig } from '../../../shared/config';
import { replayOptionsSchema } from '../../../shared/venue-options';
import type { MarketData } from '../../../shared/domain';
import type { FeedCounts, FeedHealth, FeedState } from '../../../shared/health';
import type { SymbolResolver } from '../adapters/adapter';
import { getAdapter } from '../adapters/index';
import type { FeedSink } from '../runtime/feed';
import { FeedStats } from '../runtime/feed-stats';
import { systemClock, type Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import type { RecordingHeader } from './format';
import { readRecording, type ReadStats } from './reader';
import { RecordingDecoder } from './decoder';

export type ReplaySpeed = 1 | 10 | 'max';

export interface ReplayOptions {
  path: string;
  speed: ReplaySpeed;
}

const feedOptions = z.object({ options: replayOptionsSchema });

/**
 * Reads `options.file` and `options.speed` of a replay feed (the venue's schema in
 * shared/venue-options.ts), naming the bad field. `path` is the file as given: where it may be is
 * checked by resolveReplayPath (replay-path.ts) before anything is opened.
 */
export function replayOptionsFromFeed(options: Record<string, unknown> | undefined): ReplayOptions {
  const r = feedOptions.safeParse({ options: options ?? {} });
  if (!r.success) throw new Error(formatIssues(r.error));
  return { path: r.data.options.file, speed: r.data.options.speed ?? 1 };
}

/** Frames played per turn at 'max' before yielding to the event loop. */
const MAX_BATCH = 500;

export class ReplayRunner {
  readonly id: string;
  private readonly stats: FeedStats;
  private state: FeedState = 'stopped';
  private paused = false;
  private resume: (() => void) | null = null;
  private stopping = false;
  private finished: Promise<void> | null = null;
  private position: number | null = null;
  private played = 0;
  private done = false;
  private readonly read: ReadStats = { badLines: 0 };

  constructor(
    private readonly config: FeedConfig,
    private readonly header: RecordingHeader,
    private readonly opts: ReplayOptions,
    private readonly sink: FeedSink,
    private readonly symbols?: SymbolResolver,
    private readonly clock: Clock = systemClock,
  ) {
    this.id = config.id;
    this.stats = new FeedStats(clock.now());
  }

  start(): void {
    if (this.finished) return;
    this.setState('live', `replaying ${this.opts.path} (${this.header.venue} ${this.header.market}) at ${this.opts.speed === 'max' ? 'max speed' : `${this.opts.speed}x`}`);
    // `finished` is awaited only by stop(): this handler must not throw, or the rejection would go
    // unhandled until then. describeCause reads any thrown value (`.message` of a non-Error threw).
    this.finished = this.run().catch((e: unknown) => {
      const cause = describeCause(e);
      this.stats.error({ kind: 'config', message: 'replay failed', cause, at: this.clock.now() });
      this.setState('error', `replay failed: ${cause}`);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.resume?.();
    await this.finished;
    if (this.state !== 'stopped' && this.state !== 'error') this.setState('stopped', 'stopped');
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.resume?.();
  }

  /** Recorded time reached (bars before it may close); Infinity once the recording is played. */
  horizon(): number {
    if (this.done || this.stopping) return Infinity;
    return this.position ?? -Infinity;
  }

  counts(): FeedCounts {
    return { ...this.stats.counts };
  }

  health(now: number = this.clock.now()): FeedHealth {
    const counters = this.stats.health(now, { latency: false });
    return {
      feedId: this.id,
      exchange: this.config.exchange,
      market: this.config.market,
      state: this.state,
      nextRetryAt: null,
      connections: 0,
      ...counters,
      // Lines of the recording that could not be read count as errors of the feed.
      errors: counters.errors + this.read.badLines,
      lastError: counters.lastError ?? (this.read.lastError ? { kind: 'parse', message: this.read.lastError, at: now } : null),
      markets: this.header.symbols.map((symbol) => ({ symbol, lastDataAt: null, staleAfterMs: 0, stale: false })),
      replay: { path: this.opts.path, speed: this.opts.speed, framesPlayed: this.played, position: this.position, done: this.done },
    };
  }

  private async run(): Promise<void> {
    const adapter = getAdapter(this.header.venue);
    if (!adapter) throw new Error(`the recording's venue "${this.header.venue}" has no adapter`);
    const decoder = new RecordingDecoder({
      header: this.header,
      adapter,
      ...(this.symbols ? { toNative: (s: string) => this.symbols!.toNative(s), toCanonical: (n: string) => this.symbols!.toCanonical(n) } : {}),
      ...(this.symbols?.contractSize ? { contractSize: (n: string) => this.symbols!.contractSize!(n) } : {}),
    });
    const speed = this.opts.speed;
    let t0: number | null = null;
    let real0 = 0;
    let batch = 0;
    for await (const item of readRecording(this.opts.path, this.read)) {
      if (this.stopping) return;
      while (this.paused && !this.stopping) await new Promise<void>((r) => (this.resume = r));
      if (item.kind === 'header') {
        if (item.header.venue !== this.header.venue || item.header.market !== this.header.market) {
          throw new Error(`${item.path} records ${item.header.venue} ${item.header.market}, not ${this.header.venue} ${this.header.market}`);
        }
        continue;
      }
      const t = item.line.t;
      if (speed === 'max') {
        if (++batch >= MAX_BATCH) {
          batch = 0;
          await new Promise((r) => setImmediate(r));
        }
      } else {
        if (t0 === null) [t0, real0] = [t, this.clock.now()];
        const wait = real0 + (t - t0) / speed - this.clock.now();
        if (wait > 1) await new Promise<void>((r) => this.clock.setTimeout(r, wait));
      }
      if (this.stopping) return;
      this.position = t;
      if (item.kind === 'gap') {
        const l = item.line;
        this.sink.gap({ type: 'gap', feedId: this.id, exchange: this.header.venue, market: this.header.market, symbols: l.sy, phase: l.g, at: l.t, reason: l.r });
        continue;
      }
      const now = this.clock.now();
      if (item.kind === 'book-snapshot') {
        const u = decoder.decodeBookSnapshot(item.line, now);
        // Not counted as the feed's data, as live (a REST snapshot goes to ingest, not through the feed).
        if (u) this.sink.data(u);
        continue;
      }
      this.played++;
      this.stats.frame(item.line.d.length, now);
      for (const ev of decoder.decode(item.line, now).data) this.deliver(ev);
    }
    this.done = true;
    this.stats.counts.errors += decoder.parseErrors;
    this.setState('stopped', `replay finished: ${this.played} frames from ${this.opts.path}`);
  }

  private deliver(ev: MarketData): void {
    this.stats.data(ev);
    this.sink.data(ev);
  }

  private setState(state: FeedState, cause: string): void {
    this.state = state;
    this.sink.status({ type: 'status', feedId: this.id, exchange: this.config.exchange, market: this.config.market, state, at: this.clock.now(), cause });
  }
}
