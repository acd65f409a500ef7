/**
 * Bybit v5 public streams: spot (`/v5/public/spot`) and USDT/USDC linear perpetuals
 * (`/v5/public/linear`), no keys.
 *
 * Trades: `publicTrade.<SYM>`, batched (up to ~50 per frame), `S` is the taker side; every frame
 * says `type:"snapshot"` but only carries new trades (nothing is replayed on subscribe), so all
 * count. Quotes: linear `tickers.<SYM>` (a snapshot, then deltas carrying only changed fields,
 * merged here per symbol; the same merged state gives funding/mark/index); spot tickers have no
 * bid/ask, so spot quotes come from `orderbook.1.<SYM>`. Liquidations: `allLiquidation.<SYM>`,
 * whose `S` is the side of the liquidated POSITION (Buy = a long was liquidated), inverted here to
 * the side of the liquidation order. Book: `orderbook.50.<SYM>`, a snapshot then deltas (book.ts).
 * Keepalive: text `{"op":"ping"}` every 20 s (10 min idle cut).
 *
 * This file is the WebSocket half: the description and the parser (publicTrade's fast
 * path is fastpath.ts). The REST half is rest.ts; venue.ts puts them together.
 */
import type { BookUpdate, Funding, MarketType, Quote } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { textLevels } from '../book-levels';
import { fastPathDisabled } from '../json-scan';
import { clip, isObj, type JsonObject } from '../json-values';
import { BYBIT_BOOK_DEPTH } from './book';
import { OrderbookFastPath } from './depth-fastpath';
import { PublicTradeFastPath } from './fastpath';

/** Spot rejects subscribe requests with more than 10 args. */
export const BYBIT_ARGS_PER_REQUEST = 10;

export function bybitTopic(s: Stream, market: MarketType): string {
  switch (s.channel) {
    case 'trades':
      return `publicTrade.${s.native}`;
    case 'quotes':
      return market === 'spot' ? `orderbook.1.${s.native}` : `tickers.${s.native}`;
    case 'funding':
      return `tickers.${s.native}`;
    case 'liquidations':
      return `allLiquidation.${s.native}`;
    case 'book':
      return `orderbook.${BYBIT_BOOK_DEPTH}.${s.native}`;
  }
}

/**
 * One subscribe request per symbol (its 1-3 topics; perp quotes and funding share `tickers`).
 * Bybit rejects a whole request when any topic in it is bad, so packing ten symbols per request
 * would let one unknown symbol silently take nine good ones down; per symbol, a rejection names
 * exactly one market (req_id `sub-<NATIVE>`) and the others stream on.
 */
export function bybitRequests(streams: readonly Stream[], market: MarketType): { native: string; args: string[] }[] {
  const byNative = new Map<string, Set<string>>();
  for (const s of streams) {
    let topics = byNative.get(s.native);
    if (!topics) byNative.set(s.native, (topics = new Set()));
    topics.add(bybitTopic(s, market));
  }
  const out: { native: string; args: string[] }[] = [];
  for (const [native, topics] of byNative) {
    const all = [...topics];
    for (let i = 0; i < all.length; i += BYBIT_ARGS_PER_REQUEST) out.push({ native, args: all.slice(i, i + BYBIT_ARGS_PER_REQUEST) });
  }
  return out;
}

/** Bybit sends "" for absent values (a side with no orders); that must not read as 0, nor "1e400" as Infinity. */
const num = (v: unknown): number => {
  const n = (typeof v === 'string' && v !== '') || typeof v === 'number' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
};

const QUOTE_FIELDS = ['bid1Price', 'bid1Size', 'ask1Price', 'ask1Size'];
const FUNDING_FIELDS = ['fundingRate', 'markPrice', 'indexPrice', 'nextFundingTime', 'openInterest'];

interface Top { bid?: number; bidSize?: number; ask?: number; askSize?: number }

