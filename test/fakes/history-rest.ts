/**
 * The REST history endpoints of the fake venues, in each venue's real request and response
 * format: candles (Binance klines spot + USD-M, Bybit /v5/market/kline, OKX /api/v5/market/candles,
 * Coinbase Advanced public candles, Kraken /0/public/OHLC, Bitstamp /api/v2/ohlc, Bitfinex
 * /v2/candles/.../hist, Deribit get_tradingview_chart_data, Gate spot and USDT futures candlesticks; Hyperliquid's POST candleSnapshot is
 * answered by its fake's /info route from candlesIn()) and Binance aggTrades by fromId. Each fake holds one and calls handle()
 * first in its http 'request' handler. Tests store candles in venue-neutral form (setCandles),
 * make the next answers rate-limit refusals (rateLimitNext), and read what was asked (requests).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type HistoryVenue = 'binance' | 'bybit' | 'okx' | 'coinbase' | 'kraken' | 'bitstamp' | 'bitfinex' | 'hyperliquid' | 'deribit' | 'bitmex' | 'gate';

export interface FakeCandle {
  start: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  /** Binance taker buy base volume; default half the volume. */
  buyVolume?: string;
  trades?: number;
  quoteVolume?: string;
  vwap?: string;
  /** OKX confirm flag: false marks the forming candle. Default true. */
  confirmed?: boolean;
}

const MIN = 60_000;
/** Venue interval names -> ms. */
const BINANCE_TF: Record<string, number> = { '1s': 1000, '1m': MIN, '3m': 3 * MIN, '5m': 5 * MIN, '15m': 15 * MIN, '30m': 30 * MIN, '1h': 60 * MIN };
const MINUTES = (v: string) => (v === 'D' ? 1440 * MIN : Number(v) * MIN);
const OKX_TF: Record<string, number> = { '1m': MIN, '3m': 3 * MIN, '5m': 5 * MIN, '15m': 15 * MIN, '30m': 30 * MIN, '1H': 60 * MIN, '2H': 120 * MIN, '4H': 240 * MIN };
const COINBASE_TF: Record<string, number> = { ONE_MINUTE: MIN, FIVE_MINUTE: 5 * MIN, FIFTEEN_MINUTE: 15 * MIN, THIRTY_MINUTE: 30 * MIN, ONE_HOUR: 60 * MIN };
const BITMEX_TF: Record<string, number> = { '1m': MIN, '5m': 5 * MIN, '1h': 60 * MIN, '1d': 1440 * MIN };
const GATE_TF: Record<string, number> = { '1m': MIN, '5m': 5 * MIN, '15m': 15 * MIN, '30m': 30 * MIN, '1h': 60 * MIN };
const BITFINEX_TF: Record<string, number> = { '1m': MIN, '5m': 5 * MIN, '15m': 15 * MIN, '30m': 30 * MIN, '1h': 60 * MIN };
/** Kraken answers under the pair's REST id. */
const KRAKEN_IDS: Record<string, string> = { XBTUSD: 'XXBTZUSD', ETHUSD: 'XETHZUSD' };

export class FakeHistoryRest {
  readonly requests: { path: string; at: number; status: number }[] = [];
  /** Binance aggTrade payloads by native symbol, in id order (as pushed on the stream). */
  readonly aggTrades = new Map<string, Record<string, unknown>[]>();
  private readonly candles = new Map<string, FakeCandle[]>();
  private limited = 0;
  private retryAfterSec = 1;

  constructor(readonly venue: HistoryVenue) {}

  setCandles(native: string, tfMs: number, rows: FakeCandle[]): void {
    this.candles.set(`${native}|${tfMs}`, [...rows].sort((a, b) => a.start - b.start));
  }

  /** The next n history requests are refused with HTTP 429 and Retry-After (seconds). */
  rateLimitNext(n: number, retryAfterSec = 1): void {
    this.limited = n;
    this.retryAfterSec = retryAfterSec;
  }

  recordAggTrade(data: Record<string, unknown>): void {
    const s = String(data.s);
    let list = this.aggTrades.get(s);
    if (!list) this.aggTrades.set(s, (list = []));
    list.push(data);
  }

  /**
   * Stored candles of `native` at `tfMs` starting in [from, to], oldest first: for venues whose
   * candles come from a POST the fake's own route answers (Hyperliquid /info candleSnapshot).
   */
  candlesIn(native: string, tfMs: number, from: number, to: number): FakeCandle[] {
    return this.rows(native, tfMs, from, to);
  }

