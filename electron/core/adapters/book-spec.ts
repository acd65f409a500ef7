/**
 * The book half of the adapter contract (adapter.ts VenueAdapter.book): how a venue's L2 book
 * is kept in sync, declared per venue; electron/core/books/ applies it to every venue alike.
 * The types books/ needs from a venue live here, below books/, so adapters never import it.
 */
import type { BookUpdate, MarketType } from '../../../shared/domain';

export type SyncVerdict = 'apply' | 'stale' | 'gap';

/**
 * Given the sequence number the book stands at and the next delta: is the delta the next one
 * (`apply`), one already contained in the book (`stale`: dropped), or proof that something was
 * missed or reordered (`gap`: the book is invalid and must be resynced)? `first` is true for the
 * first delta after a snapshot, where venues that snapshot over REST (Binance) accept an update
 * that straddles the snapshot's sequence number.
 */
export interface SyncRule {
  readonly name: string;
  check(lastSeq: number, u: BookUpdate, first: boolean): SyncVerdict;
}

/**
 * Venues that number every message once (the simulator's `seq`, Bybit's `u`): a snapshot carries
 * the number it stands at, each delta the next one (`lastSeq`), or names its predecessor
 * (`prevSeq`). Anything older is stale, anything further is a gap. The default rule (a venue
 * declares another in its adapter's `book.syncRule`: Binance, adapters/binance/book.ts).
 */
export const consecutiveRule: SyncRule = {
  name: 'consecutive',
  check(lastSeq, u) {
    const seq = u.lastSeq;
    if (seq === undefined) return 'gap';
    if (u.prevSeq !== undefined) return u.prevSeq === lastSeq ? 'apply' : seq <= lastSeq ? 'stale' : 'gap';
    if (seq <= lastSeq) return 'stale';
    return (u.firstSeq ?? seq) === lastSeq + 1 ? 'apply' : 'gap';
  },
};

/** One side of a book as a checksum reads it: level `i`, 0 = best. */
export interface BookSideReader {
  readonly length: number;
  priceAt(i: number): number | undefined;
  sizeAtLevel(i: number): number | undefined;
  /** The venue's (price, size) text where updates carried it, else the numbers as strings. */
  textAt(i: number): [string, string] | undefined;
}

/** A book as a checksum reads it (books/order-book.ts OrderBook). */
export interface BookReader {
  readonly bids: BookSideReader;
  readonly asks: BookSideReader;
}

/**
 * A venue's order-book rules, declaratively; books/ does the work for every venue alike
 * (buffering, validation, resync pacing, REST fetching). The parser turns the venue's frames
 * into `book` records (snapshot or delta, with the venue's sequence numbers and checksum).
 */
export interface VenueBook {
  /** How consecutive updates are recognised (default: consecutiveRule, below). */
  syncRule?(market: MarketType): SyncRule;
  /**
   * The venue's checksum of the book after an update that carries `checksum` (OKX, Kraken,
   * Bitfinex), computed from the book as held (with the venue's level text where the update
   * supplied it). A mismatch marks the book invalid and resyncs it.
   */
  checksum?(book: BookReader, market: MarketType): number;
  /**
   * For venues whose stream carries only diffs (Binance, Bitstamp): the REST snapshot the core
   * fetches (through rest/client.ts and the venue's bucket) on the first diff and on every
   * resync. Venues without it are resynced by resubscribing the market's `book` stream, which
   * answers with a snapshot.
   */
  restSnapshot?: BookSnapshotSpec;
}

export interface BookSnapshotSpec {
  /** Path and query appended to the REST base URL. */
  path(native: string, market: MarketType): string;
  /** The body as book levels (base units) and the sequence it stands at; throws on a bad shape. */
  parse(body: unknown, market: MarketType): BookSnapshotBody;
}

export interface BookSnapshotBody {
  bids: [number, number][];
  asks: [number, number][];
  /** The sequence number (or microtimestamp) the snapshot stands at. */
  lastSeq: number;
  /** Exchange time of the snapshot, when the venue gives one. */
  time?: number;
}
