/**
 * The markets a chart can show: every configured venue market, plus the composite (`*`). Market
 * keys and the composite id themselves are in shared/markets.ts.
 */
import type { FeedConfig } from '../../../shared/config';
import type { MarketRef } from '../../../shared/domain';
import { COMPOSITE, marketKey } from '../../../shared/markets';

export function marketLabel(m: MarketRef): string {
  const venue = m.exchange === COMPOSITE ? 'All venues' : m.exchange;
  return `${m.symbol} ${m.market === 'perp' ? 'perp' : 'spot'} · ${venue}`;
}

/** Venue markets of enabled and disabled feeds, then one composite per symbol and market type. */
export function chartableMarkets(feeds: readonly FeedConfig[]): MarketRef[] {
  const venue = new Map<string, MarketRef>();
  const composite = new Map<string, MarketRef>();
  for (const f of feeds) {
    for (const symbol of f.symbols) {
      const m: MarketRef = { exchange: f.exchange, market: f.market, symbol };
      venue.set(marketKey(m), m);
      const c: MarketRef = { exchange: COMPOSITE, market: f.market, symbol };
      composite.set(marketKey(c), c);
    }
  }
  const byName = (a: MarketRef, b: MarketRef) => marketKey(a).localeCompare(marketKey(b));
  return [...[...venue.values()].sort(byName), ...[...composite.values()].sort(byName)];
}
