/**
 * OKX v5's book rules (adapter `book`): the public `books` channel (400 levels in the snapshot
 * sent on subscribe, then `update` pushes every 100 ms with the levels that changed; size "0"
 * removes a level). Each push carries `checksum`, a CRC32 over the top 25 levels of the book after
 * it, and `seqId`/`prevSeqId` (-1 on the snapshot): an update chains when its `prevSeqId` is the
 * previous `seqId` (consecutiveRule, prevSeq form); a push whose `prevSeqId` equals its `seqId`
 * changed nothing (the keepalive OKX sends when the book is quiet), and after an OKX maintenance
 * `seqId` may drop below `prevSeqId` while still chaining. Recordings from before 2022-06 have no
 * seqId: the checksum alone guards them. No REST snapshot: a gap or a checksum mismatch resyncs by
 * resubscribing, which answers with a new snapshot.
 */
import { crc32 } from 'node:zlib';
import type { BookReader, BookSideReader, VenueBook } from '../book-spec';

/** Levels per side the checksum covers. */
export const OKX_CHECKSUM_LEVELS = 25;

/**
 * OKX's checksum of a book: the venue's own price and size text (contracts on swaps, trailing
 * zeros as sent) of the top 25 levels, bid and ask interleaved
 * (`bidPx1:bidSz1:askPx1:askSz1:bidPx2:...`); where one side has fewer levels the other's go on
 * alone. CRC32 of that string as a signed 32-bit integer, as the pushes' `checksum` is written.
 */
export function okxChecksum(book: BookReader): number {
  const parts: string[] = [];
  for (let i = 0; i < OKX_CHECKSUM_LEVELS; i++) {
    const bid = levelText(book.bids, i);
    const ask = levelText(book.asks, i);
    if (bid === undefined && ask === undefined) break;
    if (bid !== undefined) parts.push(bid);
    if (ask !== undefined) parts.push(ask);
  }
  return crc32(parts.join(':')) | 0;
}

function levelText(side: BookSideReader, i: number): string | undefined {
  const t = i < side.length ? side.textAt(i) : undefined;
  return t === undefined ? undefined : `${t[0]}:${t[1]}`;
}

export const okxBook: VenueBook = {
  checksum: (book) => okxChecksum(book),
};
