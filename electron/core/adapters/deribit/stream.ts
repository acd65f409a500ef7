/**
 * Deribit API v2 over WebSocket (`wss://www.deribit.com/ws/api/v2`), JSON-RPC 2.0: perpetuals and
 * dated futures (market type `perp`); options are out of scope.
 *
 * Wire format (docs.deribit.com): requests `{"jsonrpc":"2.0","id","method","params"}`, answers
 * `{"jsonrpc":"2.0","id","result"}` or `{"id","error":{code,message}}`; subscription data arrives
 * as notifications `{"jsonrpc":"2.0","method":"subscription","params":{"channel","data"}}`.
 *
 * - Open: `public/set_heartbeat` {interval: 30}, then `public/subscribe` {channels} (50 a
 *   request). Deribit answers a subscribe with the channels it DID subscribe: one it left out (an
 *   unknown instrument) is a venue error naming it. The ids are fixed per message (the parser
 *   rebuilds the same messages from its streams to know what each id asked for).
 * - Heartbeats: the venue sends `{"method":"heartbeat","params":{"type":"heartbeat"}}` every
 *   interval and `{"type":"test_request"}`, which must be answered with `public/test` or the
 *   connection is closed: the parser returns a control event whose `reply` the runtime sends.
 *   We also send `public/test` every 15 s (keepalive) so a dead link is noticed.
 * - Trades: `trades.<INSTRUMENT>.100ms` (the `raw` interval needs auth), `data` an array of
 *   `{trade_id, trade_seq, timestamp, price, amount, direction, liquidation?, instrument_name...}`.
 *   `direction` is the taker's (aggressor's) side. No snapshot is sent on subscribe.
 * - Sizes: `amount` is USD for inverse instruments (`BTC-PERPETUAL`, `BTC-27DEC24`): base units =
 *   amount / price, as for other inverse sizes; linear instruments (`BTC_USDC-PERPETUAL`) count the
 *   base coin already. Ticker amounts and open interest convert the same way (with their price).
 * - Liquidations: a trade with `liquidation` `T` (the taker was liquidated), `M` (the maker) or
 *   `MT` (both) is also a Liquidation record on the liquidation channel, sided as the liquidated
 *   party's order: T -> the taker's direction, M -> the opposite; MT gives one of each.
 * - `ticker.<INSTRUMENT>.100ms`: quotes (`best_bid_price`/`best_bid_amount`...) and funding:
 *   `funding_8h` (the rate over 8 h, as most venues quote it; `current_funding` is the instant
 *   rate), `mark_price`, `index_price`, `open_interest`. Deribit funds continuously: no
 *   nextFundingTime.
 *
 * This file is the WebSocket half: the description and the parser. The REST half is rest.ts.
 */
import type { Funding, Liquidation, Side } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { isObj, type JsonObject } from '../json-values';
import { guardedParse, readJsonFrame } from '../text-frame';
import { deribitIsLinear } from './symbols';

const CHANNELS_PER_REQUEST = 50;
export const DERIBIT_HEARTBEAT_SECONDS = 30;
const SET_HEARTBEAT_ID = 1;
const SUBSCRIBE_ID_BASE = 100;
const UNSUBSCRIBE_ID_BASE = 10_000;
const TEST_ID = 2;
export const DERIBIT_TEST_REQUEST = JSON.stringify({ jsonrpc: '2.0', id: TEST_ID, method: 'public/test', params: {} });

/** The venue channels the streams need: trades (also for liquidations) and ticker (quotes, funding). */
function channelsOf(streams: readonly Stream[]): string[] {
  const out = new Set<string>();
  for (const s of streams) {
    if (s.channel === 'trades' || s.channel === 'liquidations') out.add(`trades.${s.native}.100ms`);
    else if (s.channel === 'quotes' || s.channel === 'funding') out.add(`ticker.${s.native}.100ms`);
  }
  return [...out];
}

function requests(method: 'public/subscribe' | 'public/unsubscribe', idBase: number, channels: string[]): { id: number; channels: string[]; text: string }[] {
  const out = [];
  for (let i = 0; i < channels.length; i += CHANNELS_PER_REQUEST) {
    const id = idBase + i / CHANNELS_PER_REQUEST;
    const batch = channels.slice(i, i + CHANNELS_PER_REQUEST);
    out.push({ id, channels: batch, text: JSON.stringify({ jsonrpc: '2.0', id, method, params: { channels: batch } }) });
  }
  return out;
}

