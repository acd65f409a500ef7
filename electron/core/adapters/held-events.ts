/**
 * Events a parser cannot build yet because something about their instrument is still unknown (a
 * contract size the venue pushes on subscribe: BitMEX's `instrument` row, Gate's
 * `futures.contract_info`). Held per connection in arrival order, at most `max`; released when the
 * instrument becomes known. An overflow drops the oldest and is reported once per instrument
 * until it is known, not once per dropped event (a busy market would flood the error count).
 */
import type { ErrorEvent, ParsedEvent } from './adapter';

export class HeldEvents<B> {
  private readonly held: Array<{ native: string; build: B }> = [];
  private readonly reported = new Set<string>();

  constructor(private readonly max: number, private readonly overflow: (native: string) => ErrorEvent) {}

  hold(out: ParsedEvent[], native: string, build: B): void {
    this.held.push({ native, build });
    if (this.held.length <= this.max) return;
    const dropped = this.held.shift()!;
    if (this.reported.has(dropped.native)) return;
    this.reported.add(dropped.native);
    out.push(this.overflow(dropped.native));
  }

  /** Hands every held event whose instrument is now `ready` to `use`, oldest first. */
  release(ready: (native: string) => boolean, use: (native: string, build: B) => void): void {
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i]!;
      if (!ready(h.native)) { i++; continue; }
      this.held.splice(i, 1);
      this.reported.delete(h.native);
      use(h.native, h.build);
    }
  }
}
