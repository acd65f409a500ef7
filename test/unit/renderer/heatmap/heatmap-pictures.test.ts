/**
 * The heatmap's rebuild in steps, over a stand-in canvas (the unit tests run in Node): which
 * buckets each texture draws while the columns are coloured again, and which columns are written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceRows } from '../../../../renderer/src/chart/heatmap/bucketing';
import { ColumnRing } from '../../../../renderer/src/chart/heatmap/column-ring';
import { HeatmapPictures, REBUILD_CHUNK } from '../../../../renderer/src/chart/heatmap/heatmap-pictures';

/** putImageData calls: [x, columns written]. */
let puts: [number, number][] = [];

class FakeCanvas {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}
  getContext() {
    return {
      createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: (img: { width: number }, x: number, _y: number, _dx?: number, _dy?: number, dw?: number) => puts.push([x, dw ?? img.width]),
      clearRect: () => undefined,
    };
  }
}

const g = globalThis as { OffscreenCanvas?: unknown };
const had = g.OffscreenCanvas;
beforeAll(() => {
  g.OffscreenCanvas = FakeCanvas;
});
afterAll(() => {
  g.OffscreenCanvas = had;
});

const CAP = 1000;
function ringWith(buckets: number): ColumnRing {
  const r = new ColumnRing(CAP, 4, 100);
  for (let b = 0; b < buckets; b++) r.add({ time: b * 100, bids: [[99, 1]], asks: [[101, 1]], invalid: false });
  return r;
}
const rowsA = new PriceRows(0, 1, 256);
const rowsB = new PriceRows(50, 0.5, 256);
const written = () => puts.reduce((n, p) => n + p[1], 0);

describe('HeatmapPictures', () => {
  it('the first rows: every column held is written at once, one picture', () => {
    puts = [];
    const ring = ringWith(600);
    const p = new HeatmapPictures(CAP, 256);
    p.restart(ring, rowsA, 2);
    expect(written()).toBe(600);
    expect(p.rebuilding).toBe(false);
    expect(p.pictures(ring).map((x) => [x.rows, x.from, x.to])).toEqual([[rowsA, 0, 599]]);
  });

  it('new rows: the old picture stays until the new one, built newest first in steps, has replaced it', () => {
    const ring = ringWith(600);
    const p = new HeatmapPictures(CAP, 256);
    p.restart(ring, rowsA, 2);
    puts = [];
    p.restart(ring, rowsB, 2);
    expect(written()).toBe(0);
    expect(p.rebuilding).toBe(true);
    expect(p.pictures(ring).map((x) => [x.rows, x.from, x.to])).toEqual([[rowsA, 0, 599]]);

    expect(p.step(ring)).toBe(true);
    expect(written()).toBe(REBUILD_CHUNK);
    expect(p.pictures(ring).map((x) => [x.rows, x.from, x.to])).toEqual([
      [rowsA, 0, 599 - REBUILD_CHUNK],
      [rowsB, 600 - REBUILD_CHUNK, 599],
    ]);
    // A new column meanwhile goes to the new picture.
    ring.add({ time: 600 * 100, bids: [[99, 1]], asks: [[101, 1]], invalid: false });
    p.write(ring, 600, 600);
    expect(p.pictures(ring).at(-1)).toMatchObject({ rows: rowsB, to: 600 });

    while (p.step(ring));
    expect(p.rebuilding).toBe(false);
    expect(written()).toBe(601);
    expect(p.pictures(ring).map((x) => [x.rows, x.from, x.to])).toEqual([[rowsB, 0, 600]]);
  });

  it('a range is written in strips, cut where the ring wraps', () => {
    puts = [];
    const ring = ringWith(CAP + 100); // buckets 100..1099 held, slots 100..999 then 0..99
    const p = new HeatmapPictures(CAP, 256);
    p.restart(ring, rowsA, 2);
    expect(written()).toBe(CAP);
    expect(puts.every(([x, w]) => x >= 0 && x + w <= CAP && w <= 256)).toBe(true);
    expect(puts.some(([x]) => x === 0)).toBe(true);
  });
});
