/**
 * Per-venue sync rules: given the sequence number the book stands at and the next delta, is the
 * delta the next one (`apply`), one already contained in the book (`stale`: dropped), or proof
 * that something was missed or reordered (`gap`: the book is invalid and must be resynced)?
 *
 * `first` is true for the first delta after a snapshot, where venues that snapshot over REST
 * (Binance) accept an update that straddles the snapshot's sequence number.
 */
import type { BookUpdate } from '../../../shared/domain';

export type SyncVerdict = 'apply' | 'stale' | 'gap';

export interface SyncRule {
  readonly name: string;
  check(lastSeq: number, u: BookUpdate, first: boolean): SyncVerdict;
}

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
    return u.prevSeq === lastSeq ? 'apply' : 'gap';
  },
};

/**
 * Venues that number every message once (the simulator's `seq`, Bybit's `u`): a snapshot carries
 * the number it stands at, each delta the next one (`lastSeq`), or names its predecessor
 * (`prevSeq`). Anything older is stale, anything further is a gap.
 */
/** The rule a venue's market syncs by (consecutive numbers unless the venue says otherwise). */
export function syncRuleFor(exchange: string, market: 'spot' | 'perp'): SyncRule {
  if (exchange === 'binance') return market === 'perp' ? binanceFuturesRule : binanceSpotRule;
  return consecutiveRule;
}

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
