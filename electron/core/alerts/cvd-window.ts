/**
 * CVD change over a window (the `cvd-change` alert): the sum of taker buy minus sell size of the
 * trades whose exchange time is within the last `seconds`, kept incrementally (a queue of the
 * window's trades and a running sum; each trade enters and leaves once). Trades of unknown side
 * do not count, as in the CVD study. For a composite, venues' clocks interleave: the window ends at
 * the newest exchange time seen.
 */
export class CvdWindow {
  private times: number[] = [];
  private deltas: number[] = [];
  private head = 0;
  private sum = 0;
  private newest = -Infinity;

  constructor(private readonly windowMs: number) {}

  /** Adds a trade and returns the change of CVD over the window ending at the newest trade. */
  add(time: number, side: 'buy' | 'sell' | 'unknown', size: number): number {
    if (side !== 'unknown') {
      const d = side === 'buy' ? size : -size;
      this.times.push(time);
      this.deltas.push(d);
      this.sum += d;
    }
    if (time > this.newest) this.newest = time;
    const from = this.newest - this.windowMs;
    while (this.head < this.times.length && this.times[this.head]! < from) {
      this.sum -= this.deltas[this.head]!;
      this.head++;
    }
    // Drop the consumed front now and then, so the arrays stay the window's size.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.deltas = this.deltas.slice(this.head);
      this.head = 0;
    }
    // Float sums drift; an empty window is exactly 0.
    if (this.head === this.times.length) this.sum = 0;
    return this.sum;
  }

  /** Starts again (after it fired): the next alert needs a new change of that size. */
  reset(): void {
    this.times = [];
    this.deltas = [];
    this.head = 0;
    this.sum = 0;
  }
}
