/**
 * KuCoin public WebSocket, spot and futures (docs: https://www.kucoin.com/docs/websocket/basic-info/
 * apply-connect-token/public-token-no-authentication-required-, .../basic-info/create-connection,
 * .../spot-trading/public-channels/match-execution-data, .../futures-trading/public-channels/
 * execution-data).
 *
 * Connecting: there is no fixed URL. A POST to `bullet-public` (rest.ts, kucoinConnectToken) gives
 * a token and an instance server {endpoint, pingInterval, pingTimeout}; the runtime fetches one
 * before every connection (connect-token.ts) and connects to `<endpoint>?token=..&connectId=..`.
 * The server greets with `{"id":"<connectId>","type":"welcome"}` (control: welcome); subscribes
 * are sent only after it (subscribeAfterWelcome). A token is valid 24 h, so the runtime rotates
 * (make-before-break, a fresh token) after 23 h.
 *
 * Subscribe: `{"id","type":"subscribe","topic":"/market/match:BTC-USDT,ETH-USDT",
 * "privateChannel":false,"response":true}` with up to 100 symbols per topic, answered by
 * `{"id","type":"ack"}`; a refusal is `{"id","type":"error","code":404,"data":"topic ... is not
 * found"}`. Keepalive: `{"id","type":"ping"}` every pingInterval of the token answer (18 s
 * today), answered by `{"id","type":"pong"}`.
 *
 * Trades: spot `/market/match:<symbol>` subject `trade.l3match`, data {symbol, side, size, price,
 * tradeId, time (ns, string)}; futures `/contractMarket/execution:<symbol>` subject `match`, data
 * {symbol, side, size (contracts), price, tradeId, ts (ns)}. `side` is the TAKER's side on both
 * (KuCoin: "the side of the taker order"). Futures sizes are contracts times the contract's
 * `multiplier` from `/api/v1/contracts/active` (0.001 BTC for XBTUSDTM); without it (instrument
 * list unavailable) a trade or quote is reported, not guessed. No snapshot is sent on subscribe,
 * so nothing can be counted twice; the overlap of a rotation is de-duplicated by tradeId (runtime).
 *
 * Quotes: spot `/market/ticker:<symbol>` subject `trade.ticker` (the symbol only in the topic;
 * bestBid/bestBidSize/bestAsk/bestAskSize, `Time` in ms), futures `/contractMarket/tickerV2:<symbol>`
 * subject `tickerV2` (sizes in contracts, `ts` in ns). Funding and mark (futures):
 * `/contract/instrument:<symbol>` subjects `mark.index.price` {markPrice, indexPrice, timestamp}
 * and `funding.rate` {fundingRate, timestamp}, the symbol only in the topic.
 */
import type { Channel, Funding, MarketType, Quote, Trade } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { clip, isObj, type JsonObject } from '../json-values';
import { readJsonFrame } from '../text-frame';

/** KuCoin's limit of symbols in one topic. */
const SYMBOLS_PER_TOPIC = 100;

/** The topic of a channel on a market (undefined: KuCoin has none we use). */
function topicOf(channel: Channel, market: MarketType): string | undefined {
  if (channel === 'trades') return market === 'spot' ? '/market/match' : '/contractMarket/execution';
  if (channel === 'quotes') return market === 'spot' ? '/market/ticker' : '/contractMarket/tickerV2';
  if (channel === 'funding' && market === 'perp') return '/contract/instrument';
  return undefined;
}

function topicMessages(type: 'subscribe' | 'unsubscribe', streams: readonly Stream[], market: MarketType): string[] {
  const out: string[] = [];
  for (const channel of ['trades', 'quotes', 'funding'] as const) {
    const topic = topicOf(channel, market);
    const natives = [...new Set(streams.filter((s) => s.channel === channel).map((s) => s.native))];
    if (!topic) continue;
    for (let i = 0; i < natives.length; i += SYMBOLS_PER_TOPIC) {
      const batch = natives.slice(i, i + SYMBOLS_PER_TOPIC);
      const id = channel === 'trades' ? `${type}-${batch[0]}` : `${type}-${channel}-${batch[0]}`;
      out.push(JSON.stringify({ id, type, topic: `${topic}:${batch.join(',')}`, privateChannel: false, response: true }));
    }
  }
  return out;
}

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
};

/** Nanoseconds (a string keeps every digit; a number has lost some) -> epoch ms, fractional. */
export function nsToMs(v: unknown): number {
  if (typeof v === 'string' && /^[0-9]{7,}$/.test(v)) return Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6;
  return typeof v === 'number' && v > 0 ? v / 1e6 : NaN;
}

