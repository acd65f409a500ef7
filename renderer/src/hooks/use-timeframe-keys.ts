/**
 * Number keys pick a chart's timeframe (in the order of hello.timeframes): the chart that has
 * focus (its canvas or any control in its toolbar), else the active chart. Never the chart under
 * the mouse: focus and clicks make a chart active, hovering does not.
 */
import { useEffect } from 'react';
import { activeChart, useLayout } from '../stores/layout-store';
import { useSession } from '../stores/session-store';

/** The chart id of the pane holding `el`, if any. */
export function chartIdOf(el: Element | null): string | null {
  return el?.closest<HTMLElement>('[data-chart-id]')?.dataset.chartId ?? null;
}

export function useTimeframeKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      if (!/^[1-9]$/.test(e.key)) return;
      const tf = useSession.getState().timeframes[Number(e.key) - 1];
      const layout = useLayout.getState();
      const focused = chartIdOf(document.activeElement);
      const chart = (focused && layout.charts.find((c) => c.id === focused)) || activeChart(layout);
      if (!tf || !chart) return;
      layout.setChartTf(chart.id, tf);
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
