import { describe, expect, it } from 'vitest';
import { CARRY_MS, ColumnRing, type ColumnSample } from '../../../../renderer/src/chart/heatmap/column-ring';

const sample = (time: number, mid: number, invalid = false): ColumnSample => ({
  time,
  bids: [
    [mid - 1, 2],
    [mid - 2, 3],
  ],
  asks: [
    [mid + 1, 4],
    [mid + 2, 5],
  ],
  invalid,
});

function levels(r: ColumnRing, bucket: number): [number, number][] {
  const slot = r.slotOf(bucket);
  const o = r.offset(slot);
  return Array.from({ length: r.counts[slot]! }, (_, i) => [r.prices[o + i]!, r.sizes[o + i]!]);
}

describe('ColumnRing', () => {
  it('puts a sample in its time bucket, bids then asks, and a later sample of the same bucket replaces it', () => {
    const r = new ColumnRing(8, 10, 100);
    expect(r.add(sample(1_050, 100))).toEqual({ from: 10, to: 10 });
    expect(levels(r, 10)).toEqual([
      [99, 2],
      [98, 3],
      [101, 4],
      [102, 5],
    ]);
    r.add(sample(1_099, 200));
    expect(levels(r, 10)[0]).toEqual([199, 2]);
    expect(r.newest).toBe(10);
    expect(r.oldest).toBe(10);
  });

  it('fills the buckets between two views with the earlier book (it was resting there)', () => {
    const r = new ColumnRing(16, 10, 100);
    r.add(sample(1_000, 100));
    expect(r.add(sample(1_400, 110))).toEqual({ from: 11, to: 14 });
    for (const b of [11, 12, 13]) expect(levels(r, b)[0]).toEqual([99, 2]);
    expect(levels(r, 14)[0]).toEqual([109, 2]);
    expect(r.oldest).toBe(10);
  });

  it('leaves a silence longer than CARRY_MS empty', () => {
    const r = new ColumnRing(400, 10, 100);
    r.add(sample(0, 100));
    const carried = CARRY_MS / 100;
    r.add(sample(30_000, 100));
    expect(r.counts[r.slotOf(carried)]).toBe(4);
    expect(r.counts[r.slotOf(carried + 1)]).toBe(0);
    expect(r.counts[r.slotOf(299)]).toBe(0);
    expect(r.has(299)).toBe(true);
  });

  it('wraps: the oldest buckets are overwritten and no longer held', () => {
    const r = new ColumnRing(4, 10, 100);
    for (let b = 0; b < 6; b++) r.add(sample(b * 100, 100 + b));
    expect(r.newest).toBe(5);
    expect(r.oldest).toBe(2);
    expect(r.has(1)).toBe(false);
    expect(r.has(2)).toBe(true);
    expect(levels(r, 5)[0]).toEqual([104, 2]);
  });

  it('a late sample (older than the newest bucket) goes into the newest one: the heatmap never runs back', () => {
    const r = new ColumnRing(8, 10, 100);
    r.add(sample(1_000, 100));
    expect(r.add(sample(900, 120))).toEqual({ from: 10, to: 10 });
    expect(levels(r, 10)[0]).toEqual([119, 2]);
  });

  it('keeps at most maxLevels / 2 levels a side', () => {
    const r = new ColumnRing(4, 2, 100);
    r.add(sample(0, 100));
    expect(levels(r, 0)).toEqual([
      [99, 2],
      [101, 4],
    ]);
  });

  it('records runs of invalid buckets, carried over a gap, merged when adjacent', () => {
    const r = new ColumnRing(64, 10, 100);
    r.add(sample(0, 100));
    r.add(sample(100, 100, true));
    r.add(sample(400, 100, false));
    // Buckets 2 and 3 carried the invalid book of bucket 1.
    expect(r.runs).toEqual([{ from: 1, to: 3 }]);
    expect(r.invalid[r.slotOf(2)]).toBe(1);
    expect(r.invalid[r.slotOf(4)]).toBe(0);
    r.add(sample(1_000, 100, true));
    expect(r.runs).toEqual([
      { from: 1, to: 3 },
      { from: 10, to: 10 },
    ]);
  });

  it('drops runs that fell out of the ring', () => {
    const r = new ColumnRing(4, 10, 100);
    r.add(sample(0, 100, true));
    for (let b = 1; b < 8; b++) r.add(sample(b * 100, 100));
    expect(r.runs).toEqual([]);
  });

  it('priceRange: the lowest and highest price held', () => {
    const r = new ColumnRing(4, 10, 100);
    expect(r.priceRange()).toBeNull();
    r.add(sample(0, 100));
    r.add(sample(100, 90));
    expect(r.priceRange()).toEqual({ lo: 88, hi: 102 });
    for (let b = 2; b < 6; b++) r.add(sample(b * 100, 200));
    expect(r.priceRange()).toEqual({ lo: 198, hi: 202 });
  });
});
