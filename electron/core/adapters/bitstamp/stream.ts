/**
 * Bitstamp WebSocket v2 (wss://ws.bitstamp.net), spot.
 *
 * Wire facts (shared/fixtures/exchanges/bitstamp, 2022 recording + docs):
 * - One `bts:subscribe` per channel; the pair is in the channel name (`live_trades_btcusd`).
 *   Ack: `bts:subscription_succeeded`. Errors: `bts:error` with `data.message`.
 * - Trades (`event:"trade"`): `type` 0 = buy, 1 = sell (taker); `*_str` fields are exact (the
 *   float twins are lossy); `microtimestamp` is epoch µs as a string. One trade per message, no
 *   snapshot on subscribe.
 * - Quotes: Bitstamp has no top-of-book channel, so `order_book_<pair>` (a full top-100 book
 *   sent whole on every change) gives the best bid/ask. A quote is emitted only when the top
 *   level changed, and only when it is clean (both sides present, bid < ask); a crossed book is
 *   counted as a protocol error.
 * - Books: `diff_order_book_<pair>` sends changed price levels (`[["price","amount"],...]`, amount
 *   "0" removes) with the `microtimestamp` of the change; there is no snapshot on the stream, so
 *   the core loads `/api/v2/order_book/<pair>/` and aligns the two by microtimestamp (book.ts,
 *   which also says why a missed diff cannot be detected from the diffs themselves).
 * - `bts:request_reconnect` asks the client to reconnect (maintenance): a notice with
 *   reconnect:true. Client `{"event":"bts:heartbeat"}` is answered with a bts:heartbeat.
 *
 * This file is the WebSocket half: the description and the parser. The REST half is rest.ts;
 * venue.ts puts them together.
 */
import type { BookUpdate, Quote, Side, Trade } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { textLevels } from '../book-levels';
import { clip } from '../json-values';

const PREFIX = { trades: 'live_trades_', quotes: 'order_book_', book: 'diff_order_book_' } as const;

function positive(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) && n > 0 ? n : NaN;
}

/** `live_trades_btcusd` -> `btcusd` (null for other channels). */
function pairOf(channel: unknown, prefix: string): string | null {
  return typeof channel === 'string' && channel.startsWith(prefix) && channel.length > prefix.length
    ? channel.slice(prefix.length)
    : null;
}

/** Epoch µs as a decimal string -> a number (exact below 2^53 µs), else NaN. */
export function micros(us: unknown): number {
  return typeof us === 'string' && /^\d{1,16}$/.test(us) ? Number(us) : NaN;
}

/** Epoch µs as a decimal string -> epoch ms with the µs as fraction. */
export function microsToMs(us: unknown): number {
  return micros(us) / 1000;
}

interface RawTrade {
  id?: unknown;
  amount_str?: unknown;
  price_str?: unknown;
  amount?: unknown;
  price?: unknown;
  type?: unknown;
  microtimestamp?: unknown;
  timestamp?: unknown;
}

class BitstampParser implements FrameParser {
  /** Last emitted top of book per pair, so unchanged tops (deeper-level churn) are not re-sent. */
  private readonly lastTop = new Map<string, string>();

  constructor(private readonly ctx: ParserContext) {}

