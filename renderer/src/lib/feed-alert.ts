/**
 * Whether a feed's health row must be unmistakable (red), and the state text it shows.
 *
 * Alert states (stale, backoff, error, stopped) are often momentary: a stalled connection goes
 * stale and straight into a short backoff, then sits in `connecting` / `subscribing` while the
 * venue stays silent. A health view sampled at 1-2 Hz can miss the momentary states entirely, so
 * a feed that delivered data before and is not live now (a reconnect in progress) is an alert
 * too: its markets are not being updated, whatever the state's name says.
 */
import type { FeedHealth } from '../../../shared/health';

const ALERT_STATES = new Set(['stale', 'backoff', 'error', 'stopped']);

export interface FeedAlert {
  alert: boolean;
  /**
   * The one state the row shows (its dot and class): `stale` when the feed is live but one of its
   * markets went silent, so a row never reads "live" next to "stale".
   */
  shownState: string;
  /** The state as shown: upper case when it is an alert, with the backoff countdown. */
  text: string;
  /** Markets of the feed whose own watchdog says they are silent. */
  staleMarkets: string[];
}

export function feedAlert(f: FeedHealth, now: number): FeedAlert {
  const staleMarkets = f.markets.filter((m) => m.stale).map((m) => m.symbol);
  const recovering = f.state !== 'live' && !ALERT_STATES.has(f.state) && f.lastDataAgeMs !== null;
  const alert = ALERT_STATES.has(f.state) || recovering || staleMarkets.length > 0;
  let text: string = f.state;
  let shownState: string = f.state;
  if (f.state === 'live' && staleMarkets.length > 0) {
    shownState = 'stale';
    text = `STALE · ${staleMarkets.join(', ')}`;
  } else if (f.state === 'backoff' && f.nextRetryAt !== null) {
    text = `BACKOFF · retry in ${Math.max(0, Math.ceil((f.nextRetryAt - now) / 1000))} s`;
  } else if (ALERT_STATES.has(f.state)) {
    text = f.state.toUpperCase();
  } else if (recovering) {
    text = `RECONNECTING · ${f.state}`;
  }
  return { alert, shownState, text, staleMarkets };
}
