/**
 * The OHLCV + VWAP legend. Rendered once; the chart controller writes the numbers into these
 * nodes directly (the bar under the crosshair, else the newest bar).
 */
import { useCallback, type MutableRefObject } from 'react';
import type { LegendNodes } from '../../chart/legend';
import { marketLabel } from '../../lib/markets';
import type { ChartSpec } from '../../stores/layout-store';

const FIELDS = ['open', 'high', 'low', 'close', 'volume', 'vwap'] as const;
const LABELS: Record<(typeof FIELDS)[number], string> = { open: 'O', high: 'H', low: 'L', close: 'C', volume: 'V', vwap: 'VWAP' };

export function ChartLegend({ nodesRef, spec }: { nodesRef: MutableRefObject<LegendNodes | null>; spec: ChartSpec }) {
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
      <div className="legend-title">
        <span>{spec.market ? marketLabel(spec.market) : 'No market'}</span>
        <span className="legend-tf">{spec.tf}</span>
        <span className="last-price" data-field="last" data-testid="last-price" aria-label="Last price">
          —
        </span>
      </div>
      <div className="legend-values">
        {FIELDS.map((f) => (
          <span key={f} className="legend-item">
            <span className="legend-key">{LABELS[f]}</span>
            <span data-field={f} aria-label={`${f === 'vwap' ? 'VWAP' : f[0]!.toUpperCase() + f.slice(1)} value`}>
              —
            </span>
          </span>
        ))}
        <span className="legend-flag" data-field="flag" />
      </div>
    </div>
  );
}
