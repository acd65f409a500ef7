/**
 * Naming markets: the composite id and the market key, written here once and used by the core
 * (aggregator, bar store, API) and the renderer (chart selection, watchlist, stats) alike.
 */
import type { MarketRef } from './domain';

/**
 * The `exchange` of a composite market: all venues carrying the same canonical symbol and market
 * type, merged into one series (electron/core/pipeline/aggregator.ts).
 */
export const COMPOSITE = '*';

export function isComposite(m: { exchange: string }): boolean {
  return m.exchange === COMPOSITE;
}

/**
 * `exchange:market:symbol`, e.g. `binance:spot:BTC-USDT` or `*:perp:ETH-USDT`. The bar store keys
 * its rows by it, so its format is also the on-disk format: do not change it.
 */
export function marketKey(m: MarketRef): string {
  return `${m.exchange}:${m.market}:${m.symbol}`;
}

/** The inverse of marketKey(); null for anything that is not one (unknown market type, a part missing). */
export function parseMarketKey(key: string): MarketRef | null {
  const parts = key.split(':');
  if (parts.length !== 3) return null;
  const [exchange, market, symbol] = parts;
  if (!exchange || !symbol || (market !== 'spot' && market !== 'perp')) return null;
  return { exchange, market, symbol };
}
