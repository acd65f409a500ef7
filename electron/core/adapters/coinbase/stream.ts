/**
 * Coinbase Advanced Trade public market data (wss://advanced-trade-ws.coinbase.com), spot only.
 *
 * Wire facts (checked against the 2026 recording in shared/fixtures/exchanges/coinbase_advanced):
 * - One subscribe message per channel: market_trades (trades), ticker (quotes) and heartbeats,
 *   which keeps idle subscriptions open (the venue closes quiet channels after 60-90 s). The venue
 *   disconnects a client that has not subscribed within 5 s of connecting; the runtime subscribes
 *   right after open.
 * - market_trades `side` is the MAKER side (49/51 SELL prints at the ask): inverted to the taker.
 * - The first market_trades message is a `snapshot` of up to 100 past trades per product, which
 *   overlaps later updates. Snapshot trades are NOT emitted (they are history, and a reconnect
 *   would replay them again into the bars); their highest trade_id per product seeds a
 *   high-water mark, and any later update trade at or below it is dropped as a duplicate.
 * - Update batches list trades newest first; they are emitted oldest first.
 * - Envelope timestamps have ns precision, trade times µs, both with trailing zeros trimmed.
 * - `sequence_num` counts every message on the connection; a jump means messages were lost, and
 *   every `level2` book on the connection is resynced (level2.ts explains why and how).
 * - Books: the `level2` channel (messages say `l2_data`), a snapshot on subscribe then updates;
 *   snapshots are whole books of several MB, hence maxFrameBytes.
 *
 * This file is the WebSocket half: the description and the parser. The REST half is rest.ts;
 * venue.ts puts them together.
 */
import type { Quote, Side, Trade } from '../../../../shared/domain';
import { show } from '../../util/show';
import { isoToEpochMs } from '../../util/time';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { clip, isObj } from '../json-values';
import { Level2Chains } from './level2';

const CHANNEL_OF = { trades: 'market_trades', quotes: 'ticker', book: 'level2' } as const;

/** Numeric trade ids as decimal strings, compared without Number (they may pass 2^53 one day). */
function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
const DIGITS = /^\d+$/;

function positive(s: unknown): number {
  const n = typeof s === 'string' ? Number(s) : NaN;
  return Number.isFinite(n) && n > 0 ? n : NaN;
}

