/**
 * Running sums over bars that restart at a session boundary (a UTC day) or start at an anchor
 * bar: the shared machinery of CVD and VWAP. Pure, so the numbers are unit-tested without a
 * canvas.
 *
 * Frame budget: `reset` walks every bar (a load, a trim, an older page, another anchor); while
 * live, `updateNewest` only redoes the newest bar from the state saved just before it, so a
 * trade costs O(1) however many bars the chart holds.
 */
import type { Bar } from '../../../../shared/domain';

export const DAY_MS = 86_400_000;

/** The UTC day a bar's window starts in (bars are aligned to their timeframe in UTC). */
export function utcDay(startMs: number): number {
  return Math.floor(startMs / DAY_MS);
}

/** A running sum: `add` returns a new state (states are small value objects, never mutated). */
export interface Accumulator<S, P> {
  zero(): S;
  add(state: S, bar: Bar): S;
  point(state: S, bar: Bar): P;
}

/** Where sums start: at every UTC day, or once at an anchor bar (bars before it get no point). */
export type Anchor = { kind: 'session' } | { kind: 'bar'; start: number };

export const SESSION: Anchor = { kind: 'session' };

export class SessionRunner<S, P> {
  /** One point per bar from the anchor on, oldest first. */
  points: P[] = [];
  /** Bar starts of `points` (the same index). */
  starts: number[] = [];
  /** The sums before and after the newest bar: a live update redoes only that bar. */
  private before: S;
  private after: S;
  private lastStart = -Infinity;

  constructor(
    private readonly acc: Accumulator<S, P>,
    private anchor: Anchor = SESSION,
  ) {
    this.before = acc.zero();
    this.after = this.before;
  }

  setAnchor(anchor: Anchor): void {
    this.anchor = anchor;
  }

  /** Recomputes from all bars (sorted by start). */
  reset(bars: readonly Bar[]): void {
    this.points = [];
    this.starts = [];
    this.lastStart = -Infinity;
    this.before = this.acc.zero();
    this.after = this.before;
    for (const b of bars) this.append(b);
  }

  /**
   * The newest bar changed (or a newer one opened). Returns false when `bar` is older than the
   * newest point: a late bar in the middle, which needs a `reset`.
   */
  updateNewest(bar: Bar): boolean {
    if (!this.counts(bar)) return true;
    if (bar.start < this.lastStart) return false;
    if (bar.start > this.lastStart) {
      this.append(bar);
      return true;
    }
    this.after = this.acc.add(this.before, bar);
    this.points[this.points.length - 1] = this.acc.point(this.after, bar);
    return true;
  }

  private append(b: Bar): void {
    if (!this.counts(b)) return;
    this.before = this.restarts(b.start) ? this.acc.zero() : this.after;
    this.after = this.acc.add(this.before, b);
    this.points.push(this.acc.point(this.after, b));
    this.starts.push(b.start);
    this.lastStart = b.start;
  }

  private counts(b: Bar): boolean {
    return this.anchor.kind === 'session' || b.start >= this.anchor.start;
  }

  private restarts(start: number): boolean {
    return this.anchor.kind === 'session' && this.lastStart !== -Infinity && utcDay(start) !== utcDay(this.lastStart);
  }
}
