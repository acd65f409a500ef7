/**
 * One market's L2 book: two sides kept sorted best first, so the top N levels are a slice and an
 * update is a binary search plus (for a new or removed level) an array splice.
 *
 * Why sorted arrays: a book holds 20-1000 levels and almost every diff touches a level near the
 * top that already exists (a size change: binary search, no move). Measured with
 * bench/books/order-book-structures.ts (node 20, 2-core machine shared with other work, 1M
 * updates skewed to the top, 10 % size 0, the top 20 read every 1,000 updates), ns per update,
 * sorted arrays vs a Map of levels sorted on read: 20 levels 26-29 vs 20-27 (even); 200 levels
 * 38 vs 49-56; 1000 levels 50-60 vs 119-141; 5000 levels 139-232 vs 363-451. A balanced tree
 * was not measured; splices grow with depth, so past a few thousand levels it may win.
 *
 * Sizes are base units; a size of 0 removes the level. Prices and sizes must be finite and
 * positive (sizes >= 0): the caller (book-sync.ts) rejects the rest as an error.
 */
import type { BookLevels } from '../../../shared/books';

/** One side: prices and sizes in parallel arrays, best price at index 0. */
export class BookSide {
  private readonly prices: number[] = [];
  private readonly sizes: number[] = [];
  /**
   * The venue's text of each level (price, size), parallel to the numbers; kept only for venues
   * whose checksum is defined on it (the first `set` with text turns it on), so the others pay
   * nothing for it.
   */
  private priceTexts: string[] | null = null;
  private sizeTexts: string[] | null = null;

  /** bids: descending prices; asks: ascending. */
  constructor(readonly descending: boolean) {}

  get length(): number {
    return this.prices.length;
  }

  /** Best price, or NaN when the side is empty. */
  best(): number {
    return this.prices.length > 0 ? this.prices[0]! : NaN;
  }

  /**
   * Sets a level (size 0 removes it). O(log n) search, a splice only when a level appears or
   * goes. `text` is the venue's (price, size) text, for checksum venues.
   */
  set(price: number, size: number, text?: readonly [string, string]): void {
    const i = this.search(price);
    const found = i < this.prices.length && this.prices[i] === price;
    if (text && !this.priceTexts) {
      this.priceTexts = this.prices.map(String);
      this.sizeTexts = this.sizes.map(String);
    }
    const pt = this.priceTexts;
    const st = this.sizeTexts;
    if (size === 0) {
      if (found) {
        this.prices.splice(i, 1);
        this.sizes.splice(i, 1);
        pt?.splice(i, 1);
        st?.splice(i, 1);
      }
      return;
    }
    if (found) {
      this.sizes[i] = size;
      if (st) st[i] = text ? text[1] : String(size);
      return;
    }
    this.prices.splice(i, 0, price);
    this.sizes.splice(i, 0, size);
    pt?.splice(i, 0, text ? text[0] : String(price));
    st?.splice(i, 0, text ? text[1] : String(size));
  }

  /** Price of level `i` (0 = best); undefined past the end. */
  priceAt(i: number): number | undefined {
    return this.prices[i];
  }

  /** Size of level `i` (0 = best); undefined past the end. */
  sizeAtLevel(i: number): number | undefined {
    return this.sizes[i];
  }

  /** The venue's text of level `i` (price, size), or the numbers as strings when none was given. */
  textAt(i: number): [string, string] | undefined {
    if (i >= this.prices.length) return undefined;
    return [this.priceTexts?.[i] ?? String(this.prices[i]), this.sizeTexts?.[i] ?? String(this.sizes[i])];
  }

  /** Size at a price, 0 when there is no such level. */
  sizeAt(price: number): number {
    const i = this.search(price);
    return i < this.prices.length && this.prices[i] === price ? this.sizes[i]! : 0;
  }

  clear(): void {
    this.prices.length = 0;
    this.sizes.length = 0;
    if (this.priceTexts) this.priceTexts.length = 0;
    if (this.sizeTexts) this.sizeTexts.length = 0;
  }

  /** The best `n` levels as [price, size] pairs, best first (a new array: safe to publish). */
  top(n: number): BookLevels {
    const count = Math.min(n, this.prices.length);
    const out: BookLevels = new Array<[number, number]>(count);
    for (let i = 0; i < count; i++) out[i] = [this.prices[i]!, this.sizes[i]!];
    return out;
  }

  /** First index whose price is not better than `price` (where `price` is or would go). */
  private search(price: number): number {
    const p = this.prices;
    let lo = 0;
    let hi = p.length;
    if (this.descending) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (p[mid]! > price) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (p[mid]! < price) lo = mid + 1;
        else hi = mid;
      }
    }
    return lo;
  }
}

export class OrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);

  /** True when the best bid is at or above the best ask: never valid data (a missed update). */
  crossed(): boolean {
    return this.bids.length > 0 && this.asks.length > 0 && this.bids.best() >= this.asks.best();
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  get levels(): number {
    return this.bids.length + this.asks.length;
  }
}
