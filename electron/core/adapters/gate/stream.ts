/**
 * Gate API v4 WebSocket: spot (`wss://api.gateio.ws/ws/v4/`) and USDT-settled perpetual futures
 * (`wss://fx-ws.gateio.ws/v4/ws/usdt`), public channels, no keys.
 *
 * Requests are `{"time":<s>,"channel":"spot.trades","event":"subscribe","payload":["BTC_USDT"]}`
 * (`time` must be within 60 s of the server's clock), one per channel and market so a refused
 * market (`"error":{"code":..,"message":..}`) takes only itself down; answers
 * `{"event":"subscribe","result":{"status":"success"}}`. Keepalive: `spot.ping` / `futures.ping`
 * every 15 s, answered by `spot.pong` / `futures.pong`.
 *
 * Trades: `spot.trades` pushes ONE trade object per `update` (`side` is the taker's, `amount` in
 * base units, `create_time_ms` a fractional-ms string such as "1606292218213.4578", kept as is).
 * `futures.trades` pushes an ARRAY; `size` is a signed number of contracts (negative = the taker
 * sold) and base = |size| x the contract's `quanto_multiplier`. Trades flagged `is_internal` (the
 * insurance fund or ADL taking over liquidated positions, off the book and left out of Gate's own
 * candles) are skipped. Nothing is replayed on subscribe: every trade counts once.
 *
 * Contract sizes come from the REST contract list (ParserContext.contractSize) and from the
 * `futures.contract_info` channel, subscribed first on every futures connection (its `all` push
 * on subscribe and later `update`s win over the list, and make replays self-contained); futures
 * events wait for a size (bounded) and are reported if none comes.
 *
 * Quotes: `spot.book_ticker` / `futures.book_ticker` (`b`/`B`/`a`/`A`; futures sizes in
 * contracts). Liquidations: `futures.public_liquidates`, an array of the liquidation ORDERS
 * (`size` signed as orders are: negative = a sell order, closing a long), so its sign gives our
 * Liquidation.side directly. Funding and mark: `futures.tickers` (`funding_rate`, `mark_price`,
 * `index_price`, `total_size` = open interest in contracts).
 */
import type { Channel, Funding, MarketType, Side } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { HeldEvents } from '../held-events';
import { clip, isObj, type JsonObject } from '../json-values';
import { guardedParse, readJsonFrame } from '../text-frame';

/** Events held for a contract size; beyond this the oldest is dropped and reported. */
const MAX_PENDING = 200;

const SPOT_CHANNEL: Partial<Record<Channel, string>> = { trades: 'spot.trades', quotes: 'spot.book_ticker' };
const PERP_CHANNEL: Partial<Record<Channel, string>> = {
  trades: 'futures.trades', quotes: 'futures.book_ticker', liquidations: 'futures.public_liquidates', funding: 'futures.tickers',
};

/** [channel, native] pairs to subscribe, contract_info first on futures (it sizes everything else). */
function subscriptions(streams: readonly Stream[], market: MarketType): Array<[string, string]> {
  const table = market === 'perp' ? PERP_CHANNEL : SPOT_CHANNEL;
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  const add = (channel: string, native: string) => {
    const key = `${channel} ${native}`;
    if (!seen.has(key)) { seen.add(key); out.push([channel, native]); }
  };
  if (market === 'perp') for (const s of streams) add('futures.contract_info', s.native);
  for (const s of streams) {
    const channel = table[s.channel];
    if (channel) add(channel, s.native);
  }
  return out;
}

/** An unsubscribe leaves futures.contract_info alone: other channels of the contract may still need its size. */
function gateRequests(event: 'subscribe' | 'unsubscribe', streams: readonly Stream[], market: MarketType): string[] {
  const time = Math.floor(Date.now() / 1000);
  return subscriptions(streams, market)
    .filter(([channel]) => event === 'subscribe' || channel !== 'futures.contract_info')
    .map(([channel, native]) => JSON.stringify({ time, channel, event, payload: [native] }));
}

/** Gate sends numbers as strings or numbers ("size" is an integer unless X-Gate-Size-Decimal). */
const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
};

/** Contracts x multiplier, rounded to 15 digits so 3 x 0.1 reads 0.3. */
const base = (contracts: number, multiplier: number) => Number((Math.abs(contracts) * multiplier).toPrecision(15));

