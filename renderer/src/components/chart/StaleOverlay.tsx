/** A banner over the chart whenever its data cannot be trusted: a frozen chart must never look quiet. */
import type { MarketRef } from '../../../../shared/domain';
import { useChartStatus } from '../../hooks/use-chart-status';

export function StaleOverlay({ market }: { market: MarketRef | null }) {
  const status = useChartStatus(market);
  if (status.level === 'ok' || !status.reason) return null;
  const retry =
    status.nextRetryAt !== null ? ` · retry in ${Math.max(0, Math.ceil((status.nextRetryAt - status.now) / 1000))} s` : '';
  return (
    <div className="stale-overlay" role="alert" data-testid="stale-banner">
      <strong>DATA NOT LIVE</strong>
      <span>
        {status.reason}
        {retry}
      </span>
    </div>
  );
}
