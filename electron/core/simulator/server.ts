/**
 * The built-in market simulator: a WebSocket server on 127.0.0.1 speaking the small protocol in
 * PROTOCOL.md, so a new user sees live markets with no network and no keys, and tests and
 * benchmarks have a venue they control (rate, seed, faults).
 *
 * One Simulation generates every market once per tick (tickMs) in simulated time that follows the
 * wall clock; each market's batch is serialised once and the same text goes to every subscriber.
 * Exchange timestamps are wall-clock epoch ms (anchor + simulated ms); the sequence itself depends
 * only on seed, rate and markets. If the event loop stalls, at most one second is caught up and the
 * anchor moves forward, so a suspended laptop does not produce a flood of old trades.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { Channel, MarketType } from '../../../shared/domain';
import { ClientSession, type MarketSlot, type SessionHost } from './client-session';
import { MarketFrames, errorFrame, heartbeatFrame, infoFrame, malformedFrame } from './frames';
import { describeCause } from '../util/errors';
import { parseMarkets } from './markets';
import {
  DEFAULT_MALFORMED_COUNT,
  DEFAULT_STALL_MS,
  resolveOptions,
  type FaultMode,
  type FaultSpec,
  type ResolvedOptions,
  type SimulatorOptions,
} from './options';
import { Simulation } from './simulation';
import { SimBook, bookFrame } from './sim-book';
import { LOOPBACK_HOSTS } from '../../../shared/venue-options';

export type { FaultMode, FaultSpec, SimulatorOptions } from './options';

const MAX_CATCH_UP_MS = 1000;
const QUOTE_REFRESH_MS = 1000;
const FUNDING_EVERY_MS = 1000;
const CLOSE_GRACE_MS = 1000;
/** A book diff per market at most this often (PROTOCOL.md, Book). */
const BOOK_INTERVAL_MS = 100;

export interface SimulatorStats {
  /** Trades delivered, summed over clients. */
  tradesSent: number;
  /** Frames of every kind sent, summed over clients. */
  framesSent: number;
  /** Data frames skipped for clients whose send buffer was over maxBufferedBytes. */
  framesDropped: number;
  /** Broken frames sent by the malformed fault. */
  malformedSent: number;
  /** Book diffs withheld by the drop-diff fault (their seq was used, so clients see a gap). */
  diffsDropped: number;
}

export class SimulatorServer implements SessionHost {
  readonly url: string;
  readonly port: number;
  /** The seed in use (random when not given): pass it back to reproduce the same sequence. */
  readonly seed: number;
  readonly counters = { framesSent: 0, tradesSent: 0, framesDropped: 0, malformedSent: 0, diffsDropped: 0 };
  /** Book diffs still to withhold (drop-diff fault). */
  private pendingDiffDrops = 0;
  private readonly wss: WebSocketServer;
  private readonly opts: ResolvedOptions;
  private readonly sim: Simulation;
  private readonly slots = new Map<string, MarketSlot>();
  private readonly symbolLists: Record<MarketType, string[]> = { spot: [], perp: [] };
  private readonly sessions = new Set<ClientSession>();
  private readonly timers: NodeJS.Timeout[] = [];
  private anchor: number;
  private stallUntil = 0;
  private malformedRotation = 0;
  private closed: Promise<void> | null = null;

  private constructor(wss: WebSocketServer, opts: ResolvedOptions, sim: Simulation) {
    this.wss = wss;
    this.opts = opts;
    this.sim = sim;
    this.seed = opts.seed;
    const addr = wss.address();
    this.port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    this.url = `ws://${host}:${this.port}`;
    this.anchor = Date.now();
    for (const model of sim.markets) {
      const subs = { trades: new Set(), quotes: new Set(), liquidations: new Set(), funding: new Set(), book: new Set() } as Record<Channel, Set<ClientSession>>;
      const book = new SimBook(model, opts.seed, opts.bookDepth);
      this.slots.set(`${model.market}:${model.symbol}`, { frames: new MarketFrames(model), subs, lastBid: -1, lastAsk: -1, lastQuoteAt: 0, lastFundingAt: 0, book, lastBookAt: 0 });
      this.symbolLists[model.market].push(model.symbol);
    }
    wss.on('connection', (ws) => this.accept(ws));
    wss.on('error', () => {}); // after listening, errors surface per client; never crash the app
    this.every(opts.tickMs, () => this.tick());
    this.every(opts.heartbeatMs, () => this.broadcast(heartbeatFrame(Date.now())));
    for (const f of opts.faults) this.schedule(f);
  }

