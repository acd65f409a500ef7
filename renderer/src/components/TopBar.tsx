/** App title and the global actions. */
import { MAX_CHARTS, useLayout } from '../stores/layout-store';

export function TopBar() {
  const count = useLayout((s) => s.charts.length);
  const addChart = useLayout((s) => s.addChart);
  return (
    <header className="top-bar">
      <h1>Tickscope</h1>
      <button type="button" aria-label="Add chart" disabled={count >= MAX_CHARTS} onClick={addChart}>
        + Chart
      </button>
      <span className="muted">
        {count}/{MAX_CHARTS} charts · keys 1-9 switch the active chart's timeframe
      </span>
    </header>
  );
}
