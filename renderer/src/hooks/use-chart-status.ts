/** The chart's trust status, re-evaluated twice a second (a frozen stream shows within ~3 s). */
import type { MarketRef } from '../../../shared/domain';
import { chartStatus, type ChartStatus } from '../lib/chart-status';
import { useHealth } from '../stores/health-store';
import { useSession } from '../stores/session-store';
import { streamStore } from '../stores/stream-store';
import { useTicker } from './use-ticker';

export function useChartStatus(market: MarketRef | null): ChartStatus & { now: number } {
  const now = useTicker(500);
  const feeds = useSession((s) => s.feeds);
  const connected = useSession((s) => s.connected);
  // Read on the tick, not subscribed: all four charts' overlays re-render with the shared ticker.
  const health = useHealth.getState().health;
  if (!market) return { level: 'ok', reason: null, nextRetryAt: null, now };
  const status = chartStatus({ market, feeds, health, lastBatchAt: streamStore.getState().lastBatchAt, connected, now });
  return { ...status, now };
}
