/**
 * One chart pane's lightweight-charts instance. Bars from the stream are merged into a BarBuffer
 * as batches arrive; the page's paint scheduler (one requestAnimationFrame loop for all charts)
 * lets it paint at most one update() per series per frame, at most 10 times a second, and never
 * in the same frame as another chart. Nothing here goes through React: the pane only tells it
 * which market and timeframe to show.
 *
 * Navigation works like a trading terminal: the view follows new bars while the latest bar is on
 * screen (lightweight-charts' shiftVisibleRangeOnNewBar), zoom keeps the right edge pinned while
 * live, a "Go to live" button shows whenever the latest bar is off-screen, and the price axis
 * always carries the latest price (a price line of our own: the series' own label shows the last
 * *visible* bar).
 */
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  LineStyle,
  createChart,
  type IPriceLine,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type Time,
} from 'lightweight-charts';
import type { Bar, MarketRef } from '../../../shared/domain';
import type { StreamBatch } from '../../../shared/protocol';
import { timeframeMs } from '../../../shared/timeframes';
import { BarBuffer, DEFAULT_BAR_BUFFER } from '../lib/bar-buffer';
import { COMPOSITE, marketKey } from '../../../shared/markets';
import type { CoreClient } from '../transport/client';
import {
  RIGHT_OFFSET_BARS,
  initialRange,
  latestOffscreen,
  panRange,
  recallView,
  rememberView,
  restoreRange,
  saveView,
  zoomRange,
  type LogicalRange,
} from './chart-view';
import { setDataAttr, writeLastPrice, writeLegend, type LegendNodes } from './legend';
import { HeatmapLayer } from './heatmap/heatmap-layer';
import { LiquidationLayer } from './liquidation-layer';
import { scheduleChartPaints, type PaintTarget } from './paint-scheduler';
import { COLORS, toCandle, toSellVolume, toTotalVolume } from './series-data';
import { StudiesLayer } from './studies/studies-layer';
import { AlertLines } from './alert-lines';

/** Bars per getBars {before} page when scrolling left. */
const OLDER_PAGE = 1000;