/** A quote size: a finite non-negative decimal string, else 0 ("not given"). */
function quantity(s: unknown): number {
  const n = typeof s === 'string' ? Number(s) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

interface RawTrade {
  product_id?: unknown;
  trade_id?: unknown;
  price?: unknown;
  size?: unknown;
  time?: unknown;
  side?: unknown;
}

interface RawTicker {
  product_id?: unknown;
  best_bid?: unknown;
  best_ask?: unknown;
  best_bid_quantity?: unknown;
  best_ask_quantity?: unknown;
}

class CoinbaseParser implements FrameParser {
  /** Highest trade_id seen per product (snapshot or emitted), for de-duplication. */
  private readonly highWater = new Map<string, string>();
  private lastSeq = -1;
  private readonly level2: Level2Chains;

  constructor(private readonly ctx: ParserContext) {
    this.level2 = new Level2Chains(ctx);
  }

  parse(frame: string, receivedAt: number): ParsedEvent[] {
    let msg: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(frame);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      msg = v as Record<string, unknown>;
    } catch (e) {
      return [{ type: 'error', kind: 'parse', message: `malformed frame: ${(e as Error).message}`, cause: clip(frame, 300) }];
    }
    if (msg.type === 'error') return [this.venueError(msg)];

    const out: ParsedEvent[] = [];
    this.checkSequence(msg.sequence_num, out, receivedAt);
    // Entries that are not objects (null, numbers) carry nothing we read.
    const events = Array.isArray(msg.events) ? msg.events.filter(isObj) : [];
    switch (msg.channel) {
      case 'heartbeats':
        out.push({ type: 'control', what: 'heartbeat' });
        break;
      case 'subscriptions':
        out.push({ type: 'control', what: 'ack', message: describeSubscriptions(events) });
        break;
      case 'market_trades':
        for (const ev of events) this.trades(ev, out, receivedAt, frame);
        break;
      case 'ticker':
        for (const ev of events) this.tickers(ev, msg.timestamp, out, receivedAt, frame);
        break;
      case 'l2_data': {
        const seq = typeof msg.sequence_num === 'number' && Number.isSafeInteger(msg.sequence_num) ? msg.sequence_num : undefined;
        this.level2.message(seq, msg.timestamp, events, out, receivedAt, frame);
        break;
      }
      default:
        out.push({ type: 'error', kind: 'protocol', message: `unexpected message (channel ${show(msg.channel)})`, cause: clip(frame, 300) });
    }
    return out;
  }

  private venueError(msg: Record<string, unknown>): ErrorEvent {
    const text = [msg.message, msg.reason].filter((x) => typeof x === 'string' && x).join(': ') || 'error';
    // Name the market when the venue's text mentions one of ours (e.g. "FOO-USD is not a valid product").
    const hit = this.ctx.streams.find((s) => text.includes(s.native));
    const ev: ErrorEvent = { type: 'error', kind: 'venue', message: `Coinbase error: ${text}`, cause: text };
    if (hit) ev.symbol = hit.symbol;
    return ev;
  }

  private checkSequence(seq: unknown, out: ParsedEvent[], receivedAt: number): void {
    // A sequence number of 1e400 (Infinity) would silence gap detection for the connection.
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return;
    if (this.lastSeq >= 0 && seq > this.lastSeq + 1) {
      const missing = seq - this.lastSeq - 1;
      out.push({ type: 'error', kind: 'protocol', message: `sequence gap: ${missing} message(s) lost (${this.lastSeq} -> ${seq})` });
      this.level2.lost(seq - 1, out, receivedAt);
    }
    if (seq > this.lastSeq) this.lastSeq = seq;
  }

  private trades(ev: Record<string, unknown>, out: ParsedEvent[], receivedAt: number, frame: string): void {
    const raw = Array.isArray(ev.trades) ? (ev.trades as RawTrade[]) : [];
    if (ev.type === 'snapshot') {
      for (const t of raw) if (isObj(t) && typeof t.product_id === 'string' && typeof t.trade_id === 'string') this.advance(t.product_id, t.trade_id);
      out.push({ type: 'control', what: 'info', message: `market_trades snapshot: ${raw.length} past trades skipped` });
      return;
    }
    // Newest first on the wire; emit in id (time) order.
    const sorted = raw.every((t) => isObj(t) && typeof t.trade_id === 'string' && DIGITS.test(t.trade_id))
      ? [...raw].sort((a, b) => compareIds(a.trade_id as string, b.trade_id as string))
      : [...raw].reverse();
    for (const t of sorted) {
      const trade = this.trade(t, receivedAt);
      if (typeof trade === 'string') {
        out.push({ type: 'error', kind: 'parse', message: `bad market_trades entry: ${trade}`, cause: clip(frame, 300) });
        continue;
      }
      if (trade.id !== undefined && !this.advance(t.product_id as string, trade.id)) continue; // duplicate
      out.push(trade);
    }
  }

  /** Raises the product's high-water mark; false when id is not above it (already seen). */
  private advance(product: string, id: string): boolean {
    if (!DIGITS.test(id)) return true;
    const hw = this.highWater.get(product);
    if (hw !== undefined && compareIds(id, hw) <= 0) return false;
    this.highWater.set(product, id);
    return true;
  }

  private trade(t: RawTrade, receivedAt: number): Trade | string {
    if (!isObj(t)) return `not an object: ${show(t)}`;
    if (typeof t.product_id !== 'string' || t.product_id === '') return 'missing product_id';
    const price = positive(t.price);
    const size = positive(t.size);
    const time = typeof t.time === 'string' ? isoToEpochMs(t.time) : NaN;
    if (Number.isNaN(price) || Number.isNaN(size)) return `price "${show(t.price)}" / size "${show(t.size)}"`;
    if (Number.isNaN(time)) return `time "${show(t.time)}"`;
    // The venue reports the maker side; the taker traded the other way.
    const side: Side = t.side === 'SELL' ? 'buy' : t.side === 'BUY' ? 'sell' : 'unknown';
    const trade: Trade = {
      type: 'trade',
      exchange: this.ctx.exchange,
      market: this.ctx.market,
      symbol: this.ctx.toCanonical(t.product_id),
      price,
      size,
      side,
      time,
      receivedAt,
    };
    if (typeof t.trade_id === 'string') trade.id = t.trade_id;
    return trade;
  }

  private tickers(ev: Record<string, unknown>, stamp: unknown, out: ParsedEvent[], receivedAt: number, frame: string): void {
    const time = typeof stamp === 'string' ? isoToEpochMs(stamp) : NaN;
    for (const t of Array.isArray(ev.tickers) ? (ev.tickers as RawTicker[]) : []) {
      const bid = isObj(t) ? positive(t.best_bid) : NaN;
      const ask = isObj(t) ? positive(t.best_ask) : NaN;
      if (!isObj(t) || typeof t.product_id !== 'string' || t.product_id === '' || Number.isNaN(bid) || Number.isNaN(ask) || Number.isNaN(time)) {
        out.push({ type: 'error', kind: 'parse', message: 'bad ticker entry (product_id, best_bid, best_ask, timestamp)', cause: clip(frame, 300) });
        continue;
      }
      const quote: Quote = {
        type: 'quote',
        exchange: this.ctx.exchange,
        market: this.ctx.market,
        symbol: this.ctx.toCanonical(t.product_id),
        bid,
        // Sizes came later to this channel; 0 means "not given", not an empty level.
        bidSize: quantity(t.best_bid_quantity),
        ask,
        askSize: quantity(t.best_ask_quantity),
        time,
        receivedAt,
      };
      out.push(quote);
    }
  }
}

