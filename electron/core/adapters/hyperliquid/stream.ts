/**
 * Hyperliquid public WebSocket (`wss://api.hyperliquid.xyz/ws`), perpetuals and spot.
 *
 * Wire format (hyperliquid.gitbook.io, for-developers/api/websocket): every message is
 * `{"channel": C, "data": D}`. One subscribe per coin and type, no batching:
 * `{"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}`, answered by
 * `{"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{...}}}`.
 * Errors are `{"channel":"error","data":"<text>"}`. The server closes a connection after 60 s
 * without a client message, so we send `{"method":"ping"}` (answer `{"channel":"pong"}`). Right
 * after connecting it may send the text `Websocket connection established.` (expected: control).
 *
 * - Trades: `data` is `[{coin, side, px, sz, time, hash, tid, users}]`, prices and sizes decimal
 *   strings, `time` epoch ms. `side` is the aggressor's: `B` = buy (the taker bought), `A` = sell
 *   (the taker hit the bid). Sizes are in the coin's units (base; a `k` coin counts thousands).
 * - The first `trades` message of each coin on a connection is a snapshot of its recent trades
 *   (history, and after a reconnect it overlaps what we already emitted): it is skipped, like
 *   Coinbase's and Kraken's snapshots, and its `tid`s are remembered so none is emitted later.
 *   Each tid is also emitted at most once per connection (a small bounded set). A coin without
 *   recent trades gets an empty snapshot (`"data":[]`), which names no coin: it is the snapshot of
 *   the oldest acked trades subscription still waiting for one (the venue answers in order).
 * - Quotes: `bbo`, `{coin, time, bbo: [bid|null, ask|null]}` with levels `{px, sz, n}`; a side
 *   that is null (an empty book side) gives no quote.
 * - Funding (perps): `activeAssetCtx`, `{coin, ctx: {funding, markPx, oraclePx, openInterest...}}`
 *   with no timestamp (Funding.time = receive time). `funding` is the rate for ONE HOUR (Hyperliquid
 *   settles hourly, not every 8 h like most venues): nextFundingTime is the next full hour.
 *   `openInterest` is in the coin's units.
 * - Coin names: perps `BTC`, `kPEPE`; spot `PURR/USDC` or `@107` (symbols.ts, rest.ts).
 *
 * This file is the WebSocket half: the description and the parser. The REST half is rest.ts.
 */
import type { Funding, MarketType, Side } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { isObj, type JsonObject } from '../json-values';
import { guardedParse, readJsonFrame } from '../text-frame';

/** Recent trade ids remembered per connection (snapshot and emitted). */
const RECENT_TIDS = 5_000;
const HOUR_MS = 3_600_000;
const CONNECTED_TEXT = 'Websocket connection established.';

/** The subscription `type` of a stream's channel; undefined for a channel the market lacks. */
function subscriptionType(s: Stream, market: MarketType): string | undefined {
  if (s.channel === 'trades') return 'trades';
  if (s.channel === 'quotes') return 'bbo';
  if (s.channel === 'funding' && market === 'perp') return 'activeAssetCtx';
  return undefined;
}

function messages(method: 'subscribe' | 'unsubscribe', streams: readonly Stream[], market: MarketType): string[] {
  const out: string[] = [];
  for (const s of streams) {
    const type = subscriptionType(s, market);
    if (type) out.push(JSON.stringify({ method, subscription: { type, coin: s.native } }));
  }
  return out;
}

