/**
 * A named periodic job of the pipeline (the bar clock, the health sampler): `body` runs every
 * `ms` on the injected clock until cancel(). A body that throws (a bug, a bad bar) is counted and
 * its error kept for the health view (`tasks`), and the timer goes on: one bad tick must not stop
 * bars from closing, as a bare setInterval whose callback threw would not either, but silently.
 *
 * This replaced a general task supervisor (restart policies, spawn by name, shutdown deadlines)
 * that supervised exactly these two timers.
 */
import type { PipelineHealth } from '../../../shared/health';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';

export type TaskInfo = NonNullable<PipelineHealth['tasks']>[number];

export class PeriodicTask {
  private handle: unknown = null;
  private state: 'idle' | 'running' | 'cancelled' = 'idle';
  /** Ticks whose body threw; the task went on after each (health calls them restarts). */
  private failures = 0;
  private lastError: string | null = null;

  constructor(
    readonly name: string,
    private readonly ms: number,
    private readonly body: () => void,
    private readonly clock: Clock,
  ) {}

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.arm();
  }

  /** Stops the timer; a tick never runs after this returns. */
  cancel(): void {
    if (this.state === 'running') this.clock.clearTimeout(this.handle);
    this.handle = null;
    this.state = 'cancelled';
  }

  info(): TaskInfo {
    return { name: this.name, state: this.state, restarts: this.failures, lastError: this.lastError };
  }

  private arm(): void {
    this.handle = this.clock.setTimeout(this.tick, this.ms);
  }

  private readonly tick = (): void => {
    if (this.state !== 'running') return;
    // Re-armed first: a body that throws (or cancels the task) cannot leave it without a timer.
    this.arm();
    try {
      this.body();
    } catch (e) {
      this.failures++;
      this.lastError = describeCause(e);
    }
  };
}
