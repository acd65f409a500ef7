/**
 * Bitfinex WebSocket v2, public spot channels (`trades`, `ticker`).
 *
 * After `{"event":"subscribed","chanId":N,...}` every message of that channel is an array keyed by
 * chanId only, so the parser keeps chanId -> (channel, symbol) per connection. Decisions:
 * - The trades snapshot sent on subscribe (`[chanId,[[ID,MTS,AMOUNT,PRICE],...]]`) is history from
 *   before we connected: it is skipped (its ids are remembered so a late `tu` is not emitted).
 * - A live trade arrives twice, `te` then `tu` with the same id: each id is emitted once (a small
 *   per-connection set of recent ids; a `tu` whose `te` we missed is still emitted).
 * - No `conf` flags are sent, so frames carry no trailing sequence/timestamp; anything after the
 *   payload is ignored anyway. Ticker frames carry no exchange time: Quote.time = receive time.
 * - Bitfinex calls USDT "UST" and USDC "UDC"; 4+ letter assets use a colon, `tTESTBTC:TESTUSD`.
 */
import type { Channel, MarketType, Side } from '../../../shared/domain';
import { splitConcatenated } from '../../../shared/symbols';
import { candleBar, expectArray, nativeInterval } from '../history/candle-bar';
import type { RestContext } from './adapter';
import { ParseError } from '../util/errors';
import { show } from './show';
import type { ErrorEvent, FrameParser, Instrument, ParsedEvent, ParserContext, VenueAdapter } from './adapter';
import { VENUE_OPTIONS } from '../../../shared/venue-options';

/** Canonical asset -> Bitfinex asset code where they differ. */
const TO_BITFINEX: Record<string, string> = { USDT: 'UST', USDC: 'UDC' };
const FROM_BITFINEX: Record<string, string> = { UST: 'USDT', UDC: 'USDC' };
/** Recent trade ids remembered per connection for te/tu de-duplication. */
const RECENT_IDS = 2_000;
/** Bitfinex info codes: 20051 server restart, 20060/20061 maintenance start/end. */
const INFO_RECONNECT = new Set([20051, 20061]);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function bitfinexToNative(symbol: string): string {
  const i = symbol.indexOf('-');
  const base = symbol.slice(0, i), quote = symbol.slice(i + 1);
  const b = TO_BITFINEX[base] ?? base, q = TO_BITFINEX[quote] ?? quote;
  return b.length === 3 && q.length === 3 ? `t${b}${q}` : `t${b}:${q}`;
}

/** `tBTCUSD` / `BTCUSD` / `tTESTBTC:TESTUSD` / `BTCUST` -> `BTC-USD`, `TESTBTC-TESTUSD`, `BTC-USDT`. */
export function bitfinexToCanonical(native: string): string {
  const pair = (native.startsWith('t') ? native.slice(1) : native).toUpperCase();
  let base: string, quote: string;
  const colon = pair.indexOf(':');
  if (colon > 0) [base, quote] = [pair.slice(0, colon), pair.slice(colon + 1)];
  else if (pair.length === 6) [base, quote] = [pair.slice(0, 3), pair.slice(3)];
  else {
    const split = splitConcatenated(pair);
    if (!split) return pair;
    [base = pair, quote = ''] = split.split('-');
  }
  return `${FROM_BITFINEX[base] ?? base}-${FROM_BITFINEX[quote] ?? quote}`;
}

interface ChannelInfo { channel: string; symbol: string }

