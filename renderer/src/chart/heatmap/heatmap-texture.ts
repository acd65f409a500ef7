/**
 * The heatmap's offscreen picture: one pixel per (column slot, price row), the ring's slot s at
 * x = s, price row r at y = rows - 1 - r (high prices on top). A new book sample rewrites only its
 * own column (a 1-pixel-wide putImageData); the chart's draw then blits the visible part, scaled
 * (drawImage), so scrolling and zooming cost one or two blits, never a redraw of the history.
 * Every column is coloured again only when the rows move (the price drifted off them) or the
 * colour scale changes, and then in steps (heatmap-pictures.ts).
 */
import { colourIndex, PALETTE } from './colour-scale';
import type { ColumnRing } from './column-ring';
import type { PriceRows } from './bucketing';

/** Invalid columns are grey here; the drawing hatches them on top. */
const INVALID_RGBA = [128, 128, 128, 90] as const;

/** Columns per putImageData when a range is written (a rebuild step writes REBUILD_CHUNK of them). */
const STRIP = 256;

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
  /** Pixels of up to STRIP columns written together (allocated at the first range, then reused). */
  private strip: ImageData | null = null;

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

  /**
   * Rewrites the columns of buckets [from, to] from the ring: a single column (the usual case, a
   * new book view) as a 1-pixel-wide putImageData, a range through a strip buffer STRIP columns
   * wide, one putImageData per strip (a run of slots is cut where the ring wraps).
   */
  writeBuckets(ring: ColumnRing, from: number, to: number, rows: PriceRows, top: number): void {
    const first = Math.max(from, to - ring.capacity + 1);
    if (to < first) return;
    if (to === first) {
      const slot = ring.slotOf(to);
      this.fill(this.column.data, 1, 0, ring, slot, rows, top);
      this.ctx.putImageData(this.column, slot, 0);
      return;
    }
    this.strip ??= this.ctx.createImageData(STRIP, this.height);
    const px = this.strip.data;
    let runStart = ring.slotOf(first);
    for (let b = first; b <= to; b++) {
      const slot = ring.slotOf(b);
      this.fill(px, STRIP, slot - runStart, ring, slot, rows, top);
      const width = slot - runStart + 1;
      if (b === to || slot === ring.capacity - 1 || width === STRIP) {
        this.ctx.putImageData(this.strip, runStart, 0, 0, 0, width, this.height);
        runStart = slot === ring.capacity - 1 ? 0 : slot + 1;
      }
    }
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.width, this.height);
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
