/**
 * Open-interest change over a window (the `oi-change` alert). Open interest is a level, not a
 * flow: each funding record carrying it sets the market's level at its exchange time. The change
 * "within the last `seconds`" is the latest level against the lowest (a rise) or the highest (a
 * fall) level the window saw, the level in force when the window began included; so a dip and a
 * recovery within the window count as the recovery's rise, and a venue polled less often than
 * the window still compares against its previous answer.
 *
 * Kept incrementally: the window's samples in time order (an unchanged level adds none) with
 * monotonic queues of their minimum and maximum; each sample enters and leaves once.
 */

/**
 * Levels are decimal figures, and 781.113 - 781.063 is 0.04999999999995453 in binary floats:
 * a change is rounded to 12 significant digits of the level (0.05), far below any venue's step.
 */
function roundToLevel(change: number, level: number): number {
  const decimals = Math.min(20, Math.max(0, 11 - Math.floor(Math.log10(level))));
  return Number(change.toFixed(decimals));
}

/** A change of open interest: `to - from` (see roundToLevel), and the same in percent of `from` (0 when from is 0). */
export interface OiChange {
  change: number;
  percent: number;
  from: number;
  to: number;
}

export class OiWindow {
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;
  /** Indices of samples whose values increase (min at the front) / decrease (max at the front). */
  private minQ: number[] = [];
  private maxQ: number[] = [];
  private minHead = 0;
  private maxHead = 0;
  private newest = -Infinity;

  constructor(private readonly windowMs: number) {}

  /** Sets the level at `time`; returns its change over the window ending at the newest time seen. */
  add(time: number, level: number): OiChange {
    if (time > this.newest) this.newest = time;
    const last = this.values.length - 1;
    if (last < this.head || this.values[last] !== level) this.push(time, level);
    this.evict(this.newest - this.windowMs);
    const min = this.values[this.minQ[this.minHead]!]!;
    const max = this.values[this.maxQ[this.maxHead]!]!;
    // The larger move wins; it also has the larger percent (a rise is measured from the lower level).
    const from = level - min >= max - level ? min : max;
    const change = roundToLevel(level - from, Math.max(Math.abs(level), Math.abs(from)));
    return { change, percent: from > 0 ? (change / from) * 100 : 0, from, to: level };
  }

  /** Starts again from the current level (after it fired): the next alert needs a new change. */
  reset(): void {
    const last = this.values.length - 1;
    if (last < this.head) return;
    const time = this.times[last]!, level = this.values[last]!;
    this.times = [];
    this.values = [];
    this.minQ = [];
    this.maxQ = [];
    this.head = this.minHead = this.maxHead = 0;
    this.push(time, level);
  }

  private push(time: number, level: number): void {
    const i = this.values.length;
    this.times.push(time);
    this.values.push(level);
    while (this.minQ.length > this.minHead && this.values[this.minQ[this.minQ.length - 1]!]! >= level) this.minQ.pop();
    this.minQ.push(i);
    while (this.maxQ.length > this.maxHead && this.values[this.maxQ[this.maxQ.length - 1]!]! <= level) this.maxQ.pop();
    this.maxQ.push(i);
  }

  /** Drops samples older than `from`, except the last of them: the level in force when the window began. */
  private evict(from: number): void {
    while (this.head + 1 < this.times.length && this.times[this.head + 1]! <= from) this.head++;
    while (this.minQ[this.minHead]! < this.head) this.minHead++;
    while (this.maxQ[this.maxHead]! < this.head) this.maxHead++;
    // Drop the consumed front now and then, so the arrays stay the window's size.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      const h = this.head;
      this.times = this.times.slice(h);
      this.values = this.values.slice(h);
      this.minQ = this.minQ.slice(this.minHead).map((i) => i - h);
      this.maxQ = this.maxQ.slice(this.maxHead).map((i) => i - h);
      this.head = this.minHead = this.maxHead = 0;
    }
  }
}

/**
 * The level an `oi-change` alert watches: one venue's open interest, or for a composite market
 * the sum of the latest of each venue of the symbol. A venue's first figure would count its
 * whole open interest as a rise, so when a venue joins the composite the window starts again
 * from the new sum.
 */
export class OiWatch {
  private readonly window: OiWindow;
  /** Composite only: each venue's latest open interest. */
  private readonly venues: Map<string, number> | null;

  constructor(seconds: number, composite: boolean) {
    this.window = new OiWindow(seconds * 1000);
    this.venues = composite ? new Map() : null;
  }

  update(exchange: string, time: number, openInterest: number): OiChange {
    if (!this.venues) return this.window.add(time, openInterest);
    const joined = !this.venues.has(exchange);
    this.venues.set(exchange, openInterest);
    // A handful of venues: summing afresh keeps the float sum exact to the figures.
    let sum = 0;
    for (const v of this.venues.values()) sum += v;
    const c = this.window.add(time, sum);
    if (!joined) return c;
    this.window.reset();
    return { change: 0, percent: 0, from: sum, to: sum };
  }

  reset(): void {
    this.window.reset();
  }
}

/** The alert's condition: at least `minDelta` base units or `minPercent` percent, either way. */
export function oiChangeMeets(c: OiChange, minDelta: number | undefined, minPercent: number | undefined): boolean {
  const size = Math.abs(c.change);
  if (size === 0) return false;
  // The percent of a rounded change still carries float noise (5 % can come out as 4.9999999999).
  return (minDelta !== undefined && size >= minDelta) || (minPercent !== undefined && Math.abs(c.percent) + 1e-9 >= minPercent);
}
