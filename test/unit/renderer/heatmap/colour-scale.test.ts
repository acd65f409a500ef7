import { describe, expect, it } from 'vitest';
import { colourIndex, legendMarks, nextScaleTop, PALETTE, PALETTE_STEPS, paletteCss, scaleTopFor } from '../../../../renderer/src/chart/heatmap/colour-scale';

describe('heatmap colour scale', () => {
  it('maps size through a square root: nothing resting is -1, a quarter of the top is half-way, the top and above are the last step', () => {
    expect(colourIndex(0, 10)).toBe(-1);
    expect(colourIndex(-1, 10)).toBe(-1);
    expect(colourIndex(5, 0)).toBe(-1);
    expect(colourIndex(2.5, 10)).toBe(Math.round((PALETTE_STEPS - 1) / 2));
    expect(colourIndex(10, 10)).toBe(PALETTE_STEPS - 1);
    expect(colourIndex(1_000, 10)).toBe(PALETTE_STEPS - 1);
    expect(colourIndex(1e-9, 10)).toBeGreaterThanOrEqual(0);
  });

  it('runs from a faint blue to an opaque near-white, more opaque as it goes', () => {
    expect(PALETTE.length).toBe(PALETTE_STEPS * 4);
    const at = (i: number) => Array.from(PALETTE.slice(i * 4, i * 4 + 4));
    const [r0, g0, b0, a0] = at(0);
    expect(b0).toBeGreaterThan(r0! + 50);
    expect(b0).toBeGreaterThan(g0!);
    expect(a0).toBeLessThan(160);
    expect(at(PALETTE_STEPS - 1)).toEqual([255, 255, 240, 255]);
    for (let i = 1; i < PALETTE_STEPS; i++) expect(at(i)[3]).toBeGreaterThanOrEqual(at(i - 1)[3]!);
    expect(paletteCss(1)).toBe('rgba(255, 255, 240, 1.00)');
  });

  it('picks a round top at the 90th percentile of the sizes', () => {
    expect(scaleTopFor([])).toBe(0);
    expect(scaleTopFor([0, 0])).toBe(0);
    // 10 sizes: the 90th percentile is the largest but one.
    expect(scaleTopFor([1, 1, 1, 1, 1, 1, 1, 1, 1.3, 40])).toBe(2);
    expect(scaleTopFor([0.03])).toBeCloseTo(0.05, 12);
    expect(scaleTopFor([700, 0])).toBe(1_000);
  });

  it('follows the median of the recent columns, changing only by a factor of two or more', () => {
    expect(nextScaleTop(0, [])).toBe(0);
    expect(nextScaleTop(0, [0, 2, 1, 2])).toBe(2);
    // One huge column does not move it; a book whose usual size grew does.
    expect(nextScaleTop(2, [2, 2, 50, 1])).toBe(2);
    expect(nextScaleTop(2, [5, 5, 5, 2])).toBe(5);
    expect(nextScaleTop(2, [1, 1, 1, 2])).toBe(1);
    expect(nextScaleTop(5, [3, 5, 3, 5])).toBe(5);
  });

  it('legend marks: 0, a quarter of the top at the middle, the top at the end', () => {
    expect(legendMarks(0)).toEqual([]);
    expect(legendMarks(8)).toEqual([
      { size: 0, at: 0 },
      { size: 2, at: 0.5 },
      { size: 8, at: 1 },
    ]);
    for (const m of legendMarks(8)) if (m.size > 0) expect(colourIndex(m.size, 8)).toBe(Math.round(m.at * (PALETTE_STEPS - 1)));
  });
});
