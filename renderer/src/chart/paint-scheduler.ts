/**
 * One animation-frame loop for every chart, instead of one per chart. Profiling the UI with four
 * charts at 50k trades/s showed the charts' draws (lightweight-charts redraws a chart in the
 * frame after each update()) landing in the same frames: four draws plus style/layout made
 * frames of 50-130 ms. This spreads them out:
 * - at most `perFrame` charts paint in one frame (the one waiting longest first), so the draws of
 *   four charts fall into four different frames;
 * - a chart repaints at most every `minIntervalMs` (10 Hz by default): more is not readable, and
 *   the stream only brings ~30 batches a second anyway;
 * - a chart that still has bars queued after a paint (a bar just closed and the next opened) is
 *   painted again in the next frame, ahead of the interval, so a new bar never waits 100 ms.
 * The clock is passed in, so the policy is testable without a browser.
 */

export interface PaintTarget {
  /** True when there is something new to draw. Called every frame: keep it O(1). */
  wantsPaint(): boolean;
  /** Draws one step (at most one update() per series); true when more is queued. */
  paint(now: number): boolean;
  /** Cheap per-frame work that must not wait for a paint slot (the crosshair legend). */
  everyFrame?(): void;
}

export interface PaintSchedulerOptions {
  minIntervalMs: number;
  perFrame: number;
}

export const DEFAULT_PAINT_SCHEDULE: PaintSchedulerOptions = { minIntervalMs: 100, perFrame: 1 };

interface Entry {
  target: PaintTarget;
  lastPaint: number;
  /** Painted last time with more queued: goes first, regardless of the interval. */
  more: boolean;
}

export class PaintScheduler {
  private readonly entries: Entry[] = [];

  constructor(private readonly opts: PaintSchedulerOptions = DEFAULT_PAINT_SCHEDULE) {}

  get size(): number {
    return this.entries.length;
  }

  /** Registers a target; returns its removal. */
  add(target: PaintTarget): () => void {
    const entry: Entry = { target, lastPaint: -Infinity, more: false };
    this.entries.push(entry);
    return () => {
      const i = this.entries.indexOf(entry);
      if (i >= 0) this.entries.splice(i, 1);
    };
  }

  /** One animation frame at `now` (ms): returns how many targets painted. */
  frame(now: number): number {
    let chosen: Entry[] = [];
    for (const e of this.entries) {
      e.target.everyFrame?.();
      if (!e.target.wantsPaint()) {
        e.more = false;
        continue;
      }
      if (e.more || now - e.lastPaint >= this.opts.minIntervalMs) chosen.push(e);
    }
    if (chosen.length > this.opts.perFrame) {
      chosen.sort((a, b) => Number(b.more) - Number(a.more) || a.lastPaint - b.lastPaint);
      chosen = chosen.slice(0, this.opts.perFrame);
    }
    for (const e of chosen) {
      e.lastPaint = now;
      e.more = e.target.paint(now);
    }
    return chosen.length;
  }
}

/** The page's scheduler, driven by requestAnimationFrame while any chart is registered. */
const shared = new PaintScheduler();
let raf = 0;

const loop = (t: number): void => {
  raf = shared.size > 0 ? requestAnimationFrame(loop) : 0;
  shared.frame(t);
};

export function scheduleChartPaints(target: PaintTarget): () => void {
  const remove = shared.add(target);
  if (raf === 0) raf = requestAnimationFrame(loop);
  return () => {
    remove();
    if (shared.size === 0 && raf !== 0) {
      cancelAnimationFrame(raf);
      raf = 0;
    }
  };
}
