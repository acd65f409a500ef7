/**
 * Coinbase Advanced Trade's book rules (adapter `book`): the `level2` channel sends a snapshot on
 * subscribe, then updates (`l2_data` messages); a resync resubscribes, which answers with a new
 * snapshot. There is no per-product sequence and no checksum: the only continuity check is the
 * connection's `sequence_num`, which numbers EVERY message of the connection across all channels
 * (shared/fixtures/exchanges/QUIRKS.md). level2.ts turns it into a per-book chain: each update
 * names the message it follows in its book (`prevSeq`), or names none when the connection lost a
 * message since (any lost message may have been this book's update).
 */
import type { SyncRule, VenueBook } from '../book-spec';

/**
 * An update applies when it follows the message the book stands at (`prevSeq` == the book's
 * `lastSeq`: the snapshot's or the previous update's sequence_num). One at or before the book's
 * position is stale (an update of the old subscription still queued when the resubscribe's
 * snapshot landed). Anything else, including an update that names no predecessor (the parser's
 * mark of a lost message), is a gap: resync.
 */
export const coinbaseLevel2Rule: SyncRule = {
  name: 'coinbase-connection-sequence',
  check(lastSeq, u) {
    const seq = u.lastSeq;
    if (seq === undefined) return 'gap';
    if (u.prevSeq === lastSeq) return 'apply';
    return seq <= lastSeq ? 'stale' : 'gap';
  },
};

export const coinbaseBook: VenueBook = {
  syncRule: () => coinbaseLevel2Rule,
};
