/**
 * The shell's alert notifications (electron/main/alert-notify.ts) with `electron` mocked: one
 * system notification per fired alert, at most one a second, and a click brings the window
 * forward and sends ALERT_FOCUS with the alert's market to the page.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertFired } from '../../../shared/alerts';
import { ALERT_FOCUS } from '../../../shared/ipc-channels';

const shown = vi.hoisted(() => [] as { title: string; body: string; handlers: Record<string, () => void> }[]);
const win = vi.hoisted(() => ({ restored: 0, shown: 0, focused: 0, sent: [] as unknown[][], minimized: true }));

vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => true;
    readonly handlers: Record<string, () => void> = {};
    constructor(readonly o: { title: string; body: string }) {}
    on(name: string, fn: () => void) {
      this.handlers[name] = fn;
      return this;
    }
    show() {
      shown.push({ title: this.o.title, body: this.o.body, handlers: this.handlers });
    }
  },
  BrowserWindow: {
    getAllWindows: () => [
      {
        isMinimized: () => win.minimized,
        restore: () => win.restored++,
        show: () => win.shown++,
        focus: () => win.focused++,
        webContents: { send: (...args: unknown[]) => win.sent.push(args) },
      },
    ],
  },
}));

const { createAlertNotifier } = await import('../../../electron/main/alert-notify');

const fired = (id: string): AlertFired => ({ type: 'alert', id, kind: 'price-cross', market: 'binance:spot:BTC-USDT', at: 1, time: 1, value: 64000, message: `${id} crossed` });

afterEach(() => vi.useRealTimers());

describe('alert notifications in the Electron shell', () => {
  it('one a second at most; a click shows the window and tells the page the market', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const notify = createAlertNotifier();
    notify(fired('a'));
    notify(fired('b')); // same second: the toasts and log show it, no second system notification
    vi.setSystemTime(1_001_000);
    notify(fired('c'));
    expect(shown.map((n) => [n.title, n.body])).toEqual([
      ['Tickscope alert: a', 'a crossed'],
      ['Tickscope alert: c', 'c crossed'],
    ]);
    shown[0]!.handlers.click!();
    expect(win).toMatchObject({ restored: 1, shown: 1, focused: 1 });
    expect(win.sent).toEqual([[ALERT_FOCUS, 'binance:spot:BTC-USDT', 1]]);
  });
});
