/**
 * One shard of a feed: a fixed set of streams kept alive on one connection at a time (two during
 * a make-before-break rotation). It owns the reconnect policy (capped exponential backoff with
 * jitter, reset only by real data), the stall check (every market of the connection silent past
 * its watchdog threshold), gap events, and rotation with de-duplicated overlap.
 *
 * Feed-wide concerns (sink, counters, per-market watchdogs, the combined state) live in the host
 * (feed.ts), so several shards of one feed share them.
 */
import type { FeedState } from '../../../shared/health';
import type { MarketData } from '../../../shared/domain';
import type { ParsedEvent, Stream } from '../adapters/adapter';
import type { Clock } from '../util/clock';
import { Backoff } from '../util/backoff';
import type { Connection, ConnectionFailure, ConnectionListener } from './connection';
import { OverlapDeduper } from './dedup';
import { symbolsOf } from './streams';
import type { RuntimeTuning } from './tuning';
import type { MarketWatchdog } from './watchdog';

export interface ShardHost {
  readonly clock: Clock;
  readonly tuning: RuntimeTuning;
  readonly rotateAfterMs: number | null;
  newConnection(shard: Shard, listener: ConnectionListener): Connection;
  watchdog(symbol: string): MarketWatchdog | undefined;
  /** A connection of this shard opened: markets are watched from now. */
  watching(symbols: readonly string[], at: number): void;
  frame(bytes: number, at: number): void;
  data(ev: MarketData): void;
  error(e: { kind: ConnectionFailure['kind']; message: string; cause?: string }): void;
  notice(message: string): void;
  gap(shard: Shard, phase: 'start' | 'end', at: number, reason: string): void;
  reconnecting(): void;
  /** The shard's state (or nextRetryAt) changed. */
  changed(shard: Shard, cause: string, at: number): void;
  /** Something worth a status line that is not a state change (rotation). */
  info(cause: string): void;
}

export class Shard implements ConnectionListener {
  state: FeedState = 'stopped';
  nextRetryAt: number | null = null;
  readonly symbols: string[];
  private primary: Connection | null = null;
  private candidate: Connection | null = null;
  private readonly backoff: Backoff;
  private readonly dedup = new OverlapDeduper();
  private readonly timers = new Map<string, unknown>();
  private gapOpen = false;
  private everData = false;
  private stopped = false;
  private paused = false;
  /** Set just before a stalled connection is cut, read when its close arrives. */
  private stallGapAt: number | undefined;
  /** Symbols whose overlap must be proven by a duplicate trade before the old socket may close. */
  private readonly tradeSymbols: Set<string>;

  constructor(
    readonly index: number,
    readonly streams: Stream[],
    private readonly host: ShardHost,
  ) {
    this.symbols = symbolsOf(streams);
    this.tradeSymbols = new Set(streams.filter((s) => s.channel === 'trades').map((s) => s.symbol));
    const t = host.tuning;
    this.backoff = new Backoff({ initialMs: t.backoffInitialMs, maxMs: t.backoffMaxMs, jitter: t.backoffJitter, random: t.random });
  }

  /** Open sockets (2 during a rotation). */
  get connections(): number {
    return (this.primary?.isOpen ? 1 : 0) + (this.candidate?.isOpen ? 1 : 0);
  }

  start(): void {
    this.connect('connecting');
    this.scheduleTick();
  }

