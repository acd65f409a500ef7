/**
 * Binance spot and USD-M perpetuals (public market streams, no keys).
 *
 * Combined-stream endpoint (`/stream`, frames wrapped as {"stream","data"}) with SUBSCRIBE method
 * messages. Trades come from `aggTrade` (id = aggregate id `a`; `m:true` = buyer was maker, so the
 * aggressor SOLD), quotes from `bookTicker`, perp liquidations from `forceOrder` and funding/mark
 * from `markPrice@1s`. Binance sends no trade snapshot on subscribe, so every trade is live.
 *
 * USD-M futures route streams by URL path since 2026-04: `bookTicker` (and depth) only flow on
 * `/public`, everything we use otherwise on `/market`; a stream on the wrong path is silently
 * dead. `connectUrl` picks `/public` for a connection that carries only quotes, and
 * `connectionGroup` makes the runtime keep quotes on connections of their own.
 *
 * This file is the WebSocket half (description and parser; aggTrade's fast path in fastpath.ts);
 * the REST half is rest.ts, and venue.ts puts them together.
 */
import type { BookUpdate, Funding, MarketType } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { fastPathDisabled } from '../json-scan';
import { clip, isObj, type JsonObject } from '../json-values';
import { DepthUpdateFastPath } from './depth-fastpath';
import { AggTradeFastPath } from './fastpath';

const SPOT_URL = 'wss://stream.binance.com:9443/stream';
const PERP_URL = 'wss://fstream.binance.com/market/stream';
/** Streams per SUBSCRIBE message: keeps frames small (a few KB) and 1024 streams in 6 messages. */
export const BINANCE_PARAMS_PER_MESSAGE = 200;
/** Unsubscribe ids start here so an error reply can be told apart from a subscribe's. */
const UNSUBSCRIBE_ID_BASE = 100_000;

const SUFFIX: Record<string, string> = {
  trades: '@aggTrade',
  quotes: '@bookTicker',
  liquidations: '@forceOrder',
  funding: '@markPrice@1s',
  book: '@depth@100ms',
};

export function binanceStreamName(s: Stream): string {
  return `${s.native.toLowerCase()}${SUFFIX[s.channel] ?? '@aggTrade'}`;
}

/** Unique stream names in the order given, chunked per SUBSCRIBE message. */
export function binanceParamChunks(streams: readonly Stream[]): string[][] {
  const names = [...new Set(streams.map(binanceStreamName))];
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += BINANCE_PARAMS_PER_MESSAGE) {
    chunks.push(names.slice(i, i + BINANCE_PARAMS_PER_MESSAGE));
  }
  return chunks;
}

/** Routed futures path for a stream: `public` (book data) or `market` (everything else). */
function futuresRoute(s: Stream): 'public' | 'market' {
  return s.channel === 'quotes' || s.channel === 'book' ? 'public' : 'market';
}

/**
 * Numbers arrive as strings; "" (an absent value, e.g. `r` on delivery contracts) is not 0, and
 * an out-of-range "1e400" (Infinity) is not a number either. (REST bodies write them alike.)
 */
