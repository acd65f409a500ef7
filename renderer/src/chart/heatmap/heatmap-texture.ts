/**
 * The heatmap's offscreen picture: one pixel per (column slot, price row), the ring's slot s at
 * x = s, price row r at y = rows - 1 - r (high prices on top). A new book sample rewrites only its
 * own column (a 1-pixel-wide putImageData); the chart's draw then blits the visible part, scaled
 * (drawImage), so scrolling and zooming cost one or two blits, never a redraw of the history.
 * The whole picture is rebuilt only when the rows move (the price drifted off them) or the
 * colour scale's top grows.
 */
import { colourIndex, PALETTE } from './colour-scale';
import type { ColumnRing } from './column-ring';
import type { PriceRows } from './bucketing';

/** Invalid columns are grey here; the drawing hatches them on top. */
const INVALID_RGBA = [128, 128, 128, 90] as const;

type Surface = OffscreenCanvas | HTMLCanvasElement;
type Context = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function makeSurface(w: number, h: number): Surface {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  return Object.assign(document.createElement('canvas'), { width: w, height: h });
}

export class HeatmapTexture {
  readonly surface: Surface;
  private readonly ctx: Context;
  private readonly column: ImageData;
  /** Size per row of the column being written (levels grouped into rows add up). */
  private readonly rowSizes: Float32Array;
  /** The whole picture's pixels, for a rebuild (allocated at the first one, then reused). */
  private whole: ImageData | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.surface = makeSurface(width, height);
    const ctx = this.surface.getContext('2d', { willReadFrequently: false }) as Context | null;
    if (!ctx) throw new Error('heatmap: no 2d context for the offscreen canvas');
    this.ctx = ctx;
    this.column = ctx.createImageData(1, height);
    this.rowSizes = new Float32Array(height);
  }

  /** Rewrites the columns of buckets [from, to] from the ring, one 1-pixel-wide putImageData each. */
  writeBuckets(ring: ColumnRing, from: number, to: number, rows: PriceRows, top: number): void {
    for (let b = Math.max(from, to - ring.capacity + 1); b <= to; b++) {
      const slot = ring.slotOf(b);
      this.fill(this.column.data, 1, 0, ring, slot, rows, top);
      this.ctx.putImageData(this.column, slot, 0);
    }
  }

  /** Redraws every column the ring holds (the rows moved or the scale changed): one putImageData. */
  rebuild(ring: ColumnRing, rows: PriceRows, top: number): void {
    this.whole ??= this.ctx.createImageData(this.width, this.height);
    const px = this.whole.data;
    px.fill(0);
    if (Number.isFinite(ring.newest)) {
      for (let b = Math.max(ring.oldest, ring.newest - ring.capacity + 1); b <= ring.newest; b++) {
        const slot = ring.slotOf(b);
        this.fill(px, this.width, slot, ring, slot, rows, top);
      }
    }
    this.ctx.putImageData(this.whole, 0, 0);
  }

  /** Colours one slot's levels into column `x` of `px` (an image `stride` pixels wide). */
  private fill(px: Uint8ClampedArray, stride: number, x: number, ring: ColumnRing, slot: number, rows: PriceRows, top: number): void {
    const sums = this.rowSizes;
    sums.fill(0);
    const o = ring.offset(slot);
    const n = ring.counts[slot]!;
    for (let i = 0; i < n; i++) {
      const r = rows.rowOf(ring.prices[o + i]!);
      if (r >= 0) sums[r]! += ring.sizes[o + i]!;
    }
    const invalid = ring.invalid[slot] === 1;
    for (let r = 0; r < this.height; r++) {
      const y = ((this.height - 1 - r) * stride + x) * 4;
      const k = colourIndex(sums[r]!, top);
      if (k < 0) {
        px[y + 3] = 0;
      } else if (invalid) {
        px.set(INVALID_RGBA, y);
      } else {
        px[y] = PALETTE[k * 4]!;
        px[y + 1] = PALETTE[k * 4 + 1]!;
        px[y + 2] = PALETTE[k * 4 + 2]!;
        px[y + 3] = PALETTE[k * 4 + 3]!;
      }
    }
  }
}