  /** Starts listening; rejects on bad options (naming the field) or when the port is taken. */
  static async start(options?: SimulatorOptions): Promise<SimulatorServer> {
    const opts = resolveOptions(options);
    // resolveOptions only lets loopback through; checked again right at the bind, because ws binds
    // every interface when host is missing, and this must hold whatever the options code becomes.
    if (!(LOOPBACK_HOSTS as readonly string[]).includes(opts.host)) throw new Error(`host: the simulator listens on loopback only, not "${opts.host}"`);
    const sim = new Simulation({ seed: opts.seed, rate: opts.rate, bursts: opts.bursts, markets: parseMarkets(opts.markets) });
    const wss = new WebSocketServer({ host: opts.host, port: opts.port, perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(new Error(`simulator could not listen on ${opts.host}:${opts.port}: ${err.message}`));
      wss.once('error', onError);
      wss.once('listening', () => {
        wss.off('error', onError);
        resolve();
      });
    });
    return new SimulatorServer(wss, opts, sim);
  }

  /**
   * Injects a fault now. drop: terminates every client socket (no close frame). stall: stops
   * market data for `arg` ms (default 5000; 0 ends a stall early) while heartbeats and pongs go on.
   * malformed: every connected client gets `arg` broken frames (default 5), one per tick.
   */
  fault(mode: FaultMode, arg?: number): void {
    if (this.closed) return;
    switch (mode) {
      case 'drop':
        for (const s of this.sessions) s.ws.terminate();
        return;
      case 'stall':
        this.stallUntil = Date.now() + (arg ?? DEFAULT_STALL_MS);
        return;
      case 'malformed':
        for (const s of this.sessions) s.pendingMalformed += Math.max(0, Math.floor(arg ?? DEFAULT_MALFORMED_COUNT));
        return;
      case 'drop-diff':
        this.pendingDiffDrops += Math.max(1, Math.floor(arg ?? 1));
        return;
      default:
        throw new Error(`unknown simulator fault "${String(mode)}" (drop, stall, malformed or drop-diff)`);
    }
  }

  /** True while a stall fault holds market data back. */
  stalled(): boolean {
    return Date.now() < this.stallUntil;
  }

  clients(): number {
    return this.sessions.size;
  }

  stats(): SimulatorStats {
    const c = this.counters;
    return { tradesSent: c.tradesSent, framesSent: c.framesSent, framesDropped: c.framesDropped, malformedSent: c.malformedSent, diffsDropped: c.diffsDropped };
  }

  /** Canonical symbols offered on a market type. */
  symbols(market: MarketType): string[] {
    return [...this.symbolLists[market]];
  }

  slot(market: MarketType, symbol: string): MarketSlot | undefined {
    return this.slots.get(`${market}:${symbol}`);
  }

  sendQuoteSnapshot(slot: MarketSlot, session: ClientSession): void {
    if (this.stalled()) return;
    const t = this.sim.time();
    session.send(slot.frames.quote(slot.frames.model.quote(t), Math.floor(this.anchor + t)));
  }

  /** The book as it stands (its seq included) to a client that just subscribed to it: how a client resyncs. */
  sendBookSnapshot(slot: MarketSlot, session: ClientSession): void {
    const t = this.sim.time();
    if (slot.book.seq === 0) slot.book.step(t); // first use: build it
    session.send(bookFrame(slot.frames.model, 'snapshot', slot.book.seq, slot.book.levels(), Math.floor(this.anchor + t)));
  }

