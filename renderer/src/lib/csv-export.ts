/**
 * The chart's CSV export, pure parts: the download's file name and whether trades can be
 * exported at all (they come from a feed's raw recording, so only with recording on).
 */
import type { FeedConfig } from '../../../shared/config';
import type { MarketRef } from '../../../shared/domain';
import { COMPOSITE } from '../../../shared/markets';

/** `binance-spot-BTC-USDT-1m-2026-12-01T1507Z.csv` (the export's time, UTC, to the minute). */
export function csvFileName(kind: 'bars' | 'trades', m: MarketRef, tf: string, at: number): string {
  const iso = new Date(at).toISOString(); // 2026-12-01T15:07:31.123Z
  const stamp = `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const venue = m.exchange === COMPOSITE ? 'all' : m.exchange;
  return `${venue}-${m.market}-${m.symbol}-${kind === 'bars' ? tf : 'trades'}-${stamp}.csv`;
}

/**
 * Why trades of `m` cannot be exported, in plain words (no file system path), or null when a
 * feed records them.
 */
export function tradesExportBlocked(m: MarketRef, feeds: readonly FeedConfig[]): string | null {
  if (m.exchange === COMPOSITE) return 'Trades are exported per venue: pick one venue of this market to export its trades.';
  const recorded = feeds.some((f) => f.record === true && f.exchange === m.exchange && f.market === m.market && f.symbols.includes(m.symbol));
  if (recorded) return null;
  return 'Trades are exported from a feed\'s recording, and none records this market. Turn on "Record raw frames" for its feed (Feeds > Edit).';
}
