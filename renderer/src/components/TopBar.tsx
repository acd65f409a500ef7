/** App title, the chart layout presets, adding a chart, the order-book toggle, and the keyboard hint. */
import { currentPreset, LAYOUT_PRESETS, type Arrangement } from '../lib/chart-layout';
import { MAX_CHARTS, useLayout } from '../stores/layout-store';
import { useSession } from '../stores/session-store';
import { AppIcon } from './AppIcon';

/** Small drawings of each preset (cells of a 16x12 box), so the buttons read at a glance. */
const GLYPH: Record<Arrangement, [number, number, number, number][]> = {
  single: [[1, 1, 14, 10]],
  cols: [[1, 1, 6.5, 10], [8.5, 1, 6.5, 10]],
  rows: [[1, 1, 14, 4.5], [1, 6.5, 14, 4.5]],
  grid: [[1, 1, 6.5, 4.5], [8.5, 1, 6.5, 4.5], [1, 6.5, 6.5, 4.5], [8.5, 6.5, 6.5, 4.5]],
};

export function TopBar() {
  const count = useLayout((s) => s.charts.length);
  const arrangement = useLayout((s) => s.arrangement);
  const addChart = useLayout((s) => s.addChart);
  const setPreset = useLayout((s) => s.setPreset);
  const bookOpen = useLayout((s) => s.bookOpen);
  const setBookOpen = useLayout((s) => s.setBookOpen);
  const tfCount = useSession((s) => s.timeframes.length);
  const preset = currentPreset(arrangement, count);
  const lastKey = Math.min(9, tfCount);
  return (
    <header className="top-bar">
      <h1>
        <AppIcon /> Tickscope
      </h1>
      <div className="layout-presets" role="radiogroup" aria-label="Layout">
        {LAYOUT_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            role="radio"
            aria-checked={preset?.id === p.id}
            aria-label={p.label}
            title={`Layout: ${p.label}`}
            onClick={() => setPreset(p.id)}
          >
            <svg width="16" height="12" viewBox="0 0 16 12" aria-hidden="true">
              {GLYPH[p.arrangement].map(([x, y, w, h], i) => (
                <rect key={i} x={x} y={y} width={w} height={h} rx="1" />
              ))}
            </svg>
          </button>
        ))}
      </div>
      <button type="button" aria-label="Add chart" disabled={count >= MAX_CHARTS} onClick={addChart}>
        + Chart
      </button>
      <button type="button" aria-pressed={bookOpen} title="Show the active chart's order book beside the charts" onClick={() => setBookOpen(!bookOpen)}>
        Order book
      </button>
      <span className="muted key-hint">
        {count}/{MAX_CHARTS} charts · keys 1-{lastKey} timeframe · arrows pan · +/- zoom · End live
      </span>
    </header>
  );
}