export function createKucoinParser(ctx: ParserContext): FrameParser {
  const { exchange, market } = ctx;
  const symbolOf = new Map(ctx.streams.map((s) => [s.native, s.symbol]));
  const canonical = (native: string) => symbolOf.get(native) ?? ctx.toCanonical(native);
  const bad = (kind: ErrorEvent['kind'], message: string, item: unknown): ErrorEvent => ({ type: 'error', kind, message: `KuCoin: ${message}`, cause: clip(show(item), 200) });

  /** Contracts -> base units on futures (the REST multiplier); NaN when it is not known. */
  const baseSize = (native: string, qty: number): number => {
    if (market === 'spot') return qty;
    const m = ctx.contractSize?.(native);
    return m === undefined ? NaN : Number((qty * m).toPrecision(15));
  };

  function trade(d: JsonObject, receivedAt: number): ParsedEvent {
    if (typeof d.symbol !== 'string') return bad('protocol', 'trade without a symbol', d);
    const price = num(d.price);
    const contracts = num(d.size);
    const time = nsToMs(market === 'spot' ? d.time : d.ts);
    if (!(price > 0) || !(contracts > 0) || !(time > 0)) return bad('parse', 'trade with a bad price, size or time', d);
    if (d.side !== 'buy' && d.side !== 'sell') return bad('parse', `trade side ${show(d.side)}`, d);
    const size = baseSize(d.symbol, contracts);
    if (Number.isNaN(size)) return { ...bad('protocol', `no contract multiplier for ${d.symbol} (instrument list unavailable); trade not sized`, d), symbol: canonical(d.symbol) };
    const t: Trade = { type: 'trade', exchange, market, symbol: canonical(d.symbol), price, size, side: d.side, time, receivedAt };
    if (typeof d.tradeId === 'string' || typeof d.tradeId === 'number') t.id = String(d.tradeId);
    return t;
  }

  function quote(native: string, d: JsonObject, receivedAt: number): ParsedEvent {
    const spot = market === 'spot';
    const bid = num(spot ? d.bestBid : d.bestBidPrice), ask = num(spot ? d.bestAsk : d.bestAskPrice);
    const bq = num(d.bestBidSize), aq = num(d.bestAskSize);
    const time = spot ? num(d.Time ?? d.time) : nsToMs(d.ts);
    if (!(bid > 0) || !(ask > 0) || !(bq >= 0) || !(aq >= 0) || !(time > 0)) return bad('parse', 'ticker with a bad price, size or time', d);
    const bidSize = baseSize(native, bq), askSize = baseSize(native, aq);
    if (Number.isNaN(bidSize) || Number.isNaN(askSize)) return { ...bad('protocol', `no contract multiplier for ${native}; quote not sized`, d), symbol: canonical(native) };
    const q: Quote = { type: 'quote', exchange, market, symbol: canonical(native), bid, bidSize, ask, askSize, time, receivedAt };
    return q;
  }

  function funding(native: string, subject: string, d: JsonObject, receivedAt: number): ParsedEvent {
    const time = num(d.timestamp);
    const f: Funding = { type: 'funding', exchange, market, symbol: canonical(native), time, receivedAt };
    if (subject === 'funding.rate') f.rate = num(d.fundingRate);
    else {
      f.markPrice = num(d.markPrice);
      f.indexPrice = num(d.indexPrice);
    }
    const values = [f.rate, f.markPrice, f.indexPrice].filter((v) => v !== undefined);
    if (!(time > 0) || values.some((v) => Number.isNaN(v))) return bad('parse', `${subject} with a bad value or time`, d);
    return f;
  }

  function parse(frame: string, receivedAt: number): ParsedEvent[] {
    const r = readJsonFrame(frame, 'KuCoin');
    if (!r.ok) return r.events;
    const msg = r.msg;
    if (!isObj(msg)) return [bad('protocol', 'unexpected message', msg)];
    switch (msg.type) {
      case 'welcome':
        return [{ type: 'control', what: 'welcome' }];
      case 'ack':
        return [{ type: 'control', what: 'ack' }];
      case 'pong':
        return [{ type: 'control', what: 'pong' }];
      case 'error': {
        const text = typeof msg.data === 'string' ? msg.data : show(msg.data);
        const e: ErrorEvent = { type: 'error', kind: 'venue', message: `KuCoin error ${show(msg.code)}: ${text}`, cause: text };
        const native = /:([A-Za-z0-9-]+)\b/.exec(text)?.[1];
        if (native && symbolOf.has(native)) e.symbol = symbolOf.get(native)!;
        return [e];
      }
      case 'message':
        if (!isObj(msg.data)) return [bad('protocol', 'message without data', msg)];
        return [message(msg.subject, typeof msg.topic === 'string' ? msg.topic : '', msg.data, receivedAt)];
      default:
        return [bad('protocol', `unexpected message type ${show(msg.type)}`, msg)];
    }
  }

  /** Subjects by market: spot and futures name theirs differently, each with its own fields. */
  function message(subject: unknown, topic: string, data: JsonObject, receivedAt: number): ParsedEvent {
    const native = topic.slice(topic.indexOf(':') + 1);
    const spot = market === 'spot';
    if (subject === (spot ? 'trade.l3match' : 'match')) return trade(data, receivedAt);
    if (subject === (spot ? 'trade.ticker' : 'tickerV2')) return native ? quote(native, data, receivedAt) : bad('protocol', 'ticker without a symbol in its topic', topic);
    if (!spot && (subject === 'mark.index.price' || subject === 'funding.rate')) {
      return native ? funding(native, subject, data, receivedAt) : bad('protocol', 'instrument message without a symbol in its topic', topic);
    }
    return bad('protocol', `unexpected subject ${show(subject)} on a ${market} connection`, { subject, topic });
  }

  return { parse };
}

export const kucoinStream: VenueStream = {
  // Only reached through the token answer's endpoint; kept for the UI and config defaults.
  defaultUrl: (market) => (market === 'spot' ? 'wss://ws-api-spot.kucoin.com/' : 'wss://ws-api-futures.kucoin.com/'),
  // KuCoin: at most 400 topics per connection.
  maxStreamsPerConnection: 400,
  // KuCoin: 100 client messages per 10 s per connection; subscribes stay well under it.
  subscribeMessagesPerSecond: 5,
  // The interval is the token answer's pingInterval (this is its documented value).
  keepalive: { kind: 'text', intervalMs: 18_000, message: '{"id":"ping","type":"ping"}' },
  // Tokens are valid 24 h: reconnect with a fresh one before that.
  rotateAfterMs: 23 * 3_600_000,
  subscribeAfterWelcome: true,
  subscribeMessages: (streams, market) => topicMessages('subscribe', streams, market),
  unsubscribeMessages: (streams, market) => topicMessages('unsubscribe', streams, market),
  createParser: createKucoinParser,
};
