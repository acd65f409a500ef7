/**
 * Where a heatmap column sits in time and on the chart. Columns are time buckets (a fixed share
 * of the chart's bar), so their place on screen follows the chart's logical (bar index) axis:
 * bar i spans logical [i - 0.5, i + 0.5) and time [start_i, start_i + tf). Bars with no trades
 * are absent from the chart (the axis skips them), so time maps to the axis linearly only over a
 * run of contiguous bars: `timeSegments` cuts the visible range into such runs. Pure.
 */

/** Columns per bar: a 1 s chart gets 100 ms columns (the core sends a book at most 10 times a second). */
export const COLUMNS_PER_BAR = 10;
export const MIN_BUCKET_MS = 100;

export function bucketMsFor(tfMs: number): number {
  return Math.max(MIN_BUCKET_MS, Math.round(tfMs / COLUMNS_PER_BAR));
}

export function bucketOf(timeMs: number, bucketMs: number): number {
  return Math.floor(timeMs / bucketMs);
}

/** A run of contiguous bars on screen: time [timeFrom, timeTo) maps linearly to logical [logicalFrom, logicalTo). */
export interface TimeSegment {
  timeFrom: number;
  timeTo: number;
  logicalFrom: number;
  logicalTo: number;
}

/**
 * The visible range [from, to] (logical) as runs of contiguous bars. The run holding the newest
 * bar extends to the right edge (the live bar's future: columns arrive there before the next bar).
 */
export function timeSegments(from: number, to: number, count: number, startAt: (i: number) => number, tfMs: number): TimeSegment[] {
  const out: TimeSegment[] = [];
  if (count <= 0 || to < from) return out;
  const first = Math.max(0, Math.floor(from));
  const last = Math.min(count - 1, Math.ceil(to));
  if (first > last) return out;
  let runStart = first;
  for (let i = first; i <= last; i++) {
    const end = i === last || startAt(i + 1) !== startAt(i) + tfMs;
    if (!end) continue;
    const timeFrom = startAt(runStart);
    let timeTo = startAt(i) + tfMs;
    let logicalTo = i + 0.5;
    if (i === count - 1 && to > logicalTo) {
      timeTo += (to - logicalTo) * tfMs;
      logicalTo = to;
    }
    out.push({ timeFrom, timeTo, logicalFrom: runStart - 0.5, logicalTo });
    runStart = i + 1;
  }
  return out;
}

/** The logical position of `timeMs` inside a segment. */
export function segmentLogical(s: TimeSegment, timeMs: number): number {
  return s.logicalFrom + ((timeMs - s.timeFrom) / (s.timeTo - s.timeFrom)) * (s.logicalTo - s.logicalFrom);
}

/**
 * Price rows of the heatmap's texture: row r holds prices [base + r*step, base + (r+1)*step).
 * The row step is the book's tick (its smallest level gap), coarser when the prices to hold (the
 * book and the history on screen) need it, so the price can drift before the rows must move.
 */
export class PriceRows {
  constructor(
    readonly base: number,
    readonly step: number,
    readonly rows: number,
  ) {}

  /**
   * Rows holding prices [lo, hi] in their middle third: the book's tick apart, or a coarser 1-2-5
   * step when the range needs it (levels then add up per row).
   */
  static covering(lo: number, hi: number, tick: number, rows: number): PriceRows {
    const step = Math.max(tick, niceStep(((hi - lo) * 3) / rows));
    const base = Math.floor((lo + hi) / 2 / step - rows / 2) * step;
    return new PriceRows(base, step, rows);
  }

  /** The row of `price`, or -1 outside the rows. */
  rowOf(price: number): number {
    const r = Math.floor((price - this.base) / this.step + 1e-7);
    return r >= 0 && r < this.rows ? r : -1;
  }

  /** Top of the rows (exclusive), as a price. */
  get top(): number {
    return this.base + this.rows * this.step;
  }

  /** True when `price` is in the middle half of the rows (otherwise the rows should move). */
  comfortable(price: number): boolean {
    const r = (price - this.base) / this.step;
    return r >= this.rows / 8 && r <= (this.rows * 7) / 8;
  }
}

/** The smallest 1-2-5 step >= x (0 for x <= 0). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** The smallest positive gap between adjacent prices of a side (best first), or Infinity. */
export function smallestGap(levels: readonly (readonly [number, number])[]): number {
  let gap = Infinity;
  for (let i = 1; i < levels.length; i++) {
    const d = Math.abs(levels[i]![0] - levels[i - 1]![0]);
    if (d > 0 && d < gap) gap = d;
  }
  return gap;
}
