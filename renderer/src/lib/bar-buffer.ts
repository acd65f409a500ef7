/**
 * One chart series' bars (one market, one timeframe), kept sorted by window start, plus the
 * bars changed since the last paint. The chart drains it once per animation frame, so a burst of
 * batches costs one series update, not one per batch (ticks never go through React).
 */
import type { Bar } from '../../../shared/domain';

export type FrameWork =
  | { kind: 'none' }
  /** One `series.update()`; `historical` when the bar is older than the newest painted one. */
  | { kind: 'update'; bar: Bar; historical: boolean }
  /** One `series.setData()` with every bar (after a load, a trim, an insert or a backlog). */
  | { kind: 'reset'; bars: readonly Bar[] };

export interface BarBufferOptions {
  /** Trim when the buffer grows past this many bars... */
  maxBars: number;
  /** ...down to this many (the newest), so trims (each a setData) stay rare. */
  keepBars: number;
  /** More pending bars than this at one frame (a hidden tab, a stall) repaint with one setData. */
  maxBacklog: number;
}

export const DEFAULT_BAR_BUFFER: BarBufferOptions = { maxBars: 30_000, keepBars: 20_000, maxBacklog: 8 };

export class BarBuffer {
  private data: Bar[] = [];
  private readonly pending = new Map<number, Bar>();
  private needsReset = false;
  /** Start of the newest bar the series has painted (-Infinity before the first paint). */
  private paintedLast = -Infinity;

  constructor(private readonly opts: BarBufferOptions = DEFAULT_BAR_BUFFER) {}

  get bars(): readonly Bar[] {
    return this.data;
  }

  get size(): number {
    return this.data.length;
  }

  last(): Bar | undefined {
    return this.data[this.data.length - 1];
  }

  /** Replaces everything with `history` (getBars), keeping bars that arrived live meanwhile. */
  load(history: readonly Bar[]): void {
    const byStart = new Map<number, Bar>();
    for (const b of history) byStart.set(b.start, b);
    // Live bars are newer states than the snapshot for the same window.
    for (const b of this.data) byStart.set(b.start, b);
    this.data = [...byStart.values()].sort((a, b) => a.start - b.start);
    this.pending.clear();
    this.needsReset = true;
    this.trim();
  }

  /** Upserts a bar's latest state. */
  merge(bar: Bar): void {
    const d = this.data;
    const last = d[d.length - 1];
    if (!last || bar.start > last.start) {
      d.push(bar);
    } else if (bar.start === last.start) {
      d[d.length - 1] = bar;
    } else {
      const i = lowerBound(d, bar.start);
      if (d[i]?.start === bar.start) d[i] = bar;
      else {
        if (i === 0 && d.length >= this.opts.keepBars) return; // older than everything we keep
        d.splice(i, 0, bar);
        // The chart cannot insert a point in the middle: repaint once.
        this.needsReset = true;
      }
    }
    if (!this.needsReset) this.pending.set(bar.start, bar);
    this.trim();
  }

  /** What to paint this frame: at most one update, or one setData. */
  takeFrame(): FrameWork {
    if (this.needsReset || this.pending.size > this.opts.maxBacklog) {
      this.needsReset = false;
      this.pending.clear();
      const last = this.last();
      this.paintedLast = last ? last.start : -Infinity;
      return { kind: 'reset', bars: this.data };
    }
    if (this.pending.size === 0) return { kind: 'none' };
    // Oldest first, so a just-final bar is painted before the one that opened after it.
    let oldest = Infinity;
    for (const start of this.pending.keys()) if (start < oldest) oldest = start;
    const bar = this.pending.get(oldest)!;
    this.pending.delete(oldest);
    const historical = bar.start < this.paintedLast;
    if (!historical) this.paintedLast = bar.start;
    return { kind: 'update', bar, historical };
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** True when takeFrame() has something to paint (O(1), checked every frame). */
  hasWork(): boolean {
    return this.needsReset || this.pending.size > 0;
  }

  /** Index of the newest bar starting at or before `startMs` (-1 if none): restoring a saved view. */
  indexAtOrBefore(startMs: number): number {
    const i = lowerBound(this.data, startMs);
    return this.data[i]?.start === startMs ? i : i - 1;
  }

  /** The bar starting at `startMs` (the crosshair legend), if held. */
  atTime(startMs: number): Bar | undefined {
    const i = lowerBound(this.data, startMs);
    const b = this.data[i];
    return b && b.start === startMs ? b : undefined;
  }

  private trim(): void {
    if (this.data.length <= this.opts.maxBars) return;
    this.data = this.data.slice(this.data.length - this.opts.keepBars);
    this.pending.clear();
    this.needsReset = true;
  }
}

/** First index whose start is >= `start`. */
function lowerBound(bars: readonly Bar[], start: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
