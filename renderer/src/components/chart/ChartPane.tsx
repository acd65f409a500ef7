/**
 * One chart: toolbar, the canvas (driven imperatively), the legend, "Go to live" and the
 * stale-data overlay. The pane is the active chart whenever it has focus or was clicked, and its
 * canvas takes the keyboard: arrows pan, + / - zoom, End goes live, Home goes to the oldest bar.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { ChartController } from '../../chart/chart-controller';
import type { LegendNodes } from '../../chart/legend';
import { marketKey } from '../../../../shared/markets';
import { chartableMarkets } from '../../lib/markets';
import { useLayout, type ChartSpec } from '../../stores/layout-store';
import { useSession } from '../../stores/session-store';
import { streamStore } from '../../stores/stream-store';
import { ChartLegend } from './ChartLegend';
import { COMPACT_WIDTH, ChartToolbar } from './ChartToolbar';
import { StaleOverlay } from './StaleOverlay';

/** Re-renders only when the pane crosses the compact width (not on every resize). */
function useCompact(ref: RefObject<HTMLElement | null>): boolean {
  const [compact, setCompact] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? el.clientWidth;
      if (w > 0) setCompact(w < COMPACT_WIDTH);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return compact;
}

export function ChartPane({ spec, index, canClose }: { spec: ChartSpec; index: number; canClose: boolean }) {
  const paneRef = useRef<HTMLElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<LegendNodes | null>(null);
  const controllerRef = useRef<ChartController | null>(null);
  const liveRef = useRef<HTMLButtonElement>(null);
  const client = useSession((s) => s.client);
  const feeds = useSession((s) => s.feeds);
  const active = useLayout((s) => s.activeChartId === spec.id);
  const setChartMarket = useLayout((s) => s.setChartMarket);
  const setActiveChart = useLayout((s) => s.setActiveChart);
  const compact = useCompact(paneRef);
  const key = spec.market ? marketKey(spec.market) : '';
  const n = index + 1;

  useEffect(() => {
    const host = hostRef.current;
    const legend = legendRef.current;
    if (!host || !legend) return;
    const c = new ChartController(host, legend, client, spec.id);
    c.attachLiveButton(liveRef.current);
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
  }, [client, spec.id]);

  useEffect(() => {
    controllerRef.current?.show(spec.market, spec.tf);
    // `key` (the market id) stands for spec.market, whose object identity changes on every store write.
  }, [key, spec.tf, client, spec.id]);

  useEffect(() => {
    controllerRef.current?.setHeatmap(spec.heatmap === true);
  }, [spec.heatmap, client, spec.id]);

  // A new chart with no market yet shows the first configured one.
  useEffect(() => {
    if (spec.market) return;
    const first = chartableMarkets(feeds)[0];
    if (first) setChartMarket(spec.id, first);
  }, [spec.market, spec.id, feeds, setChartMarket]);

  const onCanvasKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (controllerRef.current?.handleKey(e.key)) e.preventDefault();
  };

  return (
    <section
      ref={paneRef}
      className={`chart-pane${active ? ' active' : ''}`}
      aria-label={`Chart ${n}`}
      data-chart-id={spec.id}
      data-active={active ? 'true' : 'false'}
      onPointerDown={() => setActiveChart(spec.id)}
      onFocus={() => {
        if (!active) setActiveChart(spec.id);
      }}
    >
      <ChartToolbar spec={spec} index={index} canClose={canClose} compact={compact} />
      <div className="chart-body">
        <div
          ref={hostRef}
          className="chart-canvas"
          data-testid={`chart-${n}`}
          data-market={key}
          data-tf={spec.tf}
          tabIndex={0}
          role="group"
          aria-roledescription="chart"
          aria-label={`Chart ${n} canvas. Arrow keys pan, plus and minus zoom, End goes to live, number keys pick the timeframe`}
          onKeyDown={onCanvasKey}
        />
        <ChartLegend nodesRef={legendRef} spec={spec} controllerRef={controllerRef} />
        <p className="chart-empty" aria-live="polite">
          Waiting for the first trade of this market…
        </p>
        <button
          ref={liveRef}
          type="button"
          className="go-live"
          hidden
          title="Back to the latest bar (End)"
          onClick={() => controllerRef.current?.goLive()}
        >
          Go to live <span aria-hidden="true">⇥</span>
        </button>
        <StaleOverlay market={spec.market} />
      </div>
    </section>
  );
}
