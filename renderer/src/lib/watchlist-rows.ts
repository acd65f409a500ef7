/** The watchlist's rows: every configured market joined with its stats and its feed's health. */
import type { FeedConfig } from '../../../shared/config';
import type { FeedState, PipelineHealth } from '../../../shared/health';
import { marketKey } from '../../../shared/markets';
import { sessionChange, type MarketStats } from './market-stats';

export interface WatchRow {
  key: string;
  exchange: string;
  market: 'spot' | 'perp';
  symbol: string;
  feedId: string;
  enabled: boolean;
  last: number | null;
  change: number | null;
  volume: number;
  tradesPerSec: number;
  fundingRate: number | null;
  markPrice: number | null;
  /** The feed's state, `stale` when the feed is live but this market's watchdog fired. */
  state: FeedState | 'unknown';
}

export type WatchSortKey = 'market' | 'last' | 'change' | 'volume' | 'rate' | 'funding';
export interface WatchSort {
  key: WatchSortKey;
  dir: 'asc' | 'desc';
}

export function buildWatchRows(
  feeds: readonly FeedConfig[],
  stats: (key: string) => MarketStats | undefined,
  health: PipelineHealth | null,
): WatchRow[] {
  const rows: WatchRow[] = [];
  const seen = new Set<string>();
  for (const f of feeds) {
    const fh = health?.feeds.find((h) => h.feedId === f.id);
    for (const symbol of f.symbols) {
      const key = marketKey({ exchange: f.exchange, market: f.market, symbol });
      if (seen.has(key)) continue;
      seen.add(key);
      const s = stats(key);
      let state: WatchRow['state'] = f.enabled ? fh?.state ?? 'unknown' : 'stopped';
      if (state === 'live' && fh?.markets.find((m) => m.symbol === symbol)?.stale) state = 'stale';
      rows.push({
        key,
        exchange: f.exchange,
        market: f.market,
        symbol,
        feedId: f.id,
        enabled: f.enabled,
        last: s?.last ?? null,
        change: s ? sessionChange(s) : null,
        volume: s?.volume ?? 0,
        tradesPerSec: s?.tradesPerSec ?? 0,
        fundingRate: s?.fundingRate ?? null,
        markPrice: s?.markPrice ?? null,
        state,
      });
    }
  }
  return rows;
}

function sortValue(r: WatchRow, key: WatchSortKey): number | string | null {
  switch (key) {
    case 'market':
      return `${r.symbol} ${r.exchange} ${r.market}`;
    case 'last':
      return r.last;
    case 'change':
      return r.change;
    case 'volume':
      return r.volume;
    case 'rate':
      return r.tradesPerSec;
    case 'funding':
      return r.fundingRate;
  }
}

/** Sorted copy; rows without a value (null) always go last; ties keep market order. */
export function sortWatchRows(rows: readonly WatchRow[], sort: WatchSort): WatchRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      return (va < vb ? -1 : 1) * sign;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
}