  /** Resubscribes one market's channel on the live connection (a book resync); false when not held or not open. */
  resubscribe(symbol: string, channel: Stream['channel']): boolean {
    const streams = this.streams.filter((s) => s.symbol === symbol && s.channel === channel);
    if (streams.length === 0 || !this.primary) return false;
    return this.primary.resubscribe(streams);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.primary?.setPaused(paused);
    this.candidate?.setPaused(paused);
    if (!paused) for (const s of this.symbols) this.host.watchdog(s)?.breakContinuity();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) this.host.clock.clearTimeout(t);
    this.timers.clear();
    this.dedup.stop();
    const closing = [this.primary?.close(), this.candidate?.close()];
    this.primary = null;
    this.candidate = null;
    this.state = 'stopped';
    this.nextRetryAt = null;
    await Promise.all(closing);
  }

  // ---- connection listener -------------------------------------------------------------------

  onOpen(c: Connection): void {
    if (this.stopped) return;
    const now = this.host.clock.now();
    if (c === this.candidate) {
      this.timer('overlap', this.host.tuning.rotationOverlapMaxMs, () => this.overlapExpired());
      return;
    }
    if (c !== this.primary) return;
    for (const s of this.symbols) this.host.watchdog(s)?.breakContinuity();
    this.host.watching(this.symbols, now);
    this.setState('subscribing', `connected; subscribing to ${this.streams.length} streams`);
    this.scheduleRotation(c);
  }

  onSubscribed(): void {}

  onFrame(_c: Connection, bytes: number, at: number): void {
    this.host.frame(bytes, at);
  }

  onEvents(c: Connection, events: ParsedEvent[], at: number): void {
    if (this.stopped || (c !== this.primary && c !== this.candidate)) return;
    const firstOnConnection = c.firstDataAt === null;
    let sawData = false;
    // Every event of a frame has the same receive time: a symbol's last-data time is set once per
    // run of its events (a Bybit frame is 20 trades of one symbol), not once per event.
    let lastSymbol: string | null = null;
    for (const ev of events) {
      switch (ev.type) {
        case 'control':
          break; // proves the socket, never the market
        case 'notice':
          this.host.notice(ev.message);
          if (ev.reconnect) this.startRotation(`the venue asked to reconnect: ${ev.message}`);
          break;
        case 'error':
          this.host.error({ kind: ev.kind, message: ev.message, ...(ev.cause !== undefined ? { cause: ev.cause } : {}) });
          break;
        default:
          sawData = true;
          if (ev.symbol !== lastSymbol) {
            lastSymbol = ev.symbol;
            c.lastDataBySymbol.set(ev.symbol, at);
          }
          if (this.dedup.admit(ev, c.id)) this.host.data(ev);
      }
    }
    if (!sawData) return;
    if (firstOnConnection) {
      c.firstDataAt = at;
      if (c === this.primary) this.firstData(at);
    }
    if (this.candidate && this.overlapJoined()) this.finishRotation('the new connection delivers every market');
    else if (this.state === 'stale' && c === this.primary) this.checkStall();
  }

  onClose(c: Connection, failure: ConnectionFailure | null): void {
    if (this.stopped) return;
    if (c === this.candidate) {
      this.candidate = null;
      this.clear('overlap');
      this.dedup.stop();
      if (failure) this.host.error({ ...describe(failure), message: `replacement connection failed: ${failure.message}` });
      this.timer('rotate', this.host.tuning.backoffMaxMs, () => this.startRotation('retrying the rotation'));
      return;
    }
    if (c !== this.primary) return; // the old connection of a finished rotation
    const f = failure ?? { kind: 'network' as const, message: 'connection closed', retryAfterMs: null };
    if (this.candidate) {
      // Lost mid-rotation: the replacement takes over at once.
      this.host.error(describe(f));
      this.promoteCandidate(`connection lost during rotation (${f.message}); the replacement takes over`);
      return;
    }
    this.primary = null;
    const gapAt = this.stallGapAt;
    this.stallGapAt = undefined;
    this.connectionLost(f, gapAt);
  }

  // ---- reconnecting --------------------------------------------------------------------------

  private connect(cause: string): void {
    this.nextRetryAt = null;
    const c = this.host.newConnection(this, this);
    this.primary = c;
    this.setState('connecting', cause);
    c.setPaused(this.paused);
    c.open();
  }

  /** `gapAt`: when data was last seen, for a stall (the gap began then, not at detection). */
  private connectionLost(f: ConnectionFailure, gapAt?: number): void {
    const now = this.host.clock.now();
    this.host.error(describe(f));
    const reason = f.cause ? `${f.message}: ${f.cause}` : f.message;
    if (f.kind === 'config') {
      this.setState('error', reason);
      return;
    }
    if (this.everData && !this.gapOpen) {
      this.gapOpen = true;
      this.host.gap(this, 'start', gapAt ?? now, reason);
    }
    const step = this.backoff.next();
    // Honour the venue's Retry-After; a rate limit without one waits the full backoff cap.
    const delay = f.retryAfterMs !== null ? Math.max(f.retryAfterMs, step) : f.kind === 'rate-limit' ? Math.max(this.host.tuning.backoffMaxMs, step) : step;
    this.nextRetryAt = now + delay;
    this.setState('backoff', `${reason}; retry ${this.backoff.attempts} in ${delay} ms`, now);
    this.timer('retry', delay, () => {
      this.host.reconnecting();
      this.connect(`reconnecting (attempt ${this.backoff.attempts})`);
    });
  }

  private firstData(at: number): void {
    this.everData = true;
    // Only real data proves the venue accepted us; an open-then-drop server keeps backing off.
    this.backoff.reset();
    if (this.gapOpen) {
      this.gapOpen = false;
      this.host.gap(this, 'end', at, 'data flowing again');
    }
    this.setState('live', 'receiving data');
  }

  // ---- stall watchdog ------------------------------------------------------------------------

  private scheduleTick(): void {
    const every = Math.min(1_000, Math.max(20, Math.floor(this.host.tuning.watchdogFloorMs / 5)));
    this.timer('tick', every, () => {
      this.checkStall();
      if (!this.stopped) this.scheduleTick();
    });
  }

  /** Marks the shard stale when a market is silent; reconnects when every market is. */
  private checkStall(): void {
    const c = this.primary;
    if (this.stopped || this.paused || !c || !c.isOpen || c.watchFrom === null) return;
    const now = this.host.clock.now();
    const stale: string[] = [];
    let worst = 0;
    let threshold = 0;
    for (const s of this.symbols) {
      const wd = this.host.watchdog(s);
      if (!wd) continue;
      const silent = now - Math.max(c.lastDataBySymbol.get(s) ?? -Infinity, c.watchFrom);
      if (silent > wd.thresholdMs()) {
        stale.push(s);
        if (silent > worst) [worst, threshold] = [silent, wd.thresholdMs()];
      }
    }
    if (stale.length > 0 && stale.length === this.symbols.length) {
      // Open, maybe answering pings, but no market data: treat the connection as dead.
      const lastData = Math.max(...c.lastDataBySymbol.values());
      this.stallGapAt = Number.isFinite(lastData) ? lastData : undefined;
      const message = `no market data for ${worst} ms on ${stale.length === 1 ? stale[0] : `all ${stale.length} markets`} (threshold ${threshold} ms); connection open but silent`;
      this.setState('stale', message);
      c.fail({ kind: 'timeout', message, retryAfterMs: null });
      return;
    }
    if (stale.length > 0 && this.state === 'live') {
      this.setState('stale', `no data for ${worst} ms on ${stale.join(', ')} (threshold ${threshold} ms)`);
    } else if (stale.length === 0 && this.state === 'stale') {
      this.setState('live', 'data flowing again on every market');
    }
  }

  // ---- rotation ------------------------------------------------------------------------------

  private scheduleRotation(c: Connection): void {
    const after = this.host.rotateAfterMs;
    if (after === null || c.openedAt === null) return;
    const due = Math.max(0, c.openedAt + after - this.host.clock.now());
    this.timer('rotate', due, () => this.startRotation(`scheduled after ${after} ms`));
  }

  /** Make-before-break: open the replacement while the current connection keeps delivering. */
  private startRotation(reason: string): void {
    if (this.stopped || this.candidate || !this.primary?.isOpen) return;
    this.clear('rotate');
    this.dedup.beginOverlap();
    const c = this.host.newConnection(this, this);
    this.candidate = c;
    this.host.info(`rotating: opening a replacement connection (${reason})`);
    c.setPaused(this.paused);
    c.open();
  }

  private overlapJoined(): boolean {
    const c = this.candidate!;
    return this.symbols.every((s) => (this.tradeSymbols.has(s) ? this.dedup.joined.has(s) : c.lastDataBySymbol.has(s)));
  }

  private overlapExpired(): void {
    if (!this.candidate) return;
    if (this.candidate.firstDataAt !== null) {
      this.finishRotation(`overlap limit ${this.host.tuning.rotationOverlapMaxMs} ms reached`);
      return;
    }
    // The replacement delivered nothing: switching to it would be worse than keeping the old one.
    const c = this.candidate;
    this.candidate = null;
    this.dedup.stop();
    void c.close(); // never rejects: close() only resolves once the socket is gone (connection.ts)
    this.host.error({ kind: 'timeout', message: `replacement connection delivered no data within ${this.host.tuning.rotationOverlapMaxMs} ms; keeping the current one` });
    this.timer('rotate', this.host.tuning.backoffMaxMs, () => this.startRotation('retrying the rotation'));
  }

  private finishRotation(reason: string): void {
    const old = this.primary;
    this.promoteCandidate(`rotated (${reason})`);
    void old?.close(); // never rejects: close() only resolves once the socket is gone (connection.ts)
  }

  private promoteCandidate(cause: string): void {
    const c = this.candidate!;
    this.candidate = null;
    this.primary = c;
    this.clear('overlap');
    // Copies of trades the old socket delivered may still come on the new one for a while.
    this.dedup.drain();
    this.timer('drain', this.host.tuning.rotationOverlapMaxMs, () => this.dedup.stop());
    if (c.openedAt !== null) this.host.watching(this.symbols, c.openedAt);
    if (c.firstDataAt !== null) {
      this.backoff.reset();
      if (this.gapOpen) {
        this.gapOpen = false;
        this.host.gap(this, 'end', this.host.clock.now(), 'data flowing again');
      }
    } else if (this.everData && !this.gapOpen) {
      this.gapOpen = true;
      this.host.gap(this, 'start', this.host.clock.now(), cause);
    }
    const next: FeedState = c.firstDataAt !== null ? 'live' : c.isOpen ? 'subscribing' : 'connecting';
    if (next !== this.state) this.setState(next, cause);
    else this.host.info(cause);
    this.scheduleRotation(c);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** `at` is the time the change was decided (so nextRetryAt - at is exactly the delay). */
  private setState(state: FeedState, cause: string, at = this.host.clock.now()): void {
    this.state = state;
    if (state !== 'backoff') this.nextRetryAt = null;
    this.host.changed(this, cause, at);
  }

  private timer(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    const handle = this.host.clock.setTimeout(() => {
      this.timers.delete(name);
      if (!this.stopped) fn();
    }, ms);
    this.timers.set(name, handle);
  }

  private clear(name: string): void {
    const h = this.timers.get(name);
    if (h !== undefined) this.host.clock.clearTimeout(h);
    this.timers.delete(name);
  }
}

function describe(f: ConnectionFailure): { kind: ConnectionFailure['kind']; message: string; cause?: string } {
  return f.cause !== undefined ? { kind: f.kind, message: f.message, cause: f.cause } : { kind: f.kind, message: f.message };
}
