/**
 * How health reaches a trader without crying wolf: a short reconnect does not flash the DATA NOT
 * LIVE overlay, and a chart whose trades stop says so (amber) well before the stale watchdog.
 */

/** A chart must be untrustworthy this long before the overlay covers it (a 0.6 s reconnect never does). */
export const OVERLAY_GRACE_MS = 1_500;

/** The earliest "last trade N s ago" warning, whatever the market's watchdog threshold. */
export const MIN_TRADE_AGE_WARN_MS = 1_500;

/**
 * Tracks since when a chart has been in trouble: `since` is kept while the trouble lasts and
 * cleared as soon as the chart is fine again.
 */
export function troubleSince(prevSince: number | null, inTrouble: boolean, now: number): number | null {
  if (!inTrouble) return null;
  return prevSince ?? now;
}

export function overlayDue(since: number | null, now: number, graceMs = OVERLAY_GRACE_MS): boolean {
  return since !== null && now - since >= graceMs;
}

/**
 * The amber legend warning: after a third of the market's own stale threshold (it adapts to the
 * market's rate, so a quiet market does not warn all the time), never before 1.5 s.
 */
export function tradeAgeWarning(ageMs: number | null, staleAfterMs: number | null): string | null {
  if (ageMs === null || !Number.isFinite(ageMs)) return null;
  const warnAfter = Math.max(MIN_TRADE_AGE_WARN_MS, (staleAfterMs ?? 5_000) / 3);
  if (ageMs < warnAfter) return null;
  return `last trade ${Math.floor(ageMs / 1000)} s ago`;
}