  parse(frame: string, receivedAt: number): ParsedEvent[] {
    let msg: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(frame);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      msg = v as Record<string, unknown>;
    } catch (e) {
      return [{ type: 'error', kind: 'parse', message: `malformed frame: ${(e as Error).message}`, cause: clip(frame, 300) }];
    }
    const data = (typeof msg.data === 'object' && msg.data !== null ? msg.data : {}) as Record<string, unknown>;
    switch (msg.event) {
      case 'trade':
        return this.trade(msg.channel, data as RawTrade, receivedAt, frame);
      case 'data':
        return pairOf(msg.channel, PREFIX.book) !== null
          ? this.diff(msg.channel as string, data, receivedAt, frame)
          : this.book(msg.channel, data, receivedAt, frame);
      case 'bts:subscription_succeeded':
      case 'bts:unsubscription_succeeded':
        return [{ type: 'control', what: 'ack', message: `${msg.event.slice(4)} ${show(msg.channel)}` }];
      case 'bts:heartbeat':
        return [{ type: 'control', what: 'heartbeat' }];
      case 'bts:request_reconnect':
        return [{ type: 'notice', message: 'Bitstamp asked for a reconnect (bts:request_reconnect)', reconnect: true }];
      case 'bts:error':
        return [this.venueError(msg.channel, data)];
      default:
        return [{ type: 'error', kind: 'protocol', message: `unexpected message (event ${show(msg.event)})`, cause: clip(frame, 300) }];
    }
  }

  private venueError(channel: unknown, data: Record<string, unknown>): ErrorEvent {
    const text = typeof data.message === 'string' && data.message ? data.message : 'error';
    const code = typeof data.code === 'number' ? ` ${data.code}` : '';
    const ev: ErrorEvent = { type: 'error', kind: 'venue', message: `Bitstamp error${code}: ${text}`, cause: text };
    const pair = pairOf(channel, PREFIX.trades) ?? pairOf(channel, PREFIX.quotes) ?? pairOf(channel, PREFIX.book);
    if (pair) ev.symbol = this.ctx.toCanonical(pair);
    return ev;
  }

  private trade(channel: unknown, t: RawTrade, receivedAt: number, frame: string): ParsedEvent[] {
    const pair = pairOf(channel, PREFIX.trades);
    const price = positive(t.price_str ?? t.price);
    const size = positive(t.amount_str ?? t.amount);
    let time = microsToMs(t.microtimestamp);
    // Epoch seconds; more than 12 digits is no time (and 309 of them read as Infinity).
    if (Number.isNaN(time) && typeof t.timestamp === 'string' && /^\d{1,12}$/.test(t.timestamp)) time = Number(t.timestamp) * 1000;
    if (!pair || Number.isNaN(price) || Number.isNaN(size) || Number.isNaN(time)) {
      return [{ type: 'error', kind: 'parse', message: 'bad trade (channel, price_str, amount_str, microtimestamp)', cause: clip(frame, 300) }];
    }
    const side: Side = t.type === 0 ? 'buy' : t.type === 1 ? 'sell' : 'unknown';
    const trade: Trade = {
      type: 'trade',
      exchange: this.ctx.exchange,
      market: this.ctx.market,
      symbol: this.ctx.toCanonical(pair),
      price,
      size,
      side,
      time,
      receivedAt,
    };
    if (typeof t.id === 'number' || typeof t.id === 'string') trade.id = String(t.id);
    return [trade];
  }

  /**
   * A `diff_order_book` message as a book delta whose sequence is its microtimestamp (µs, exact as
   * a number); checked against the REST snapshot by books/book-sync.ts with book.ts bitstampRule.
   */
  private diff(channel: string, d: Record<string, unknown>, receivedAt: number, frame: string): ParsedEvent[] {
    const pair = channel.slice(PREFIX.book.length);
    const us = micros(d.microtimestamp);
    const bids = textLevels(d.bids);
    const asks = textLevels(d.asks);
    if (Number.isNaN(us) || !bids || !asks) {
      return [{ type: 'error', kind: 'parse', message: 'bad diff_order_book (microtimestamp, bids, asks)', cause: clip(frame, 300) }];
    }
    const u: BookUpdate = {
      type: 'book',
      exchange: this.ctx.exchange,
      market: this.ctx.market,
      symbol: this.ctx.toCanonical(pair),
      action: 'delta',
      bids: bids.levels,
      asks: asks.levels,
      lastSeq: us,
      time: us / 1000,
      receivedAt,
    };
    return [u];
  }

  private book(channel: unknown, d: Record<string, unknown>, receivedAt: number, frame: string): ParsedEvent[] {
    const pair = pairOf(channel, PREFIX.quotes);
    if (!pair) return [{ type: 'error', kind: 'protocol', message: `unexpected data channel ${show(channel)}`, cause: clip(frame, 300) }];
    const bestBid = Array.isArray(d.bids) ? (d.bids[0] as unknown) : undefined;
    const bestAsk = Array.isArray(d.asks) ? (d.asks[0] as unknown) : undefined;
    // An empty side (thin pair) has no top of book: nothing to show, nothing wrong.
    if (bestBid === undefined || bestAsk === undefined) return [];
    const level = (l: unknown): [number, number] =>
      Array.isArray(l) ? [positive(l[0]), positive(l[1])] : [NaN, NaN];
    const [bid, bidSize] = level(bestBid);
    const [ask, askSize] = level(bestAsk);
    let time = microsToMs(d.microtimestamp);
    if (Number.isNaN(time)) time = receivedAt;
    if ([bid, bidSize, ask, askSize].some(Number.isNaN)) {
      return [{ type: 'error', kind: 'parse', message: 'bad order_book top level', cause: clip(frame, 300) }];
    }
    if (bid >= ask) return [{ type: 'error', kind: 'protocol', message: `crossed order book ${pair}: bid ${bid} >= ask ${ask}` }];
    const key = `${bid}|${bidSize}|${ask}|${askSize}`;
    if (this.lastTop.get(pair) === key) return [];
    this.lastTop.set(pair, key);
    const quote: Quote = {
      type: 'quote',
      exchange: this.ctx.exchange,
      market: this.ctx.market,
      symbol: this.ctx.toCanonical(pair),
      bid,
      bidSize,
      ask,
      askSize,
      time,
      receivedAt,
    };
    return [quote];
  }
}

function messages(event: 'bts:subscribe' | 'bts:unsubscribe', streams: readonly Stream[]): string[] {
  const channels = new Set<string>();
  for (const s of streams) {
    if (s.channel === 'trades' || s.channel === 'quotes' || s.channel === 'book') channels.add(`${PREFIX[s.channel]}${s.native}`);
  }
  return [...channels].map((channel) => JSON.stringify({ event, data: { channel } }));
}

export const bitstampStream: VenueStream = {
  defaultUrl: () => 'wss://ws.bitstamp.net',
  // Undocumented limits: one message per channel, so pace gently and keep connections moderate.
  maxStreamsPerConnection: 100,
  subscribeMessagesPerSecond: 8,
  keepalive: { kind: 'text', intervalMs: 30_000, message: '{"event":"bts:heartbeat"}' },
  subscribeMessages: (streams) => messages('bts:subscribe', streams),
  unsubscribeMessages: (streams) => messages('bts:unsubscribe', streams),
  createParser: (ctx) => new BitstampParser(ctx),
};
