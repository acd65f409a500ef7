/**
 * Deep grouped views of one venue book, for the depth heatmap (command `watchBookDepth`).
 *
 * Why: the regular UI view is the top UI_BOOK_DEPTH (20) levels a side, which is all the ladder
 * needs, but a heatmap drawn behind a chart whose price moves hundreds of ticks shows only a thin
 * band around the price. A chart with the heatmap on asks for its market's book grouped in price
 * buckets of `group` (bids down, asks up: shared/book-groups.ts, as the ladder and the composite
 * group), at most `levels` (<= MAX_DEPTH_BUCKETS) buckets a side, so one view covers the visible
 * price range at a bounded size. A lease like the composite's: views go out, conflated at the same
 * rate as the others (UI_BOOK_INTERVAL_MS, a change of state at once), while the chart renews it.
 *
 * A side the core holds in `levels` levels or fewer is sent as it is (groupedView).
 *
 * The views carry `deep: {group, levels}` so UIs tell them from the top-N view of the same market
 * (the ladder keeps that one; the batch merge keys them apart).
 */
import type { BookView } from '../../../shared/books';
import type { MarketRef } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import type { BookSync } from './book-sync';
import type { BookSide } from './order-book';
import { COMPOSITE_LEASE_MS, sumSides } from './composite-books';

/** Buckets a side at most: 2 x 200 [price, size] pairs per view, 10 a second. */
export const MAX_DEPTH_BUCKETS = 200;
/** Deep views watched at once (any market text a client sends cannot grow the map without bound). */
export const MAX_DEPTH_WATCHES = 64;

interface DepthWatch {
  ref: MarketRef;
  group: number;
  levels: number;
  until: number;
  sentVersion: number;
  sentAt: number;
  sentState: BookView['state'] | null;
}

export class DepthWatches {
  private readonly watches = new Map<string, DepthWatch>();

  get watched(): number {
    return this.watches.size;
  }

  /**
   * A chart shows (or keeps showing) `ref`'s book grouped by `group` (> 0), `levels` buckets a
   * side. Each (market, group, levels) is its own lease: two charts asking differently both get
   * theirs, and a chart that changes its bucket lets the old one lapse.
   */
  watch(ref: MarketRef, group: number, levels: number, now: number): void {
    const n = Math.max(1, Math.min(MAX_DEPTH_BUCKETS, Math.floor(levels)));
    const key = `${marketKey(ref)}|${group}|${n}`;
    const w = this.watches.get(key);
    if (w) {
      w.until = now + COMPOSITE_LEASE_MS;
      return;
    }
    if (this.watches.size >= MAX_DEPTH_WATCHES) this.evictSoonestToLapse();
    this.watches.set(key, { ref: { ...ref }, group, levels: n, until: now + COMPOSITE_LEASE_MS, sentVersion: -1, sentAt: -Infinity, sentState: null });
  }

  private evictSoonestToLapse(): void {
    let soonest: [string, number] | null = null;
    for (const [key, w] of this.watches) if (!soonest || w.until < soonest[1]) soonest = [key, w.until];
    if (soonest) this.watches.delete(soonest[0]);
  }

  /** Views of watched books that changed, at most every `minIntervalMs` each (a change of state at once). */
  takeViews(bookOf: (ref: MarketRef) => BookSync | undefined, now: number, minIntervalMs: number): BookView[] {
    const out: BookView[] = [];
    for (const [key, w] of this.watches) {
      if (now > w.until) {
        this.watches.delete(key);
        continue;
      }
      const s = bookOf(w.ref);
      if (!s || s.version === w.sentVersion) continue;
      if (s.state === w.sentState && now - w.sentAt < minIntervalMs - 1) continue;
      w.sentVersion = s.version;
      w.sentAt = now;
      w.sentState = s.state;
      out.push(groupedView(s, w.group, w.levels));
    }
    return out;
  }
}

/**
 * `s`'s book in price buckets of `group`, `levels` buckets a side, best first (sizes summed per
 * bucket). A side the core holds in `levels` levels or fewer (a venue that sends 25 or 50) is sent
 * as it is: it then covers the whole book anyway, and grouping would only make it coarser.
 */
export function groupedView(s: BookSync, group: number, levels: number): BookView {
  const side = (b: BookSide, which: 'bid' | 'ask') => (b.length <= levels ? b.top(levels) : sumSides([b], group, which, levels));
  return {
    exchange: s.ref.exchange,
    market: s.ref.market,
    symbol: s.ref.symbol,
    state: s.state,
    // One member's sumSides: walks from the best level until `levels` buckets are filled.
    bids: side(s.book.bids, 'bid'),
    asks: side(s.book.asks, 'ask'),
    time: s.time,
    receivedAt: s.receivedAt,
    resyncs: s.counters.resyncs,
    deep: { group, levels },
  };
}
