/**
 * Adapter for the built-in market simulator (electron/core/simulator, protocol in its
 * PROTOCOL.md). Native symbols are canonical; one connection carries one market type, named in
 * every subscribe request. The parser is on the hot path (50k trades/s in benchmarks): one
 * JSON.parse per frame, a cached symbol lookup, and numbers parsed once with unary plus.
 *
 * This file is the WebSocket half (the simulator has no REST); venue.ts adds its identity.
 */
import type { Channel, MarketType, Side, Trade } from '../../../../shared/domain';
import type { ErrorKind } from '../../../../shared/health';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';

const EXCHANGE = 'simulator';
const SYMBOLS_PER_REQUEST = 200;
const CAUSE_MAX = 200;
/**
 * A simulator feed without a `url` gets an embedded simulator of its own from the feed manager,
 * which sets the feed's URL to it (random port). Anything else that asks for a default URL has
 * none to reach: connecting there fails at once with a network error.
 */
const SIMULATOR_NOT_RUNNING_URL = 'ws://127.0.0.1:0/simulator-not-running';

function requests(op: 'subscribe' | 'unsubscribe', streams: readonly Stream[], market: MarketType): string[] {
  const byChannel = new Map<Channel, string[]>();
  for (const s of streams) {
    const list = byChannel.get(s.channel) ?? [];
    if (!list.includes(s.native)) list.push(s.native);
    byChannel.set(s.channel, list);
  }
  const out: string[] = [];
  for (const [channel, symbols] of byChannel) {
    for (let i = 0; i < symbols.length; i += SYMBOLS_PER_REQUEST) {
      const chunk = symbols.slice(i, i + SYMBOLS_PER_REQUEST);
      out.push(JSON.stringify({ op, id: out.length + 1, market, channels: [channel], symbols: chunk }));
    }
  }
  return out;
}

function error(kind: ErrorKind, message: string, frame: string, symbol?: string): ErrorEvent {
  const cause = frame.length > CAUSE_MAX ? `${frame.slice(0, CAUSE_MAX)}...` : frame;
  return symbol === undefined ? { type: 'error', kind, message, cause } : { type: 'error', kind, message, cause, symbol };
}

/** A positive finite number from a decimal string, or NaN. */
function num(x: unknown): number {
  if (typeof x !== 'string') return NaN;
  const n = +x;
  return n > 0 && n < Infinity ? n : NaN;
}