/** Exported for the fast path's differential test (it compares `fast.scan` with `parseGeneral`). */
export class BybitParser implements FrameParser {
  private readonly symbolOf = new Map<string, string>();
  private readonly wantQuotes = new Set<string>();
  private readonly wantFunding = new Set<string>();
  /** Merged linear ticker per native symbol (snapshot + deltas). */
  private readonly tickers = new Map<string, JsonObject>();
  /** Top of book per native symbol from orderbook.1. */
  private readonly tops = new Map<string, Top>();
  /** publicTrade frames scanned without JSON.parse (fastpath.ts); null when disabled. */
  readonly fast: PublicTradeFastPath | null;
  /** orderbook.<n> (book) frames scanned without JSON.parse (depth-fastpath.ts); null when disabled. */
  readonly fastDepth: OrderbookFastPath | null;

  constructor(private readonly ctx: ParserContext) {
    for (const s of ctx.streams) {
      this.symbolOf.set(s.native, s.symbol);
      if (s.channel === 'quotes') this.wantQuotes.add(s.native);
      if (s.channel === 'funding') this.wantFunding.add(s.native);
    }
    const off = fastPathDisabled();
    const canonical = (n: string): string => this.canonical(n);
    const stable = (n: string): boolean => this.symbolOf.has(n);
    this.fast = off ? null : new PublicTradeFastPath(ctx.exchange, ctx.market, canonical, stable);
    this.fastDepth = off ? null : new OrderbookFastPath(ctx.exchange, ctx.market, canonical, stable);
  }

  private canonical(native: string): string {
    return this.symbolOf.get(native) ?? this.ctx.toCanonical(native);
  }

  parse(frame: string, receivedAt: number, bytes?: Uint8Array): ParsedEvent[] {
    if (this.fast !== null && this.fastDepth !== null) {
      // Encoded once here when the runtime did not pass the bytes (replays): both scanners read them.
      const b = bytes ?? Buffer.from(frame, 'utf8');
      const trades = this.fast.scan(frame, receivedAt, b);
      if (trades !== null) return trades;
      const book = this.fastDepth.scan(frame, receivedAt, b);
      if (book !== null) return [book];
    }
    return this.parseGeneral(frame, receivedAt);
  }

  /** Every frame through JSON.parse: the reference the fast path is tested against. */
  parseGeneral(frame: string, receivedAt: number): ParsedEvent[] {
    let msg: unknown;
    try {
      msg = JSON.parse(frame);
    } catch {
      return [bad('frame is not JSON', frame)];
    }
    if (!isObj(msg)) return [bad('frame is not a JSON object', frame)];
    if (typeof msg.topic === 'string') return this.data(msg, msg.topic, frame, receivedAt);
    if (typeof msg.op === 'string') return [this.reply(msg, msg.op, frame)];
    return [bad('unrecognised message', frame, 'protocol')];
  }

  private data(msg: JsonObject, topic: string, frame: string, receivedAt: number): ParsedEvent[] {
    const dot = topic.lastIndexOf('.');
    const native = topic.slice(dot + 1);
    const kind = topic.slice(0, topic.indexOf('.'));
    // Records are built with explicit fields (no spread of a shared object): a spread per trade
    // was ~9% of the pipeline's time. The field order is the NDJSON output's and must not change.
    const { exchange, market } = this.ctx;
    switch (kind) {
      case 'publicTrade':
      case 'allLiquidation': {
        const items = Array.isArray(msg.data) ? msg.data : isObj(msg.data) ? [msg.data] : null;
        if (!items) return [bad(`${kind} without data`, frame)];
        const out: ParsedEvent[] = [];
        for (const d of items) {
          const price = isObj(d) ? num(d.p) : NaN;
          const size = isObj(d) ? num(d.v) : NaN;
          const time = isObj(d) ? num(d.T) : NaN;
          if (!isObj(d) || !(price > 0) || !(size > 0) || !Number.isFinite(time)) {
            out.push(bad(`${kind} entry with bad price, size or time`, show(d)));
            continue;
          }
          const symbol = this.canonical(typeof d.s === 'string' ? d.s : native);
          if (symbol === '') {
            out.push(bad(`${kind} entry without a symbol`, show(d)));
            continue;
          }
          if (kind === 'publicTrade') {
            const side = d.S === 'Buy' ? 'buy' : d.S === 'Sell' ? 'sell' : 'unknown';
            out.push({ type: 'trade', exchange, market, symbol, price, size, side, time, receivedAt, id: show(d.i) });
          } else {
            // Position side -> order side: a long (Buy) is liquidated by a sell order.
            const side = d.S === 'Buy' ? 'sell' : d.S === 'Sell' ? 'buy' : 'unknown';
            out.push({ type: 'liquidation', exchange, market, symbol, price, size, side, time, receivedAt });
          }
        }
        return out;
      }
      case 'tickers':
        return this.ticker(msg, native, frame, receivedAt);
      case 'orderbook':
        // orderbook.1 gives spot quotes; a deeper topic is the `book` channel.
        return topic.startsWith('orderbook.1.') ? this.book(msg, native, frame, receivedAt) : this.depth(msg, native, frame, receivedAt);
      default:
        return [bad(`unexpected topic "${topic}"`, frame, 'protocol')];
    }
  }

