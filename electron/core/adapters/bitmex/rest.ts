/**
 * BitMEX REST: the active instrument list and 1m/5m/1h/1d trade buckets. Paths and body parsers
 * only; rest/client.ts makes the requests.
 */
import type { MarketType } from '../../../../shared/domain';
import { timeframeMs } from '../../../../shared/timeframes';
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';
import { bitmexAsset } from './symbols';

/** `typ` of perpetual swaps (FFWCSX); FFCCSX are dated futures, IFXXXP spot. */
const PERPETUAL = 'FFWCSX';

function parseInstruments(body: unknown, _market: MarketType): Instrument[] {
  const out: Instrument[] = [];
  for (const i of expectArray(body, 'BitMEX instrument list')) {
    if (!isObj(i) || typeof i.symbol !== 'string' || typeof i.underlying !== 'string' || typeof i.quoteCurrency !== 'string') continue;
    if (i.typ !== PERPETUAL || i.state !== 'Open') continue;
    out.push({ symbol: `${bitmexAsset(i.underlying)}-${bitmexAsset(i.quoteCurrency)}`, native: i.symbol });
  }
  return out;
}

// Candles: /api/v1/trade/bucketed (binSize 1m, 5m, 1h, 1d; at most 1000 rows; reverse=false gives
// oldest first). A bucket's `timestamp` is its END (the 00:01 bucket holds 00:00-00:01 trades), so
// the start is timestamp - binSize, and startTime/endTime filter on that end time. partial=false
// leaves out the bucket still forming. `volume` counts contracts; `homeNotional` is the base
// volume our trade sizes use, `foreignNotional` the quote volume.
const BITMEX_BINS: Record<string, string> = { '1m': '1m', '5m': '5m', '1h': '1h', '1d': '1d' };

function parseBuckets(body: unknown, ctx: RestContext) {
  const tf = timeframeMs(ctx.tf);
  return expectArray(body, 'BitMEX trade buckets').map((row) => {
    if (!isObj(row) || typeof row.timestamp !== 'string') throw new ParseError('BitMEX bucket without a timestamp');
    const end = Date.parse(row.timestamp);
    return candleBar(ctx, {
      start: end - tf, open: row.open, high: row.high, low: row.low, close: row.close,
      volume: row.homeNotional, quoteVolume: row.foreignNotional, vwap: row.vwap, trades: row.trades,
    });
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

export const bitmexRest: VenueRest = {
  defaultRestUrl: () => 'https://www.bitmex.com',
  instruments: { path: () => '/api/v1/instrument/active', parse: parseInstruments },
  candles: {
    intervals: () => Object.keys(BITMEX_BINS),
    maxPerRequest: 1000,
    path: (q) => {
      const tf = timeframeMs(q.tf);
      return `/api/v1/trade/bucketed?binSize=${nativeInterval(BITMEX_BINS, q.tf, 'BitMEX')}&partial=false&symbol=${encodeURIComponent(q.native)}` +
        `&count=${q.limit}&reverse=false&startTime=${iso(q.from + tf)}&endTime=${iso(q.to + tf - 1)}`;
    },
    parse: parseBuckets,
    exactSplit: false,
  },
  // Unauthenticated REST: 30 requests per minute per IP.
  restRateLimit: { requestsPerSecond: 0.5, burst: 5 },
};
