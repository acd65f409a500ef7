/**
 * A wait of any length. Node's setTimeout takes at most 2^31-1 ms (~24.8 days): a longer delay
 * overflows and fires after 1 ms (so `--duration 3000000` used to end the headless run at once).
 * This chains timers of at most that length until the deadline really passes.
 */
import type { Clock } from './clock';

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The real clock with ref'd timers: a long wait is what keeps a run alive, on purpose. */
const refClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface LongTimeout {
  /** Resolves once `ms` have passed (never, if cancelled). */
  done: Promise<void>;
  cancel(): void;
}

export function longTimeout(ms: number, clock: Clock = refClock): LongTimeout {
  if (Number.isNaN(ms)) throw new RangeError('longTimeout: ms is NaN');
  const deadline = clock.now() + ms;
  let handle: unknown = null;
  let cancelled = false;
  const done = new Promise<void>((resolve) => {
    const arm = () => {
      if (cancelled) return;
      const left = deadline - clock.now();
      if (left <= 0) return resolve();
      handle = clock.setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      if (handle !== null) clock.clearTimeout(handle);
    },
  };
}
