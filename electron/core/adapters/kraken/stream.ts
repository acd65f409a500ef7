/**
 * Kraken spot WebSocket v2 (wss://ws.kraken.com/v2).
 *
 * Wire facts (shared/fixtures/exchanges/kraken, captured frames + docs):
 * - One subscribe request per channel carrying many symbols; Kraken acks each symbol on its own
 *   (`success` true/false, failures carry an `error` text such as "Currency pair not supported").
 * - Trades: `snapshot:false` is always sent (the documented default changed over time). If a
 *   snapshot arrives anyway its trades are not emitted; their highest trade_id per symbol seeds a
 *   high-water mark and later update trades at or below it are dropped as duplicates.
 * - Quotes: the `ticker` channel with `event_trigger:"bbo"`, so it updates on every best
 *   bid/offer change (the default fires on trades only). Older ticker frames have no timestamp:
 *   then receive time stands in.
 * - `side` is the taker side. Prices/quantities are JSON numbers. Timestamps RFC3339 µs.
 * - Server `{"channel":"heartbeat"}` about once a second; client `{"method":"ping"}` keeps the
 *   connection from the ~1 min idle cut.
 * - A non-JSON text frame ("CloudFlare WebSocket proxy restarting") is a notice, not an error.
 * - v2 names BTC/USD; v1 (and the REST AssetPairs `wsname`) say XBT/USD, XDG/USD.
 * - Books: the `book` channel at depth 25, a snapshot on subscribe then updates, each with a CRC32
 *   of the top 10 levels (book.ts, book-frame.ts). A second subscribe of a live book is refused
 *   ("Already subscribed"): a resync unsubscribes first.
 *
 * This file is the WebSocket half: the description and the parser. The REST half is rest.ts;
 * venue.ts puts them together.
 */
import type { Quote, Side, Trade } from '../../../../shared/domain';
import { show } from '../../util/show';
import { isoToEpochMs } from '../../util/time';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { clip, isObj } from '../json-values';
import { KRAKEN_BOOK_DEPTH } from './book';
import { KrakenBooks } from './book-frame';

/** Symbols per subscribe request: keeps each request (and its burst of per-symbol acks) modest. */
const SYMBOLS_PER_REQUEST = 50;
/** req_id of a resync's first request, apart from the connection's subscribes (replies name their channel by it). */
const RESYNC_REQ_ID = 1001;

function positive(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : NaN;
}

