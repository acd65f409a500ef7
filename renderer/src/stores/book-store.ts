/**
 * The latest order-book view per market, fed from the stream's batches (stores/ingest.ts). A
 * mutable map, not React state: books change up to 10 times a second per market, and only the
 * ladder of one market reads them, on its own paint schedule. Latest wins: a view replaces the
 * market's previous one whole (the core sends complete top-N views, never diffs).
 */
import type { BookView } from '../../../shared/books';
import { marketKey } from '../../../shared/markets';
import type { MarketRef } from '../../../shared/domain';

export interface StoredBook {
  view: BookView;
  /** Local epoch ms when the view arrived. */
  at: number;
  /** Bumped on every view of this market: a reader repaints only when it moved. */
  version: number;
}

export class LatestBooks {
  private readonly books = new Map<string, StoredBook>();
  private nextVersion = 1;

  get size(): number {
    return this.books.size;
  }

  /** One batch's views, in order: a later view of a market replaces an earlier one. */
  apply(views: readonly BookView[], now: number): void {
    for (const view of views) {
      // A deep grouped view (a heatmap's watchBookDepth) is the heatmap's alone: the ladder keeps the top N.
      if (view.deep) continue;
      this.books.set(marketKey(view), { view, at: now, version: this.nextVersion++ });
    }
  }

  get(m: MarketRef): StoredBook | undefined {
    return this.books.get(marketKey(m));
  }

  /** By market key (`marketKey`), so a per-frame check builds no string. */
  byKey(key: string): StoredBook | undefined {
    return this.books.get(key);
  }

  /** 0 when the market has no book: cheap enough to call every animation frame. */
  versionOf(key: string): number {
    return this.books.get(key)?.version ?? 0;
  }

  /** A new connection (hello): the previous core's books are not this one's. */
  clear(): void {
    this.books.clear();
  }
}

export const books = new LatestBooks();