function subscribeMessages(streams: readonly Stream[]): string[] {
  const heartbeat = JSON.stringify({ jsonrpc: '2.0', id: SET_HEARTBEAT_ID, method: 'public/set_heartbeat', params: { interval: DERIBIT_HEARTBEAT_SECONDS } });
  return [heartbeat, ...requests('public/subscribe', SUBSCRIBE_ID_BASE, channelsOf(streams)).map((r) => r.text)];
}

/** A JSON number (Deribit sends numbers, not strings), finite, or NaN. */
function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

export function createDeribitParser(ctx: ParserContext): FrameParser {
  const wanted = (channel: Stream['channel']) => new Set(ctx.streams.filter((s) => s.channel === channel).map((s) => s.native));
  const tradesFor = wanted('trades'), liquidationsFor = wanted('liquidations'), quotesFor = wanted('quotes'), fundingFor = wanted('funding');
  /** What each subscribe id asked for, to name the channels Deribit did not subscribe. */
  const asked = new Map(requests('public/subscribe', SUBSCRIBE_ID_BASE, channelsOf(ctx.streams)).map((r) => [r.id, r.channels]));
  const bad = (message: string, item: unknown, kind: ErrorEvent['kind'] = 'parse'): ErrorEvent => ({
    type: 'error', kind, message: `Deribit: ${message}`, cause: show(item).slice(0, 200),
  });
  /** Venue units -> base units: inverse instruments count USD. */
  const toBase = (native: string, amount: number, price: number) => (deribitIsLinear(native) ? amount : amount / price);

  function onTrades(native: string, data: unknown, out: ParsedEvent[], receivedAt: number): void {
    if (!Array.isArray(data)) return void out.push(bad('trades data is not an array', data));
    const symbol = ctx.toCanonical(native);
    for (const t of data) {
      if (!isObj(t)) { out.push(bad('bad trade', t)); continue; }
      const price = num(t.price), amount = num(t.amount), time = num(t.timestamp);
      const side: Side | undefined = t.direction === 'buy' ? 'buy' : t.direction === 'sell' ? 'sell' : undefined;
      const size = toBase(native, amount, price);
      if (!side || !(price > 0) || !(amount > 0) || !(time > 0) || !(size > 0 && size < Infinity)) { out.push(bad('bad trade', t)); continue; }
      if (symbol === '') { out.push(bad(`trade of ${native}, an instrument without a symbol`, t, 'protocol')); continue; }
      const ref = { exchange: ctx.exchange, market: ctx.market, symbol };
      if (tradesFor.has(native)) {
        const id = typeof t.trade_id === 'string' || typeof t.trade_id === 'number' ? String(t.trade_id) : undefined;
        out.push({ type: 'trade', ...ref, price, size, side, time, receivedAt, ...(id ? { id } : {}) });
      }
      if (liquidationsFor.has(native) && typeof t.liquidation === 'string') {
        const liquidation = (s: Side): Liquidation => ({ type: 'liquidation', ...ref, price, size, side: s, time, receivedAt });
        const other: Side = side === 'buy' ? 'sell' : 'buy';
        if (t.liquidation.includes('T')) out.push(liquidation(side));
        if (t.liquidation.includes('M')) out.push(liquidation(other));
      }
    }
  }

  function onTicker(native: string, d: unknown, out: ParsedEvent[], receivedAt: number): void {
    if (!isObj(d)) return void out.push(bad('ticker data is not an object', d));
    const symbol = ctx.toCanonical(native);
    if (symbol === '') return void out.push(bad(`ticker of ${native}, an instrument without a symbol`, d, 'protocol'));
    const time = num(d.timestamp) > 0 ? num(d.timestamp) : receivedAt;
    const ref = { exchange: ctx.exchange, market: ctx.market, symbol };
    if (quotesFor.has(native)) {
      const bid = num(d.best_bid_price), ask = num(d.best_ask_price), bidAmount = num(d.best_bid_amount), askAmount = num(d.best_ask_amount);
      // An empty side is price 0 (or null) with amount 0: no top of book to show, not bad input.
      if (bid > 0 && ask > 0 && bidAmount >= 0 && askAmount >= 0) {
        out.push({ type: 'quote', ...ref, bid, bidSize: toBase(native, bidAmount, bid), ask, askSize: toBase(native, askAmount, ask), time, receivedAt });
      } else if (!(d.best_bid_price === null || d.best_ask_price === null || bid === 0 || ask === 0)) {
        out.push(bad('bad ticker prices', d));
      }
    }
    if (fundingFor.has(native)) {
      const mark = num(d.mark_price), index = num(d.index_price), rate = num(d.funding_8h), oi = num(d.open_interest);
      if (!(mark > 0)) return void out.push(bad('ticker without a mark price', d));
      const f: Funding = { type: 'funding', ...ref, markPrice: mark, time, receivedAt };
      if (Number.isFinite(rate)) f.rate = rate;
      if (index > 0) f.indexPrice = index;
      if (oi >= 0) f.openInterest = toBase(native, oi, mark);
      out.push(f);
    }
  }

  function onResponse(msg: JsonObject): ParsedEvent[] {
    const id = typeof msg.id === 'number' ? msg.id : undefined;
    if (isObj(msg.error)) {
      const text = `${show(msg.error.message ?? 'error')} (code ${show(msg.error.code ?? '?')})`;
      return [{ type: 'error', kind: 'venue', message: `Deribit error: ${text}`, cause: show(msg.error).slice(0, 200) }];
    }
    const r = msg.result;
    if (id === TEST_ID) return [{ type: 'control', what: 'pong', message: `version ${show(isObj(r) ? r.version : '?')}` }];
    if (id === SET_HEARTBEAT_ID) return [{ type: 'control', what: 'ack', message: `set_heartbeat ${show(r)}` }];
    if (!Array.isArray(r)) return [bad(`unexpected answer to request ${show(msg.id)}`, msg, 'protocol')];
    const out: ParsedEvent[] = [{ type: 'control', what: 'ack', message: `${r.length} channels` }];
    // Deribit subscribes what it can and leaves the rest out of the answer without an error.
    for (const ch of asked.get(id ?? -1) ?? []) {
      if (r.includes(ch)) continue;
      const native = ch.split('.')[1] ?? '';
      const e: ErrorEvent = { type: 'error', kind: 'venue', message: `Deribit did not subscribe ${ch} (unknown or expired instrument?)`, cause: ch };
      const symbol = ctx.toCanonical(native);
      if (symbol) e.symbol = symbol;
      out.push(e);
    }
    return out;
  }

  function onNotification(msg: JsonObject, receivedAt: number): ParsedEvent[] {
    const params = isObj(msg.params) ? msg.params : undefined;
    if (msg.method === 'heartbeat') {
      return params?.type === 'test_request'
        ? [{ type: 'control', what: 'heartbeat', message: 'test_request', reply: DERIBIT_TEST_REQUEST }]
        : [{ type: 'control', what: 'heartbeat' }];
    }
    if (msg.method !== 'subscription' || !params || typeof params.channel !== 'string') return [bad('unknown notification', msg, 'protocol')];
    const [kind, native = ''] = params.channel.split('.');
    const out: ParsedEvent[] = [];
    if (kind === 'trades') onTrades(native, params.data, out, receivedAt);
    else if (kind === 'ticker') onTicker(native, params.data, out, receivedAt);
    else out.push(bad(`unexpected channel ${params.channel}`, msg, 'protocol'));
    return out;
  }

  function parse(frame: string, receivedAt: number): ParsedEvent[] {
    const read = readJsonFrame(frame, 'Deribit');
    if (!read.ok) return read.events;
    const msg = read.msg;
    if (!isObj(msg)) return [bad('unexpected frame', msg)];
    if ('id' in msg && ('result' in msg || 'error' in msg)) return onResponse(msg);
    if (typeof msg.method === 'string') return onNotification(msg, receivedAt);
    return [bad('unknown message', msg, 'protocol')];
  }

  return { parse: guardedParse('Deribit', parse) };
}

export const deribitStream: VenueStream = {
  defaultUrl: () => 'wss://www.deribit.com/ws/api/v2',
  // Deribit publishes no per-connection channel cap; 100 streams (at most 100 channels, two
  // subscribe requests) per connection keeps a reconnect's resubscription small.
  maxStreamsPerConnection: 100,
  // Requests are credit-limited (about 20 a second sustained); 5 a second is far inside it.
  subscribeMessagesPerSecond: 5,
  keepalive: { kind: 'text', intervalMs: 15_000, message: DERIBIT_TEST_REQUEST },
  subscribeMessages: (streams) => subscribeMessages(streams),
  unsubscribeMessages: (streams) => requests('public/unsubscribe', UNSUBSCRIBE_ID_BASE, channelsOf(streams)).map((r) => r.text),
  // A second subscribe to a live channel is accepted (answered with the channel again).
  resubscribeMessages: (streams) => requests('public/subscribe', SUBSCRIBE_ID_BASE, channelsOf(streams)).map((r) => r.text),
  createParser: createDeribitParser,
};
