/**
 * Coinbase Advanced Trade REST: the public products list and product candles. Paths and body
 * parsers only; rest/client.ts makes the requests.
 */
import type { MarketType } from '../../../../shared/domain';
import { isCanonicalSymbol } from '../../../../shared/symbols';
import { ParseError } from '../../util/errors';
import type { Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, expectArray, nativeInterval } from '../candle-row';

// /api/v3/brokerage/market/products/{id}/candles?start&end (UNIX SECONDS)&granularity=ONE_MINUTE..
// &limit (at most 350), NEWEST first: {candles:[{start, low, high, open, close, volume}]}; empty
// windows have no candle. No taker split, count or VWAP.
const COINBASE_GRANULARITY: Record<string, string> = { '1m': 'ONE_MINUTE', '5m': 'FIVE_MINUTE', '15m': 'FIFTEEN_MINUTE', '30m': 'THIRTY_MINUTE', '1h': 'ONE_HOUR', '2h': 'TWO_HOUR', '6h': 'SIX_HOUR', '1d': 'ONE_DAY' };

function parseCoinbaseCandles(body: unknown, ctx: RestContext) {
  const list = (body as { candles?: unknown } | null)?.candles;
  return expectArray(list, 'Coinbase candles').map((c) => {
    const r = c as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null) throw new ParseError('Coinbase candle is not an object');
    return candleBar(ctx, { start: Number(r.start) * 1000, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume });
  });
}

export const coinbaseRest: VenueRest = {
  defaultRestUrl: () => 'https://api.coinbase.com',
  instruments: {
    path: () => '/api/v3/brokerage/market/products',
    parse(body: unknown, _market: MarketType): Instrument[] {
      const products = (body as { products?: unknown } | null)?.products;
      if (!Array.isArray(products)) throw new Error('Coinbase products: no "products" array');
      const out: Instrument[] = [];
      for (const p of products as Record<string, unknown>[]) {
        if (p.product_type !== 'SPOT' || typeof p.product_id !== 'string') continue;
        const symbol =
          typeof p.base_currency_id === 'string' && typeof p.quote_currency_id === 'string'
            ? `${p.base_currency_id}-${p.quote_currency_id}`.toUpperCase()
            : p.product_id.toUpperCase();
        if (isCanonicalSymbol(symbol)) out.push({ symbol, native: p.product_id });
      }
      return out;
    },
  },
  // Coinbase product ids already are BASE-QUOTE.
  candles: {
    intervals: () => Object.keys(COINBASE_GRANULARITY),
    maxPerRequest: 350,
    path: (q) => `/api/v3/brokerage/market/products/${encodeURIComponent(q.native)}/candles?start=${Math.floor(q.from / 1000)}&end=${Math.floor((q.to - 1) / 1000)}&granularity=${nativeInterval(COINBASE_GRANULARITY, q.tf, 'Coinbase')}&limit=${q.limit}`,
    parse: parseCoinbaseCandles,
    exactSplit: false,
  },
  // Public Advanced Trade endpoints: 10 requests/s per IP.
  restRateLimit: { requestsPerSecond: 5, burst: 10 },
};
