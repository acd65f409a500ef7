/**
 * The heatmap's history: a ring of columns, one per time bucket, each holding the book's levels
 * (prices and sizes, bids then asks) as sampled then. Typed arrays, allocated once: a column is
 * written in place, nothing is allocated per book view. Pure (no canvas), so it is unit-tested.
 *
 * The core sends a book only when it changed, so the buckets between two views are filled with the
 * earlier view (the liquidity was resting there) for up to CARRY_MS; a longer silence is left empty.
 * A column taken while the book was invalid (syncing, resyncing, or rebuilt between two views) is
 * flagged, and the ring keeps the runs of such buckets so the drawing can hatch them.
 */
import type { BookLevels } from '../../../../shared/books';

export const CARRY_MS = 10_000;
/** Most invalid runs remembered (older ones are dropped first). */
const MAX_RUNS = 64;

export interface ColumnSample {
  time: number;
  bids: BookLevels;
  asks: BookLevels;
  /** The book was not valid for this sample (its levels are not the venue's book). */
  invalid: boolean;
}

/** Buckets [from, to] (inclusive) whose book was invalid. */
export interface BucketRun {
  from: number;
  to: number;
}

export class ColumnRing {
  readonly prices: Float64Array;
  readonly sizes: Float32Array;
  readonly counts: Uint16Array;
  readonly invalid: Uint8Array;
  /** The bucket each slot holds (-1: never written). */
  private readonly bucketAt: Float64Array;
  /** Newest bucket written (-Infinity while empty). */
  newest = -Infinity;
  /** Oldest bucket still held. */
  oldest = Infinity;
  readonly runs: BucketRun[] = [];
  private readonly carryBuckets: number;

  constructor(
    readonly capacity: number,
    readonly maxLevels: number,
    readonly bucketMs: number,
  ) {
    this.prices = new Float64Array(capacity * maxLevels);
    this.sizes = new Float32Array(capacity * maxLevels);
    this.counts = new Uint16Array(capacity);
    this.invalid = new Uint8Array(capacity);
    this.bucketAt = new Float64Array(capacity).fill(-1);
    this.carryBuckets = Math.max(2, Math.ceil(CARRY_MS / bucketMs));
  }

  slotOf(bucket: number): number {
    return ((bucket % this.capacity) + this.capacity) % this.capacity;
  }

  /** True when the ring holds `bucket` (written, not yet overwritten). */
  has(bucket: number): boolean {
    return this.bucketAt[this.slotOf(bucket)] === bucket;
  }

  /**
   * Adds one book sample; returns the buckets written [from, to] (the sample's, and the gap before
   * it). A sample older than the newest bucket goes into the newest (the heatmap never runs back).
   */
  add(s: ColumnSample): BucketRun {
    const b = Math.max(Math.floor(s.time / this.bucketMs), this.newest);
    let from = b;
    if (Number.isFinite(this.newest) && b > this.newest + 1) {
      from = Math.max(this.newest + 1, b - this.capacity + 1);
      const prev = this.slotOf(this.newest);
      const prevInvalid = this.invalid[prev] === 1;
      for (let q = from; q < b; q++) {
        if (q - this.newest <= this.carryBuckets) this.copy(prev, q);
        else this.clear(q);
      }
      if (prevInvalid) this.markInvalid(this.newest + 1, Math.min(b - 1, this.newest + this.carryBuckets));
    }
    this.write(b, s);
    if (s.invalid) this.markInvalid(b, b);
    this.newest = b;
    this.oldest = Math.min(Number.isFinite(this.oldest) ? this.oldest : b, from);
    this.oldest = Math.max(this.oldest, b - this.capacity + 1);
    while (this.runs.length > 0 && this.runs[0]!.to < this.oldest) this.runs.shift();
    return { from, to: b };
  }

  /** Lowest and highest price held (a scan of the ring: for when the price rows move, not per view). */
  priceRange(): { lo: number; hi: number } | null {
    let lo = Infinity;
    let hi = -Infinity;
    if (!Number.isFinite(this.newest)) return null;
    for (let b = Math.max(this.oldest, this.newest - this.capacity + 1); b <= this.newest; b++) {
      const slot = this.slotOf(b);
      const o = this.offset(slot);
      for (let i = 0; i < this.counts[slot]!; i++) {
        const p = this.prices[o + i]!;
        if (p < lo) lo = p;
        if (p > hi) hi = p;
      }
    }
    return lo <= hi ? { lo, hi } : null;
  }

  /** The levels of a slot: prices and sizes at [slot * maxLevels, + counts[slot]). */
  offset(slot: number): number {
    return slot * this.maxLevels;
  }

  private write(bucket: number, s: ColumnSample): void {
    const slot = this.slotOf(bucket);
    const o = this.offset(slot);
    let n = 0;
    const half = this.maxLevels >> 1;
    for (const side of [s.bids, s.asks]) {
      const take = Math.min(side.length, half);
      for (let i = 0; i < take; i++) {
        this.prices[o + n] = side[i]![0];
        this.sizes[o + n] = side[i]![1];
        n++;
      }
    }
    this.counts[slot] = n;
    this.invalid[slot] = s.invalid ? 1 : 0;
    this.bucketAt[slot] = bucket;
  }

  private copy(fromSlot: number, bucket: number): void {
    const slot = this.slotOf(bucket);
    const n = this.counts[fromSlot]!;
    const a = this.offset(fromSlot);
    this.prices.copyWithin(this.offset(slot), a, a + n);
    this.sizes.copyWithin(this.offset(slot), a, a + n);
    this.counts[slot] = n;
    this.invalid[slot] = this.invalid[fromSlot]!;
    this.bucketAt[slot] = bucket;
  }

  private clear(bucket: number): void {
    const slot = this.slotOf(bucket);
    this.counts[slot] = 0;
    this.invalid[slot] = 0;
    this.bucketAt[slot] = bucket;
  }

  private markInvalid(from: number, to: number): void {
    if (to < from) return;
    const last = this.runs[this.runs.length - 1];
    if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
    else this.runs.push({ from, to });
    if (this.runs.length > MAX_RUNS) this.runs.shift();
  }
}