export function createBitfinexParser(ctx: ParserContext): FrameParser {
  const channels = new Map<number, ChannelInfo>();
  const seen = new Set<number>();
  const remember = (id: number) => {
    seen.add(id);
    // Sets iterate in insertion order: drop the oldest id.
    if (seen.size > RECENT_IDS) seen.delete(seen.values().next().value as number);
  };
  const bad = (message: string, frame: string, kind: ErrorEvent['kind'] = 'parse'): ErrorEvent => ({
    type: 'error', kind, message: `Bitfinex: ${message}`, cause: frame.slice(0, 200),
  });

  function onEvent(msg: Json, frame: string): ParsedEvent[] {
    switch (msg.event) {
      case 'info': {
        const code = typeof msg.code === 'number' ? msg.code : undefined;
        if (code !== undefined) {
          const text = typeof msg.msg === 'string' ? msg.msg : `info ${code}`;
          return [{ type: 'notice', message: `Bitfinex ${code}: ${text}`, reconnect: INFO_RECONNECT.has(code) }];
        }
        if (isObj(msg.platform) && msg.platform.status === 0) {
          return [{ type: 'notice', message: 'Bitfinex platform in maintenance (status 0)' }];
        }
        return [{ type: 'control', what: 'info', message: `version ${show(msg.version ?? '?')}` }];
      }
      case 'subscribed': {
        const { chanId, channel, symbol } = msg;
        const canonical = typeof symbol === 'string' ? ctx.toCanonical(symbol) : '';
        if (typeof chanId !== 'number' || typeof channel !== 'string' || canonical === '') {
          return [bad('bad subscribed event', frame, 'protocol')];
        }
        channels.set(chanId, { channel, symbol: canonical });
        return [{ type: 'control', what: 'ack', message: `${channel} ${symbol} chanId ${chanId}` }];
      }
      case 'unsubscribed':
        if (typeof msg.chanId === 'number') channels.delete(msg.chanId);
        return [{ type: 'control', what: 'ack', message: 'unsubscribed' }];
      case 'pong':
        return [{ type: 'control', what: 'pong' }];
      case 'conf':
        return msg.status === 'OK'
          ? [{ type: 'control', what: 'ack', message: 'conf' }]
          : [{ type: 'error', kind: 'venue', message: `Bitfinex conf rejected: ${show(msg.status)}`, cause: frame.slice(0, 200) }];
      case 'error': {
        // e.g. {"event":"error","msg":"symbol: invalid","code":10300,"channel":"trades","symbol":"tFOOBAR"}
        const text = typeof msg.msg === 'string' ? msg.msg : 'unknown error';
        const e: ErrorEvent = { type: 'error', kind: 'venue', message: `Bitfinex error ${show(msg.code ?? '')}: ${text}`, cause: text };
        const native = typeof msg.symbol === 'string' ? msg.symbol : typeof msg.pair === 'string' ? msg.pair : undefined;
        if (native) e.symbol = ctx.toCanonical(native);
        return [e];
      }
      default:
        return [bad(`unknown event ${show(msg.event)}`, frame, 'protocol')];
    }
  }

  function trade(info: ChannelInfo, t: unknown, receivedAt: number): ParsedEvent | null {
    if (!Array.isArray(t)) return bad('bad trade', show(t));
    const [id, mts, amount, price] = t;
    if (typeof id !== 'number' || typeof mts !== 'number' || typeof amount !== 'number' || typeof price !== 'number'
      // JSON's 1e400 parses as Infinity: not a time or a price.
      || !(mts > 0 && mts < Infinity) || !(price > 0 && price < Infinity) || amount === 0 || !Number.isFinite(amount)) {
      return bad('bad trade', show(t));
    }
    if (seen.has(id)) return null;
    remember(id);
    const side: Side = amount > 0 ? 'buy' : 'sell';
    return {
      type: 'trade', exchange: ctx.exchange, market: ctx.market, symbol: info.symbol,
      price, size: Math.abs(amount), side, time: mts, receivedAt, id: String(id),
    };
  }

  function onArray(msg: unknown[], frame: string, receivedAt: number): ParsedEvent[] {
    const [chanId, second, third] = msg;
    if (typeof chanId !== 'number') return [bad('array frame without chanId', frame)];
    if (second === 'hb') return [{ type: 'control', what: 'heartbeat' }];
    const info = channels.get(chanId);
    if (!info) return [bad(`data for unknown chanId ${chanId}`, frame, 'protocol')];
    if (info.channel === 'trades') {
      if (second === 'te' || second === 'tu') {
        const e = trade(info, third, receivedAt);
        return e ? [e] : [];
      }
      if (Array.isArray(second)) {
        // Snapshot of past trades: not live, never counted; remember ids so no later tu repeats them.
        for (const t of second) if (Array.isArray(t) && typeof t[0] === 'number') remember(t[0]);
        return [{ type: 'control', what: 'info', message: `trades snapshot skipped (${second.length})` }];
      }
      return [bad('unknown trades message', frame, 'protocol')];
    }
    if (info.channel === 'ticker' && Array.isArray(second)) {
      const [bid, bidSize, ask, askSize] = second;
      if (typeof bid !== 'number' || typeof ask !== 'number' || typeof bidSize !== 'number' || typeof askSize !== 'number'
        || !(bid > 0 && bid < Infinity) || !(ask > 0 && ask < Infinity) || !Number.isFinite(bidSize) || !Number.isFinite(askSize)) {
        return [bad('bad ticker', frame)];
      }
      return [{
        type: 'quote', exchange: ctx.exchange, market: ctx.market, symbol: info.symbol,
        bid, bidSize, ask, askSize, time: receivedAt, receivedAt,
      }];
    }
    return [bad(`unexpected ${info.channel} message`, frame, 'protocol')];
  }

  return {
    parse(frame, receivedAt) {
      let msg: unknown;
      try {
        msg = JSON.parse(frame);
      } catch {
        const t = frame.trimStart();
        if (t.startsWith('{') || t.startsWith('[')) return [bad('malformed JSON frame', frame)];
        return [{ type: 'notice', message: frame.slice(0, 200) }];
      }
      try {
        if (Array.isArray(msg)) return onArray(msg, frame, receivedAt);
        if (isObj(msg) && typeof msg.event === 'string') return onEvent(msg, frame);
        return [bad('unexpected frame', frame, 'protocol')];
      } catch (err) {
        return [bad(`parser failure: ${String(err)}`, frame)];
      }
    },
  };
}

