/**
 * The chart's one-line legend: market, timeframe, live price, OHLCV + VWAP, the trade-age
 * warning. Rendered once; the chart controller writes the numbers into these nodes directly (the
 * bar under the crosshair, else the newest bar). It stops short of the price scale (its width is
 * in --price-scale-width) and drops lower-priority fields when the chart is narrow (CSS).
 */
import { useCallback, type MutableRefObject } from 'react';
import type { ChartController } from '../../chart/chart-controller';
import type { LegendNodes } from '../../chart/legend';
import { marketLabel } from '../../lib/markets';
import { isSimulated } from '../../lib/simulated';
import type { ChartSpec } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { SimulatedBadge } from '../SimulatedBadge';
import { TradeAgeWarning } from './TradeAgeWarning';

const FIELDS = ['open', 'high', 'low', 'close', 'volume', 'vwap'] as const;
const LABELS: Record<(typeof FIELDS)[number], string> = { open: 'O', high: 'H', low: 'L', close: 'C', volume: 'V', vwap: 'VWAP' };

export function ChartLegend({
  nodesRef,
  spec,
  controllerRef,
}: {
  nodesRef: MutableRefObject<LegendNodes | null>;
  spec: ChartSpec;
  controllerRef: MutableRefObject<ChartController | null>;
}) {
  const simulated = useSession((s) => isSimulated(spec.market, s.feeds));
  const attach = useCallback(
    (root: HTMLDivElement | null) => {
      if (!root) return;
      const q = (name: string) => root.querySelector<HTMLElement>(`[data-field="${name}"]`)!;
      nodesRef.current = {
        root,
        open: q('open'),
        high: q('high'),
        low: q('low'),
        close: q('close'),
        volume: q('volume'),
        vwap: q('vwap'),
        flag: q('flag'),
        last: q('last'),
      };
    },
    [nodesRef],
  );
  return (
    <div ref={attach} className="chart-legend" role="group" aria-label="Bar values">
      {simulated && <SimulatedBadge />}
      {/* The symbol always shows; the rest of the label gives way first when the chart is narrow. */}
      <span className="legend-symbol">{spec.market ? spec.market.symbol : 'No market'}</span>
      {spec.market && <span className="legend-market">{marketLabel(spec.market).slice(spec.market.symbol.length).trim()}</span>}
      <span className="legend-tf">{spec.tf}</span>
      <span className="last-price" data-field="last" data-testid="last-price" aria-label="Last price">
        —
      </span>
      <TradeAgeWarning market={spec.market} controllerRef={controllerRef} />
      {FIELDS.map((f) => (
        <span key={f} className={`legend-item legend-${f}`}>
          <span className="legend-key">{LABELS[f]}</span>
          <span data-field={f} aria-label={`${f === 'vwap' ? 'VWAP' : f[0]!.toUpperCase() + f.slice(1)} value`}>
            —
          </span>
        </span>
      ))}
      <span className="legend-flag" data-field="flag" />
    </div>
  );
}
