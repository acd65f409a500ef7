/**
 * Rolling rates and percentiles for the health view: cheap to update on the hot path
 * (one array write per event), computed only when a snapshot is taken (1-2 Hz).
 */

/** Events per second over a rolling window, kept in fixed time buckets. */
export class RollingRate {
  private readonly counts: number[];
  private readonly ids: number[];
  private readonly n: number;
  /** The bucket add() last wrote to, [curStart, curEnd) ms: most events land in it (no division). */
  private curStart = 0;
  private curEnd = 0;
  private curSlot = 0;

  /** `since`: when counting began, so a young feed's rate is not diluted by the full window. */
  constructor(
    private readonly since: number,
    private readonly windowMs = 5_000,
    private readonly bucketMs = 250,
  ) {
    this.n = Math.max(1, Math.ceil(windowMs / bucketMs));
    this.counts = new Array<number>(this.n).fill(0);
    this.ids = new Array<number>(this.n).fill(-1);
  }

  add(now: number, amount = 1): void {
    if (now >= this.curStart && now < this.curEnd) {
      this.counts[this.curSlot]! += amount;
      return;
    }
    const id = Math.floor(now / this.bucketMs);
    const slot = id % this.n;
    if (this.ids[slot] !== id) {
      this.ids[slot] = id;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += amount;
    this.curStart = id * this.bucketMs;
    this.curEnd = this.curStart + this.bucketMs;
    this.curSlot = slot;
  }

  /** Sum of the window divided by the time it actually covers (at least 1 s, to damp start-up noise). */
  perSecond(now: number): number {
    const current = Math.floor(now / this.bucketMs);
    const oldest = current - this.n + 1;
    let sum = 0;
    for (let i = 0; i < this.n; i++) {
      const id = this.ids[i]!;
      if (id >= oldest && id <= current) sum += this.counts[i]!;
    }
    const covered = Math.min(now - oldest * this.bucketMs, now - this.since);
    return sum / (Math.max(covered, 1_000) / 1_000);
  }
}

/** The last `capacity` samples in a ring; percentiles by nearest rank over what it holds. */
export class PercentileRing {
  private readonly values: Float64Array;
  private count = 0;
  private head = 0;

  constructor(capacity = 2_048) {
    this.values = new Float64Array(Math.max(1, capacity));
  }

  push(value: number): void {
    if (!Number.isFinite(value)) return;
    this.values[this.head] = value;
    if (++this.head === this.values.length) this.head = 0;
    if (this.count < this.values.length) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** p in [0, 100]; null when empty. Nearest-rank, so the answer is always an observed sample. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const sorted = Array.from(this.values.subarray(0, this.count)).sort((a, b) => a - b);
    const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * this.count);
    return sorted[Math.max(rank, 1) - 1]!;
  }

  clear(): void {
    this.count = 0;
    this.head = 0;
  }
}
