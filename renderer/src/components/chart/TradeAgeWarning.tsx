/**
 * The legend's amber "last trade N s ago": a chart whose trades stopped says so within ~1.5 s,
 * long before the stale watchdog fires (a stalled 1s chart must not just sit there for 5 s).
 * Re-rendered on the shared 2 Hz ticker; the age comes from the chart's own trades and, before
 * it has seen one, from the feeds' health.
 */
import type { MutableRefObject } from 'react';
import type { MarketRef } from '../../../../shared/domain';
import type { ChartController } from '../../chart/chart-controller';
import { useTicker } from '../../hooks/use-ticker';
import { feedsForMarket } from '../../lib/chart-status';
import { tradeAgeWarning } from '../../lib/health-ux';
import { useHealth } from '../../stores/health-store';
import { useSession } from '../../stores/session-store';

export function TradeAgeWarning({ market, controllerRef }: { market: MarketRef | null; controllerRef: MutableRefObject<ChartController | null> }) {
  const now = useTicker(500);
  const feeds = useSession((s) => s.feeds);
  if (!market) return null;
  const health = useHealth.getState().health;
  let lastData: number | null = controllerRef.current?.lastTradeAt ?? null;
  let staleAfter: number | null = null;
  for (const f of feedsForMarket(feeds, market)) {
    const mh = health?.feeds.find((h) => h.feedId === f.id)?.markets.find((m) => m.symbol === market.symbol);
    if (!mh) continue;
    if (mh.lastDataAt !== null) lastData = Math.max(lastData ?? 0, mh.lastDataAt);
    staleAfter = staleAfter === null ? mh.staleAfterMs : Math.min(staleAfter, mh.staleAfterMs);
  }
  const text = tradeAgeWarning(lastData === null ? null : now - lastData, staleAfter);
  if (!text) return null;
  return (
    <span className="legend-warn" role="status" data-testid="trade-age-warning">
      ⚠ {text}
    </span>
  );
}
