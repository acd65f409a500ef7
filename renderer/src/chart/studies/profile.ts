/**
 * Volume profile of a set of bars: volume per price bucket, split into taker buy and sell, with
 * the point of control (the bucket with the most volume) and the value area (the buckets around
 * it holding 70 % of the volume; VAH/VAL are its upper and lower bounds).
 *
 * Built from bars, so it is an approximation (labelled as such on the chart): a bar's volume is
 * spread evenly over its high-low range, its buy/sell split in the bar's proportion. A bar with
 * no buy/sell split (venue candles) counts in the total only.
 */
import type { Bar } from '../../../../shared/domain';

export interface Profile {
  /** Bucket height in price units; bucket i covers [(first + i) * step, (first + i + 1) * step). */
  step: number;
  first: number;
  buy: number[];
  sell: number[];
  total: number[];
  volume: number;
  /** Index of the point of control, -1 when there is no volume. */
  poc: number;
  /** Value area bucket indexes, inclusive. */
  vaLow: number;
  vaHigh: number;
}

export const VALUE_AREA = 0.7;
/** Buckets the automatic step aims at across the price range. */
export const TARGET_BUCKETS = 60;
/** No profile has more buckets than this (a manual step far too small for the range). */
export const MAX_BUCKETS = 2_000;

/** A round step (1, 2, 2.5 or 5 x 10^k) giving about `target` buckets over [low, high]. */
export function autoStep(low: number, high: number, target = TARGET_BUCKETS): number {
  const raw = (high - low) / target;
  if (!(raw > 0) || !Number.isFinite(raw)) return Math.max(Math.abs(high), 1) * 1e-4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  // The tolerance keeps a float range like 0.53 - 0.5 from skipping to the next round step.
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= raw * (1 - 1e-9)) return m * pow;
  return 10 * pow;
}

/** Bucket index of a price (a small epsilon keeps 0.3 / 0.1 from landing in bucket 2). */
export function bucketOf(price: number, step: number): number {
  return Math.floor(price / step + 1e-9);
}

export function buildProfile(bars: readonly Bar[], step: number, valueArea = VALUE_AREA): Profile {
  let low = Infinity;
  let high = -Infinity;
  for (const b of bars) {
    if (b.volume <= 0) continue;
    low = Math.min(low, b.low);
    high = Math.max(high, b.high);
  }
  const empty: Profile = { step, first: 0, buy: [], sell: [], total: [], volume: 0, poc: -1, vaLow: -1, vaHigh: -1 };
  if (low > high) return empty;
  // A manual step too small for the range is widened rather than allocating millions of buckets.
  while (bucketOf(high, step) - bucketOf(low, step) + 1 > MAX_BUCKETS) step *= 2;
  const first = bucketOf(low, step);
  const n = bucketOf(high, step) - first + 1;
  const p: Profile = { ...empty, step, first, buy: new Array<number>(n).fill(0), sell: new Array<number>(n).fill(0), total: new Array<number>(n).fill(0) };
  for (const b of bars) if (b.volume > 0) spreadBar(p, b);
  locateValueArea(p, valueArea);
  return p;
}

/**
 * The live path: the newest bar changed from `old` (undefined: it is new) to `next`. Updates the
 * buckets in place (O(buckets the bar covers) plus the value area) and returns true, or returns
 * false when `next` reaches outside the profile's buckets (then rebuild it).
 */
export function replaceBar(p: Profile, old: Bar | undefined, next: Bar, valueArea = VALUE_AREA): boolean {
  if (p.total.length === 0 || bucketOf(next.low, p.step) < p.first || bucketOf(next.high, p.step) >= p.first + p.total.length) return false;
  if (old && old.volume > 0) spreadBar(p, old, -1);
  if (next.volume > 0) spreadBar(p, next, 1);
  locateValueArea(p, valueArea);
  return true;
}

/** Adds (sign 1) or takes out (sign -1) a bar's volume over the buckets its high-low range covers, by overlap. */
function spreadBar(p: Profile, b: Bar, sign = 1): void {
  const lo = bucketOf(b.low, p.step) - p.first;
  const hi = bucketOf(b.high, p.step) - p.first;
  const split = b.buyVolume + b.sellVolume > 0;
  const buyShare = split ? b.buyVolume / b.volume : 0;
  const sellShare = split ? b.sellVolume / b.volume : 0;
  const range = b.high - b.low;
  for (let i = lo; i <= hi; i++) {
    let v: number;
    if (range <= 0 || lo === hi) v = b.volume;
    else {
      const bucketLow = (p.first + i) * p.step;
      const overlap = Math.min(b.high, bucketLow + p.step) - Math.max(b.low, bucketLow);
      v = (b.volume * Math.max(0, overlap)) / range;
    }
    v *= sign;
    p.total[i]! += v;
    p.buy[i]! += v * buyShare;
    p.sell[i]! += v * sellShare;
    p.volume += v;
  }
}

/**
 * POC, then the value area grown from it one bucket at a time toward the side with more volume
 * (a tie takes both) until it holds `share` of the volume. A tie for the POC takes the bucket
 * nearest the middle of the range (the usual convention), then the lower one.
 */
function locateValueArea(p: Profile, share: number): void {
  const t = p.total;
  const mid = (t.length - 1) / 2;
  let poc = -1;
  for (let i = 0; i < t.length; i++) {
    if (poc < 0 || t[i]! > t[poc]! || (t[i] === t[poc] && Math.abs(i - mid) < Math.abs(poc - mid))) poc = i;
  }
  p.poc = -1;
  p.vaLow = -1;
  p.vaHigh = -1;
  if (poc < 0 || p.volume <= 0) return;
  p.poc = poc;
  let lo = poc;
  let hi = poc;
  let inside = t[poc]!;
  const goal = p.volume * share;
  while (inside < goal - 1e-12 * p.volume && (lo > 0 || hi < t.length - 1)) {
    const up = hi < t.length - 1 ? t[hi + 1]! : -1;
    const down = lo > 0 ? t[lo - 1]! : -1;
    if (up >= down) inside += t[++hi]!;
    if (down >= up) inside += t[--lo]!;
  }
  p.vaLow = lo;
  p.vaHigh = hi;
}

/** Price bounds of bucket `i`. */
export function bucketLow(p: Profile, i: number): number {
  return (p.first + i) * p.step;
}

export function bucketHigh(p: Profile, i: number): number {
  return (p.first + i + 1) * p.step;
}

/** The POC's middle price, VAH (top of the value area) and VAL (its bottom); null without volume. */
export function profileLevels(p: Profile): { poc: number; vah: number; val: number } | null {
  if (p.poc < 0) return null;
  return { poc: (bucketLow(p, p.poc) + bucketHigh(p, p.poc)) / 2, vah: bucketHigh(p, p.vaHigh), val: bucketLow(p, p.vaLow) };
}