/** A quantity: a finite non-negative JSON number, else 0 ("not given"); 1e400 parses as Infinity. */
function quantity(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

interface RawTrade {
  symbol?: unknown;
  side?: unknown;
  price?: unknown;
  qty?: unknown;
  trade_id?: unknown;
  timestamp?: unknown;
}

interface RawTicker {
  symbol?: unknown;
  bid?: unknown;
  bid_qty?: unknown;
  ask?: unknown;
  ask_qty?: unknown;
  timestamp?: unknown;
}

class KrakenParser implements FrameParser {
  /** Highest trade_id per native symbol (snapshot or emitted), for de-duplication. */
  private readonly highWater = new Map<string, number>();

  /** req_id -> channel of our own requests: Kraken's failure replies carry no `result`. */
  private readonly channelOfReq = new Map<number, string>();

  private readonly books: KrakenBooks;

  constructor(private readonly ctx: ParserContext) {
    this.books = new KrakenBooks(ctx);
    const books = ctx.streams.filter((s) => s.channel === 'book');
    for (const m of [...messages('subscribe', ctx.streams), ...resubscribe(books)]) {
      const { req_id, params } = JSON.parse(m) as { req_id: number; params: { channel: string } };
      this.channelOfReq.set(req_id, params.channel);
    }
  }

  parse(frame: string, receivedAt: number): ParsedEvent[] {
    const head = frame.trimStart()[0];
    if (head !== '{' && head !== '[') {
      // Kraken's Cloudflare front sends plain-text notices; show them, never fail on them.
      return [{ type: 'notice', message: `Kraken: ${clip(frame.trim(), 300)}` }];
    }
    let msg: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(frame);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      msg = v as Record<string, unknown>;
    } catch (e) {
      return [{ type: 'error', kind: 'parse', message: `malformed frame: ${(e as Error).message}`, cause: clip(frame, 300) }];
    }

    if (typeof msg.method === 'string') return [this.reply(msg)];
    // Entries that are not objects (null, numbers) are reported where a trade or quote was due.
    const data = Array.isArray(msg.data) ? (msg.data as Record<string, unknown>[]) : [];
    switch (msg.channel) {
      case 'heartbeat':
        return [{ type: 'control', what: 'heartbeat' }];
      case 'status': {
        const system = data[0]?.system;
        if (system !== undefined && system !== 'online') return [{ type: 'notice', message: `Kraken system status: ${show(system)}` }];
        return [{ type: 'control', what: 'info', message: `status ${show(system)}` }];
      }
      case 'trade':
        return this.trades(msg.type, data as RawTrade[], receivedAt, frame);
      case 'ticker':
        return this.tickers(data as RawTicker[], receivedAt, frame);
      case 'book':
        return this.books.parse(msg.type, data, frame, receivedAt);
      default:
        return [{ type: 'error', kind: 'protocol', message: `unexpected message (channel ${show(msg.channel)})`, cause: clip(frame, 300) }];
    }
  }

  /** Method replies: subscribe/unsubscribe acks (one per symbol), pong, and failures of either. */
  private reply(msg: Record<string, unknown>): ParsedEvent {
    const result = (typeof msg.result === 'object' && msg.result) as Record<string, unknown> | false;
    const symbol = typeof msg.symbol === 'string' ? msg.symbol : result && typeof result.symbol === 'string' ? result.symbol : undefined;
    const ch = result && typeof result.channel === 'string' ? result.channel : typeof msg.req_id === 'number' ? this.channelOfReq.get(msg.req_id) : undefined;
    const channel = ch ? ` ${ch}` : '';
    if (msg.success === false || typeof msg.error === 'string') {
      const text = typeof msg.error === 'string' ? msg.error : 'request failed';
      const ev: ErrorEvent = { type: 'error', kind: 'venue', message: `Kraken ${String(msg.method)}${channel} failed: ${text}`, cause: text };
      if (symbol) ev.symbol = this.ctx.toCanonical(symbol);
      return ev;
    }
    if (msg.method === 'pong') return { type: 'control', what: 'pong' };
    return { type: 'control', what: 'ack', message: `${String(msg.method)}${channel} ${symbol ?? ''}`.trim() };
  }

  private trades(kind: unknown, data: RawTrade[], receivedAt: number, frame: string): ParsedEvent[] {
    if (kind === 'snapshot') {
      for (const t of data) if (isObj(t) && typeof t.symbol === 'string' && typeof t.trade_id === 'number') this.advance(t.symbol, t.trade_id);
      return [{ type: 'control', what: 'info', message: `trade snapshot: ${data.length} past trades skipped` }];
    }
    const out: ParsedEvent[] = [];
    for (const t of data) {
      if (!isObj(t)) {
        out.push({ type: 'error', kind: 'parse', message: 'trade entry is not an object', cause: clip(frame, 300) });
        continue;
      }
      const price = positive(t.price);
      const size = positive(t.qty);
      const time = typeof t.timestamp === 'string' ? isoToEpochMs(t.timestamp) : NaN;
      if (typeof t.symbol !== 'string' || t.symbol === '' || Number.isNaN(price) || Number.isNaN(size) || Number.isNaN(time)) {
        out.push({ type: 'error', kind: 'parse', message: 'bad trade entry (symbol, price, qty, timestamp)', cause: clip(frame, 300) });
        continue;
      }
      if (typeof t.trade_id === 'number' && !this.advance(t.symbol, t.trade_id)) continue; // duplicate
      const side: Side = t.side === 'buy' || t.side === 'sell' ? t.side : 'unknown';
      const trade: Trade = {
        type: 'trade',
        exchange: this.ctx.exchange,
        market: this.ctx.market,
        symbol: this.ctx.toCanonical(t.symbol),
        price,
        size,
        side,
        time,
        receivedAt,
      };
      if (typeof t.trade_id === 'number' || typeof t.trade_id === 'string') trade.id = String(t.trade_id);
      out.push(trade);
    }
    return out;
  }

  private advance(symbol: string, id: number): boolean {
    const hw = this.highWater.get(symbol);
    if (hw !== undefined && id <= hw) return false;
    this.highWater.set(symbol, id);
    return true;
  }

  private tickers(data: RawTicker[], receivedAt: number, frame: string): ParsedEvent[] {
    const out: ParsedEvent[] = [];
    for (const t of data) {
      if (!isObj(t)) {
        out.push({ type: 'error', kind: 'parse', message: 'ticker entry is not an object', cause: clip(frame, 300) });
        continue;
      }
      const bid = positive(t.bid);
      const ask = positive(t.ask);
      const time = typeof t.timestamp === 'string' ? isoToEpochMs(t.timestamp) : receivedAt;
      if (typeof t.symbol !== 'string' || t.symbol === '' || Number.isNaN(bid) || Number.isNaN(ask) || Number.isNaN(time)) {
        out.push({ type: 'error', kind: 'parse', message: 'bad ticker entry (symbol, bid, ask, timestamp)', cause: clip(frame, 300) });
        continue;
      }
      const quote: Quote = {
        type: 'quote',
        exchange: this.ctx.exchange,
        market: this.ctx.market,
        symbol: this.ctx.toCanonical(t.symbol),
        bid,
        bidSize: quantity(t.bid_qty),
        ask,
        askSize: quantity(t.ask_qty),
        time,
        receivedAt,
      };
      out.push(quote);
    }
    return out;
  }
}