/** A JSON number that is finite (1e400 parses as Infinity). */
function finiteTime(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function side(x: unknown): Side {
  return x === 'buy' ? 'buy' : x === 'sell' ? 'sell' : 'unknown';
}

class SimulatorParser implements FrameParser {
  private readonly ctx: ParserContext;
  private readonly symbols = new Map<string, string>();

  constructor(ctx: ParserContext) {
    this.ctx = ctx;
  }

  private canonical(native: string): string {
    let s = this.symbols.get(native);
    if (s === undefined) {
      s = this.ctx.toCanonical(native);
      this.symbols.set(native, s);
    }
    return s;
  }

  parse(frame: string, receivedAt: number): ParsedEvent[] {
    try {
      return this.parseFrame(frame, receivedAt);
    } catch (e) {
      // Unreachable by design; the contract says a parser never throws.
      return [error('parse', `simulator frame could not be read: ${(e as Error).message}`, frame)];
    }
  }

  private parseFrame(frame: string, receivedAt: number): ParsedEvent[] {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(frame);
    } catch {
      return [error('parse', 'simulator frame is not JSON', frame)];
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return [error('parse', 'simulator frame is not a JSON object', frame)];
    }
    switch (msg.type) {
      case 'trades':
        return this.trades(msg, frame, receivedAt);
      case 'quote':
        return this.quote(msg, frame, receivedAt);
      case 'liquidation':
        return this.liquidation(msg, frame, receivedAt);
      case 'funding':
        return this.funding(msg, frame, receivedAt);
      case 'book':
        return this.book(msg, frame, receivedAt);
      case 'heartbeat':
        return [{ type: 'control', what: 'heartbeat' }];
      case 'pong':
        return [{ type: 'control', what: 'pong' }];
      case 'ack': {
        const list = (x: unknown) => (Array.isArray(x) ? x.map(show).join(', ') : '');
        const message = `${show(msg.op)} ${list(msg.channels)}: ${list(msg.symbols)} (${show(msg.market)})`;
        return [{ type: 'control', what: 'ack', message }];
      }
      case 'info':
        return [{ type: 'control', what: 'info', message: `${show(msg.server)} protocol ${show(msg.protocol)}` }];
      case 'error': {
        const message = typeof msg.message === 'string' && msg.message !== '' ? msg.message : 'simulator error without a message';
        const symbol = typeof msg.symbol === 'string' ? this.canonical(msg.symbol) : undefined;
        return [error('venue', message, frame, symbol)];
      }
      default:
        return [error('protocol', `unknown simulator message type ${typeof msg.type === 'string' ? JSON.stringify(msg.type) : show(msg.type ?? null)}`, frame)];
    }
  }

  private trades(msg: Record<string, unknown>, frame: string, receivedAt: number): ParsedEvent[] {
    const data = msg.data;
    if (typeof msg.symbol !== 'string' || msg.symbol === '' || !Array.isArray(data)) return [error('parse', 'malformed simulator trades frame', frame)];
    const symbol = this.canonical(msg.symbol);
    const { market } = this.ctx;
    const out: ParsedEvent[] = [];
    let bad = 0;
    for (let i = 0; i < data.length; i++) {
      const row: unknown = data[i];
      if (!Array.isArray(row)) {
        bad++;
        continue;
      }
      const price = num(row[1]);
      const size = num(row[2]);
      const time = row[4];
      // typeof time alone let JSON's 1e400 (Infinity) through as a trade time.
      if (price !== price || size !== size || typeof time !== 'number' || !Number.isFinite(time) || (typeof row[0] !== 'number' && typeof row[0] !== 'string')) {
        bad++;
        continue;
      }
      const trade: Trade = { type: 'trade', exchange: EXCHANGE, market, symbol, price, size, side: side(row[3]), time, receivedAt, id: String(row[0]) };
      out.push(trade);
    }
    if (bad > 0) out.push(error('parse', `${bad} malformed trade row(s) in a simulator trades frame`, frame, symbol));
    return out;
  }

  private quote(msg: Record<string, unknown>, frame: string, receivedAt: number): ParsedEvent[] {
    const bid = num(msg.bid);
    const bidSize = num(msg.bidSize);
    const ask = num(msg.ask);
    const askSize = num(msg.askSize);
    if (typeof msg.symbol !== 'string' || msg.symbol === '' || bid !== bid || bidSize !== bidSize || ask !== ask || askSize !== askSize || !finiteTime(msg.time)) {
      return [error('parse', 'malformed simulator quote frame', frame)];
    }
    const { market } = this.ctx;
    return [{ type: 'quote', exchange: EXCHANGE, market, symbol: this.canonical(msg.symbol), bid, bidSize, ask, askSize, time: msg.time, receivedAt }];
  }

  private liquidation(msg: Record<string, unknown>, frame: string, receivedAt: number): ParsedEvent[] {
    const price = num(msg.price);
    const size = num(msg.size);
    if (typeof msg.symbol !== 'string' || msg.symbol === '' || price !== price || size !== size || !finiteTime(msg.time)) {
      return [error('parse', 'malformed simulator liquidation frame', frame)];
    }
    const { market } = this.ctx;
    return [{ type: 'liquidation', exchange: EXCHANGE, market, symbol: this.canonical(msg.symbol), price, size, side: side(msg.side), time: msg.time, receivedAt }];
  }

  /** Book snapshot or delta; `seq` numbers every change per market (the core's consecutive rule checks it). */
  private book(msg: Record<string, unknown>, frame: string, receivedAt: number): ParsedEvent[] {
    const bids = levels(msg.bids);
    const asks = levels(msg.asks);
    const action = msg.action;
    if (typeof msg.symbol !== 'string' || msg.symbol === '' || bids === null || asks === null || (action !== 'snapshot' && action !== 'delta') || !finiteTime(msg.time) || !Number.isSafeInteger(msg.seq)) {
      return [error('parse', 'malformed simulator book frame', frame)];
    }
    const { market } = this.ctx;
    return [{ type: 'book', exchange: EXCHANGE, market, symbol: this.canonical(msg.symbol), action, bids, asks, lastSeq: msg.seq as number, time: msg.time, receivedAt }];
  }

  private funding(msg: Record<string, unknown>, frame: string, receivedAt: number): ParsedEvent[] {
    const rate = typeof msg.rate === 'string' ? +msg.rate : NaN;
    const markPrice = num(msg.markPrice);
    const indexPrice = num(msg.indexPrice);
    if (typeof msg.symbol !== 'string' || msg.symbol === '' || !Number.isFinite(rate) || markPrice !== markPrice || indexPrice !== indexPrice || !finiteTime(msg.time)) {
      return [error('parse', 'malformed simulator funding frame', frame)];
    }
    const { market } = this.ctx;
    const f: ParsedEvent = { type: 'funding', exchange: EXCHANGE, market, symbol: this.canonical(msg.symbol), rate, markPrice, indexPrice, time: msg.time, receivedAt };
    if (finiteTime(msg.nextFundingTime)) f.nextFundingTime = msg.nextFundingTime;
    // Optional (older recordings have none); a bad value is dropped, the rest of the frame kept.
    const oi = num(msg.openInterest);
    if (oi >= 0) f.openInterest = oi;
    return [f];
  }
}

/** [["price","size"],...] as numbers; null when any level is malformed (size "0" removes, so it is allowed). */
function levels(x: unknown): [number, number][] | null {
  if (!Array.isArray(x)) return null;
  const out: [number, number][] = new Array<[number, number]>(x.length);
  for (let i = 0; i < x.length; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string') return null;
    const price = num(row[0]);
    const size = +row[1];
    if (price !== price || !(size >= 0 && size < Infinity)) return null;
    out[i] = [price, size];
  }
  return out;
}

export const simulatorStream: VenueStream = {
  /** Feeds reach a simulator by their URL only (see SIMULATOR_NOT_RUNNING_URL); the market goes in each request. */
  defaultUrl: () => SIMULATOR_NOT_RUNNING_URL,
  maxStreamsPerConnection: 4000,
  subscribeMessagesPerSecond: 20,
  // The server heartbeats every second too; the app-level ping proves the request path works.
  keepalive: { kind: 'text', intervalMs: 10_000, message: '{"op":"ping"}' },
  subscribeMessages: (streams, market) => requests('subscribe', streams, market),
  unsubscribeMessages: (streams, market) => requests('unsubscribe', streams, market),
  createParser: (ctx) => new SimulatorParser(ctx),
};
