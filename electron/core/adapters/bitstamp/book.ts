/**
 * Bitstamp's book rules (adapter `book`): diffs on the stream (`diff_order_book_<pair>`), the book
 * from the REST snapshot (`/api/v2/order_book/<pair>/`), the two aligned by `microtimestamp`.
 *
 * Bitstamp numbers neither its diffs nor its snapshots: the only order is the microtimestamp
 * (epoch µs, as a number here; exact below 2^53), which is the time of the change, not a counter.
 * So a diff that was missed cannot be seen from the diffs that follow it (their microtimestamps
 * are not consecutive). What catches a lost diff instead: the connection's reconnect (every frame
 * of a socket arrives in order or the socket is gone, and a reconnect suspends the book until a
 * new snapshot), a crossed book after later diffs, and a diff older than the book (reordered).
 */
import type { SyncRule, VenueBook } from '../book-spec';
import { ParseError } from '../../util/errors';
import { textLevels } from '../book-levels';
import { micros } from './stream';

/**
 * Diffs with a microtimestamp at or before the snapshot's are contained in it (stale, dropped);
 * the first later one applies, and every one after it must be later than the one before: an
 * older one was reordered (or sent twice), so the book is no longer what the venue holds.
 */
export const bitstampRule: SyncRule = {
  name: 'bitstamp-microtimestamp',
  check(lastSeq, u, first) {
    const t = u.lastSeq;
    if (t === undefined) return 'gap';
    if (t > lastSeq) return 'apply';
    return first ? 'stale' : 'gap';
  },
};

/** `/api/v2/order_book/<pair>/` (group=1, the default: levels aggregated by price, as the diffs). */
export function bitstampOrderBookPath(pair: string): string {
  return `/api/v2/order_book/${encodeURIComponent(pair)}/`;
}

/** `{timestamp, microtimestamp, bids:[["price","amount"],...], asks}`; throws on any other shape. */
export function parseBitstampOrderBook(body: unknown) {
  const b = body as { microtimestamp?: unknown; bids?: unknown; asks?: unknown } | null;
  if (typeof b !== 'object' || b === null) throw new ParseError('Bitstamp order_book: not an object');
  const us = micros(b.microtimestamp);
  if (Number.isNaN(us)) throw new ParseError('Bitstamp order_book: missing or bad microtimestamp');
  const bids = textLevels(b.bids);
  const asks = textLevels(b.asks);
  if (!bids || !asks) throw new ParseError('Bitstamp order_book: bad bids or asks');
  return { bids: bids.levels, asks: asks.levels, lastSeq: us, time: us / 1000 };
}

export const bitstampBook: VenueBook = {
  syncRule: () => bitstampRule,
  restSnapshot: { path: (native) => bitstampOrderBookPath(native), parse: (body) => parseBitstampOrderBook(body) },
};