export class ChartController implements PaintTarget {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly sellVolume: ISeriesApi<'Histogram'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  /** The latest price on the axis (the series' own label would show the last visible bar). */
  private readonly livePriceLine: IPriceLine;
  private livePrice: number | null = null;
  private livePriceUp: boolean | null = null;
  private buffer = new BarBuffer();
  private market: MarketRef | null = null;
  private tf = '1s';
  private tfMs = 1000;
  /** Bumped on every market/timeframe change, so a late getBars reply is dropped. */
  private generation = 0;
  /** Liquidation markers (one per bar, by dollar notional) and their hover details. */
  private readonly liq: LiquidationLayer;
  /** Depth heatmap behind the candles (heatmap/), off unless the chart's spec turns it on. */
  private readonly heat: HeatmapLayer;
  /** CVD pane, VWAP lines and volume profile, from the same bars (studies/). */
  private readonly studies: StudiesLayer;
  /** Price-cross alerts of this market as draggable price lines (alert-lines.ts). */
  private readonly alertLines: AlertLines;
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
  /** Set by show(): the first paint of the loaded bars places the view (fit or restored). */
  private viewPending = false;
  /** The latest bar is off-screen (the Go to live button shows). */
  private offscreen = false;
  /** Wheel zoom keeps the latest bar's distance from the right edge (else it zooms at the mouse). */
  private pinRight = true;
  /** The range the last navigation key asked for, until the chart reports it applied. */
  private keyRange: LogicalRange | null = null;
  private scaleWidth = -1;
  private liveButton: HTMLElement | null = null;
  /** Local time the chart last saw a trade of its market (a bar's trade count grew). */
  lastTradeAt: number | null = null;
  /** Frames that painted something, exposed for tests and the health pane. */
  paints = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly legend: LegendNodes,
    private readonly client: CoreClient | null,
    /** The pane's chart id: its view is kept across re-mounts under it. */
    private readonly chartId = '',
  ) {
    this.chart = createChart(host, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#0e1117' }, textColor: '#b8bfcc', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#1b2029' }, horzLines: { color: '#1b2029' } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: '#2a303c', visible: false },
      timeScale: {
        borderColor: '#2a303c',
        timeVisible: true,
        secondsVisible: true,
        rightOffset: RIGHT_OFFSET_BARS,
        shiftVisibleRangeOnNewBar: true,
        // A pane resized (another chart added, a preset applied) keeps the same bars in view.
        lockVisibleTimeRangeOnResize: true,
        // While live, wheel zoom keeps the latest bar where it is (updated in onRange).
        rightBarStaysOnScroll: true,
      },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      borderVisible: true,
      borderUpColor: COLORS.up,
      borderDownColor: COLORS.down,
      priceLineVisible: false,
      lastValueVisible: false,
      title: '',
      // The price scale always takes in the latest price, so its label is on the axis even
      // when the view is scrolled back to bars far from it.
      autoscaleInfoProvider: (original: () => { priceRange: { minValue: number; maxValue: number } } | null) => {
        const res = original();
        const p = this.livePrice;
        if (!res || p === null) return res;
        return { ...res, priceRange: { minValue: Math.min(res.priceRange.minValue, p), maxValue: Math.max(res.priceRange.maxValue, p) } };
      },
    });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0.28 } });
    this.livePriceLine = this.candles.createPriceLine({
      price: 0,
      color: COLORS.up,
      lineWidth: 1,
      lineStyle: LineStyle.Dotted,
      lineVisible: false,
      axisLabelVisible: false,
      title: '',
    });
    const volOpts = { priceScaleId: 'volume', priceFormat: { type: 'volume' as const }, lastValueVisible: false, priceLineVisible: false };
    this.volume = this.chart.addSeries(HistogramSeries, { ...volOpts, color: COLORS.buyVolume });
    this.sellVolume = this.chart.addSeries(HistogramSeries, { ...volOpts, color: COLORS.sellVolume });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    this.markers = createSeriesMarkers(this.candles, []);
    this.liq = new LiquidationLayer(host.parentElement);
    this.heat = new HeatmapLayer(host, host.parentElement, this.candles, this.heatBars, client);
    this.studies = new StudiesLayer(this.chart, this.candles, host, chartId);
    this.alertLines = new AlertLines(this.chart, this.candles, host, client);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
    this.unschedule = scheduleChartPaints(this);
  }

  /** Shows another market or timeframe: clears, then loads the bars the core holds. */
  show(market: MarketRef | null, tf: string): void {
    this.rememberCurrentView();
    this.market = market;
    this.tf = tf;
    this.tfMs = timeframeMs(tf);
    this.generation++;
    this.buffer = new BarBuffer();
    this.loadingOlder = false;
    this.noOlder = false;
    this.shiftBy = 0;
    this.liq.clear();
    this.heat.reset(market, this.tfMs);
    this.alertLines.setMarket(market);
    this.studies.clear();
    this.markersDirty = true;
    this.legendDirty = true;
    this.candles.setData([]);
    this.volume.setData([]);
    this.sellVolume.setData([]);
    this.setLivePrice(undefined);
    // An empty chart must not keep the previous market's price scale: hidden until bars come.
    this.chart.priceScale('right').applyOptions({ visible: false });
    setDataAttr(this.host, 'priceScale', 'hidden');
    this.viewPending = true;
    this.lastTradeAt = null;
    this.setOffscreen(false);
    this.host.dataset.loaded = 'false';
    this.writeStats(true);
    if (!market || !this.client) return;
    const gen = this.generation;
    this.client
      .request('getBars', { exchange: market.exchange, market: market.market, symbol: market.symbol, tf })
      .then((bars) => {
        if (gen !== this.generation || this.disposed) return;
        this.buffer.load(bars);
        // Stats first: whoever sees data-loaded="true" must see the loaded bar count with it.
        this.writeStats(true);
        this.host.dataset.loaded = 'true';
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
      if (b.tf === this.tf && b.symbol === m.symbol && b.exchange === m.exchange && b.market === m.market) {
        const prev = this.buffer.last();
        if (b.trades > 0 && (!prev || b.start > prev.start || (b.start === prev.start && b.trades > prev.trades))) {
          this.lastTradeAt = Date.now();
        }
        this.buffer.merge(b);
      }
    }
    this.heat.onBatch(batch);
    for (const f of batch.funding) {
      if (f.openInterest !== undefined && f.symbol === m.symbol && f.market === m.market && (m.exchange === COMPOSITE || f.exchange === m.exchange)) {
        this.studies.addOpenInterest(f, this.tfMs);
      }
    }
    for (const l of batch.liquidations) {
      if (l.symbol === m.symbol && l.market === m.market && (m.exchange === COMPOSITE || l.exchange === m.exchange)) {
        this.liq.add(l);
      }
    }
  }

  /** The element shown while the latest bar is off-screen (the pane's "Go to live" button). */
  attachLiveButton(el: HTMLElement | null): void {
    this.liveButton = el;
    if (el) el.hidden = !this.offscreen;
  }

  /** Back to the latest bar, at the default distance from the right edge. */
  goLive(): void {
    this.chart.timeScale().scrollToRealTime();
  }

  /**
   * Keyboard navigation of the focused chart: arrows pan, + / - zoom (right edge pinned),
   * End goes live, Home goes to the oldest bar held. Returns true when the key was used.
   */
  handleKey(key: string): boolean {
    const ts = this.chart.timeScale();
    // A range set by the previous key is applied on the chart's next frame: keys pressed in
    // quick succession build on it, not on the range still displayed.
    const range = this.keyRange ?? ts.getVisibleLogicalRange();
    if (key === 'End') {
      this.keyRange = null;
      this.goLive();
      return true;
    }
    if (!range) return false;
    let next: LogicalRange | null = null;
    if (key === 'ArrowLeft') next = panRange(range, -1);
    else if (key === 'ArrowRight') next = panRange(range, 1);
    else if (key === '+' || key === '=') next = zoomRange(range, 1.25, this.buffer.size - 1);
    else if (key === '-' || key === '_') next = zoomRange(range, 1 / 1.25, this.buffer.size - 1);
    else if (key === 'Home') next = { from: -0.5, to: range.to - range.from - 0.5 };
    if (!next) return false;
    this.keyRange = next;
    ts.setVisibleLogicalRange(next);
    return true;
  }

  /** Shows or hides the depth heatmap (the chart's "Heatmap" toggle). */
  setHeatmap(on: boolean): void {
    this.heat.setEnabled(on);
  }

  /** The bars as the heatmap reads them (their starts place its columns on the time axis). */
  private readonly heatBars = {
    count: (): number => this.buffer.size,
    startAt: (i: number): number => this.buffer.bars[i]?.start ?? 0,
  };

  /** The visible logical range (tests and tools read it through data attributes). */
  visibleRange(): LogicalRange | null {
    return this.chart.timeScale().getVisibleLogicalRange();
  }

  dispose(): void {
    this.rememberCurrentView();
    this.disposed = true;
    this.unschedule();
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.liq.dispose();
    this.heat.dispose();
    this.studies.dispose();
    this.alertLines.dispose();
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.remove();
  }

  /** Near the left edge (fewer than 10 bars before the view): load an older page from the store. */
  private readonly onRange = (range: { from: number; to: number } | null): void => {
    this.keyRange = null;
    this.studies.rangeChanged();
    this.updateLiveState(range);
    if (!range || range.from >= 10 || this.loadingOlder || this.noOlder) return;
    const m = this.market;
    const first = this.buffer.bars[0];
    if (!m || !first || !this.client || this.host.dataset.loaded !== 'true') return;
    if (this.buffer.size >= DEFAULT_BAR_BUFFER.keepBars) return; // the buffer would trim them again
    this.loadingOlder = true;
    const gen = this.generation;
    this.client
      .request('getBars', { exchange: m.exchange, market: m.market, symbol: m.symbol, tf: this.tf, before: first.start, limit: OLDER_PAGE })
      .then((bars) => {
        if (gen !== this.generation || this.disposed) return;
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
    return !this.disposed && (this.markersDirty || this.liq.dirty || this.heat.dirty || this.studies.dirty || this.buffer.hasWork());
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
      if (this.viewPending && this.host.dataset.loaded === 'true') this.placeFirstView(work.bars.length);
      this.studies.reset(work.bars);
      this.markersDirty = true;
    } else if (work.kind === 'update') {
      this.candles.update(toCandle(work.bar), work.historical);
      this.volume.update(toTotalVolume(work.bar), work.historical);
      this.sellVolume.update(toSellVolume(work.bar), work.historical);
      this.studies.update(work.bar, this.buffer.bars);
    }
    this.studies.paint(this.buffer.bars, this.chart.timeScale().getVisibleLogicalRange());
    if (this.heat.dirty) this.heat.paint();
    if (this.markersDirty || this.liq.dirty) {
      this.markersDirty = false;
      this.markers.setMarkers(this.liq.markers(this.tfMs));
      setDataAttr(this.host, 'liquidationMarkers', String(this.liq.shown));
    }
    if (work.kind !== 'none') {
      this.paints++;
      this.setLivePrice(this.buffer.last());
      this.writeStats(false);
      this.writeLegendNow();
      this.updateLiveState(this.chart.timeScale().getVisibleLogicalRange());
      this.writeScaleWidth();
    }
    return this.buffer.hasWork();
  }

  /** The loaded bars' first view: the one this pane had before a re-mount, else a sensible fit. */
  private placeFirstView(count: number): void {
    this.viewPending = false;
    const saved = this.market ? recallView(this.chartId, this.viewKey()) : null;
    const range = saved
      ? restoreRange(saved, count, (start) => this.buffer.indexAtOrBefore(start))
      : initialRange(count, this.chart.timeScale().width());
    if (range) this.chart.timeScale().setVisibleLogicalRange(range);
  }

  private viewKey(): string {
    return this.market ? `${marketKey(this.market)}|${this.tf}` : '';
  }

  private rememberCurrentView(): void {
    if (this.disposed || !this.market || !this.chartId || this.viewPending || this.buffer.size === 0) return;
    const ts = this.chart.timeScale();
    const range = ts.getVisibleLogicalRange();
    if (!range) return;
    const bars = this.buffer.bars;
    rememberView(this.chartId, saveView(this.viewKey(), range, ts.scrollPosition(), (i) => bars[i]?.start, bars.length));
  }

  /** Shows or hides "Go to live"; while live, zoom keeps the latest bar pinned to the right. */
  private updateLiveState(range: LogicalRange | null): void {
    const pos = this.chart.timeScale().scrollPosition();
    const offscreen = range !== null && this.buffer.size > 0 && latestOffscreen(range, pos);
    // At the usual live view (the latest bar near the right edge): new bars shift the view and
    // wheel zoom keeps the latest bar's distance from the edge. A fresh chart whose few bars start
    // at the left edge instead lets them grow into the free space (no shift) and zooms at the
    // mouse (pinning its large right offset would push the bars off-screen).
    const pinRight = !offscreen && pos <= RIGHT_OFFSET_BARS + 0.5;
    if (pinRight !== this.pinRight) {
      this.pinRight = pinRight;
      this.chart.applyOptions({ timeScale: { rightBarStaysOnScroll: pinRight, shiftVisibleRangeOnNewBar: pinRight } });
    }
    if (range) {
      setDataAttr(this.host, 'visibleFrom', range.from.toFixed(2));
      setDataAttr(this.host, 'visibleTo', range.to.toFixed(2));
    }
    this.setOffscreen(offscreen);
  }

  private setOffscreen(offscreen: boolean): void {
    setDataAttr(this.host, 'atLive', offscreen ? 'false' : 'true');
    if (offscreen === this.offscreen) return;
    this.offscreen = offscreen;
    if (this.liveButton) this.liveButton.hidden = !offscreen;
  }

  /** The live price line follows the newest bar's close, whatever part of the chart is in view. */
  private setLivePrice(last: Bar | undefined): void {
    const price = last ? last.close : null;
    const up = last ? last.close >= last.open : null;
    if (price === this.livePrice && up === this.livePriceUp) return;
    const wasEmpty = this.livePrice === null;
    this.livePrice = price;
    this.livePriceUp = up;
    const color = up === false ? COLORS.down : COLORS.up;
    this.livePriceLine.applyOptions(
      price === null ? { lineVisible: false, axisLabelVisible: false } : { price, color, lineVisible: true, axisLabelVisible: true },
    );
    setDataAttr(this.host, 'axisPrice', price === null ? '' : String(price));
    if (wasEmpty && price !== null) {
      this.chart.priceScale('right').applyOptions({ visible: true });
      setDataAttr(this.host, 'priceScale', 'visible');
    }
  }

  /** The legend stops short of the price scale: its width goes into a CSS variable. */
  private writeScaleWidth(): void {
    let w: number;
    try {
      w = this.chart.priceScale('right').width();
    } catch {
      // A scale made visible in this paint (the first bar after a market or timeframe switch) has
      // no axis widget until the chart lays out ("Value is null"): measured at the next paint.
      return;
    }
    if (w === this.scaleWidth) return;
    this.scaleWidth = w;
    this.host.parentElement?.style.setProperty('--price-scale-width', `${w}px`);
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
    this.liq.hover(this.hovering ? t! * 1000 : null, p.point, this.tfMs, this.tf);
  };

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
    setDataAttr(h, 'liquidations', String(this.liq.count));
  }
}
