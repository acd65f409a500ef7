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
 */
import type { MarketType, Quote, Side, Trade } from '../../../shared/domain';
import { isCanonicalSymbol } from '../../../shared/symbols';
import { candleBar, expectArray, nativeInterval } from '../history/candle-bar';
import type { RestContext } from './adapter';
import { ParseError } from '../util/errors';
import { show } from './show';
import type { ErrorEvent, FrameParser, Instrument, ParsedEvent, ParserContext, Stream, VenueAdapter } from './adapter';
import { isoToEpochMs } from '../util/time';
import { VENUE_OPTIONS } from '../../../shared/venue-options';

/** Kraken's legacy asset codes -> the ISO codes used by WS v2 and by canonical symbols. */
const LEGACY_ASSETS: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' };
/** Symbols per subscribe request: keeps each request (and its burst of per-symbol acks) modest. */
const SYMBOLS_PER_REQUEST = 50;

function isoAsset(code: string): string {
  const c = code.toUpperCase();
  return LEGACY_ASSETS[c] ?? c;
}

/** `XBT/USD` or `BTC/USD` -> `BTC-USD`. */
function krakenToCanonical(native: string): string {
  const i = native.indexOf('/');
  if (i <= 0) return native.toUpperCase();
  return `${isoAsset(native.slice(0, i))}-${isoAsset(native.slice(i + 1))}`;
}

function positive(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : NaN;
}