  private ticker(msg: JsonObject, native: string, frame: string, receivedAt: number): ParsedEvent[] {
    const d = msg.data;
    const time = num(msg.ts);
    if (!isObj(d) || !Number.isFinite(time)) return [bad('tickers without data or ts', frame)];
    const merged = msg.type === 'delta' ? { ...(this.tickers.get(native) ?? {}), ...d } : { ...d };
    this.tickers.set(native, merged);
    const out: ParsedEvent[] = [];
    const symbol = this.canonical(native);
    const { exchange, market } = this.ctx;
    if (this.wantQuotes.has(native) && QUOTE_FIELDS.some((f) => f in d)) {
      const [bid, bidSize, ask, askSize] = QUOTE_FIELDS.map((f) => num(merged[f])) as [number, number, number, number];
      if ([bid, bidSize, ask, askSize].every(Number.isFinite)) {
        out.push({ type: 'quote', exchange, market, symbol, bid, bidSize, ask, askSize, time, receivedAt } satisfies Quote);
      }
    }
    if (this.wantFunding.has(native) && FUNDING_FIELDS.some((f) => f in d)) {
      const f: Funding = { type: 'funding', exchange, market, symbol, time, receivedAt };
      const rate = num(merged.fundingRate);
      const mark = num(merged.markPrice);
      const index = num(merged.indexPrice);
      const next = num(merged.nextFundingTime);
      if (Number.isFinite(rate)) f.rate = rate;
      if (mark > 0) f.markPrice = mark;
      if (index > 0) f.indexPrice = index;
      if (next > 0) f.nextFundingTime = next;
      // Linear contracts: open interest in the base coin (openInterestValue is its quote value).
      const oi = num(merged.openInterest);
      if (oi >= 0) f.openInterest = oi;
      out.push(f);
    }
    return out;
  }

  /** orderbook.1: a one-level book; a delta entry of size 0 removes that side until refilled. */
  private book(msg: JsonObject, native: string, frame: string, receivedAt: number): ParsedEvent[] {
    const d = msg.data;
    const time = num(msg.cts ?? msg.ts);
    if (!isObj(d) || !Array.isArray(d.b) || !Array.isArray(d.a) || !Number.isFinite(time)) {
      return [bad('orderbook without bids/asks or ts', frame)];
    }
    const top: Top = msg.type === 'delta' ? { ...(this.tops.get(native) ?? {}) } : {};
    const apply = (levels: unknown[], side: 'bid' | 'ask'): boolean => {
      for (const l of levels) {
        const p = Array.isArray(l) ? num(l[0]) : NaN;
        const s = Array.isArray(l) ? num(l[1]) : NaN;
        if (!(p > 0) || !(s >= 0)) return false;
        if (s > 0) {
          top[side] = p;
          top[`${side}Size`] = s;
        } else if (top[side] === p) {
          delete top[side];
          delete top[`${side}Size`];
        }
      }
      return true;
    };
    if (!apply(d.b, 'bid') || !apply(d.a, 'ask')) return [bad('orderbook level with bad numbers', frame)];
    this.tops.set(native, top);
    if (!this.wantQuotes.has(native) || top.bid === undefined || top.ask === undefined) return [];
    return [{
      type: 'quote', exchange: this.ctx.exchange, market: this.ctx.market, symbol: this.canonical(native),
      bid: top.bid, bidSize: top.bidSize ?? 0, ask: top.ask, askSize: top.askSize ?? 0, time, receivedAt,
    }];
  }

