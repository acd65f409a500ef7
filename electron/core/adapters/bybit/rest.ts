/**
 * Bybit v5 REST: the instruments-info list and /v5/market/kline candles, spot and linear
 * perpetuals. Paths and body parsers only; rest/client.ts makes the requests.
 */
import type { MarketType } from '../../../../shared/domain';
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';

function parseInstruments(body: unknown, market: MarketType): Instrument[] {
  const result = isObj(body) ? body.result : undefined;
  if (!isObj(body) || body.retCode !== 0 || !isObj(result) || !Array.isArray(result.list)) {
    const why = isObj(body) && typeof body.retMsg === 'string' ? `: ${body.retMsg}` : '';
    throw new Error(`instruments-info without result.list${why}`);
  }
  const out: Instrument[] = [];
  for (const i of result.list) {
    if (!isObj(i) || typeof i.symbol !== 'string' || typeof i.baseCoin !== 'string' || typeof i.quoteCoin !== 'string') continue;
    if (i.status !== 'Trading') continue;
    // Linear also lists dated futures (BTCUSDT-26DEC25); only perpetuals are a `perp` market.
    if (market === 'perp' && i.contractType !== 'LinearPerpetual') continue;
    out.push({ symbol: `${i.baseCoin}-${i.quoteCoin}`.toUpperCase(), native: i.symbol });
  }
  return out;
}

// Candles: /v5/market/kline.
// category spot | linear, interval in minutes (or D), start/end in ms, at most 1000 rows, NEWEST
// first: [startTime, open, high, low, close, volume, turnover]; turnover gives the VWAP. Answers
// `{retCode, retMsg, result:{list}}`, with HTTP 200 even for errors (retCode != 0).
const BYBIT_INTERVALS: Record<string, string> = { '1m': '1', '3m': '3', '5m': '5', '15m': '15', '30m': '30', '1h': '60', '2h': '120', '4h': '240', '6h': '360', '12h': '720', '1d': 'D' };

function parseBybitKline(body: unknown, ctx: RestContext) {
  const b = body as { retCode?: unknown; retMsg?: unknown; result?: { list?: unknown } } | null;
  if (b?.retCode !== 0) throw new ParseError(`Bybit kline: ${String(b?.retMsg ?? 'no retCode')} (retCode ${String(b?.retCode)})`);
  return expectArray(b.result?.list, 'Bybit kline result.list').map((row) => {
    const r = expectArray(row, 'Bybit kline row');
    return candleBar(ctx, { start: Number(r[0]), open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5], quoteVolume: r[6] });
  });
}

export const bybitRest: VenueRest = {
  defaultRestUrl: () => 'https://api.bybit.com',
  instruments: {
    // Linear pages at 500 by default; 1000 (the maximum) holds every perpetual in one page.
    path: (market) => (market === 'perp' ? '/v5/market/instruments-info?category=linear&limit=1000' : '/v5/market/instruments-info?category=spot'),
    parse: parseInstruments,
  },
  candles: {
    intervals: () => Object.keys(BYBIT_INTERVALS),
    maxPerRequest: 1000,
    path: (q) => `/v5/market/kline?category=${q.market === 'perp' ? 'linear' : 'spot'}&symbol=${encodeURIComponent(q.native)}&interval=${nativeInterval(BYBIT_INTERVALS, q.tf, 'Bybit')}&start=${q.from}&end=${q.to - 1}&limit=${q.limit}`,
    parse: parseBybitKline,
    exactSplit: false,
  },
  // 600 requests per 5 s per IP for market data; 5/s leaves the rest to other tools on the host.
  restRateLimit: { requestsPerSecond: 5, burst: 10 },
};
