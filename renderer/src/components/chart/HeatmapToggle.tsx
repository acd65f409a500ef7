/**
 * The chart toolbar's "Heatmap" toggle: the depth heatmap (chart/heatmap/) behind this chart's
 * candles. Kept per chart in the layout store, so it survives a reload.
 */
import { useLayout, type ChartSpec } from '../../stores/layout-store';

export function HeatmapToggle({ spec, n }: { spec: ChartSpec; n: number }) {
  const on = spec.heatmap === true;
  return (
    <button
      type="button"
      aria-pressed={on}
      aria-label={`Heatmap for chart ${n}`}
      title="Depth heatmap: resting order-book liquidity by price over time, behind the candles"
      onClick={() => useLayout.getState().setChartHeatmap(spec.id, !on)}
    >
      Heatmap
    </button>
  );
}