/** `market_trades: BTC-USD,ETH-USD; ticker: BTC-USD` from the cumulative subscriptions map. */
function describeSubscriptions(events: Record<string, unknown>[]): string {
  const subs = events[0]?.subscriptions;
  if (typeof subs !== 'object' || subs === null) return 'subscriptions';
  return Object.entries(subs as Record<string, unknown>)
    .map(([ch, ids]) => `${ch}: ${Array.isArray(ids) ? ids.map(show).join(',') : ''}`)
    .join('; ');
}

function messages(type: 'subscribe' | 'unsubscribe', streams: readonly Stream[]): string[] {
  const out: string[] = [];
  const all = new Set<string>();
  for (const ch of ['trades', 'quotes', 'book'] as const) {
    const ids = [...new Set(streams.filter((s) => s.channel === ch).map((s) => s.native))];
    ids.forEach((id) => all.add(id));
    if (ids.length) out.push(JSON.stringify({ type, product_ids: ids, channel: CHANNEL_OF[ch] }));
  }
  // Heartbeats keep the other channels open while markets are quiet.
  if (all.size) out.push(JSON.stringify({ type, product_ids: [...all], channel: 'heartbeats' }));
  return out;
}

/**
 * A book resync: the level2 channel alone, unsubscribed first, so the new subscribe answers with a
 * fresh snapshot and no second subscription of the product runs beside the old one.
 */
function resubscribe(streams: readonly Stream[]): string[] {
  const books = streams.filter((s) => s.channel === 'book');
  if (books.length === 0) return messages('subscribe', streams);
  const product_ids = [...new Set(books.map((s) => s.native))];
  return (['unsubscribe', 'subscribe'] as const).map((type) => JSON.stringify({ type, product_ids, channel: 'level2' }));
}

export const coinbaseStream: VenueStream = {
  defaultUrl: () => 'wss://advanced-trade-ws.coinbase.com',
  // No documented per-connection cap; product lists ride in one message per channel.
  maxStreamsPerConnection: 200,
  // 8 unauthenticated messages/s per IP: stay well under it even with two connections.
  subscribeMessagesPerSecond: 4,
  // Data frames flow every second (heartbeats); protocol pings detect a dead link behind them.
  keepalive: { kind: 'ws-ping', intervalMs: 30_000 },
  // A level2 snapshot is the whole book in one frame: ≈5 MB for BTC-USD and for ETH-USD in the
  // 2026-08 recording (QUIRKS.md). 16 MB leaves room for deeper books without accepting anything.
  maxFrameBytes: 16 * 1024 * 1024,
  subscribeMessages: (streams) => messages('subscribe', streams),
  unsubscribeMessages: (streams) => messages('unsubscribe', streams),
  resubscribeMessages: resubscribe,
  createParser: (ctx) => new CoinbaseParser(ctx),
};
