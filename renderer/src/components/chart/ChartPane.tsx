/** One chart: toolbar, the canvas (driven imperatively), the legend and the stale-data overlay. */
import { useEffect, useRef } from 'react';
import { ChartController } from '../../chart/chart-controller';
import type { LegendNodes } from '../../chart/legend';
import { chartableMarkets, marketId } from '../../lib/markets';
import { useLayout, type ChartSpec } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { streamStore } from '../../stores/stream-store';
import { ChartLegend } from './ChartLegend';
import { ChartToolbar } from './ChartToolbar';
import { StaleOverlay } from './StaleOverlay';

export function ChartPane({ spec, index, canClose }: { spec: ChartSpec; index: number; canClose: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<LegendNodes | null>(null);
  const controllerRef = useRef<ChartController | null>(null);
  const client = useSession((s) => s.client);
  const feeds = useSession((s) => s.feeds);
  const active = useLayout((s) => s.activeChartId === spec.id);
  const setChartMarket = useLayout((s) => s.setChartMarket);
  const setActiveChart = useLayout((s) => s.setActiveChart);
  const key = spec.market ? marketId(spec.market) : '';

  useEffect(() => {
    const host = hostRef.current;
    const legend = legendRef.current;
    if (!host || !legend) return;
    const c = new ChartController(host, legend, client);
    controllerRef.current = c;
    // Transient subscription: batches reach the chart without a React render.
    const off = streamStore.subscribe((s, prev) => {
      if (s.batch && s.batch !== prev.batch) c.onBatch(s.batch);
    });
    return () => {
      off();
      c.dispose();
      controllerRef.current = null;
    };
  }, [client]);

  useEffect(() => {
    controllerRef.current?.show(spec.market, spec.tf);
    // `key` (the market id) stands for spec.market, whose object identity changes on every store write.
  }, [key, spec.tf, client]);

  // A new chart with no market yet shows the first configured one.
  useEffect(() => {
    if (spec.market) return;
    const first = chartableMarkets(feeds)[0];
    if (first) setChartMarket(spec.id, first);
  }, [spec.market, spec.id, feeds, setChartMarket]);

  return (
    <section
      className={`chart-pane${active ? ' active' : ''}`}
      aria-label={`Chart ${index + 1}`}
      onPointerDown={() => setActiveChart(spec.id)}
    >
      <ChartToolbar spec={spec} index={index} canClose={canClose} />
      <div className="chart-body">
        <div
          ref={hostRef}
          className="chart-canvas"
          data-testid={`chart-${index + 1}`}
          data-market={key}
          data-tf={spec.tf}
        />
        <ChartLegend nodesRef={legendRef} spec={spec} />
        <StaleOverlay market={spec.market} />
      </div>
    </section>
  );
}