  /** True when the request was a history request (answered here). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const answer = this.route(url);
    if (answer === null) return false;
    if (this.limited > 0) {
      this.limited--;
      this.requests.push({ path: url.pathname + url.search, at: Date.now(), status: 429 });
      const body = this.venue === 'binance' ? '{"code":-1003,"msg":"Too many requests; current limit of IP is 6000 requests per minute."}' : '{"message":"Too many requests"}';
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(this.retryAfterSec) }).end(body);
      return true;
    }
    this.requests.push({ path: url.pathname + url.search, at: Date.now(), status: 200 });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    return true;
  }

  private rows(native: string, tfMs: number | undefined, from: number, to: number): FakeCandle[] {
    if (tfMs === undefined) return [];
    return (this.candles.get(`${native}|${tfMs}`) ?? []).filter((c) => c.start >= from && c.start <= to);
  }

  private route(url: URL): unknown {
    const q = (k: string) => url.searchParams.get(k) ?? '';
    const n = (k: string, d: number) => (url.searchParams.has(k) ? Number(q(k)) : d);
    const p = url.pathname;
    const v = this.venue;
    if (v === 'binance' && (p === '/api/v3/klines' || p === '/fapi/v1/klines')) {
      const rows = this.rows(q('symbol'), BINANCE_TF[q('interval')], n('startTime', 0), n('endTime', Infinity)).slice(0, n('limit', 500));
      const tf = BINANCE_TF[q('interval')]!;
      return rows.map((c) => [c.start, c.open, c.high, c.low, c.close, c.volume, c.start + tf - 1, c.quoteVolume ?? '0', c.trades ?? 0, c.buyVolume ?? String(Number(c.volume) / 2), '0', '0']);
    }
    if (v === 'binance' && (p === '/api/v3/aggTrades' || p === '/fapi/v1/aggTrades')) {
      const from = n('fromId', 0);
      return (this.aggTrades.get(q('symbol')) ?? [])
        .filter((t) => Number(t.a) >= from)
        .slice(0, Math.min(n('limit', 500), 1000))
        .map((t) => ({ a: t.a, p: t.p, q: t.q, f: t.f, l: t.l, T: t.T, m: t.m, ...(p.startsWith('/api') ? { M: true } : {}) }));
    }
    if (v === 'bybit' && p === '/v5/market/kline') {
      const rows = this.rows(q('symbol'), MINUTES(q('interval')), n('start', 0), n('end', Infinity)).reverse().slice(0, n('limit', 200));
      return { retCode: 0, retMsg: 'OK', result: { category: q('category'), symbol: q('symbol'), list: rows.map((c) => [String(c.start), c.open, c.high, c.low, c.close, c.volume, c.quoteVolume ?? '0']) }, retExtInfo: {}, time: Date.now() };
    }
    if (v === 'okx' && p === '/api/v5/market/candles') {
      const rows = this.rows(q('instId'), OKX_TF[q('bar')], n('before', -1) + 1, n('after', Infinity) - 1).reverse().slice(0, n('limit', 100));
      return { code: '0', msg: '', data: rows.map((c) => [String(c.start), c.open, c.high, c.low, c.close, c.volume, c.volume, c.quoteVolume ?? '0', c.confirmed === false ? '0' : '1']) };
    }
    const cb = /^\/api\/v3\/brokerage\/market\/products\/([^/]+)\/candles$/.exec(p);
    if (v === 'coinbase' && cb) {
      const rows = this.rows(decodeURIComponent(cb[1]!), COINBASE_TF[q('granularity')], n('start', 0) * 1000, n('end', Infinity) * 1000).reverse().slice(0, 350);
      return { candles: rows.map((c) => ({ start: String(c.start / 1000), low: c.low, high: c.high, open: c.open, close: c.close, volume: c.volume })) };
    }
    if (v === 'kraken' && p === '/0/public/OHLC') {
      const pair = q('pair');
      const rows = this.rows(pair, MINUTES(q('interval')), (n('since', 0) + 1) * 1000, Infinity).slice(-720);
      const last = rows.length > 0 ? rows[rows.length - 1]!.start / 1000 : 0;
      return { error: [], result: { [KRAKEN_IDS[pair] ?? pair]: rows.map((c) => [c.start / 1000, c.open, c.high, c.low, c.close, c.vwap ?? c.close, c.volume, c.trades ?? 0]), last } };
    }
    const bs = /^\/api\/v2\/ohlc\/([a-z0-9]+)\/$/.exec(p);
    if (v === 'bitstamp' && bs) {
      const rows = this.rows(bs[1]!, Number(q('step')) * 1000, n('start', 0) * 1000, n('end', Infinity) * 1000).slice(0, n('limit', 1000));
      return { data: { pair: bs[1]!.toUpperCase(), ohlc: rows.map((c) => ({ timestamp: String(c.start / 1000), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume })) } };
    }
    if (v === 'deribit' && p === '/api/v2/public/get_tradingview_chart_data') {
      const res = q('resolution');
      const rows = this.rows(q('instrument_name'), res === '1D' ? 1440 * MIN : Number(res) * MIN, n('start_timestamp', 0), n('end_timestamp', Infinity));
      if (rows.length === 0) return { jsonrpc: '2.0', result: { status: 'no_data' } };
      const col = (f: (c: FakeCandle) => unknown) => rows.map(f);
      return { jsonrpc: '2.0', result: { status: 'ok', ticks: col((c) => c.start), open: col((c) => Number(c.open)), high: col((c) => Number(c.high)), low: col((c) => Number(c.low)), close: col((c) => Number(c.close)), volume: col((c) => Number(c.volume)), cost: col((c) => Number(c.quoteVolume ?? 0)) } };
    }
    const bf = /^\/v2\/candles\/trade:([^:]+):(.+)\/hist$/.exec(p);
    if (v === 'bitfinex' && bf) {
      let rows = this.rows(decodeURIComponent(bf[2]!), BITFINEX_TF[bf[1]!], n('start', 0), n('end', Infinity));
      if (q('sort') !== '1') rows = rows.reverse();
      return rows.slice(0, n('limit', 100)).map((c) => [c.start, Number(c.open), Number(c.close), Number(c.high), Number(c.low), Number(c.volume)]);
    }
    if (v === 'bitmex' && p === '/api/v1/trade/bucketed') {
      // Buckets are stamped with their END; startTime/endTime filter on that stamp; partial=false drops the forming one.
      const tf = BITMEX_TF[q('binSize')];
      if (tf === undefined) return null;
      const rows = this.rows(q('symbol'), tf, Date.parse(q('startTime') || '1970-01-01') - tf, (q('endTime') ? Date.parse(q('endTime')) : Infinity) - tf)
        .filter((c) => q('partial') !== 'false' || c.confirmed !== false).slice(0, n('count', 100));
      if (q('reverse') !== 'false') rows.reverse();
      return rows.map((c) => ({
        timestamp: new Date(c.start + tf).toISOString(), symbol: q('symbol'), open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close),
        trades: c.trades ?? 0, volume: Math.round(Number(c.volume) * Number(c.close)), vwap: c.vwap === undefined ? null : Number(c.vwap),
        lastSize: 1, turnover: 0, homeNotional: Number(c.volume), foreignNotional: Number(c.quoteVolume ?? 0),
      }));
    }
    if (v === 'gate' && p === '/api/v4/spot/candlesticks') {
      // from/to in seconds, both inclusive; `limit` may not be combined with them.
      if (url.searchParams.has('limit') && (url.searchParams.has('from') || url.searchParams.has('to'))) return { label: 'INVALID_PARAM_VALUE', message: 'limit conflicts with from/to' };
      const rows = this.rows(q('currency_pair'), GATE_TF[q('interval')], n('from', 0) * 1000, n('to', Infinity) * 1000).slice(0, 1000);
      return rows.map((c) => [String(c.start / 1000), c.quoteVolume ?? '0', c.close, c.high, c.low, c.open, c.volume, c.confirmed === false ? 'false' : 'true']);
    }
    if (v === 'gate' && p === '/api/v4/futures/usdt/candlesticks') {
      // FuturesCandlestick objects; `volume` is taken as the CONTRACT count `v` (an integer, as Gate sends it).
      const rows = this.rows(q('contract'), GATE_TF[q('interval')], n('from', 0) * 1000, n('to', Infinity) * 1000).slice(0, 2000);
      return rows.map((c) => ({ t: c.start / 1000, v: Number(c.volume), c: c.close, h: c.high, l: c.low, o: c.open, sum: c.quoteVolume ?? '0' }));
    }
    return null;
  }
}
