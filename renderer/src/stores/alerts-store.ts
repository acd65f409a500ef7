/**
 * Alerts as the core holds them (the list, pushed after every change) and what fired: the log
 * (newest first, from the core's own log on connect plus every `alert` message since) and the
 * toasts on screen. Evaluation is the core's (docs/architecture.md, Alerts); this only shows.
 */
import { create } from 'zustand';
import type { AlertDef, AlertFired } from '../../../shared/alerts';

/** Entries kept in the panel's log. */
const LOG_SIZE = 200;
/** Toasts on screen at once; older ones go (the log keeps them). */
const MAX_TOASTS = 4;

export interface AlertsState {
  alerts: AlertDef[];
  /** Newest first. */
  log: AlertFired[];
  toasts: AlertFired[];
  /** Play a short tone when an alert fires (remembered in this browser). */
  sound: boolean;
  /** The last "show me" click on a fired alert: the active chart brings `time` into view (chart/alert-lines.ts). */
  focus: { market: string; time: number; seq: number } | null;
  requestFocus(market: string, time: number): void;
  setAlerts(alerts: AlertDef[]): void;
  /** The core's list and log on connect (log oldest first, as the core keeps it). */
  loaded(alerts: AlertDef[], log: AlertFired[]): void;
  fired(a: AlertFired): void;
  dismissToast(a: AlertFired): void;
  setSound(on: boolean): void;
}

const SOUND_KEY = 'tickscope-alert-sound';

export const useAlerts = create<AlertsState>()((set, get) => ({
  alerts: [],
  log: [],
  toasts: [],
  focus: null,
  requestFocus: (market, time) => set({ focus: { market, time, seq: (get().focus?.seq ?? 0) + 1 } }),
  sound: typeof localStorage !== 'undefined' && localStorage.getItem(SOUND_KEY) === 'on',
  setAlerts: (alerts) => set({ alerts }),
  loaded: (alerts, log) => set({ alerts, log: [...log].reverse().slice(0, LOG_SIZE) }),
  fired: (a) => set({ log: [a, ...get().log].slice(0, LOG_SIZE), toasts: [...get().toasts, a].slice(-MAX_TOASTS) }),
  dismissToast: (a) => set({ toasts: get().toasts.filter((t) => t !== a) }),
  setSound: (on) => {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    set({ sound: on });
  },
}));