export function num(v: unknown): number {
  const n = (typeof v === 'string' && v !== '') || typeof v === 'number' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/**
 * Depth levels `[["price","qty"],...]` (REST snapshot and stream diffs alike) as numbers; qty "0"
 * removes a level. Null when any level is malformed: a book must not be half applied.
 */
export function depthLevels(v: unknown): [number, number][] | null {
  if (!Array.isArray(v)) return null;
  const out = new Array<[number, number]>(v.length);
  for (let i = 0; i < v.length; i++) {
    const row: unknown = v[i];
    if (!Array.isArray(row)) return null;
    const price = num(row[0]);
    const size = num(row[1]);
    if (!(price > 0) || !(size >= 0)) return null;
    out[i] = [price, size];
  }
  return out;
}

/** Exported for the fast path's differential test (it compares `fast.scan` with `parseGeneral`). */
export class BinanceParser implements FrameParser {
  private readonly bySymbol = new Map<string, string>();
  private readonly chunks: string[][];
  private readonly streamSymbol = new Map<string, string>();
  /** Set while a USD-M connection mixes /public and /market streams and nobody was told yet. */
  private mixedRouteWarning: ErrorEvent | null = null;
  /** aggTrade frames scanned without JSON.parse (fastpath.ts); null when disabled. */
  readonly fast: AggTradeFastPath | null;
  /** depthUpdate frames scanned without JSON.parse (depth-fastpath.ts); null when disabled. */
  readonly fastDepth: DepthUpdateFastPath | null;

  constructor(private readonly ctx: ParserContext) {
    for (const s of ctx.streams) {
      this.bySymbol.set(s.native.toUpperCase(), s.symbol);
      this.streamSymbol.set(binanceStreamName(s), s.symbol);
    }
    this.chunks = binanceParamChunks(ctx.streams);
    const routes = new Set(ctx.streams.map(futuresRoute));
    if (ctx.market === 'perp' && routes.size > 1) {
      const quoted = [...new Set(ctx.streams.filter((s) => s.channel === 'quotes').map((s) => s.symbol))];
      this.mixedRouteWarning = {
        type: 'error', kind: 'config',
        message: `Binance USD-M sends bookTicker only on /public, but this connection also carries /market streams: no quotes will arrive for ${quoted.join(', ')}; put perp quotes in a feed of their own`,
      };
    }
    const off = fastPathDisabled();
    const canonical = (n: string): string | null => this.canonical(n);
    const stable = (n: string): boolean => this.bySymbol.has(n.toUpperCase());
    this.fast = off ? null : new AggTradeFastPath(ctx.exchange, ctx.market, canonical, stable);
    this.fastDepth = off ? null : new DepthUpdateFastPath(ctx.exchange, ctx.market, canonical, stable);
  }

  /** Canonical symbol of a native name, or null when the field is missing. */
  private canonical(native: unknown): string | null {
    if (typeof native !== 'string' || native === '') return null;
    const n = native.toUpperCase();
    return this.bySymbol.get(n) ?? this.ctx.toCanonical(n);
  }

  parse(frame: string, receivedAt: number, bytes?: Uint8Array): ParsedEvent[] {
    if (this.mixedRouteWarning) {
      const warning = this.mixedRouteWarning;
      this.mixedRouteWarning = null;
      return [warning, ...this.parse(frame, receivedAt, bytes)];
    }
    if (this.fast !== null && this.fastDepth !== null) {
      // Encoded once here when the runtime did not pass the bytes (replays): both scanners read them.
      const b = bytes ?? Buffer.from(frame, 'utf8');
      const trade = this.fast.scan(frame, receivedAt, b);
      if (trade !== null) return [trade];
      const diff = this.fastDepth.scan(frame, receivedAt, b);
      if (diff !== null) return [diff];
    }
    return this.parseGeneral(frame, receivedAt);
  }

  /** Every frame through JSON.parse: the reference the fast path is tested against. */
  parseGeneral(frame: string, receivedAt: number): ParsedEvent[] {
    let msg: unknown;
    try {
      msg = JSON.parse(frame);
    } catch {
      return [{ type: 'error', kind: 'parse', message: 'frame is not JSON', cause: clip(frame, 200) }];
    }
    if (!isObj(msg)) return [this.bad('frame is not a JSON object', frame)];
    if ('id' in msg && ('result' in msg || 'error' in msg || 'code' in msg)) return [this.reply(msg, frame)];
    const data = 'stream' in msg && 'data' in msg ? msg.data : msg;
    if (!isObj(data)) return [this.bad('stream frame without a data object', frame)];
    // Records are built with explicit fields (no spread of a shared object): a spread per trade
    // was ~9% of the pipeline's time. The field order is the NDJSON output's and must not change.
    const { exchange, market } = this.ctx;
    switch (data.e) {
      case 'aggTrade': {
        const price = num(data.p);
        const size = num(data.q);
        const time = num(data.T);
        const symbol = this.canonical(data.s);
        if (!symbol || !(price > 0) || !(size > 0) || !Number.isFinite(time)) return [this.bad('aggTrade with bad symbol, price, quantity or time', frame)];
        return [{
          type: 'trade', exchange, market, symbol, price, size,
          side: data.m === true ? 'sell' : data.m === false ? 'buy' : 'unknown',
          time, receivedAt, id: show(data.a),
        }];
      }
      case 'forceOrder': {
        const o = data.o;
        if (!isObj(o)) return [this.bad('forceOrder without an order', frame)];
        // Filled average price and filled quantity describe what was executed; the limit
        // price and original quantity only when nothing has filled yet.
        const avg = num(o.ap);
        const filled = num(o.z);
        const price = avg > 0 ? avg : num(o.p);
        const size = filled > 0 ? filled : num(o.q);
        const time = num(o.T ?? data.E);
        const symbol = this.canonical(o.s);
        if (!symbol || !(price > 0) || !(size > 0) || !Number.isFinite(time)) return [this.bad('forceOrder with bad symbol, price, quantity or time', frame)];
        const side = o.S === 'SELL' ? 'sell' : o.S === 'BUY' ? 'buy' : 'unknown';
        return [{ type: 'liquidation', exchange, market, symbol, price, size, side, time, receivedAt }];
      }
      case 'markPriceUpdate': {
        const time = num(data.E);
        const symbol = this.canonical(data.s);
        if (!symbol || !Number.isFinite(time)) return [this.bad('markPriceUpdate without symbol or event time', frame)];
        const f: Funding = { type: 'funding', exchange, market, symbol, time, receivedAt };
        const rate = num(data.r);
        const mark = num(data.p);
        const index = num(data.i);
        const next = num(data.T);
        if (Number.isFinite(rate)) f.rate = rate;
        if (mark > 0) f.markPrice = mark;
        if (index > 0) f.indexPrice = index;
        if (next > 0) f.nextFundingTime = next;
        return [f];
      }
      case 'depthUpdate': {
        // A diff: U..u are the update ids it covers (USD-M adds pu, the previous event's u).
        // Checked against the REST snapshot by books/book-sync.ts with adapters/binance/book.ts (binanceSpotRule/FuturesRule).
        const symbol = this.canonical(data.s);
        const first = num(data.U);
        const last = num(data.u);
        const time = num(data.T ?? data.E);
        const bids = depthLevels(data.b);
        const asks = depthLevels(data.a);
        if (!symbol || !Number.isInteger(first) || !Number.isInteger(last) || !Number.isFinite(time) || bids === null || asks === null) {
          return [this.bad('depthUpdate with bad symbol, update ids, time or levels', frame)];
        }
        const u: BookUpdate = { type: 'book', exchange, market, symbol, action: 'delta', bids, asks, firstSeq: first, lastSeq: last, time, receivedAt };
        const pu = num(data.pu);
        if (Number.isInteger(pu)) u.prevSeq = pu;
        return [u];
      }
      case 'serverShutdown':
        return [{ type: 'notice', message: 'Binance server shutting down (maintenance); reconnecting', reconnect: true }];
      case 'bookTicker':
      case undefined: {
        // Spot bookTicker carries no event type and no time; futures adds e, E and T.
        if (data.e === undefined && !('b' in data && 'a' in data && 'u' in data)) {
          return [this.bad('unrecognised message', frame)];
        }
        const bid = num(data.b);
        const bidSize = num(data.B);
        const ask = num(data.a);
        const askSize = num(data.A);
        const symbol = this.canonical(data.s);
        if (!symbol || ![bid, bidSize, ask, askSize].every((x) => Number.isFinite(x) && x >= 0)) {
          return [this.bad('bookTicker with bad symbol or numbers', frame)];
        }
        const t = num(data.T ?? data.E);
        return [{
          type: 'quote', exchange, market, symbol, bid, bidSize, ask, askSize,
          time: Number.isFinite(t) ? t : receivedAt, receivedAt,
        }];
      }
      default:
        return [this.bad(`unexpected event "${show(data.e)}"`, frame, 'protocol')];
    }
  }

  /** SUBSCRIBE/UNSUBSCRIBE answers: `{"result":null,"id":1}` or an error with the venue's text. */
  private reply(msg: JsonObject, frame: string): ParsedEvent {
    const err = isObj(msg.error) ? msg.error : 'code' in msg ? msg : null;
    if (!err) {
      return Array.isArray(msg.result)
        ? { type: 'control', what: 'info', message: `subscriptions: ${msg.result.map(show).join(', ')}` }
        : { type: 'control', what: 'ack', message: `request ${show(msg.id)} accepted` };
    }
    const text = typeof err.msg === 'string' ? err.msg : clip(frame, 200);
    const ev: ErrorEvent = {
      type: 'error', kind: 'venue',
      message: `Binance rejected request ${show(msg.id)}: ${text} (code ${show(err.code)})`,
      cause: text,
    };
    const symbol = this.symbolOfRequest(typeof msg.id === 'number' ? msg.id : NaN, text);
    if (symbol) ev.symbol = symbol;
    return ev;
  }

  /** The symbol a rejected request was about: named in the text, or the only one in its chunk. */
  private symbolOfRequest(id: number, text: string): string | undefined {
    const lower = text.toLowerCase();
    for (const [name, symbol] of this.streamSymbol) if (lower.includes(name.toLowerCase())) return symbol;
    const chunk = this.chunks[(id >= UNSUBSCRIBE_ID_BASE ? id - UNSUBSCRIBE_ID_BASE : id) - 1];
    const symbols = new Set((chunk ?? []).map((n) => this.streamSymbol.get(n)));
    return symbols.size === 1 ? [...symbols][0] : undefined;
  }

  private bad(message: string, frame: string, kind: 'parse' | 'protocol' = 'parse'): ErrorEvent {
    return { type: 'error', kind, message, cause: clip(frame, 200) };
  }
}

export const binanceStream: VenueStream & {
  /** Streams that must share a connection URL (USD-M routes by path); see the file comment. */
  connectionGroup(stream: Stream, market: MarketType): string;
} = {
  defaultUrl: (market) => (market === 'perp' ? PERP_URL : SPOT_URL),
  maxStreamsPerConnection: 1024,
  // The venue allows 5 incoming messages/s including pongs; 4 leaves room for them.
  subscribeMessagesPerSecond: 4,
  // The server pings every 20 s and ws answers; unsolicited client pings would only use up budget.
  keepalive: { kind: 'none' },
  // Binance cuts every connection at 24 h; rotate 10 minutes before.
  rotateAfterMs: (23 * 60 + 50) * 60_000,
  connectionGroup: (stream, market) => (market === 'perp' ? futuresRoute(stream) : 'all'),
  connectUrl(baseUrl, streams) {
    let url = baseUrl.replace(/\/+$/, '');
    // A bare host (`wss://stream.binance.com:9443`) gets the combined-stream path.
    if (/^wss?:\/\/[^/]+$/.test(url)) url += /\/\/fstream\./.test(url) ? '/market/stream' : '/stream';
    if (streams.length > 0 && streams.every((s) => futuresRoute(s) === 'public')) url = url.replace('/market/', '/public/');
    return url;
  },
  subscribeMessages: (streams) =>
    binanceParamChunks(streams).map((params, i) => JSON.stringify({ method: 'SUBSCRIBE', params, id: i + 1 })),
  unsubscribeMessages: (streams) =>
    binanceParamChunks(streams).map((params, i) =>
      JSON.stringify({ method: 'UNSUBSCRIBE', params, id: UNSUBSCRIBE_ID_BASE + i + 1 }),
    ),
  createParser: (ctx) => new BinanceParser(ctx),
};
