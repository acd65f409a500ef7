/** Events per second over a sliding window (IPC batches from seq, renderer frames). */
export class RateMeter {
  private readonly stamps: number[] = [];

  constructor(private readonly windowMs = 2_000) {}

  mark(now: number, count = 1): void {
    for (let i = 0; i < count; i++) this.stamps.push(now);
    this.prune(now);
  }

  rate(now: number): number {
    this.prune(now);
    return (this.stamps.length * 1000) / this.windowMs;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.stamps.length && now - this.stamps[drop]! > this.windowMs) drop++;
    if (drop > 0) this.stamps.splice(0, drop);
  }
}
