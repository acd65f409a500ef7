/**
 * One chart pane's lightweight-charts instance. Bars from the stream are merged into a BarBuffer
 * as batches arrive; the page's paint scheduler (one requestAnimationFrame loop for all charts)
 * lets it paint at most one update() per series per frame, at most 10 times a second, and never
 * in the same frame as another chart. Nothing here goes through React: the pane only tells it
 * which market and timeframe to show.
 */
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Bar, Liquidation, MarketRef } from '../../../shared/domain';
import type { StreamBatch } from '../../../shared/protocol';
import { timeframeMs, windowStart } from '../../../shared/timeframes';
import { BarBuffer, DEFAULT_BAR_BUFFER } from '../lib/bar-buffer';
import { formatAmount } from '../lib/format';
import type { CoreClient } from '../transport/client';
import { setDataAttr, writeLastPrice, writeLegend, type LegendNodes } from './legend';
import { scheduleChartPaints, type PaintTarget } from './paint-scheduler';
import { COLORS, chartTime, toCandle, toSellVolume, toTotalVolume } from './series-data';

const MAX_MARKERS = 200;
/** Bars per getBars {before} page when scrolling left. */
const OLDER_PAGE = 1000;

export class ChartController implements PaintTarget {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly sellVolume: ISeriesApi<'Histogram'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private buffer = new BarBuffer();
  private market: MarketRef | null = null;
  private tf = '1s';
  private tfMs = 1000;
  /** Bumped on every market/timeframe change, so a late getBars reply is dropped. */
  private generation = 0;
  private liquidations: Liquidation[] = [];
  private markersDirty = false;
  private hoverBar: Bar | undefined;
  private hovering = false;
  private legendDirty = true;
  private readonly unschedule: () => void;
  private disposed = false;
  private incompleteCountedAt = 0;
  /** Scrolling left: a getBars {before} in flight, or the store has nothing older. */
  private loadingOlder = false;
  private noOlder = false;
  /** Bars prepended by the last older page: the view is shifted by this after the repaint. */
  private shiftBy = 0;
  private olderPages = 0;
  /** Frames that painted something, exposed for tests and the health pane. */
  paints = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly legend: LegendNodes,
    private readonly client: CoreClient | null,
  ) {
    this.chart = createChart(host, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#0e1117' }, textColor: '#b8bfcc', fontSize: 11 },
      grid: { vertLines: { color: '#1b2029' }, horzLines: { color: '#1b2029' } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: '#2a303c' },
      timeScale: { borderColor: '#2a303c', timeVisible: true, secondsVisible: true, rightOffset: 4 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      borderVisible: true,
      borderUpColor: COLORS.up,
      borderDownColor: COLORS.down,
      priceLineVisible: true,
      lastValueVisible: true,
      title: '',
    });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.28 } });
    const volOpts = { priceScaleId: 'volume', priceFormat: { type: 'volume' as const }, lastValueVisible: false, priceLineVisible: false };
    this.volume = this.chart.addSeries(HistogramSeries, { ...volOpts, color: COLORS.buyVolume });
    this.sellVolume = this.chart.addSeries(HistogramSeries, { ...volOpts, color: COLORS.sellVolume });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    this.markers = createSeriesMarkers(this.candles, []);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
    this.unschedule = scheduleChartPaints(this);
  }

  /** Shows another market or timeframe: clears, then loads the bars the core holds. */
  show(market: MarketRef | null, tf: string): void {
    this.market = market;
    this.tf = tf;
    this.tfMs = timeframeMs(tf);
    this.generation++;
    this.buffer = new BarBuffer();
    this.loadingOlder = false;
    this.noOlder = false;
    this.shiftBy = 0;
    this.liquidations = [];
    this.markersDirty = true;
    this.legendDirty = true;
    this.candles.setData([]);
    this.volume.setData([]);
    this.sellVolume.setData([]);
    this.host.dataset.loaded = 'false';
    this.writeStats(true);
    if (!market || !this.client) return;
    const gen = this.generation;
    this.client
      .request('getBars', { exchange: market.exchange, market: market.market, symbol: market.symbol, tf })
      .then((bars) => {
        if (gen !== this.generation || this.disposed) return;
        this.buffer.load(bars as Bar[]);
        // Stats first: whoever sees data-loaded="true" must see the loaded bar count with it.
        this.writeStats(true);
        this.host.dataset.loaded = 'true';
        this.chart.timeScale().scrollToRealTime();
      })
      .catch((e: unknown) => {
        if (gen !== this.generation || this.disposed) return;
        this.host.dataset.loaded = 'error';
        this.host.dataset.error = e instanceof Error ? e.message : String(e);
      });
  }

  /** Called for every stream batch (transiently, outside React). Cheap: filter and merge only. */
  onBatch(batch: StreamBatch): void {
    const m = this.market;
    if (!m) return;
    for (const b of batch.bars) {
      if (b.tf === this.tf && b.symbol === m.symbol && b.exchange === m.exchange && b.market === m.market) this.buffer.merge(b);
    }
    for (const l of batch.liquidations) {
      if (l.symbol === m.symbol && l.market === m.market && (m.exchange === '*' || l.exchange === m.exchange)) {
        this.liquidations.push(l);
        if (this.liquidations.length > MAX_MARKERS) this.liquidations.shift();
        this.markersDirty = true;
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.unschedule();
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.remove();
  }

  /** Near the left edge (fewer than 10 bars before the view): load an older page from the store. */
  private readonly onRange = (range: { from: number; to: number } | null): void => {
    if (!range || range.from >= 10 || this.loadingOlder || this.noOlder) return;
    const m = this.market;
    const first = this.buffer.bars[0];
    if (!m || !first || !this.client || this.host.dataset.loaded !== 'true') return;
    if (this.buffer.size >= DEFAULT_BAR_BUFFER.keepBars) return; // the buffer would trim them again
    this.loadingOlder = true;
    const gen = this.generation;
    this.client
      .request('getBars', { exchange: m.exchange, market: m.market, symbol: m.symbol, tf: this.tf, before: first.start, limit: OLDER_PAGE })
      .then((result) => {
        if (gen !== this.generation || this.disposed) return;
        const bars = result as Bar[];
        if (bars.length === 0) this.noOlder = true;
        else {
          const before = this.buffer.size;
          this.buffer.load(bars);
          this.shiftBy = this.buffer.size - before;
          this.olderPages++;
        }
      })
      .catch(() => {
        // Leave noOlder unset: the next scroll to the edge tries again.
      })
      .finally(() => {
        if (gen === this.generation) this.loadingOlder = false;
      });
  };

  /** PaintTarget: new bars or markers since the last paint. */
  wantsPaint(): boolean {
    return !this.disposed && (this.markersDirty || this.buffer.hasWork());
  }

  /** PaintTarget: the crosshair legend follows the mouse every frame, not at the paint rate. */
  everyFrame(): void {
    if (this.legendDirty && !this.disposed) this.writeLegendNow();
  }

  /** PaintTarget: one step of bar work (one update() per series, or one setData); true if more is queued. */
  paint(): boolean {
    if (this.disposed) return false;
    const work = this.buffer.takeFrame();
    if (work.kind === 'reset') {
      const shift = this.shiftBy;
      const view = shift > 0 ? this.chart.timeScale().getVisibleLogicalRange() : null;
      this.shiftBy = 0;
      this.candles.setData(work.bars.map(toCandle));
      this.volume.setData(work.bars.map(toTotalVolume));
      this.sellVolume.setData(work.bars.map(toSellVolume));
      // Older bars went in on the left: keep the same bars in view rather than jumping.
      if (view) this.chart.timeScale().setVisibleLogicalRange({ from: view.from + shift, to: view.to + shift });
      this.markersDirty = true;
    } else if (work.kind === 'update') {
      this.candles.update(toCandle(work.bar), work.historical);
      this.volume.update(toTotalVolume(work.bar), work.historical);
      this.sellVolume.update(toSellVolume(work.bar), work.historical);
    }
    if (this.markersDirty) {
      this.markersDirty = false;
      this.markers.setMarkers(this.liquidationMarkers());
    }
    if (work.kind !== 'none') {
      this.paints++;
      this.writeStats(false);
      this.writeLegendNow();
    }
    return this.buffer.hasWork();
  }

  private writeLegendNow(): void {
    this.legendDirty = false;
    const last = this.buffer.last();
    writeLegend(this.legend, this.hovering ? this.hoverBar : last, this.hovering);
    writeLastPrice(this.legend.last, last);
  }

  private readonly onCrosshair = (p: MouseEventParams<Time>): void => {
    const t = typeof p.time === 'number' ? p.time : null;
    this.hovering = t !== null && p.point !== undefined;
    this.hoverBar = t !== null ? this.buffer.atTime(t * 1000) : undefined;
    this.legendDirty = true;
  };

  private liquidationMarkers(): SeriesMarker<Time>[] {
    const out: SeriesMarker<UTCTimestamp>[] = this.liquidations.map((l) => ({
      time: chartTime(windowStart(l.time, this.tfMs)),
      // A sell liquidation closes a long (price pushed down): mark below; a buy one above.
      position: l.side === 'sell' ? 'belowBar' : 'aboveBar',
      shape: l.side === 'sell' ? 'arrowUp' : 'arrowDown',
      color: '#f5a623',
      text: `LIQ ${formatAmount(l.size)}`,
    }));
    out.sort((a, b) => a.time - b.time);
    return out as SeriesMarker<Time>[];
  }

  /**
   * Attributes tests and tools can read without touching the canvas. Written only when changed:
   * every attribute write is a DOM mutation the style engine has to look at.
   */
  private writeStats(countIncomplete: boolean): void {
    const h = this.host;
    const first = this.buffer.bars[0];
    const last = this.buffer.last();
    setDataAttr(h, 'bars', String(this.buffer.size));
    setDataAttr(h, 'firstStart', first ? String(first.start) : '');
    setDataAttr(h, 'olderPages', String(this.olderPages));
    setDataAttr(h, 'lastStart', last ? String(last.start) : '');
    setDataAttr(h, 'lastClose', last ? String(last.close) : '');
    // Counting is O(bars): at most once a second, not every paint.
    const now = performance.now();
    if (countIncomplete || now - this.incompleteCountedAt > 1000 || this.buffer.size < 2) {
      this.incompleteCountedAt = now;
      let incomplete = 0;
      let fromCandles = 0;
      for (const b of this.buffer.bars) {
        if (b.incomplete) incomplete++;
        if (b.source === 'candles') fromCandles++;
      }
      setDataAttr(h, 'incompleteBars', String(incomplete));
      setDataAttr(h, 'candleBars', String(fromCandles));
    }
    setDataAttr(h, 'paints', String(this.paints));
    setDataAttr(h, 'liquidations', String(this.liquidations.length));
  }
}
