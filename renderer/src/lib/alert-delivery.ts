/**
 * Delivers a fired alert beyond the toast: a desktop notification and an optional tone.
 * - Browser: the Web Notifications API, once the user granted permission (asked from the Alerts
 *   panel, never on load). Clicking it focuses the window and shows the alert's market.
 * - Electron: the shell shows its own `Notification` from the core (electron/main/alert-notify.ts)
 *   and relays a click to the page as a window message (electron/preload), handled below; the
 *   page's own Notification permission is denied there by design (electron/main/security.ts).
 */
import type { AlertFired } from '../../../shared/alerts';
import type { MarketRef } from '../../../shared/domain';
import { parseMarketKey } from '../../../shared/markets';
import { ALERT_FOCUS } from '../../../shared/ipc-channels';
import { useAlerts } from '../stores/alerts-store';
import { activeChart, useLayout } from '../stores/layout-store';

/** At most one desktop notification per this many ms (a burst of large trades is one, the toasts and log show all). */
const NOTIFY_GAP_MS = 1000;
let lastNotifiedAt = 0;

function inElectron(): boolean {
  return typeof window !== 'undefined' && window.tickscopeShell?.kind === 'electron';
}

/**
 * Shows the alert's market on the active chart (a toast, notification or log click) and, given
 * the exchange time that fired it, brings that bar into view if it is not (chart/alert-lines.ts).
 */
export function focusAlertMarket(market: string, time?: number): void {
  const ref: MarketRef | null = parseMarketKey(market);
  if (!ref) return;
  const layout = useLayout.getState();
  const chart = activeChart(layout) ?? layout.charts[0];
  if (!chart) return;
  if (chart.id !== layout.activeChartId) layout.setActiveChart(chart.id);
  layout.setChartMarket(chart.id, ref);
  if (time !== undefined) useAlerts.getState().requestFocus(market, time);
}

export function notificationPermission(): NotificationPermission | 'unsupported' | 'shell' {
  if (inElectron()) return 'shell';
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported' | 'shell'> {
  if (inElectron() || typeof Notification === 'undefined') return notificationPermission();
  return Notification.requestPermission();
}

export function deliverAlert(a: AlertFired): void {
  useAlerts.getState().fired(a);
  if (useAlerts.getState().sound) beep();
  if (inElectron() || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const now = Date.now();
  if (now - lastNotifiedAt < NOTIFY_GAP_MS) return;
  lastNotifiedAt = now;
  try {
    const n = new Notification(`Tickscope alert: ${a.id}`, { body: a.message, tag: `tickscope-${a.id}` });
    n.onclick = () => {
      window.focus();
      focusAlertMarket(a.market, a.time);
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: the toast still shows.
  }
}

let audio: AudioContext | null = null;

/** A short two-tone chime (no audio file to ship). */
function beep(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.15, t + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.001, t + i * 0.12 + 0.11);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.12);
      osc.stop(t + i * 0.12 + 0.12);
    }
  } catch {
    // No audio device: silence.
  }
}

/** Electron: the shell relays a notification click as a window message (electron/preload/index.ts). */
export function listenForShellFocus(): () => void {
  const onMessage = (e: MessageEvent) => {
    const d = e.data as { type?: unknown; market?: unknown; time?: unknown } | null;
    if (e.source !== window || !d || d.type !== ALERT_FOCUS || typeof d.market !== 'string') return;
    focusAlertMarket(d.market, typeof d.time === 'number' && Number.isFinite(d.time) ? d.time : undefined);
  };
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}
