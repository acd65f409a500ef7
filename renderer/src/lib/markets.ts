/** The markets a chart can show: every configured venue market, plus the composite (`*`). */
import type { FeedConfig } from '../../../shared/config';
import type { MarketRef } from '../../../shared/domain';

export const COMPOSITE = '*';

export function marketId(m: MarketRef): string {
  return `${m.exchange}:${m.market}:${m.symbol}`;
}

export function parseMarketId(id: string): MarketRef | null {
  const [exchange, market, symbol] = id.split(':');
  if (!exchange || !symbol || (market !== 'spot' && market !== 'perp')) return null;
  return { exchange, market, symbol };
}

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
      venue.set(marketId(m), m);
      const c: MarketRef = { exchange: COMPOSITE, market: f.market, symbol };
      composite.set(marketId(c), c);
    }
  }
  const byName = (a: MarketRef, b: MarketRef) => marketId(a).localeCompare(marketId(b));
  return [...[...venue.values()].sort(byName), ...[...composite.values()].sort(byName)];
}
