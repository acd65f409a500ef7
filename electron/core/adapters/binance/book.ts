/**
 * Binance's book rules (adapter `book`): diffs on the stream (`<symbol>@depth@100ms`), the book
 * from a REST snapshot, and how a diff chains to the one before it, spot and USD-M.
 */
import type { SyncRule, VenueBook } from '../book-spec';
import { binanceDepthPath, parseBinanceDepth } from './rest';

/**
 * Binance spot (docs "How to manage a local order book correctly"): drop any event with
 * `u <= lastUpdateId`; the first applied one must have `U <= lastUpdateId+1 <= u`; after that
 * each event's `U` must be the previous `u` + 1.
 */
export const binanceSpotRule: SyncRule = {
  name: 'binance-spot',
  check(lastSeq, u, first) {
    const U = u.firstSeq;
    const last = u.lastSeq;
    if (U === undefined || last === undefined) return 'gap';
    if (first) {
      if (last <= lastSeq) return 'stale';
      return U <= lastSeq + 1 ? 'apply' : 'gap';
    }
    // A diff the book already holds (u <= the book's) is a duplicate, not a gap: during a
    // make-before-break rotation both connections deliver the same diffs for a moment. Any
    // older diff that was really missed showed as a gap when its successor arrived.
    if (last <= lastSeq) return 'stale';
    return U === lastSeq + 1 ? 'apply' : 'gap';
  },
};

/**
 * Binance USD-M futures: drop `u < lastUpdateId`; the first applied event must have
 * `U <= lastUpdateId <= u`; after that each event's `pu` must equal the previous `u`.
 */
export const binanceFuturesRule: SyncRule = {
  name: 'binance-futures',
  check(lastSeq, u, first) {
    const U = u.firstSeq;
    const last = u.lastSeq;
    if (U === undefined || last === undefined) return 'gap';
    if (first) {
      if (last < lastSeq) return 'stale';
      return U <= lastSeq ? 'apply' : 'gap';
    }
    if (last <= lastSeq) return 'stale'; // a duplicate (rotation overlap), as on spot
    return u.prevSeq === lastSeq ? 'apply' : 'gap';
  },
};

/** Diffs on the stream, the book from REST (docs "How to manage a local order book correctly"). */
export const binanceBook: VenueBook = {
  syncRule: (market) => (market === 'perp' ? binanceFuturesRule : binanceSpotRule),
  restSnapshot: { path: (native, market) => binanceDepthPath(native, market), parse: (body) => parseBinanceDepth(body) },
};