  /**
   * orderbook.50: a book record, snapshot or delta, numbered by `u` (book.ts has the rules). Sizes
   * are in base units on spot and linear alike (as publicTrade `v`). A message with `u` = 1 is the
   * full book Bybit sends after a service restart: a snapshot whatever its `type` says.
   */
  private depth(msg: JsonObject, native: string, frame: string, receivedAt: number): ParsedEvent[] {
    const d = msg.data;
    const time = num(msg.cts ?? msg.ts);
    const bids = isObj(d) ? textLevels(d.b) : null;
    const asks = isObj(d) ? textLevels(d.a) : null;
    const u = isObj(d) ? d.u : undefined;
    const type = msg.type;
    if (!bids || !asks || !Number.isFinite(time) || typeof u !== 'number' || !Number.isInteger(u) || (type !== 'snapshot' && type !== 'delta')) {
      return [bad('orderbook with bad levels, update id (u), type or ts', frame)];
    }
    const symbol = this.canonical(native);
    if (symbol === '') return [bad('orderbook for a topic without a symbol', frame)];
    const action = type === 'snapshot' || u === 1 ? 'snapshot' : 'delta';
    const { exchange, market } = this.ctx;
    return [{ type: 'book', exchange, market, symbol, action, bids: bids.levels, asks: asks.levels, lastSeq: u, time, receivedAt } satisfies BookUpdate];
  }

  /** subscribe acks (shapes differ between spot and linear), pongs and error replies. */
  private reply(msg: JsonObject, op: string, frame: string): ParsedEvent {
    const text = typeof msg.ret_msg === 'string' ? msg.ret_msg : '';
    if (op === 'pong' || (op === 'ping' && msg.success !== false)) return { type: 'control', what: 'pong' };
    if (msg.success === false) {
      const ev: ErrorEvent = {
        type: 'error', kind: 'venue',
        message: `Bybit rejected ${op}: ${text || clip(frame, 200)}`,
        cause: text || clip(frame, 200),
      };
      const symbol = this.symbolOfRequest(typeof msg.req_id === 'string' ? msg.req_id : '', text);
      if (symbol) ev.symbol = symbol;
      return ev;
    }
    if (op === 'subscribe' || op === 'unsubscribe') return { type: 'control', what: 'ack', message: `${op} ok` };
    return { type: 'control', what: 'info', message: `${op}: ${text}` };
  }

  /** The symbol a rejected request was about: its topic named in ret_msg, or the one its req_id names. */
  private symbolOfRequest(reqId: string, text: string): string | undefined {
    for (const s of this.ctx.streams) if (text.includes(bybitTopic(s, this.ctx.market))) return s.symbol;
    const m = /^(?:un)?sub-(.+)$/.exec(reqId);
    return m ? this.symbolOf.get(m[1]!) : undefined;
  }
}

function bad(message: string, frame: string, kind: 'parse' | 'protocol' = 'parse'): ErrorEvent {
  return { type: 'error', kind, message, cause: clip(frame, 200) };
}

function bybitOps(op: 'subscribe' | 'unsubscribe', streams: readonly Stream[], market: MarketType): string[] {
  const prefix = op === 'subscribe' ? 'sub' : 'unsub';
  return bybitRequests(streams, market).map((r) => JSON.stringify({ op, args: r.args, req_id: `${prefix}-${r.native}` }));
}

export const bybitStream: VenueStream = {
  defaultUrl: (market) => `wss://stream.bybit.com/v5/public/${market === 'perp' ? 'linear' : 'spot'}`,
  maxStreamsPerConnection: 200,
  subscribeMessagesPerSecond: 10,
  keepalive: { kind: 'text', intervalMs: 20_000, message: '{"op":"ping"}' },
  subscribeMessages: (streams, market) => bybitOps('subscribe', streams, market),
  unsubscribeMessages: (streams, market) => bybitOps('unsubscribe', streams, market),
  // A book resync: Bybit refuses a second subscribe to a live topic ("already subscribed").
  resubscribeMessages: (streams, market) => [...bybitOps('unsubscribe', streams, market), ...bybitOps('subscribe', streams, market)],
  createParser: (ctx) => new BybitParser(ctx),
};
