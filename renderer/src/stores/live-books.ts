/**
 * Mutable books fed straight from the stream (no React state per tick): the watchlist's market
 * statistics and the tape's ring buffer. Their panes re-read them a few times a second.
 */
import { MarketStatsBook } from '../lib/market-stats';
import { TapeBuffer } from '../lib/tape';

let stats = new MarketStatsBook('1s');

export const tape = new TapeBuffer(5000);

export function statsBook(): MarketStatsBook {
  return stats;
}

/** The watchlist counts from the smallest timeframe the core aggregates. */
export function resetStatsBook(tf: string): void {
  stats = new MarketStatsBook(tf);
}
