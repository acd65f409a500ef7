/**
 * Bitfinex's book rules (adapter `book`): the `book` channel at precision P0 sends the book (up to
 * `len` levels a side) on subscribe and then changed levels; with the `conf` flags below every
 * message carries the connection's sequence number and every second or so a `cs` message carries
 * the venue's CRC32 of its top 25 levels a side (docs "WebSocket Checksum").
 *
 * A resync resubscribes the market (stream.ts: unsubscribe its chanId, subscribe again), which
 * answers with a new snapshot.
 */
import { crc32 } from 'node:zlib';
import type { BookReader, SyncRule, VenueBook } from '../book-spec';

/** `conf` flag: every message gets a trailing sequence number, one count per connection. */
export const SEQ_ALL = 65536;
/** `conf` flag: book channels send `[CHANID,"cs",CHECKSUM]`. */
export const OB_CHECKSUM = 131072;
/** Levels a side subscribed; the checksum covers the top 25. */
export const BOOK_LEN = 25;

/**
 * The sequence number is the connection's (all channels count on it), so the parser chains each
 * book message to the previous one of the same channel (`prevSeq`) and leaves `prevSeq` out when
 * the connection skipped a number since (a lost message may have been this book's). Older
 * messages are stale: after a resubscribe, the old subscription's last diffs arrive before the new
 * snapshot and are contained in it.
 */
export const bitfinexRule: SyncRule = {
  name: 'bitfinex-seq',
  check(lastSeq, u) {
    const seq = u.lastSeq;
    if (seq === undefined) return 'gap';
    if (seq <= lastSeq) return 'stale';
    return u.prevSeq === lastSeq ? 'apply' : 'gap';
  },
};

/**
 * The venue's checksum of a P-precision book: the top 25 bids and asks interleaved as
 * `bidPrice:bidAmount:askPrice:askAmount:...` (asks' amounts negative, a missing level skipped),
 * numbers written as JavaScript writes them (the venue's reference code is JavaScript), CRC32 as
 * a signed 32-bit integer.
 */
export function bitfinexChecksum(book: BookReader): number {
  const parts: string[] = [];
  for (let i = 0; i < BOOK_LEN; i++) {
    const bidPrice = book.bids.priceAt(i);
    const bidSize = book.bids.sizeAtLevel(i);
    if (bidPrice !== undefined && bidSize !== undefined) parts.push(String(bidPrice), String(bidSize));
    const askPrice = book.asks.priceAt(i);
    const askSize = book.asks.sizeAtLevel(i);
    if (askPrice !== undefined && askSize !== undefined) parts.push(String(askPrice), String(-askSize));
  }
  return crc32(parts.join(':')) | 0;
}

export const bitfinexBook: VenueBook = {
  syncRule: () => bitfinexRule,
  checksum: (book) => bitfinexChecksum(book),
};
