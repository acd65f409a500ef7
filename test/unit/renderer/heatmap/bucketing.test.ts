import { describe, expect, it } from 'vitest';
import { bucketMsFor, bucketOf, niceStep, PriceRows, segmentLogical, smallestGap, timeSegments } from '../../../../renderer/src/chart/heatmap/bucketing';

describe('heatmap column bucketing', () => {
  it('a tenth of a bar per column, never under 100 ms (books come at most 10 times a second)', () => {
    expect(bucketMsFor(1_000)).toBe(100);
    expect(bucketMsFor(60_000)).toBe(6_000);
    expect(bucketMsFor(100)).toBe(100);
    expect(bucketOf(1_234, 100)).toBe(12);
    expect(bucketOf(1_299.9, 100)).toBe(12);
    expect(bucketOf(1_300, 100)).toBe(13);
  });

  it('cuts the visible range into runs of contiguous bars; the newest run reaches the right edge', () => {
    // Bars at 0,1,2 s, then a gap (no trades), then 5, 6 s.
    const starts = [0, 1_000, 2_000, 5_000, 6_000];
    const segs = timeSegments(-0.5, 7.5, starts.length, (i) => starts[i]!, 1_000);
    expect(segs).toEqual([
      { timeFrom: 0, timeTo: 3_000, logicalFrom: -0.5, logicalTo: 2.5 },
      // Bar 4 ends at logical 4.5; the view goes on to 7.5: three more bar widths of time.
      { timeFrom: 5_000, timeTo: 10_000, logicalFrom: 2.5, logicalTo: 7.5 },
    ]);
    expect(segmentLogical(segs[0]!, 1_500)).toBe(1);
    expect(segmentLogical(segs[1]!, 6_000)).toBe(3.5);
  });

  it('only the bars in view: a run is cut at the view, empty when nothing is in view', () => {
    const starts = [0, 1_000, 2_000, 3_000];
    expect(timeSegments(1.2, 2.1, 4, (i) => starts[i]!, 1_000)).toEqual([{ timeFrom: 1_000, timeTo: 4_000, logicalFrom: 0.5, logicalTo: 3.5 }]);
    expect(timeSegments(0, 3, 0, () => 0, 1_000)).toEqual([]);
    expect(timeSegments(10, 12, 4, (i) => starts[i]!, 1_000)).toEqual([]);
  });

  it('price rows: the book tick, the prices to hold in the middle third, high prices have high rows', () => {
    const rows = PriceRows.covering(95, 105, 0.1, 512);
    expect(rows.step).toBe(0.1);
    expect(rows.rowOf(100)).toBe(256);
    expect(rows.rowOf(100.09)).toBe(256);
    expect(rows.rowOf(100.1)).toBe(257);
    expect(rows.rowOf(rows.base - 0.01)).toBe(-1);
    expect(rows.rowOf(rows.top)).toBe(-1);
    for (const p of [95, 100, 105]) expect(rows.comfortable(p)).toBe(true);
    expect(rows.comfortable(rows.base + 0.5)).toBe(false);
  });

  it('a wide range gets coarser rows (1-2-5 steps), still holding it in the middle', () => {
    const rows = PriceRows.covering(59_800, 60_200, 0.01, 512);
    expect(rows.step).toBe(5);
    expect(rows.rowOf(60_000)).toBe(256);
    expect(rows.comfortable(59_800)).toBe(true);
    expect(rows.comfortable(60_200)).toBe(true);
  });

  it('float prices land in their row (0.1 steps)', () => {
    const rows = new PriceRows(64_000, 0.1, 256);
    expect(rows.rowOf(64_012.3)).toBe(123);
  });

  it('niceStep and smallestGap', () => {
    expect(niceStep(0)).toBe(0);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(0.013)).toBeCloseTo(0.02, 12);
    expect(niceStep(100)).toBe(100);
    expect(smallestGap([[10, 1], [9.5, 1], [9, 1], [7, 1]])).toBe(0.5);
    expect(smallestGap([[10, 1]])).toBe(Infinity);
  });
});
