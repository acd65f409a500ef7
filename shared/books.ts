/** One side's levels, best first: [price, size] with size in base units. */
export type BookLevels = [number, number][];
export type BookState = 'syncing' | 'valid' | 'resyncing';
/** A conflated view of one market's book, as sent to UIs (top N levels a side). */
export interface BookView {
  exchange: string; market: 'spot' | 'perp'; symbol: string;
  state: BookState; bids: BookLevels; asks: BookLevels;
  /** Exchange time of the last applied update (epoch ms), local receive time. */
  time: number; receivedAt: number;
  resyncs: number;
  /** Only on a composite view (exchange COMPOSITE, electron/core/books/composite-books.ts). */
  composite?: CompositeInfo;
  /**
   * Only on a deep grouped view (command watchBookDepth, electron/core/books/depth-watches.ts):
   * levels summed per price bucket `group`, up to `levels` buckets a side. The depth heatmap
   * draws these; the ladder keeps the top-N view of the same market.
   */
  deep?: { group: number; levels: number };
}

/** A venue book of a composite: `valid` ones are summed in, the others are left out and named. */
export interface CompositeMember {
  exchange: string;
  state: BookState;
}

export interface CompositeInfo {
  /** The price bucket the members' levels were summed in (bids down, asks up). */
  group: number;
  members: CompositeMember[];
}
