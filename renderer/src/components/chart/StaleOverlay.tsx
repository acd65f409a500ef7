/**
 * A banner over the chart whenever its data cannot be trusted: a frozen chart must never look
 * quiet. It waits OVERLAY_GRACE_MS first, so a reconnect of a fraction of a second does not
 * flash a hatched overlay; a composite chart with some venues still live gets an amber strip
 * ("degraded 1/2 venues") instead of being blocked.
 */
import { useRef } from 'react';
import type { MarketRef } from '../../../../shared/domain';
import { useChartStatus } from '../../hooks/use-chart-status';
import { overlayDue, troubleSince } from '../../lib/health-ux';

export function StaleOverlay({ market }: { market: MarketRef | null }) {
  const status = useChartStatus(market);
  const since = useRef<number | null>(null);
  const troubled = status.level !== 'ok' && status.reason !== null;
  since.current = troubleSince(since.current, troubled, status.now);
  if (!troubled || !overlayDue(since.current, status.now)) return null;
  const retry =
    status.nextRetryAt !== null ? ` · retry in ${Math.max(0, Math.ceil((status.nextRetryAt - status.now) / 1000))} s` : '';
  if (status.level === 'degraded') {
    return (
      <div className="degraded-strip" role="status" data-testid="degraded-banner">
        <strong>DEGRADED</strong> {status.reason}
        {retry}
      </div>
    );
  }
  return (
    <div className="stale-overlay" role="alert" data-testid="stale-banner">
      <strong>DATA NOT LIVE</strong>
      <span className="stale-reason">
        {status.reason}
        {retry}
      </span>
    </div>
  );
}