/** A decimal string (or number) to a finite number, or NaN. */
function num(v: unknown): number {
  const n = (typeof v === 'string' && v !== '') || typeof v === 'number' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

export function createHyperliquidParser(ctx: ParserContext): FrameParser {
  /** Coins whose snapshot (first trades message) has arrived on this connection. */
  const snapshotted = new Set<string>();
  /**
   * Coins whose trades subscription was acked and whose snapshot has not come yet, in order: an
   * EMPTY snapshot (`"data":[]`, a coin without recent trades) names no coin, and is the oldest's.
   */
  const awaiting: string[] = [];
  const snapshotCame = (coin: string) => {
    snapshotted.add(coin);
    const i = awaiting.indexOf(coin);
    if (i >= 0) awaiting.splice(i, 1);
  };
  const seen = new Set<string>();
  const remember = (key: string) => {
    seen.add(key);
    if (seen.size > RECENT_TIDS) seen.delete(seen.values().next().value as string);
  };
  const bad = (message: string, item: unknown, kind: ErrorEvent['kind'] = 'parse'): ErrorEvent => ({
    type: 'error', kind, message: `Hyperliquid: ${message}`, cause: show(item).slice(0, 200),
  });
  /** `@107` without spotMeta (REST down, no cache) has no canonical symbol: no record for it. */
  const unknownCoin = (what: string, item: JsonObject) => bad(`${what} of ${show(item.coin)}, a coin without a known symbol`, item, 'protocol');
  const tidKey = (t: JsonObject) => `${show(t.coin)}:${show(t.tid)}`;

  function onTrades(data: unknown, out: ParsedEvent[], receivedAt: number): void {
    if (!Array.isArray(data)) return void out.push(bad('trades data is not an array', data));
    const first = data.find(isObj);
    const coin = first && typeof first.coin === 'string' ? first.coin : data.length === 0 ? awaiting[0] : undefined;
    if (coin !== undefined && !snapshotted.has(coin)) {
      snapshotCame(coin);
      for (const t of data) if (isObj(t)) remember(tidKey(t));
      return void out.push({ type: 'control', what: 'info', message: `${coin} trades snapshot: ${data.length} past trades skipped` });
    }
    for (const t of data) {
      if (!isObj(t)) { out.push(bad('bad trade', t)); continue; }
      const price = num(t.px), size = num(t.sz), time = num(t.time);
      const side: Side | undefined = t.side === 'B' ? 'buy' : t.side === 'A' ? 'sell' : undefined;
      if (typeof t.coin !== 'string' || !side || !(price > 0) || !(size > 0) || !(time > 0)) { out.push(bad('bad trade', t)); continue; }
      const symbol = ctx.toCanonical(t.coin);
      if (symbol === '') { out.push(unknownCoin('trade', t)); continue; }
      const key = tidKey(t);
      if (seen.has(key)) continue;
      remember(key);
      const id = typeof t.tid === 'number' || typeof t.tid === 'string' ? String(t.tid) : undefined;
      out.push({ type: 'trade', exchange: ctx.exchange, market: ctx.market, symbol, price, size, side, time, receivedAt, ...(id ? { id } : {}) });
    }
  }

  function onBbo(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const levels = Array.isArray(d.bbo) ? d.bbo : undefined;
    if (typeof d.coin !== 'string' || !levels || levels.length !== 2) return void out.push(bad('bad bbo', d));
    const [b, a] = levels;
    if (b === null || a === null) return; // one side of the book is empty: no top of book to show
    const bid = num(isObj(b) ? b.px : NaN), bidSize = num(isObj(b) ? b.sz : NaN);
    const ask = num(isObj(a) ? a.px : NaN), askSize = num(isObj(a) ? a.sz : NaN);
    if (!(bid > 0) || !(ask > 0) || !(bidSize >= 0) || !(askSize >= 0)) return void out.push(bad('bad bbo', d));
    const time = num(d.time);
    const symbol = ctx.toCanonical(d.coin);
    if (symbol === '') return void out.push(unknownCoin('bbo', d));
    out.push({ type: 'quote', exchange: ctx.exchange, market: ctx.market, symbol, bid, bidSize, ask, askSize, time: time > 0 ? time : receivedAt, receivedAt });
  }

  function onAssetCtx(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const c = isObj(d.ctx) ? d.ctx : undefined;
    if (typeof d.coin !== 'string' || !c) return void out.push(bad('bad activeAssetCtx', d));
    const rate = num(c.funding), markPrice = num(c.markPx), indexPrice = num(c.oraclePx), openInterest = num(c.openInterest);
    if (!Number.isFinite(rate) && !(markPrice > 0)) return void out.push(bad('activeAssetCtx without funding or mark price', d));
    const symbol = ctx.toCanonical(d.coin);
    if (symbol === '') return void out.push(unknownCoin('activeAssetCtx', d));
    const f: Funding = { type: 'funding', exchange: ctx.exchange, market: ctx.market, symbol, time: receivedAt, receivedAt, nextFundingTime: (Math.floor(receivedAt / HOUR_MS) + 1) * HOUR_MS };
    if (Number.isFinite(rate)) f.rate = rate;
    if (markPrice > 0) f.markPrice = markPrice;
    if (indexPrice > 0) f.indexPrice = indexPrice;
    if (openInterest >= 0) f.openInterest = openInterest;
    out.push(f);
  }

  function onError(data: unknown): ErrorEvent {
    // e.g. `Invalid subscription {"type":"trades","coin":"FOO"}`: the coin names the market.
    const text = show(data);
    const e: ErrorEvent = { type: 'error', kind: 'venue', message: `Hyperliquid error: ${text}`, cause: text.slice(0, 200) };
    const coin = /"coin"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    if (coin) {
      const symbol = ctx.toCanonical(coin);
      if (symbol) e.symbol = symbol;
    }
    return e;
  }

  function parse(frame: string, receivedAt: number): ParsedEvent[] {
    if (frame.trim() === CONNECTED_TEXT) return [{ type: 'control', what: 'info', message: CONNECTED_TEXT }];
    const read = readJsonFrame(frame, 'Hyperliquid');
    if (!read.ok) return read.events;
    const msg = read.msg;
    if (!isObj(msg) || typeof msg.channel !== 'string') return [bad('message without a channel', msg, 'protocol')];
    const out: ParsedEvent[] = [];
    const d = msg.data;
    switch (msg.channel) {
      case 'pong': return [{ type: 'control', what: 'pong' }];
      case 'subscriptionResponse': {
        const sub = isObj(d) && isObj(d.subscription) ? d.subscription : {};
        if (isObj(d) && d.method === 'subscribe' && sub.type === 'trades' && typeof sub.coin === 'string' && !snapshotted.has(sub.coin)) {
          if (awaiting.length < RECENT_TIDS) awaiting.push(sub.coin);
        }
        return [{ type: 'control', what: 'ack', message: `${show(isObj(d) ? d.method : '')} ${show(sub.type ?? '')} ${show(sub.coin ?? '')}`.trim() }];
      }
      case 'error': return [onError(d)];
      case 'trades': onTrades(d, out, receivedAt); break;
      case 'bbo': if (isObj(d)) onBbo(d, out, receivedAt); else out.push(bad('bad bbo', d)); break;
      case 'activeAssetCtx': if (isObj(d)) onAssetCtx(d, out, receivedAt); else out.push(bad('bad activeAssetCtx', d)); break;
      default: return [bad(`unexpected channel ${msg.channel}`, msg, 'protocol')];
    }
    return out;
  }

  return { parse: guardedParse('Hyperliquid', parse) };
}

export const hyperliquidStream: VenueStream = {
  defaultUrl: () => 'wss://api.hyperliquid.xyz/ws',
  // Limits per IP: 100 connections, 1000 subscriptions, 2000 messages a minute sent over all
  // connections. 100 streams a connection takes ten connections to reach the subscription cap;
  // 10 subscribes a second re-subscribes a full connection in 10 s and leaves room for others.
  maxStreamsPerConnection: 100,
  subscribeMessagesPerSecond: 10,
  keepalive: { kind: 'text', intervalMs: 20_000, message: '{"method":"ping"}' },
  subscribeMessages: (streams, market) => messages('subscribe', streams, market),
  unsubscribeMessages: (streams, market) => messages('unsubscribe', streams, market),
  createParser: createHyperliquidParser,
};
