/**
 * Bitstamp REST: trading-pairs-info and /api/v2/ohlc candles. Paths and body parsers only;
 * rest/client.ts makes the requests.
 */
import type { MarketType } from '../../../../shared/domain';
import { isCanonicalSymbol } from '../../../../shared/symbols';
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';

// Candles: /api/v2/ohlc/{pair}/.
// step (seconds), start/end (UNIX seconds), limit (at most 1000), oldest first:
// {data:{pair, ohlc:[{timestamp, open, high, low, close, volume}]}}; errors as {code, errors}.
const BITSTAMP_STEPS: Record<string, string> = { '1m': '60', '3m': '180', '5m': '300', '15m': '900', '30m': '1800', '1h': '3600', '2h': '7200', '4h': '14400', '6h': '21600', '12h': '43200', '1d': '86400' };

function parseBitstampOhlc(body: unknown, ctx: RestContext) {
  const data = (body as { data?: { ohlc?: unknown } } | null)?.data;
  return expectArray(data?.ohlc, 'Bitstamp data.ohlc').map((c) => {
    const r = c as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null) throw new ParseError('Bitstamp ohlc entry is not an object');
    return candleBar(ctx, { start: Number(r.timestamp) * 1000, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume });
  });
}

export const bitstampRest: VenueRest = {
  defaultRestUrl: () => 'https://www.bitstamp.net',
  instruments: {
    path: () => '/api/v2/trading-pairs-info/',
    parse(body: unknown, _market: MarketType): Instrument[] {
      if (!Array.isArray(body)) throw new Error('Bitstamp trading-pairs-info: expected an array');
      const out: Instrument[] = [];
      for (const p of body as Record<string, unknown>[]) {
        if (typeof p?.name !== 'string' || typeof p.url_symbol !== 'string') continue;
        const symbol = p.name.toUpperCase().replace('/', '-');
        if (isCanonicalSymbol(symbol)) out.push({ symbol, native: p.url_symbol });
      }
      return out;
    },
  },
  candles: {
    intervals: () => Object.keys(BITSTAMP_STEPS),
    maxPerRequest: 1000,
    path: (q) => `/api/v2/ohlc/${encodeURIComponent(q.native)}/?step=${nativeInterval(BITSTAMP_STEPS, q.tf, 'Bitstamp')}&start=${Math.floor(q.from / 1000)}&end=${Math.floor((q.to - 1) / 1000)}&limit=${q.limit}`,
    parse: parseBitstampOhlc,
    exactSplit: false,
  },
  // 400 requests/s, 10 000 per 10 minutes per client: 8/s stays under the 10-minute budget.
  restRateLimit: { requestsPerSecond: 8, burst: 16 },
};