/** A quantity: a finite non-negative JSON number, else 0 ("not given"); 1e400 parses as Infinity. */
function quantity(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function clip(frame: string): string {
  return frame.length > 300 ? `${frame.slice(0, 300)}...` : frame;
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

  constructor(private readonly ctx: ParserContext) {
    for (const m of messages('subscribe', ctx.streams)) {
      const { req_id, params } = JSON.parse(m) as { req_id: number; params: { channel: string } };
      this.channelOfReq.set(req_id, params.channel);
    }
  }

  parse(frame: string, receivedAt: number): ParsedEvent[] {
    const head = frame.trimStart()[0];
    if (head !== '{' && head !== '[') {
      // Kraken's Cloudflare front sends plain-text notices; show them, never fail on them.
      return [{ type: 'notice', message: `Kraken: ${clip(frame.trim())}` }];
    }
    let msg: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(frame);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      msg = v as Record<string, unknown>;
    } catch (e) {
      return [{ type: 'error', kind: 'parse', message: `malformed frame: ${(e as Error).message}`, cause: clip(frame) }];
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
      default:
        return [{ type: 'error', kind: 'protocol', message: `unexpected message (channel ${show(msg.channel)})`, cause: clip(frame) }];
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
        out.push({ type: 'error', kind: 'parse', message: 'trade entry is not an object', cause: clip(frame) });
        continue;
      }
      const price = positive(t.price);
      const size = positive(t.qty);
      const time = typeof t.timestamp === 'string' ? isoToEpochMs(t.timestamp) : NaN;
      if (typeof t.symbol !== 'string' || t.symbol === '' || Number.isNaN(price) || Number.isNaN(size) || Number.isNaN(time)) {
        out.push({ type: 'error', kind: 'parse', message: 'bad trade entry (symbol, price, qty, timestamp)', cause: clip(frame) });
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
        out.push({ type: 'error', kind: 'parse', message: 'ticker entry is not an object', cause: clip(frame) });
        continue;
      }
      const bid = positive(t.bid);
      const ask = positive(t.ask);
      const time = typeof t.timestamp === 'string' ? isoToEpochMs(t.timestamp) : receivedAt;
      if (typeof t.symbol !== 'string' || t.symbol === '' || Number.isNaN(bid) || Number.isNaN(ask) || Number.isNaN(time)) {
        out.push({ type: 'error', kind: 'parse', message: 'bad ticker entry (symbol, bid, ask, timestamp)', cause: clip(frame) });
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

function messages(method: 'subscribe' | 'unsubscribe', streams: readonly Stream[]): string[] {
  const out: string[] = [];
  let reqId = 0;
  for (const ch of ['trades', 'quotes'] as const) {
    const symbols = [...new Set(streams.filter((s) => s.channel === ch).map((s) => s.native))];
    for (let i = 0; i < symbols.length; i += SYMBOLS_PER_REQUEST) {
      const symbol = symbols.slice(i, i + SYMBOLS_PER_REQUEST);
      const params =
        ch === 'trades'
          ? { channel: 'trade', symbol, ...(method === 'subscribe' ? { snapshot: false } : {}) }
          : { channel: 'ticker', symbol, ...(method === 'subscribe' ? { event_trigger: 'bbo' } : {}) };
      out.push(JSON.stringify({ method, params, req_id: ++reqId }));
    }
  }
  return out;
}

// ---- REST history: /0/public/OHLC --------------------------------------------------------------
// pair (REST name: XBTUSD; WS v2's BTC/USD with BTC -> XBT, DOGE -> XDG), interval in minutes,
// since (UNIX seconds). The 720 most recent candles at most, oldest first:
// {error:[], result:{<pair>:[[time, o, h, l, c, vwap, volume, count]], last}}; the newest entry is
// the forming candle. VWAP and count are the venue's; no taker split.
const KRAKEN_INTERVALS: Record<string, string> = { '1m': '1', '5m': '5', '15m': '15', '30m': '30', '1h': '60', '4h': '240', '1d': '1440' };
const KRAKEN_REST_ASSET: Record<string, string> = { BTC: 'XBT', DOGE: 'XDG' };

export function krakenRestPair(native: string): string {
  const [base = '', quote = ''] = native.toUpperCase().split('/');
  return `${KRAKEN_REST_ASSET[base] ?? base}${KRAKEN_REST_ASSET[quote] ?? quote}`;
}

function parseKrakenOhlc(body: unknown, ctx: RestContext) {
  const b = body as { error?: unknown; result?: unknown } | null;
  if (Array.isArray(b?.error) && b.error.length) throw new ParseError(`Kraken OHLC: ${b.error.join('; ')}`);
  if (typeof b?.result !== 'object' || b.result === null) throw new ParseError('Kraken OHLC: no "result" object');
  const key = Object.keys(b.result).find((k) => k !== 'last');
  const rows = key === undefined ? [] : expectArray((b.result as Record<string, unknown>)[key], 'Kraken OHLC rows');
  return rows.map((row) => {
    const r = expectArray(row, 'Kraken OHLC row');
    return candleBar(ctx, { start: Number(r[0]) * 1000, open: r[1], high: r[2], low: r[3], close: r[4], vwap: r[5], volume: r[6], trades: r[7] });
  });
}

export const krakenAdapter: VenueAdapter = {
  id: 'kraken',
  displayName: 'Kraken',
  marketTypes: ['spot'],
  channels: { spot: ['trades', 'quotes'] },
  optionsSchema: VENUE_OPTIONS.kraken,
  defaultUrl: () => 'wss://ws.kraken.com/v2',
  defaultRestUrl: () => 'https://api.kraken.com',
  maxStreamsPerConnection: 200,
  subscribeMessagesPerSecond: 5,
  // Server heartbeats only flow once subscribed; an app-level ping keeps any connection alive.
  keepalive: { kind: 'text', intervalMs: 30_000, message: '{"method":"ping"}' },
  subscribeMessages: (streams) => messages('subscribe', streams),
  unsubscribeMessages: (streams) => messages('unsubscribe', streams),
  createParser: (ctx) => new KrakenParser(ctx),
  instruments: {
    path: () => '/0/public/AssetPairs',
    parse(body: unknown, _market: MarketType): Instrument[] {
      const b = body as { error?: unknown; result?: unknown } | null;
      if (Array.isArray(b?.error) && b.error.length) throw new Error(`Kraken AssetPairs: ${b.error.join('; ')}`);
      if (typeof b?.result !== 'object' || b.result === null) throw new Error('Kraken AssetPairs: no "result" object');
      const out: Instrument[] = [];
      for (const pair of Object.values(b.result as Record<string, { wsname?: unknown }>)) {
        if (typeof pair?.wsname !== 'string') continue;
        const symbol = krakenToCanonical(pair.wsname);
        // WS v2 wants ISO names (BTC/USD) even where wsname still says XBT/USD.
        if (isCanonicalSymbol(symbol)) out.push({ symbol, native: symbol.replace('-', '/') });
      }
      return out;
    },
  },
  candles: {
    intervals: () => Object.keys(KRAKEN_INTERVALS),
    maxPerRequest: 720,
    // `since` is exclusive: one second before the first wanted candle.
    path: (q) => `/0/public/OHLC?pair=${encodeURIComponent(krakenRestPair(q.native))}&interval=${nativeInterval(KRAKEN_INTERVALS, q.tf, 'Kraken')}&since=${Math.floor(q.from / 1000) - 1}`,
    parse: parseKrakenOhlc,
    exactSplit: false,
  },
  // Public endpoints: a decaying counter that allows about one call per second sustained.
  restRateLimit: { requestsPerSecond: 1, burst: 3 },
  toNative: (symbol) => symbol.toUpperCase().replace('-', '/'),
  toCanonical: (native) => krakenToCanonical(native),
};
