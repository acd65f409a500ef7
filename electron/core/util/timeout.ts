/**
 * `asyncio.wait_for` for the pipeline (DESIGN.md section 4): every network wait gets a deadline.
 *
 * The work receives its own AbortSignal, so when the deadline passes (or the caller's outer signal
 * aborts) the work is told to stop — a socket is closed, a fetch is cancelled — instead of being
 * left running in the background after its caller has moved on.
 */
import { TimeoutError } from './errors';

// One TimeoutError for the whole core: the typed-error family of util/errors.ts (kind 'timeout',
// name 'TimeoutError'), re-exported here so callers of withTimeout need only this module.
export { TimeoutError };

/** The reason an outer signal aborted with, as an Error (AbortSignal.reason may be anything). */
function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error(r === undefined ? 'aborted' : `aborted: ${String(r)}`);
  e.name = 'AbortError';
  return e;
}

/**
 * Rejects with a TimeoutError naming `what` after `ms`; aborts the inner work through its signal
 * (with that TimeoutError as the reason). When `outer` aborts first, the inner work is aborted too
 * and the promise rejects with the outer signal's reason. Settles exactly once; the timer is
 * unref'd and always cleared, so a finished wait never keeps the process alive.
 */
export function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  what: string,
  outer?: AbortSignal,
): Promise<T> {
  const inner = new AbortController();
  if (outer?.aborted) {
    const reason = abortReason(outer);
    inner.abort(reason);
    return Promise.reject(reason);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      return true;
    };
    const onOuterAbort = (): void => {
      if (!outer || !finish()) return;
      const reason = abortReason(outer);
      inner.abort(reason);
      reject(reason);
    };
    const timer = setTimeout(() => {
      if (!finish()) return;
      const err = new TimeoutError(`${what} timed out after ${ms} ms`);
      inner.abort(err);
      reject(err);
    }, Math.max(0, ms));
    timer.unref?.();
    outer?.addEventListener('abort', onOuterAbort, { once: true });

    let running: Promise<T>;
    try {
      running = work(inner.signal);
    } catch (err) {
      // A work function that throws synchronously is a rejection like any other.
      running = Promise.reject(err);
    }
    Promise.resolve(running).then(
      (value) => {
        if (finish()) resolve(value);
      },
      (err: unknown) => {
        if (finish()) reject(err);
      },
    );
  });
}