const SPOT_CHANNELS: readonly Channel[] = ['trades', 'quotes'];
const WIRE_CHANNEL: Partial<Record<Channel, string>> = { trades: 'trades', quotes: 'ticker' };

// ---- REST history: /v2/candles/trade:{tf}:{sym}/hist --------------------------------------------
// start/end (ms), limit (at most 10 000), sort=1 for oldest first. Row ORDER differs from every
// other venue: [MTS, OPEN, CLOSE, HIGH, LOW, VOLUME]. Errors: ["error", code, text].
const BITFINEX_TFS: Record<string, string> = { '1m': '1m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '1h', '3h': '3h', '6h': '6h', '12h': '12h', '1d': '1D' };

function parseBitfinexCandles(body: unknown, ctx: RestContext) {
  const rows = expectArray(body, 'Bitfinex candles body');
  if (rows[0] === 'error') throw new ParseError(`Bitfinex candles: ${String(rows[2])} (code ${String(rows[1])})`);
  return rows.map((row) => {
    const r = expectArray(row, 'Bitfinex candle row');
    return candleBar(ctx, { start: Number(r[0]), open: r[1], close: r[2], high: r[3], low: r[4], volume: r[5] });
  });
}

export const bitfinexAdapter: VenueAdapter = {
  id: 'bitfinex',
  displayName: 'Bitfinex',
  marketTypes: ['spot'],
  channels: { spot: SPOT_CHANNELS },
  optionsSchema: VENUE_OPTIONS.bitfinex,
  defaultUrl: () => 'wss://api-pub.bitfinex.com/ws/2',
  defaultRestUrl: () => 'https://api-pub.bitfinex.com',
  // Bitfinex allows 30 public channel subscriptions per connection.
  maxStreamsPerConnection: 30,
  // Bitfinex publishes no subscribe rate; 20/s keeps a full 30-channel connection under 2 s.
  subscribeMessagesPerSecond: 20,
  // The server sends [chanId,"hb"] every 15 s per channel; our ping checks the link both ways.
  keepalive: { kind: 'text', intervalMs: 30_000, message: '{"event":"ping","cid":1}' },
  subscribeMessages: (streams) =>
    streams
      .filter((s) => WIRE_CHANNEL[s.channel])
      .map((s) => JSON.stringify({ event: 'subscribe', channel: WIRE_CHANNEL[s.channel], symbol: s.native })),
  // Unsubscribing needs the server's chanId, which only the parser knows; the runtime reconnects
  // with the new stream set instead.
  createParser: createBitfinexParser,
  instruments: {
    path: () => '/v2/conf/pub:list:pair:exchange',
    // Body: [["BTCUSD","BTCUST","TESTBTC:TESTUSD",...]]
    parse(body): Instrument[] {
      const pairs = Array.isArray(body) && Array.isArray(body[0]) ? body[0] : [];
      const out: Instrument[] = [];
      for (const p of pairs) {
        if (typeof p !== 'string' || !/^[A-Z0-9:]+$/i.test(p)) continue;
        out.push({ symbol: bitfinexToCanonical(p), native: `t${p}` });
      }
      return out;
    },
  },
  candles: {
    intervals: () => Object.keys(BITFINEX_TFS),
    maxPerRequest: 10_000,
    path: (q) => `/v2/candles/trade:${nativeInterval(BITFINEX_TFS, q.tf, 'Bitfinex')}:${q.native}/hist?start=${q.from}&end=${q.to - 1}&limit=${q.limit}&sort=1`,
    parse: parseBitfinexCandles,
    exactSplit: false,
  },
  // Candles: 30 requests per minute per IP.
  restRateLimit: { requestsPerSecond: 0.5, burst: 5 },
  toNative: (symbol: string, _market: MarketType) => bitfinexToNative(symbol),
  toCanonical: (native: string) => bitfinexToCanonical(native),
};
