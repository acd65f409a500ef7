/**
 * Waits for a promise at most `ms`, and never rejects. Used where the shell must go on whatever
 * happens (quitting after the core's stop, exiting after a failed start-up): a stop that throws
 * or hangs must not leave the process running with no window. Pure (no electron import).
 */
import { describeCause, WHOLE_MESSAGE_CHARS } from '../core/util/errors';

export type Settled = { ok: true } | { ok: false; why: string };

export function settleWithin(work: Promise<unknown>, ms: number): Promise<Settled> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, why: `did not finish within ${ms} ms` }), ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve({ ok: true });
      },
      (e: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, why: describeCause(e, WHOLE_MESSAGE_CHARS) });
      },
    );
  });
}
