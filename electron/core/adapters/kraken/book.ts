/**
 * Kraken WS v2's book rules (adapter `book`): `book` snapshot on subscribe, then updates, each
 * carrying a CRC32 of the venue's top 10 levels; a mismatch resubscribes (unsubscribe first:
 * Kraken answers a second subscribe with "Already subscribed", never with a snapshot).
 *
 * The checksum (docs.kraken.com "Spot Websockets (v2) Book Checksum"): for the top 10 asks (low
 * to high) then the top 10 bids (high to low), each level's price and qty as printed with the
 * instrument's precision, '.' removed and leading zeros removed, concatenated; CRC32 of that,
 * unsigned. It covers the top 10 whatever the subscribed depth.
 *
 * Where the precision comes from: the frame's own text. Kraken prints every price and qty with
 * the instrument's precision (`66788.0`, `0.01100000`), which JSON.parse loses; book-frame.ts
 * keeps each level's text and the book holds it (BookSide text). The alternative, the
 * instrument's price/qty precision from REST AssetPairs (pair_decimals, lot_decimals) or the v2
 * `instrument` channel, would make every book wait for metadata the parser does not have (the
 * parser context carries no instrument details), and a precision change on the venue's side would
 * break every checksum until the metadata was reloaded; the text is always the venue's current
 * formatting, in the same frame as the checksum it is checked against.
 */
import { crc32 } from 'node:zlib';
import type { BookReader, BookSideReader, VenueBook } from '../book-spec';

/** The depth we subscribe (Kraken offers 10, 25, 100, 500, 1000): enough for a ladder, small frames. */
export const KRAKEN_BOOK_DEPTH = 25;
/** Levels per side the checksum covers. */
const CHECKSUM_LEVELS = 10;

/** `0.01100000` -> `1100000`, `66788.0` -> `667880`. */
function checksumDigits(text: string): string {
  return text.replace('.', '').replace(/^0+/, '');
}

function side(s: BookSideReader): string {
  let out = '';
  const n = Math.min(CHECKSUM_LEVELS, s.length);
  for (let i = 0; i < n; i++) {
    const [price, qty] = s.textAt(i)!;
    out += checksumDigits(price) + checksumDigits(qty);
  }
  return out;
}

/** Kraken's CRC32 of a book held with the venue's level text; unsigned 32-bit, as Kraken sends it. */
export function krakenChecksum(book: BookReader): number {
  return crc32(side(book.asks) + side(book.bids)) >>> 0;
}

/**
 * No sequence numbers on the wire: the parser numbers each symbol's book messages as they arrive
 * (book-frame.ts), so the default consecutive rule drops what the old subscription sent before a
 * resync's snapshot and sees a message the parser could not read as a gap.
 */
export const krakenBook: VenueBook = {
  checksum: (book) => krakenChecksum(book),
};
