/**
 * Desktop notifications of fired alerts in the Electron shell (the page's own Notification
 * permission is denied by design, security.ts). Shown from the core's alert stream, so they come
 * even with the window hidden. A click brings the window forward and tells the page which market
 * to show (ALERT_FOCUS through the preload). At most one a second: the toasts and the log in the
 * window show every alert of a burst.
 */
import { BrowserWindow, Notification } from 'electron';
import type { AlertFired } from '../../shared/alerts';
import { ALERT_FOCUS } from '../../shared/ipc-channels';

const MIN_GAP_MS = 1000;
/** Notifications kept referenced until clicked or closed (else a collected one loses its click). */
const MAX_KEPT = 10;

export function createAlertNotifier(): (a: AlertFired) => void {
  let lastAt = 0;
  const kept = new Set<Notification>();
  return (a) => {
    const now = Date.now();
    if (now - lastAt < MIN_GAP_MS || !Notification.isSupported()) return;
    lastAt = now;
    const n = new Notification({ title: `Tickscope alert: ${a.id}`, body: a.message });
    const forget = () => kept.delete(n);
    n.on('click', () => {
      forget();
      const win = BrowserWindow.getAllWindows()[0];
      if (!win) return;
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      win.webContents.send(ALERT_FOCUS, a.market, a.time);
    });
    n.on('close', forget);
    kept.add(n);
    if (kept.size > MAX_KEPT) kept.delete(kept.values().next().value!);
    n.show();
  };
}