  /** Closes every client (1001, then terminate after a grace period), the server and all timers. */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    const gone = [...this.sessions].map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.ws.readyState === 3) return resolve();
          s.ws.once('close', () => resolve());
          s.ws.close(1001, 'simulator shutting down');
        }),
    );
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.all(gone), grace]);
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private schedule(f: FaultSpec): void {
    const fire = () => this.fault(f.mode, f.mode === 'stall' ? (f.forMs ?? DEFAULT_STALL_MS) : f.count);
    const t = setTimeout(() => {
      fire();
      if (f.everyMs !== undefined && !this.closed) this.every(f.everyMs, fire);
    }, f.afterMs ?? 0);
    t.unref();
    this.timers.push(t);
  }

  private accept(ws: WebSocket): void {
    if (this.closed) return void ws.terminate();
    const session = new ClientSession(ws, this);
    this.sessions.add(session);
    ws.on('message', (data, isBinary) => {
      // This runs inside the socket's data event, where a throw is an uncaught exception that ends
      // the process: a request the session cannot handle costs its client an error reply instead.
      try {
        session.handle(data, isBinary);
      } catch (e) {
        session.send(errorFrame(null, 'bad_request', `request could not be handled: ${describeCause(e, 200)}`));
      }
    });
    ws.on('error', () => {}); // a client's socket error ends in 'close' below
    ws.on('close', () => {
      session.detach();
      this.sessions.delete(session);
    });
    session.send(infoFrame({ spot: this.symbols('spot'), perp: this.symbols('perp') }, Date.now()));
  }

  private broadcast(text: string): void {
    for (const s of this.sessions) s.send(text);
  }

  private tick(): void {
    const wall = Date.now();
    let t = wall - this.anchor;
    const behind = t - this.sim.time();
    if (behind > MAX_CATCH_UP_MS) {
      this.anchor += behind - MAX_CATCH_UP_MS;
      t = this.sim.time() + MAX_CATCH_UP_MS;
    }
    this.sim.advance(t);
    if (!this.stalled()) for (const slot of this.slots.values()) this.publish(slot, t, wall);
    this.sendMalformed();
  }

  private publish(slot: MarketSlot, t: number, wall: number): void {
    const { frames, subs } = slot;
    const model = frames.model;
    if (model.trades.length > 0 && subs.trades.size > 0) {
      this.fanOut(subs.trades, frames.trades(model.trades, this.anchor), model.trades.length);
    }
    if (subs.quotes.size > 0 && wall - slot.lastQuoteAt >= this.opts.quoteIntervalMs) {
      const q = model.quote(t);
      if (q.bidTicks !== slot.lastBid || q.askTicks !== slot.lastAsk || wall - slot.lastQuoteAt >= QUOTE_REFRESH_MS) {
        slot.lastBid = q.bidTicks;
        slot.lastAsk = q.askTicks;
        slot.lastQuoteAt = wall;
        this.fanOut(subs.quotes, frames.quote(q, Math.floor(this.anchor + t)), 0);
      }
    }
    if (subs.book.size > 0 && wall - slot.lastBookAt >= BOOK_INTERVAL_MS) {
      slot.lastBookAt = wall;
      const diff = slot.book.step(t);
      if (diff) {
        if (this.pendingDiffDrops > 0) {
          // The seq is used up: every subscriber's next diff shows the gap.
          this.pendingDiffDrops--;
          this.counters.diffsDropped++;
        } else {
          this.fanOut(subs.book, bookFrame(model, 'delta', slot.book.seq, diff, Math.floor(this.anchor + t)), 0);
        }
      }
    }
    if (model.market !== 'perp') return;
    if (subs.liquidations.size > 0) {
      for (const l of model.liquidations) this.fanOut(subs.liquidations, frames.liquidation(l, this.anchor), 0);
    }
    if (subs.funding.size > 0 && wall - slot.lastFundingAt >= FUNDING_EVERY_MS) {
      slot.lastFundingAt = wall;
      this.fanOut(subs.funding, frames.funding(t, Math.floor(this.anchor + t)), 0);
    }
  }

  /** Sends one serialised frame to many clients: encoded once, skipped for clients far behind. */
  private fanOut(targets: Set<ClientSession>, text: string, trades: number): void {
    const data = targets.size > 1 ? Buffer.from(text) : text;
    for (const s of targets) {
      if (s.ws.bufferedAmount > this.opts.maxBufferedBytes) {
        this.counters.framesDropped++;
        continue;
      }
      if (s.send(data)) this.counters.tradesSent += trades;
    }
  }

  private sendMalformed(): void {
    for (const s of this.sessions) {
      if (s.pendingMalformed <= 0) continue;
      s.pendingMalformed--;
      const sample = `{"type":"trades","market":"spot","symbol":"BTC-USDT","data":[[1,"64000.00","0.01000","buy",${Date.now()}]]}`;
      if (s.send(malformedFrame(this.malformedRotation++, sample))) this.counters.malformedSent++;
    }
  }
}
