/**
 * The watchlist's rows: every configured market joined with its live stats (last, bid/ask,
 * trades/s, funding), its last 24 hours from the core (change, volume, turnover) and its feed's
 * health. A value that is not known is null (shown as "—"), never 0: a feed that never connected
 * has no price, not a price of zero.
 */
import type { FeedConfig } from '../../../shared/config';
import type { FeedState, PipelineHealth } from '../../../shared/health';
import { marketKey } from '../../../shared/markets';
import type { MarketStats24h } from '../../../shared/market-stats';
import type { MarketStats } from './market-stats';
import { quoteAsset, toUsd, type UsdPriceOf } from './usd';

export interface WatchRow {
  key: string;
  exchange: string;
  market: 'spot' | 'perp';
  symbol: string;
  feedId: string;
  enabled: boolean;
  last: number | null;
  /** Change over the last 24 h (or since `changeSince`), as a fraction. */
  change: number | null;
  /** Epoch ms the change and volumes start from when the core holds less than 24 h; else null. */
  changeSince: number | null;
  bid: number | null;
  ask: number | null;
  /** (ask - bid) / mid, in basis points. */
  spreadBps: number | null;
  /** Base-currency volume over 24 h. */
  volume: number | null;
  /** Turnover over 24 h in the quote currency, and in dollars where it converts. */
  turnover: number | null;
  turnoverUsd: number | null;
  quote: string;
  tradesPerSec: number | null;
  fundingRate: number | null;
  markPrice: number | null;
  openInterest: number | null;
  /** The feed's state, `stale` when the feed is live but this market's watchdog fired. */
  state: FeedState | 'unknown';
}

export type WatchSortKey = 'market' | 'last' | 'change' | 'volume' | 'spread' | 'bid' | 'ask' | 'rate' | 'funding' | 'mark' | 'oi';
export interface WatchSort {
  key: WatchSortKey;
  dir: 'asc' | 'desc';
}

export interface WatchSources {
  live: (key: string) => MarketStats | undefined;
  day: (key: string) => MarketStats24h | undefined;
  usdPrice: UsdPriceOf;
}

export function spreadBps(bid: number | null, ask: number | null): number | null {
  if (bid === null || ask === null || bid <= 0 || ask < bid) return null;
  return ((ask - bid) / ((ask + bid) / 2)) * 10_000;
}

export function buildWatchRows(feeds: readonly FeedConfig[], src: WatchSources, health: PipelineHealth | null): WatchRow[] {
  const rows: WatchRow[] = [];
  const seen = new Set<string>();
  for (const f of feeds) {
    const fh = health?.feeds.find((h) => h.feedId === f.id);
    for (const symbol of f.symbols) {
      const key = marketKey({ exchange: f.exchange, market: f.market, symbol });
      if (seen.has(key)) continue;
      seen.add(key);
      const s = src.live(key);
      const d = src.day(key);
      let state: WatchRow['state'] = f.enabled ? fh?.state ?? 'unknown' : 'stopped';
      if (state === 'live' && fh?.markets.find((m) => m.symbol === symbol)?.stale) state = 'stale';
      const last = s?.last ?? d?.last ?? null;
      const held = d !== undefined && d.tf !== null;
      const turnover = held ? d.quoteVolume : null;
      const bid = s?.bid ?? null;
      const ask = s?.ask ?? null;
      rows.push({
        key,
        exchange: f.exchange,
        market: f.market,
        symbol,
        feedId: f.id,
        enabled: f.enabled,
        last,
        change: last !== null && d?.open ? last / d.open - 1 : null,
        changeSince: held && !d.covered ? d.since : null,
        bid,
        ask,
        spreadBps: spreadBps(bid, ask),
        volume: held ? d.volume : null,
        turnover,
        turnoverUsd: turnover === null ? null : toUsd(turnover, symbol, src.usdPrice),
        quote: quoteAsset(symbol),
        // No rate for a market that never traded here: "—", not "0.0".
        tradesPerSec: s && s.last !== null ? s.tradesPerSec : null,
        fundingRate: s?.fundingRate ?? null,
        markPrice: s?.markPrice ?? null,
        openInterest: s?.openInterest ?? null,
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
      // Dollars rank markets of different quote currencies; unconverted turnover sorts after.
      return r.turnoverUsd;
    case 'spread':
      return r.spreadBps;
    case 'bid':
      return r.bid;
    case 'ask':
      return r.ask;
    case 'rate':
      return r.tradesPerSec;
    case 'funding':
      return r.fundingRate;
    case 'mark':
      return r.markPrice;
    case 'oi':
      return r.openInterest;
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