/** A request's params per channel; the book's depth is named on unsubscribe too (it names the subscription). */
function params(ch: 'trades' | 'quotes' | 'book', method: 'subscribe' | 'unsubscribe', symbol: string[]) {
  const subscribe = method === 'subscribe';
  switch (ch) {
    case 'trades':
      return { channel: 'trade', symbol, ...(subscribe ? { snapshot: false } : {}) };
    case 'quotes':
      return { channel: 'ticker', symbol, ...(subscribe ? { event_trigger: 'bbo' } : {}) };
    case 'book':
      return { channel: 'book', symbol, depth: KRAKEN_BOOK_DEPTH, ...(subscribe ? { snapshot: true } : {}) };
  }
}

function messages(method: 'subscribe' | 'unsubscribe', streams: readonly Stream[], firstReqId = 1): string[] {
  const out: string[] = [];
  let reqId = firstReqId;
  for (const ch of ['trades', 'quotes', 'book'] as const) {
    const symbols = [...new Set(streams.filter((s) => s.channel === ch).map((s) => s.native))];
    for (let i = 0; i < symbols.length; i += SYMBOLS_PER_REQUEST) {
      out.push(JSON.stringify({ method, params: params(ch, method, symbols.slice(i, i + SYMBOLS_PER_REQUEST)), req_id: reqId++ }));
    }
  }
  return out;
}

/**
 * A book resync: Kraken refuses a second subscribe of a live book ("Already subscribed"), so the
 * book is unsubscribed first; the subscribe then answers with a new snapshot.
 */
function resubscribe(streams: readonly Stream[]): string[] {
  const off = messages('unsubscribe', streams, RESYNC_REQ_ID);
  return [...off, ...messages('subscribe', streams, RESYNC_REQ_ID + off.length)];
}

export const krakenStream: VenueStream = {
  defaultUrl: () => 'wss://ws.kraken.com/v2',
  maxStreamsPerConnection: 200,
  subscribeMessagesPerSecond: 5,
  // Server heartbeats only flow once subscribed; an app-level ping keeps any connection alive.
  keepalive: { kind: 'text', intervalMs: 30_000, message: '{"method":"ping"}' },
  subscribeMessages: (streams) => messages('subscribe', streams),
  unsubscribeMessages: (streams) => messages('unsubscribe', streams),
  resubscribeMessages: resubscribe,
  createParser: (ctx) => new KrakenParser(ctx),
};
