/**
 * The watchlist's columns and which of them fit: columns are dropped by priority when the pane is
 * narrow, so what shows is never cut off (a half-visible Funding column was worse than none).
 * Widths are what each column needs at the app's 12 px font, padding included (measured in
 * Chromium with the table at its natural width). A perp's funding, when its column does not fit,
 * shows under its last price instead.
 */
import type { WatchSortKey } from './watchlist-rows';

export interface WatchColumn {
  key: WatchSortKey;
  label: string;
  /** What the header's title (tooltip) explains. */
  title: string;
  width: number;
  /** Lower shows first; Market and Last always show. */
  priority: number;
  perpOnly?: boolean;
}

/** The state dot and the market name: always shown. */
export const FIXED_WIDTH = 25 + 92;

export const WATCH_COLUMNS: readonly WatchColumn[] = [
  { key: 'last', label: 'Last', title: 'Last trade price', width: 70, priority: 0 },
  { key: 'change', label: 'Chg 24h', title: 'Change over the last 24 hours (or since the time shown, while the core holds less)', width: 72, priority: 1 },
  { key: 'volume', label: 'Vol $', title: 'Turnover over 24 hours in dollars (quote currency when it has no dollar price); base volume below', width: 72, priority: 2 },
  { key: 'spread', label: 'Spread', title: 'Ask minus bid, in basis points of the mid price; in price units below', width: 74, priority: 3 },
  { key: 'funding', label: 'Funding', title: 'Current funding rate (perpetuals)', width: 76, priority: 5, perpOnly: true },
  { key: 'bid', label: 'Bid', title: 'Best bid', width: 70, priority: 4 },
  { key: 'ask', label: 'Ask', title: 'Best ask', width: 70, priority: 4 },
  { key: 'rate', label: 'Trades/s', title: 'Trades per second, last 5 s', width: 62, priority: 6 },
  { key: 'mark', label: 'Mark', title: 'Mark price (perpetuals)', width: 70, priority: 7, perpOnly: true },
  { key: 'oi', label: 'OI', title: 'Open interest in base units (perpetual feeds with the funding channel; Binance polled every 15 s)', width: 70, priority: 8, perpOnly: true },
];

/** Display order, whatever the priority. */
const ORDER: readonly WatchSortKey[] = ['last', 'change', 'bid', 'ask', 'spread', 'volume', 'rate', 'funding', 'mark', 'oi'];

/**
 * The columns that fit in `width` px, in display order. Columns of equal priority come and go
 * together (Bid and Ask); `squeeze` drops that many more (a measured overflow the estimate missed).
 */
export function visibleColumns(width: number, hasPerp: boolean, squeeze = 0): WatchColumn[] {
  const candidates = WATCH_COLUMNS.filter((c) => hasPerp || !c.perpOnly).sort((a, b) => a.priority - b.priority);
  const groups: WatchColumn[][] = [];
  for (const c of candidates) {
    const g = groups[groups.length - 1];
    if (g && g[0]!.priority === c.priority) g.push(c);
    else groups.push([c]);
  }
  const shown: WatchColumn[] = [];
  let used = FIXED_WIDTH;
  for (const g of groups) {
    const w = g.reduce((sum, c) => sum + c.width, 0);
    // The Last price always shows, however narrow the pane.
    if (used + w > width && g[0]!.priority > 0) break;
    shown.push(...g);
    used += w;
  }
  let keep = shown;
  for (let i = 0; i < squeeze && keep.length > 1; i++) {
    const lowest = keep[keep.length - 1]!.priority;
    keep = keep.filter((c) => c.priority !== lowest);
  }
  return ORDER.map((k) => keep.find((c) => c.key === k)).filter((c): c is WatchColumn => c !== undefined);
}
