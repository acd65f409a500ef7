/**
 * Bitfinex REST: the pair list and /v2/candles. Paths and body parsers only; rest/client.ts makes
 * the requests.
 */
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { bitfinexToCanonical } from './symbols';

// Candles: /v2/candles/trade:{tf}:{sym}/hist.
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

export const bitfinexRest: VenueRest = {
  defaultRestUrl: () => 'https://api-pub.bitfinex.com',
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
};
