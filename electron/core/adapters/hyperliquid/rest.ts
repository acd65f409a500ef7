/**
 * Hyperliquid REST: everything is a POST to `/info` with a JSON body naming the request type
 * (rest/client.ts sends the body the spec gives). Paths and body parsers only.
 *
 * - Instruments: `{"type":"meta"}` (perps: `universe[].name`, the coin) and `{"type":"spotMeta"}`
 *   (spot: `tokens[]` and `universe[]` of `{name, tokens:[base, quote]}`, where `name` is
 *   `PURR/USDC` or `@107`: the pair's tokens give its canonical symbol).
 * - Candles: `{"type":"candleSnapshot","req":{coin,interval,startTime,endTime}}`, oldest first,
 *   `[{t, T, s, i, o, c, h, l, v, n}]` with prices and base volume as strings, at most 5000 a
 *   request (and only the most recent 5000 of an interval exist).
 */
import type { MarketType } from '../../../../shared/domain';
import type { CandleQuery, Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';
import { hyperliquidToCanonical } from './symbols';

export const HYPERLIQUID_INFO_PATH = '/info';

const HYPERLIQUID_INTERVALS: Record<string, string> = { '1m': '1m', '3m': '3m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '1h', '2h': '2h', '4h': '4h', '8h': '8h', '12h': '12h', '1d': '1d' };

function parsePerpMeta(body: unknown): Instrument[] {
  const universe = isObj(body) && Array.isArray(body.universe) ? body.universe : [];
  const out: Instrument[] = [];
  for (const a of universe) {
    if (!isObj(a) || typeof a.name !== 'string' || a.name === '' || a.isDelisted === true) continue;
    out.push({ symbol: hyperliquidToCanonical(a.name, 'perp'), native: a.name });
  }
  return out;
}

function parseSpotMeta(body: unknown): Instrument[] {
  if (!isObj(body) || !Array.isArray(body.tokens) || !Array.isArray(body.universe)) return [];
  const tokens = new Map<number, string>();
  for (const t of body.tokens) if (isObj(t) && typeof t.name === 'string' && Number.isInteger(t.index)) tokens.set(t.index as number, t.name);
  const out: Instrument[] = [];
  for (const p of body.universe) {
    if (!isObj(p) || typeof p.name !== 'string' || !Array.isArray(p.tokens)) continue;
    const [b, q] = p.tokens as unknown[];
    const base = tokens.get(b as number), quote = tokens.get(q as number);
    if (!base || !quote) continue;
    out.push({ symbol: `${base}-${quote}`.toUpperCase(), native: p.name });
  }
  return out;
}

function candleRequest(q: CandleQuery) {
  return { type: 'candleSnapshot', req: { coin: q.native, interval: nativeInterval(HYPERLIQUID_INTERVALS, q.tf, 'Hyperliquid'), startTime: q.from, endTime: q.to - 1 } };
}

function parseCandles(body: unknown, ctx: RestContext) {
  return expectArray(body, 'Hyperliquid candleSnapshot body').map((row) => {
    const r = isObj(row) ? row : {};
    return candleBar(ctx, { start: Number(r.t), open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v, trades: r.n });
  });
}

export const hyperliquidRest: VenueRest = {
  defaultRestUrl: () => 'https://api.hyperliquid.xyz',
  instruments: {
    path: () => HYPERLIQUID_INFO_PATH,
    body: (market: MarketType) => ({ type: market === 'perp' ? 'meta' : 'spotMeta' }),
    parse: (body, market) => (market === 'perp' ? parsePerpMeta(body) : parseSpotMeta(body)),
  },
  candles: {
    intervals: () => Object.keys(HYPERLIQUID_INTERVALS),
    maxPerRequest: 5_000,
    path: () => HYPERLIQUID_INFO_PATH,
    body: candleRequest,
    parse: parseCandles,
    exactSplit: false,
  },
  // 1200 weight per minute per IP; meta/spotMeta and candleSnapshot weigh 20 (candles +1 per 60
  // rows): one request a second stays under it with a full page each time.
  restRateLimit: { requestsPerSecond: 1, burst: 3 },
};
