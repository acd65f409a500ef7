/**
 * The one way tests wait for something on a real clock: poll a condition until it holds, with a
 * deadline, and fail naming what was awaited. Never sleep a fixed time and hope: a busy 2-core
 * machine makes any fixed time too short one day. Timing itself (backoff delays, watchdog
 * thresholds, flush cadence) is tested with the manual clock (test/helpers/manual-clock.ts).
 *
 * "Nothing else happened" is asserted after a positive event that proves time passed (the next
 * heartbeat, the next batch `seq`, a later frame): wait for that event, then check.
 */

export interface WaitOptions {
  /** Give up after this long (default 10 s: well inside vitest's 20 s test timeout). */
  timeoutMs?: number;
  /** Poll every this many ms (default 10). */
  intervalMs?: number;
  /** Appended to the timeout error: the state of whatever was awaited, to say where it got stuck. */
  explain?: () => string;
}

/** What a condition returns once it holds: anything but `false`, `null` or `undefined`. */
export type Satisfied<T> = Exclude<T, false | null | undefined>;

/**
 * Polls `condition` until it returns something other than `false`, `null` or `undefined`, and
 * resolves with that value (so `waitFor(() => list.find(...), 'the reply')` hands back the
 * element). Rejects after `timeoutMs` with `timed out after N ms waiting for <what>`. An error
 * thrown by `condition` rejects at once (e.g. "the process exited while waiting").
 */
export async function waitFor<T>(condition: () => T, what: string, options: WaitOptions = {}): Promise<Satisfied<T>> {
  const { timeoutMs = 10_000, intervalMs = 10, explain } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== false && value !== null && value !== undefined) return value as Satisfied<T>;
    if (Date.now() > deadline) {
      const detail = explain ? ` (${explain()})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
