/**
 * OKX REST: public instruments and market candles. Paths and body parsers only; rest/client.ts
 * makes the requests.
 */
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';
import { okxToCanonical } from './symbols';

// Candles: /api/v5/market/candles.
// The recent 1440 candles; `after` = records earlier than ts, `before` = later than ts, at most
// 300, NEWEST first: [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]. On swaps `vol` counts
// contracts and `volCcy` the base asset, which is what our trade sizes use; confirm "0" marks the
// candle still forming. Hourly and longer bars use the UTC-aligned names.
const OKX_BARS: Record<string, string> = { '1m': '1m', '3m': '3m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '1H', '2h': '2H', '4h': '4H', '6h': '6Hutc', '12h': '12Hutc', '1d': '1Dutc' };

function parseOkxCandles(body: unknown, ctx: RestContext) {
  const b = body as { code?: unknown; msg?: unknown; data?: unknown } | null;
  if (b?.code !== '0') throw new ParseError(`OKX candles: ${String(b?.msg || 'no code')} (code ${String(b?.code)})`);
  return expectArray(b.data, 'OKX candles data').map((row) => {
    const r = expectArray(row, 'OKX candle row');
    const volume = ctx.market === 'perp' ? r[6] : r[5];
    return candleBar(ctx, { start: Number(r[0]), open: r[1], high: r[2], low: r[3], close: r[4], volume, quoteVolume: r[7], final: r[8] !== '0' });
  });
}

export const okxRest: VenueRest = {
  defaultRestUrl: () => 'https://www.okx.com',
  instruments: {
    path: (market) => `/api/v5/public/instruments?instType=${market === 'perp' ? 'SWAP' : 'SPOT'}`,
    parse(body, market): Instrument[] {
      const data = isObj(body) && Array.isArray(body.data) ? body.data : [];
      const out: Instrument[] = [];
      for (const x of data) {
        if (!isObj(x) || typeof x.instId !== 'string') continue;
        if (market === 'perp' && !x.instId.endsWith('-SWAP')) continue;
        // Spot rows carry baseCcy/quoteCcy; swap rows leave them empty and name the underlying.
        const family = typeof x.instFamily === 'string' && x.instFamily ? x.instFamily : x.uly;
        const symbol = market === 'spot' && typeof x.baseCcy === 'string' && x.baseCcy && typeof x.quoteCcy === 'string' && x.quoteCcy
          ? `${x.baseCcy}-${x.quoteCcy}`
          : typeof family === 'string' && family ? family : okxToCanonical(x.instId);
        out.push({ symbol: symbol.toUpperCase(), native: x.instId });
      }
      return out;
    },
  },
  candles: {
    intervals: () => Object.keys(OKX_BARS),
    maxPerRequest: 300,
    path: (q) => `/api/v5/market/candles?instId=${encodeURIComponent(q.native)}&bar=${nativeInterval(OKX_BARS, q.tf, 'OKX')}&after=${q.to}&before=${q.from - 1}&limit=${q.limit}`,
    parse: parseOkxCandles,
    exactSplit: false,
  },
  // 40 requests per 2 s per IP on market/candles.
  restRateLimit: { requestsPerSecond: 10, burst: 20 },
};