export function createGateParser(ctx: ParserContext): FrameParser {
  const { exchange, market } = ctx;
  const perp = market === 'perp';
  const symbolOf = new Map(ctx.streams.map((s) => [s.native, s.symbol]));
  const wanted = (channel: Channel) => new Set(ctx.streams.filter((s) => s.channel === channel).map((s) => s.native));
  const wantLiquidations = wanted('liquidations');
  const wantFunding = wanted('funding');
  const canonical = (native: string) => symbolOf.get(native) ?? ctx.toCanonical(native);
  /** quanto_multiplier per contract from futures.contract_info (wins over the REST list). */
  const streamed = new Map<string, number>();

  const bad = (message: string, item: unknown, kind: 'parse' | 'protocol' = 'parse'): ErrorEvent => ({
    type: 'error', kind, message: `Gate: ${message}`, cause: clip(show(item), 200),
  });
  const held = new HeldEvents<(multiplier: number) => ParsedEvent>(MAX_PENDING, (native) =>
    bad(`contract size of ${native} unknown (no REST contract list, no futures.contract_info); its events are dropped until one arrives`, native, 'protocol'));
  const multiplierOf = (native: string): number | undefined => streamed.get(native) ?? ctx.contractSize?.(native);

  /** Spot: emit now (multiplier 1). Futures: emit when the contract's size is known, else hold. */
  function sized(out: ParsedEvent[], native: string, build: (multiplier: number) => ParsedEvent): void {
    if (!perp) return void out.push(build(1));
    const m = multiplierOf(native);
    if (m !== undefined) return void out.push(build(m));
    held.hold(out, native, build);
  }

  function onSpotTrade(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const native = typeof d.currency_pair === 'string' ? d.currency_pair : '';
    const price = num(d.price), size = num(d.amount);
    const time = num(d.create_time_ms) || num(d.create_time) * 1000;
    if (!native || !(price > 0) || !(size > 0) || !(time > 0)) return void out.push(bad('bad spot trade (currency_pair, price, amount or create_time_ms)', d));
    const side: Side = d.side === 'buy' ? 'buy' : d.side === 'sell' ? 'sell' : 'unknown';
    out.push({ type: 'trade', exchange, market, symbol: canonical(native), price, size, side, time, receivedAt, id: show(d.id) });
  }

  function onFuturesTrade(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const native = typeof d.contract === 'string' ? d.contract : '';
    const price = num(d.price), contracts = num(d.size);
    const time = num(d.create_time_ms) || num(d.create_time) * 1000;
    if (!native || !(price > 0) || !(contracts !== 0 && Number.isFinite(contracts)) || !(time > 0)) {
      return void out.push(bad('bad futures trade (contract, price, size or create_time_ms)', d));
    }
    if (d.is_internal === true) return; // insurance fund / ADL takeover: not a trade on the book
    const side: Side = contracts < 0 ? 'sell' : 'buy';
    const id = show(d.id);
    sized(out, native, (m) => ({ type: 'trade', exchange, market, symbol: canonical(native), price, size: base(contracts, m), side, time, receivedAt, id }));
  }

  function onBookTicker(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const native = typeof d.s === 'string' ? d.s : '';
    const bid = num(d.b), ask = num(d.a), bidQty = num(d.B), askQty = num(d.A), time = num(d.t);
    // An empty side ("" price) has no top of book to show; that is not bad input.
    if (d.b === '' || d.a === '') return;
    if (!native || !(bid > 0) || !(ask > 0) || !(bidQty >= 0) || !(askQty >= 0)) return void out.push(bad('bad book_ticker', d));
    sized(out, native, (m) => ({
      type: 'quote', exchange, market, symbol: canonical(native),
      bid, bidSize: perp ? base(bidQty, m) : bidQty, ask, askSize: perp ? base(askQty, m) : askQty, time: time > 0 ? time : receivedAt, receivedAt,
    }));
  }

  function onLiquidation(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const native = typeof d.contract === 'string' ? d.contract : '';
    const price = num(d.price), contracts = num(d.size);
    // `time_ms`, or `time` (ms since 2026-08; seconds in older documentation).
    const t = num(d.time_ms) || num(d.time);
    const time = t > 0 && t < 1e12 ? t * 1000 : t;
    if (!native || !(price > 0) || !(contracts !== 0 && Number.isFinite(contracts))) return void out.push(bad('bad liquidation (contract, price or size)', d));
    if (!wantLiquidations.has(native)) return;
    const side: Side = contracts < 0 ? 'sell' : 'buy';
    sized(out, native, (m) => ({
      type: 'liquidation', exchange, market, symbol: canonical(native), price, size: base(contracts, m), side, time: time > 0 ? time : receivedAt, receivedAt,
    }));
  }

  function onTicker(d: JsonObject, time: number, out: ParsedEvent[], receivedAt: number): void {
    const native = typeof d.contract === 'string' ? d.contract : '';
    if (!native) return void out.push(bad('ticker without a contract', d));
    if (!wantFunding.has(native)) return;
    const rate = num(d.funding_rate), mark = num(d.mark_price), index = num(d.index_price), oi = num(d.total_size);
    sized(out, native, (m) => {
      const f: Funding = { type: 'funding', exchange, market, symbol: canonical(native), time: time > 0 ? time : receivedAt, receivedAt };
      if (Number.isFinite(rate)) f.rate = rate;
      if (mark > 0) f.markPrice = mark;
      if (index > 0) f.indexPrice = index;
      if (oi >= 0) f.openInterest = base(oi, m);
      return f;
    });
  }

  function onContractInfo(d: unknown, out: ParsedEvent[]): void {
    const m = isObj(d) ? num(d.quanto_multiplier) : NaN;
    if (!isObj(d) || typeof d.contract !== 'string' || !(m > 0)) return void out.push(bad('bad contract_info', d));
    streamed.set(d.contract, m);
    held.release((native) => multiplierOf(native) !== undefined, (native, build) => out.push(build(multiplierOf(native)!)));
    out.push({ type: 'control', what: 'info', message: `contract size ${d.contract}: ${m}` });
  }

  function onReply(msg: JsonObject, channel: string, event: string, frame: string): ParsedEvent[] {
    if (channel.endsWith('.pong')) return [{ type: 'control', what: 'pong' }];
    if (isObj(msg.error)) {
      const text = typeof msg.error.message === 'string' ? msg.error.message : show(msg.error);
      const e: ErrorEvent = { type: 'error', kind: 'venue', message: `Gate error ${show(msg.error.code ?? '')} on ${channel} ${event}: ${text}`, cause: text };
      const named = Array.isArray(msg.payload) ? msg.payload.find((p): p is string => typeof p === 'string') : [...symbolOf.keys()].find((n) => text.includes(n));
      if (named) e.symbol = canonical(named);
      return [e];
    }
    if (event === 'subscribe' || event === 'unsubscribe') return [{ type: 'control', what: 'ack', message: `${event} ${channel}` }];
    return [bad(`unknown ${channel} event "${event}"`, frame, 'protocol')];
  }

  function onUpdate(msg: JsonObject, channel: string, out: ParsedEvent[], receivedAt: number): void {
    const result = msg.result;
    const items = Array.isArray(result) ? result : [result];
    for (const d of items) {
      if (channel === 'futures.contract_info') { onContractInfo(d, out); continue; }
      if (!isObj(d)) { out.push(bad(`bad ${channel} item`, d)); continue; }
      switch (channel) {
        case 'spot.trades': onSpotTrade(d, out, receivedAt); break;
        case 'futures.trades': onFuturesTrade(d, out, receivedAt); break;
        case 'spot.book_ticker':
        case 'futures.book_ticker': onBookTicker(d, out, receivedAt); break;
        case 'futures.public_liquidates': onLiquidation(d, out, receivedAt); break;
        case 'futures.tickers': onTicker(d, num(msg.time_ms) || num(msg.time) * 1000, out, receivedAt); break;
        default: out.push(bad(`unexpected channel ${channel}`, msg, 'protocol')); return;
      }
    }
  }

  function parse(frame: string, receivedAt: number): ParsedEvent[] {
    const read = readJsonFrame(frame, 'Gate');
    if (!read.ok) return read.events;
    const msg = read.msg;
    if (!isObj(msg) || typeof msg.channel !== 'string') return [bad('frame without a channel', frame, 'protocol')];
    const event = typeof msg.event === 'string' ? msg.event : '';
    if (event !== 'update' && event !== 'all') return onReply(msg, msg.channel, event, frame);
    const out: ParsedEvent[] = [];
    onUpdate(msg, msg.channel, out, receivedAt);
    return out;
  }

  return { parse: guardedParse('Gate', parse) };
}

export const gateStream: VenueStream = {
  defaultUrl: (market) => (market === 'perp' ? 'wss://fx-ws.gateio.ws/v4/ws/usdt' : 'wss://api.gateio.ws/ws/v4/'),
  // Gate documents no per-connection channel cap; 100 streams keep one connection's requests few.
  maxStreamsPerConnection: 100,
  subscribeMessagesPerSecond: 20,
  keepalive: {
    kind: 'text',
    intervalMs: 15_000,
    message: (market, now) => JSON.stringify({ time: Math.floor(now / 1000), channel: market === 'perp' ? 'futures.ping' : 'spot.ping' }),
  },
  subscribeMessages: (streams, market) => gateRequests('subscribe', streams, market),
  unsubscribeMessages: (streams, market) => gateRequests('unsubscribe', streams, market),
  createParser: createGateParser,
};
