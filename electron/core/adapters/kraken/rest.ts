/**
 * Kraken REST: AssetPairs and /0/public/OHLC candles (REST still names BTC XBT). Paths and body
 * parsers only; rest/client.ts makes the requests.
 */
import type { MarketType } from '../../../../shared/domain';
import { isCanonicalSymbol } from '../../../../shared/symbols';
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';
import { krakenToCanonical } from './symbols';

// Candles: /0/public/OHLC.
// pair (REST name: XBTUSD; WS v2's BTC/USD with BTC -> XBT, DOGE -> XDG), interval in minutes,
// since (UNIX seconds). The 720 most recent candles at most, oldest first:
// {error:[], result:{<pair>:[[time, o, h, l, c, vwap, volume, count]], last}}; the newest entry is
// the forming candle. VWAP and count are the venue's; no taker split.
const KRAKEN_INTERVALS: Record<string, string> = { '1m': '1', '5m': '5', '15m': '15', '30m': '30', '1h': '60', '4h': '240', '1d': '1440' };
const KRAKEN_REST_ASSET: Record<string, string> = { BTC: 'XBT', DOGE: 'XDG' };

export function krakenRestPair(native: string): string {
  const [base = '', quote = ''] = native.toUpperCase().split('/');
  return `${KRAKEN_REST_ASSET[base] ?? base}${KRAKEN_REST_ASSET[quote] ?? quote}`;
}

function parseKrakenOhlc(body: unknown, ctx: RestContext) {
  const b = body as { error?: unknown; result?: unknown } | null;
  if (Array.isArray(b?.error) && b.error.length) throw new ParseError(`Kraken OHLC: ${b.error.join('; ')}`);
  if (typeof b?.result !== 'object' || b.result === null) throw new ParseError('Kraken OHLC: no "result" object');
  const key = Object.keys(b.result).find((k) => k !== 'last');
  const rows = key === undefined ? [] : expectArray((b.result as Record<string, unknown>)[key], 'Kraken OHLC rows');
  return rows.map((row) => {
    const r = expectArray(row, 'Kraken OHLC row');
    return candleBar(ctx, { start: Number(r[0]) * 1000, open: r[1], high: r[2], low: r[3], close: r[4], vwap: r[5], volume: r[6], trades: r[7] });
  });
}

export const krakenRest: VenueRest = {
  defaultRestUrl: () => 'https://api.kraken.com',
  instruments: {
    path: () => '/0/public/AssetPairs',
    parse(body: unknown, _market: MarketType): Instrument[] {
      const b = body as { error?: unknown; result?: unknown } | null;
      if (Array.isArray(b?.error) && b.error.length) throw new Error(`Kraken AssetPairs: ${b.error.join('; ')}`);
      if (typeof b?.result !== 'object' || b.result === null) throw new Error('Kraken AssetPairs: no "result" object');
      const out: Instrument[] = [];
      for (const pair of Object.values(b.result as Record<string, { wsname?: unknown }>)) {
        if (typeof pair?.wsname !== 'string') continue;
        const symbol = krakenToCanonical(pair.wsname);
        // WS v2 wants ISO names (BTC/USD) even where wsname still says XBT/USD.
        if (isCanonicalSymbol(symbol)) out.push({ symbol, native: symbol.replace('-', '/') });
      }
      return out;
    },
  },
  candles: {
    intervals: () => Object.keys(KRAKEN_INTERVALS),
    maxPerRequest: 720,
    // `since` is exclusive: one second before the first wanted candle.
    path: (q) => `/0/public/OHLC?pair=${encodeURIComponent(krakenRestPair(q.native))}&interval=${nativeInterval(KRAKEN_INTERVALS, q.tf, 'Kraken')}&since=${Math.floor(q.from / 1000) - 1}`,
    parse: parseKrakenOhlc,
    exactSplit: false,
  },
  // Public endpoints: a decaying counter that allows about one call per second sustained.
  restRateLimit: { requestsPerSecond: 1, burst: 3 },
};
