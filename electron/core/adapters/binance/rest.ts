/**
 * Binance REST: the exchangeInfo instrument list, klines (candles), aggTrades by id (exact gap
 * fill) and USD-M open interest (polled), spot and USD-M. Paths and body parsers only; rest/client.ts makes the requests.
 */
import type { Funding, MarketType, Trade } from '../../../../shared/domain';
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import type { BookSnapshotBody } from '../book-spec';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';
import { depthLevels, num } from './stream';

/**
 * The REST depth snapshot a Binance book syncs from (spot `/api/v3/depth`, weight 50 at
 * limit=1000; USD-M `/fapi/v1/depth`, weight 20): the book at `lastUpdateId`.
 */
export function binanceDepthPath(native: string, market: MarketType, limit = 1000): string {
  return `${market === 'perp' ? '/fapi/v1/depth' : '/api/v3/depth'}?symbol=${encodeURIComponent(native)}&limit=${limit}`;
}

export function parseBinanceDepth(body: unknown): BookSnapshotBody {
  if (!isObj(body)) throw new ParseError('depth snapshot is not an object');
  const id = body.lastUpdateId;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new ParseError('depth snapshot without an integer lastUpdateId');
  const bids = depthLevels(body.bids);
  const asks = depthLevels(body.asks);
  if (bids === null || asks === null) throw new ParseError('depth snapshot with malformed bids or asks');
  const time = num(body.T ?? body.E);
  return Number.isFinite(time) ? { lastSeq: id, bids, asks, time } : { lastSeq: id, bids, asks };
}

function parseExchangeInfo(body: unknown, market: MarketType): Instrument[] {
  if (!isObj(body) || !Array.isArray(body.symbols)) throw new Error('exchangeInfo without a symbols array');
  const out: Instrument[] = [];
  for (const s of body.symbols) {
    if (!isObj(s) || typeof s.symbol !== 'string' || typeof s.baseAsset !== 'string' || typeof s.quoteAsset !== 'string') continue;
    if (s.status !== 'TRADING') continue;
    // USD-M lists quarterly futures (BTCUSDT_250627) beside the perpetuals.
    if (market === 'perp' && s.contractType !== 'PERPETUAL') continue;
    out.push({ symbol: `${s.baseAsset}-${s.quoteAsset}`.toUpperCase(), native: s.symbol });
  }
  return out;
}

// Spot /api/v3/klines (weight 2, 1000 per request, 1s interval available) and USD-M
// /fapi/v1/klines (1500 per request, weight 5 above 500, no 1s). A kline row:
// [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase,
//  takerBuyQuote, ignore]: taker buy volume and the count make the split exact.
const KLINE_INTERVALS: Record<string, string> = { '1m': '1m', '3m': '3m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '1h', '2h': '2h', '4h': '4h', '6h': '6h', '8h': '8h', '12h': '12h', '1d': '1d' };
const SPOT_INTERVALS = ['1s', ...Object.keys(KLINE_INTERVALS)];
const PERP_INTERVALS = Object.keys(KLINE_INTERVALS);

function parseKlines(body: unknown, ctx: RestContext): ReturnType<typeof candleBar>[] {
  return expectArray(body, 'klines body').map((row) => {
    const r = expectArray(row, 'kline row');
    return candleBar(ctx, { start: r[0] as number, open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5], quoteVolume: r[7], trades: r[8], buyVolume: r[9] });
  });
}

/** REST aggTrades rows `{a,p,q,f,l,T,m,M}` (M absent on USD-M): the same trade as the stream's. */
function parseAggTrades(body: unknown, ctx: Omit<RestContext, 'tf'>, receivedAt: number): Trade[] {
  return expectArray(body, 'aggTrades body').map((row) => {
    if (!isObj(row)) throw new ParseError('aggTrades row is not an object');
    const price = num(row.p);
    const size = num(row.q);
    const time = num(row.T);
    if (!(price > 0) || !(size > 0) || !Number.isFinite(time) || !Number.isInteger(row.a)) throw new ParseError(`aggTrade ${String(row.a)} with bad id, price, quantity or time`);
    return {
      type: 'trade', exchange: ctx.exchange, market: ctx.market, symbol: ctx.symbol, price, size,
      side: row.m === true ? 'sell' : row.m === false ? 'buy' : 'unknown', time, receivedAt, id: String(row.a),
    };
  });
}

/**
 * USD-M open interest, `GET /fapi/v1/openInterest?symbol=` (weight 1): `{"openInterest":"10659.509",
 * "symbol":"BTCUSDT","time":1589437530011}`, in the base asset. Binance streams no open interest,
 * so the feed runtime polls it (VenueRest.polls) and merges it into the markPrice Funding.
 */
function parseOpenInterest(body: unknown, ctx: Omit<RestContext, 'tf'>, receivedAt: number): Funding[] {
  if (!isObj(body)) throw new ParseError('openInterest answer is not an object');
  const oi = num(body.openInterest), time = num(body.time);
  if (!(oi >= 0) || !(time > 0)) throw new ParseError(`openInterest answer without a number openInterest and time: ${JSON.stringify(body).slice(0, 120)}`);
  return [{ type: 'funding', exchange: ctx.exchange, market: ctx.market, symbol: ctx.symbol, openInterest: oi, time, receivedAt }];
}

export const binanceRest: VenueRest = {
  defaultRestUrl: (market) => (market === 'perp' ? 'https://fapi.binance.com' : 'https://api.binance.com'),
  instruments: {
    // Spot: without permission sets the list is a fraction of its size (it can press the 16 MB REST cap).
    path: (market) => (market === 'perp' ? '/fapi/v1/exchangeInfo' : '/api/v3/exchangeInfo?showPermissionSets=false'),
    parse: parseExchangeInfo,
  },
  candles: {
    intervals: (market) => (market === 'perp' ? PERP_INTERVALS : SPOT_INTERVALS),
    maxPerRequest: 1000,
    path: (q) => {
      const interval = q.tf === '1s' && q.market === 'spot' ? '1s' : nativeInterval(KLINE_INTERVALS, q.tf, 'Binance');
      const base = q.market === 'perp' ? '/fapi/v1/klines' : '/api/v3/klines';
      return `${base}?symbol=${encodeURIComponent(q.native)}&interval=${interval}&startTime=${q.from}&endTime=${q.to - 1}&limit=${q.limit}`;
    },
    parse: parseKlines,
    exactSplit: true,
  },
  tradesById: {
    maxPerRequest: 1000,
    path: (q) => `${q.market === 'perp' ? '/fapi/v1/aggTrades' : '/api/v3/aggTrades'}?symbol=${encodeURIComponent(q.native)}&fromId=${q.fromId}&limit=${q.limit}`,
    parse: parseAggTrades,
  },
  // Each perp market of a funding feed every 15 s, at most one request a second per feed: half the
  // bucket below, so 30 markets come round every 30 s and backfill still gets its share.
  polls: [{
    what: 'open interest', market: 'perp', channel: 'funding', intervalMs: 15_000, minGapMs: 1_000,
    path: (native) => `/fapi/v1/openInterest?symbol=${encodeURIComponent(native)}`,
    parse: parseOpenInterest,
  }],
  // Spot allows 6000 weight/min per IP (klines 2, aggTrades 4), USD-M 2400 (klines up to 5,
  // aggTrades 20): 2 requests/s, burst 10 stays inside the stricter USD-M budget with margin.
  restRateLimit: { requestsPerSecond: 2, burst: 10 },
};
