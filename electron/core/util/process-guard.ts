/**
 * The last line of defence of the long-running CLIs (headless runner, web host): a promise
 * rejection that nothing handled is reported with its stack and counted, and the process keeps
 * serving its other feeds and clients. Node's default would end the process (exit 1, no summary,
 * every feed and browser tab gone) for one missed `.catch` anywhere.
 *
 * It does not hide the bug: every occurrence is written out in full, numbered, and the headless
 * summary carries the count. Only the CLI entry points install it; library code and the tests
 * never do, so a test still fails on an unhandled rejection. Uncaught exceptions are left to
 * Node's default: after a synchronous throw half-way through a handler, state may be broken.
 */
import { describeCause } from './errors';

export interface ProcessGuard {
  /** Unhandled rejections since install. */
  readonly unhandledRejections: number;
  /** Stops listening (tests). */
  uninstall(): void;
}

export function guardUnhandledRejections(report: (text: string) => void): ProcessGuard {
  let count = 0;
  const onRejection = (reason: unknown): void => {
    count++;
    let text: string;
    try {
      text = reason instanceof Error ? (reason.stack ?? `${reason.name}: ${reason.message}`) : describeCause(reason, 2_000);
    } catch {
      text = '(a value that cannot be shown)';
    }
    try {
      report(`internal error #${count}: a promise rejection nobody handled (a bug; the process keeps running): ${text}`);
    } catch {
      // A failing reporter (a closed stderr) must not turn into another rejection.
    }
  };
  process.on('unhandledRejection', onRejection);
  return {
    get unhandledRejections() {
      return count;
    },
    uninstall: () => void process.off('unhandledRejection', onRejection),
  };
}
