/**
 * The heatmap's pictures: its offscreen textures and which buckets each one draws. New columns
 * go into the current texture. When the price rows move or the colour scale changes, every
 * column held must be coloured again: done all at once that is 10-40 ms (2,400 columns x 512
 * rows, then a full-texture upload), a dropped frame. Instead the current texture becomes the
 * previous one (still right for its old rows and scale), a cleared texture takes over, and the
 * rebuild fills it newest first, REBUILD_CHUNK columns per paint slot; until it is done the older
 * buckets are drawn from the previous texture with its own rows.
 */
import type { PriceRows } from './bucketing';
import type { ColumnRing } from './column-ring';
import { HeatmapTexture } from './heatmap-texture';

/** Columns re-coloured per paint slot while a rebuild runs (a tenth of the ring: about 2 ms). */
export const REBUILD_CHUNK = 240;

export interface Picture {
  texture: HeatmapTexture;
  rows: PriceRows;
  /** Buckets [from, to] this picture draws. */
  from: number;
  to: number;
}

interface Previous {
  texture: HeatmapTexture;
  rows: PriceRows;
}

export class HeatmapPictures {
  private current: HeatmapTexture;
  private spare: HeatmapTexture | null = null;
  private previous: Previous | null = null;
  /** Buckets at or after this are in the current texture; older ones in the previous one. */
  private boundary = -Infinity;
  private rows: PriceRows | null = null;
  private top = 0;

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {
    this.current = new HeatmapTexture(width, height);
  }

  get rebuilding(): boolean {
    return this.previous !== null;
  }

  /** New rows or a new scale top: the columns held are coloured again, newest first, over the next paints. */
  restart(ring: ColumnRing, rows: PriceRows, top: number): void {
    const held = Number.isFinite(ring.newest);
    if (this.rows && held && !this.previous) {
      // The picture so far stays on screen (with its own rows) until the new one has replaced it.
      this.previous = { texture: this.current, rows: this.rows };
      this.current = this.spare ?? new HeatmapTexture(this.width, this.height);
      this.spare = null;
    }
    // Already rebuilding: the previous picture keeps the buckets older than the boundary, and the
    // current one starts again from the newest.
    this.current.clear();
    this.rows = rows;
    this.top = top;
    this.boundary = held ? (this.previous ? ring.newest + 1 : ring.oldest) : -Infinity;
    if (held && !this.previous) this.current.writeBuckets(ring, ring.oldest, ring.newest, rows, top);
  }

  /** New columns [from, to] (the newest): written at once. */
  write(ring: ColumnRing, from: number, to: number): void {
    if (!this.rows) return;
    this.current.writeBuckets(ring, from, to, this.rows, this.top);
    if (from < this.boundary) this.boundary = from;
  }

  /** One step of a running rebuild; true while more is left. */
  step(ring: ColumnRing): boolean {
    if (!this.previous || !this.rows) return false;
    const floor = Math.max(ring.oldest, ring.newest - ring.capacity + 1);
    const lo = Math.max(floor, this.boundary - REBUILD_CHUNK);
    if (lo < this.boundary) this.current.writeBuckets(ring, lo, this.boundary - 1, this.rows, this.top);
    this.boundary = lo;
    if (this.boundary <= floor) {
      this.spare = this.previous.texture;
      this.previous = null;
    }
    return this.previous !== null;
  }

  /** What to draw, oldest first. */
  pictures(ring: ColumnRing): Picture[] {
    if (!this.rows || !Number.isFinite(ring.newest)) return [];
    const out: Picture[] = [];
    if (this.previous && this.boundary > ring.oldest) {
      out.push({ texture: this.previous.texture, rows: this.previous.rows, from: ring.oldest, to: this.boundary - 1 });
    }
    const from = Math.max(ring.oldest, this.boundary);
    if (from <= ring.newest) out.push({ texture: this.current, rows: this.rows, from, to: ring.newest });
    return out;
  }
}
