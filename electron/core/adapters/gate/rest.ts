/**
 * Gate API v4 REST: the spot pair list, the USDT futures contract list (with each contract's
 * `quanto_multiplier`, the base units of one contract) and spot and futures candlesticks. Paths
 * and body parsers only; rest/client.ts makes the requests.
 */
import type { MarketType } from '../../../../shared/domain';
import { ParseError } from '../../util/errors';
import { show } from '../../util/show';
import type { CandleQuery, Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, contractSizeOf, contractsToBase, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';
import { gateToCanonical } from './symbols';

function parseInstruments(body: unknown, market: MarketType): Instrument[] {
  const out: Instrument[] = [];
  for (const i of expectArray(body, `Gate ${market === 'perp' ? 'contract' : 'currency pair'} list`)) {
    if (!isObj(i)) continue;
    if (market === 'spot') {
      if (typeof i.id !== 'string' || typeof i.base !== 'string' || typeof i.quote !== 'string' || i.trade_status !== 'tradable') continue;
      out.push({ symbol: `${i.base}-${i.quote}`.toUpperCase(), native: i.id });
      continue;
    }
    if (typeof i.name !== 'string' || i.status === 'delisted') continue;
    const multiplier = typeof i.quanto_multiplier === 'string' ? Number(i.quanto_multiplier) : NaN;
    const row: Instrument = { symbol: gateToCanonical(i.name), native: i.name };
    if (multiplier > 0 && multiplier < Infinity) row.contractSize = multiplier;
    out.push(row);
  }
  return out;
}

// Candles: /api/v4/spot/candlesticks?currency_pair=&interval=&from=&to= (seconds; `limit` may not
// be combined with from/to; at most 1000 points). Rows: [t (s), quote volume, close, high, low,
// open, base volume, window closed "true"/"false"].
// Futures: /api/v4/futures/usdt/candlesticks?contract=&interval=&from=&to= (seconds, at most 2000
// points; 1000 asked), rows {t (s), v (volume in CONTRACTS), c, h, l, o, sum (quote volume)}: base
// volume = v x the contract's quanto_multiplier (RestContext.contractSize), VWAP = sum / volume.
const GATE_INTERVALS: Record<string, string> = { '1m': '1m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '1h', '4h': '4h', '1d': '1d' };

function parseSpotCandles(body: unknown, ctx: RestContext) {
  return expectArray(body, 'Gate candlesticks').map((row) => {
    const r = expectArray(row, 'Gate candlestick row');
    return candleBar(ctx, {
      start: Number(r[0]) * 1000, open: r[5], high: r[3], low: r[4], close: r[2], volume: r[6], quoteVolume: r[1], final: r[7] !== 'false',
    });
  });
}

function parseFuturesCandles(body: unknown, ctx: RestContext) {
  const size = contractSizeOf(ctx, 'Gate futures');
  return expectArray(body, 'Gate futures candlesticks').map((row) => {
    if (!isObj(row)) throw new ParseError(`Gate futures candlestick ${show(row)} is not an object`);
    return candleBar(ctx, { start: Number(row.t) * 1000, open: row.o, high: row.h, low: row.l, close: row.c, volume: contractsToBase(row.v, size), quoteVolume: row.sum });
  });
}

function candlesPath(q: CandleQuery): string {
  const [path, key] = q.market === 'spot' ? ['/api/v4/spot/candlesticks', 'currency_pair'] : ['/api/v4/futures/usdt/candlesticks', 'contract'];
  return `${path}?${key}=${encodeURIComponent(q.native)}&interval=${nativeInterval(GATE_INTERVALS, q.tf, 'Gate')}` +
    `&from=${Math.floor(q.from / 1000)}&to=${Math.floor((q.to - 1) / 1000)}`;
}

export const gateRest: VenueRest = {
  defaultRestUrl: () => 'https://api.gateio.ws',
  instruments: {
    path: (market) => (market === 'perp' ? '/api/v4/futures/usdt/contracts' : '/api/v4/spot/currency_pairs'),
    parse: parseInstruments,
  },
  candles: {
    intervals: () => Object.keys(GATE_INTERVALS),
    maxPerRequest: 1000,
    path: candlesPath,
    parse: (body, ctx) => (ctx.market === 'spot' ? parseSpotCandles(body, ctx) : parseFuturesCandles(body, ctx)),
    exactSplit: false,
  },
  // Public endpoints: 200 requests per 10 s per endpoint and IP.
  restRateLimit: { requestsPerSecond: 5, burst: 10 },
};
