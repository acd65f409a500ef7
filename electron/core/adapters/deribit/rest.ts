/**
 * Deribit REST (JSON-RPC over HTTP GET, `/api/v2/public/...`, answers `{"jsonrpc","result"}` or
 * `{"jsonrpc","error":{code,message}}`). Paths and body parsers only.
 *
 * - Instruments: `public/get_instruments?currency=any&kind=future` (perpetuals are kind `future`
 *   with `settlement_period` `perpetual`; dated futures `day`/`week`/`month`/`quarter`). Options
 *   are another kind and never asked for; combos (`future_combo`) neither.
 * - Candles: `public/get_tradingview_chart_data?instrument_name&start_timestamp&end_timestamp&resolution`
 *   answers columns, not rows: `{status, ticks[], open[], high[], low[], close[], volume[], cost[]}`
 *   with `ticks` the candle starts (ms), `volume` in the base coin and `cost` in the quote
 *   (USD); `status` `no_data` when the window is empty.
 */
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';
import { deribitToCanonical } from './symbols';

const DERIBIT_RESOLUTIONS: Record<string, string> = { '1m': '1', '3m': '3', '5m': '5', '15m': '15', '30m': '30', '1h': '60', '2h': '120', '3h': '180', '6h': '360', '12h': '720', '1d': '1D' };

function result(body: unknown, what: string): unknown {
  if (isObj(body) && isObj(body.error)) throw new ParseError(`Deribit ${what}: ${String(body.error.message)} (code ${String(body.error.code)})`);
  if (!isObj(body) || !('result' in body)) throw new ParseError(`Deribit ${what}: no result`);
  return body.result;
}

function parseInstruments(body: unknown): Instrument[] {
  const out: Instrument[] = [];
  for (const x of expectArray(result(body, 'instruments'), 'Deribit instruments')) {
    if (!isObj(x) || typeof x.instrument_name !== 'string' || x.kind !== 'future' || x.is_active === false) continue;
    const symbol = deribitToCanonical(x.instrument_name);
    if (symbol) out.push({ symbol, native: x.instrument_name });
  }
  return out;
}

function parseCandles(body: unknown, ctx: RestContext) {
  const r = result(body, 'candles');
  if (!isObj(r)) throw new ParseError('Deribit candles: result is not an object');
  if (r.status === 'no_data') return [];
  const ticks = expectArray(r.ticks, 'Deribit candles ticks');
  const [open, high, low, close, volume] = (['open', 'high', 'low', 'close', 'volume'] as const).map((k) => expectArray(r[k], `Deribit candles ${k}`));
  return ticks.map((t, i) => candleBar(ctx, { start: Number(t), open: open![i], high: high![i], low: low![i], close: close![i], volume: volume![i], quoteVolume: Array.isArray(r.cost) ? r.cost[i] : undefined }));
}

export const deribitRest: VenueRest = {
  defaultRestUrl: () => 'https://www.deribit.com',
  instruments: {
    path: () => '/api/v2/public/get_instruments?currency=any&kind=future',
    parse: parseInstruments,
  },
  candles: {
    intervals: () => Object.keys(DERIBIT_RESOLUTIONS),
    maxPerRequest: 1_000,
    path: (q) => `/api/v2/public/get_tradingview_chart_data?instrument_name=${encodeURIComponent(q.native)}&start_timestamp=${q.from}&end_timestamp=${q.to - 1}&resolution=${nativeInterval(DERIBIT_RESOLUTIONS, q.tf, 'Deribit')}`,
    parse: parseCandles,
    exactSplit: false,
  },
  // Deribit limits non-matching-engine requests by credits (about 20 a second sustained); 5 a
  // second with a burst of 10 stays well below that.
  restRateLimit: { requestsPerSecond: 5, burst: 10 },
};
