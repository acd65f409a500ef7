/**
 * Bybit v5's book rules (adapter `book`): `orderbook.50.<SYMBOL>` on spot and linear (both offer
 * depths 1, 50, 200 and 1000; 50 is pushed every 20 ms on both), a snapshot on subscribe and deltas
 * after it. Each message carries `u`, the book's update id: a delta's `u` is the previous `u` + 1
 * (consecutiveRule), a snapshot replaces the book whatever its `u` (Bybit re-sends one when its
 * side had a problem, and one with `u` = 1 after a service restart). `seq` is the matching
 * engine's cross sequence, shared with other topics and not consecutive per book: not used.
 * No REST snapshot and no checksum: a gap resyncs by resubscribing the topic, which answers with
 * a snapshot.
 */
import { consecutiveRule, type VenueBook } from '../book-spec';

/** The book channel's topic depth (orderbook.<depth>.<SYMBOL>). */
export const BYBIT_BOOK_DEPTH = 50;

export const bybitBook: VenueBook = {
  syncRule: () => consecutiveRule,
};
