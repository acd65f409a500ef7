/** Keys 1-9 pick the active chart's timeframe (in the order of hello.timeframes). */
import { useEffect } from 'react';
import { activeChart, useLayout } from '../stores/layout-store';
import { useSession } from '../stores/session-store';

export function useTimeframeKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      if (!/^[1-9]$/.test(e.key)) return;
      const tf = useSession.getState().timeframes[Number(e.key) - 1];
      const chart = activeChart(useLayout.getState());
      if (!tf || !chart) return;
      useLayout.getState().setChartTf(chart.id, tf);
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
