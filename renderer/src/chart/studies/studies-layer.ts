/**
 * A chart's studies (CVD pane, session and anchored VWAP, visible-range volume profile), drawn
 * from the same bars the candles show. The chart controller feeds it the frame's bar work:
 * `reset` after a setData (load, older page, trim, late bar), `update` for the newest bar. A
 * live update redoes only the newest bar of each study (session.ts, profile.ts replaceBar); a
 * full recompute happens on a reset, a new UTC day, another visible range or other settings.
 * What to show comes from the layout store (ChartSpec.studies), so it survives a reload.
 */
import {
  HistogramSeries,
  LineSeries,
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type LineSeriesPartialOptions,
  type MouseEventParams,
  type Time,
} from 'lightweight-charts';
import type { Bar, Funding } from '../../../../shared/domain';
import { useLayout } from '../../stores/layout-store';
import type { LogicalRange } from '../chart-view';
import { setDataAttr } from '../legend';
import { chartTime } from '../series-data';
import { cvdRunner, type CvdPoint } from './cvd';
import { linePoint, qualityColor, STUDY_COLORS, toLine } from './lines';
import { OiSeries, type OiPoint } from './oi';
import { autoStep, buildProfile, profileLevels, replaceBar, type Profile } from './profile';
import { ProfilePrimitive } from './profile-primitive';
import { profileSlice, visibleIndexes } from './ranges';
import { SESSION, utcDay, type SessionRunner } from './session';
import { normalizeStudies, type StudySettings } from './settings';
import { vwapRunner, type VwapPoint } from './vwap';

type Line = ISeriesApi<'Line'>;

const LINE_BASE: LineSeriesPartialOptions = { lineWidth: 1, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false };
/** The CVD pane's height relative to the candle pane (1). */
const CVD_PANE_STRETCH = 0.3;
/** Session VWAP bands, in sigmas. */
const BANDS = [1, -1, 2, -2] as const;

const vwapOf = (p: VwapPoint): number | null => p.vwap;

export class StudiesLayer {
  private settings: StudySettings;
  private readonly cvd = cvdRunner();
  private readonly vwap = vwapRunner();
  private readonly anchored = vwapRunner({ kind: 'bar', start: 0 });
  private cvdLine: Line | null = null;
  private vwapLine: Line | null = null;
  private bandLines: Line[] = [];
  private anchoredLine: Line | null = null;
  /** Open interest per bar, collected whether or not its pane is shown. */
  private readonly oi = new OiSeries();
  private oiLine: Line | null = null;
  private oiDelta: ISeriesApi<'Histogram'> | null = null;
  /** The newest OI bar changed since the last paint. */
  private oiPending = false;
  private readonly primitive = new ProfilePrimitive();
  private levelLines: IPriceLine[] = [];
  private profile: Profile | null = null;
  /** The newest bar as counted in `profile` (the live path swaps it for its next state). */
  private profileNewest: Bar | undefined;
  /** Start of the first bar in view, where CVD starts in 'visible' mode. */
  private cvdFrom: number | null = null;
  /** Settings or the visible range changed: recompute at the next paint. */
  private needsReset = true;
  private needsProfile = true;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly chart: IChartApi,
    private readonly candles: ISeriesApi<'Candlestick'>,
    private readonly host: HTMLElement,
    private readonly chartId: string,
  ) {
    this.settings = this.read();
    this.unsubscribe = useLayout.subscribe(() => {
      const next = this.read();
      if (JSON.stringify(next) === JSON.stringify(this.settings)) return;
      this.settings = next;
      this.needsReset = true;
    });
    this.chart.subscribeClick(this.onClick);
  }

  /** True when the next paint has study work even without new bars. */
  get dirty(): boolean {
    return this.needsReset || (this.needsProfile && this.settings.profile) || (this.oiPending && this.settings.oi);
  }

  clear(): void {
    this.needsReset = true;
    this.oi.clear();
  }

  /** A funding record of the chart's market (or a member of its composite) with open interest. */
  addOpenInterest(f: Funding, tfMs: number): void {
    if (f.openInterest === undefined) return;
    if (this.oi.add(f.exchange, f.openInterest, f.time, tfMs) !== 'ignored') this.oiPending = true;
  }

  rangeChanged(): void {
    this.needsProfile = true;
  }

  /** All bars were set again: every study from scratch. */
  reset(bars: readonly Bar[]): void {
    this.needsReset = false;
    this.needsProfile = true;
    this.applySeries();
    const s = this.settings;
    setDataAttr(this.host, 'studies', activeNames(s));
    this.resetCvd(bars);
    this.resetOi();
    if (s.vwap && this.vwapLine) {
      this.vwap.reset(bars);
      const { points, starts } = this.vwap;
      this.vwapLine.setData(toLine(points, starts, vwapOf, () => undefined, true));
      BANDS.forEach((k, i) => this.bandLines[i]?.setData(toLine(points, starts, (p) => band(p, k), () => undefined, true)));
    }
    if (this.anchoredLine && s.anchorStart !== null) {
      this.anchored.setAnchor({ kind: 'bar', start: s.anchorStart });
      this.anchored.reset(bars);
      this.anchoredLine.setData(toLine(this.anchored.points, this.anchored.starts, vwapOf, () => undefined, false));
    }
    this.writeStats();
  }

  private resetOi(): void {
    this.oiPending = false;
    if (!this.oiLine || !this.oiDelta) return;
    this.oiLine.setData(this.oi.points.map(oiLinePoint));
    this.oiDelta.setData(this.oi.points.map(oiDeltaPoint));
  }

  /** CVD from scratch: from each UTC day's first bar, or from the first bar in view. */
  private resetCvd(bars: readonly Bar[]): void {
    if (!this.settings.cvd || !this.cvdLine) return;
    const byDay = this.settings.cvdReset === 'day';
    this.cvd.setAnchor(byDay ? SESSION : { kind: 'bar', start: this.cvdFrom ?? -Infinity });
    this.cvd.reset(bars);
    this.cvdLine.setData(toLine(this.cvd.points, this.cvd.starts, (p) => p.value, (p) => qualityColor(p.quality), byDay));
  }

  /** The newest bar changed (or opened); `bars` are all bars, for the rare full recompute. */
  update(bar: Bar, bars: readonly Bar[]): void {
    if (this.needsReset) return this.reset(bars);
    const s = this.settings;
    const starts = s.vwap ? this.vwap.starts : this.cvd.starts;
    const newDay = starts.length > 0 && utcDay(bar.start) !== utcDay(starts[starts.length - 1]!);
    // Late bars and a new UTC day (the previous day's last point turns transparent) redo it all.
    if (newDay && ((s.cvd && s.cvdReset === 'day') || s.vwap)) return this.reset(bars);
    if (s.cvd && this.cvdLine) {
      if (!this.cvd.updateNewest(bar)) return this.reset(bars);
      this.cvdLine.update(this.newest(this.cvd, (p: CvdPoint) => p.value, (p) => qualityColor(p.quality)));
    }
    if (s.vwap && this.vwapLine) {
      if (!this.vwap.updateNewest(bar)) return this.reset(bars);
      this.vwapLine.update(this.newest(this.vwap, vwapOf, () => undefined));
      BANDS.forEach((k, i) => this.bandLines[i]?.update(this.newest(this.vwap, (p) => band(p, k), () => undefined)));
    }
    if (this.anchoredLine && s.anchorStart !== null && bar.start >= s.anchorStart) {
      if (!this.anchored.updateNewest(bar)) return this.reset(bars);
      this.anchoredLine.update(this.newest(this.anchored, vwapOf, () => undefined));
    }
    this.updateProfileNewest(bar);
    this.writeStats();
  }

  /** Once per painted frame: what depends on the view (profile, CVD from the first bar in view). */
  paint(bars: readonly Bar[], range: LogicalRange | null): void {
    if (this.needsReset) this.reset(bars);
    const newestOi = this.oi.points[this.oi.points.length - 1];
    if (this.oiPending && newestOi && this.oiLine && this.oiDelta) {
      this.oiPending = false;
      this.oiLine.update(oiLinePoint(newestOi));
      this.oiDelta.update(oiDeltaPoint(newestOi));
      this.writeStats();
    }
    if (this.settings.cvd && this.settings.cvdReset === 'visible') {
      const v = visibleIndexes(bars.length, range);
      const from = v ? bars[v.from]!.start : null;
      if (from !== this.cvdFrom) {
        this.cvdFrom = from;
        this.resetCvd(bars);
        this.writeStats();
      }
    }
    if (!this.needsProfile || !this.settings.profile) return;
    this.needsProfile = false;
    this.buildProfile(bars, range);
  }

  dispose(): void {
    this.unsubscribe();
    this.chart.unsubscribeClick(this.onClick);
  }

  private read(): StudySettings {
    return normalizeStudies(useLayout.getState().charts.find((c) => c.id === this.chartId)?.studies);
  }

  private newest<S, P>(r: SessionRunner<S, P>, value: (p: P) => number | null, color: (p: P) => string | undefined) {
    const i = r.points.length - 1;
    return linePoint(r.points[i]!, r.starts[i]!, value, color, false);
  }

  /** Adds the series the settings ask for and removes the others. */
  private applySeries(): void {
    const s = this.settings;
    if (s.cvd && !this.cvdLine) {
      this.cvdLine = this.paneLine({ color: STUDY_COLORS.cvd, title: 'CVD' });
      this.cvdLine.createPriceLine({ price: 0, color: '#2a303c', lineWidth: 1, lineStyle: LineStyle.Solid, axisLabelVisible: false, title: '' });
    } else if (!s.cvd && this.cvdLine) {
      this.removeWithPane([this.cvdLine]);
      this.cvdLine = null;
    }
    if (s.oi && !this.oiLine) {
      this.oiLine = this.paneLine({ color: STUDY_COLORS.oi, title: 'OI' });
      const pane = this.oiLine.getPane().paneIndex();
      // OI change per bar: columns at the bottom of the same pane, on a scale of their own.
      this.oiDelta = this.chart.addSeries(HistogramSeries, { priceScaleId: 'oi-delta', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false }, pane);
      this.chart.priceScale('oi-delta', pane).applyOptions({ scaleMargins: { top: 0.65, bottom: 0 } });
    } else if (!s.oi && this.oiLine) {
      this.removeWithPane([this.oiDelta!, this.oiLine]);
      this.oiLine = null;
      this.oiDelta = null;
    }
    this.vwapLine = this.toggle(this.vwapLine, s.vwap, { ...LINE_BASE, lineWidth: 2, color: STUDY_COLORS.vwap, title: 'VWAP' });
    const bands = s.vwap && s.vwapBands;
    if (bands && this.bandLines.length === 0) {
      // The bands do not stretch the price scale (a wide 2 sigma band would flatten the candles).
      const band = { ...LINE_BASE, lineStyle: LineStyle.Dashed, autoscaleInfoProvider: () => null };
      this.bandLines = BANDS.map((k) => this.addLine({ ...band, color: Math.abs(k) === 1 ? STUDY_COLORS.vwapBand1 : STUDY_COLORS.vwapBand2 }));
    } else if (!bands) {
      for (const l of this.bandLines) this.chart.removeSeries(l);
      this.bandLines = [];
    }
    this.anchoredLine = this.toggle(this.anchoredLine, s.anchoredVwap && s.anchorStart !== null, { ...LINE_BASE, lineWidth: 2, color: STUDY_COLORS.anchored, title: 'AVWAP' });
    this.applyProfile();
  }

  /** A line in a new pane under the others (CVD, OI). */
  private paneLine(opts: LineSeriesPartialOptions): Line {
    const line = this.chart.addSeries(LineSeries, { ...LINE_BASE, lastValueVisible: true, priceFormat: { type: 'volume' }, ...opts }, this.chart.panes().length);
    const pane = line.getPane();
    pane.setStretchFactor(CVD_PANE_STRETCH);
    // The chart starts with its right scale hidden (the controller shows pane 0's with the first
    // bar); a pane whose scale stays hidden has no axis widget and lightweight-charts' layout
    // throws "Value is null" on it.
    this.chart.priceScale('right', pane.paneIndex()).applyOptions({ visible: true });
    return line;
  }

  /** Removes series of one pane, and the pane once it is empty. */
  private removeWithPane(series: ISeriesApi<'Line' | 'Histogram'>[]): void {
    const pane = series[0]!.getPane();
    for (const x of series) this.chart.removeSeries(x);
    if (pane.getSeries().length === 0) this.chart.removePane(pane.paneIndex());
  }

  private toggle(line: Line | null, on: boolean, opts: LineSeriesPartialOptions): Line | null {
    if (on) return line ?? this.addLine(opts);
    if (line) this.chart.removeSeries(line);
    return null;
  }

  private addLine(opts: LineSeriesPartialOptions): Line {
    return this.chart.addSeries(LineSeries, opts, 0);
  }

  private applyProfile(): void {
    const on = this.settings.profile;
    const attached = this.levelLines.length > 0;
    if (on && !attached) {
      this.candles.attachPrimitive(this.primitive);
      this.levelLines = [
        this.levelLine('POC', STUDY_COLORS.poc, LineStyle.Solid),
        this.levelLine('VAH', STUDY_COLORS.valueArea, LineStyle.Dashed),
        this.levelLine('VAL', STUDY_COLORS.valueArea, LineStyle.Dashed),
      ];
    } else if (!on && attached) {
      this.candles.detachPrimitive(this.primitive);
      for (const l of this.levelLines) this.candles.removePriceLine(l);
      this.levelLines = [];
      this.profile = null;
      for (const k of ['profileLabels', 'profilePoc', 'profileVah', 'profileVal', 'profileStep', 'profileBars']) setDataAttr(this.host, k, '');
    }
  }

  private levelLine(title: string, color: string, lineStyle: LineStyle): IPriceLine {
    return this.candles.createPriceLine({ price: 0, color, lineWidth: 1, lineStyle, lineVisible: false, axisLabelVisible: false, title });
  }

  private buildProfile(bars: readonly Bar[], range: LogicalRange | null): void {
    const slice = profileSlice(bars, range, this.settings.profileRange);
    let low = Infinity;
    let high = -Infinity;
    for (const b of slice.bars) {
      low = Math.min(low, b.low);
      high = Math.max(high, b.high);
    }
    const step = this.settings.profileStep ?? autoStep(low, high);
    this.profile = slice.bars.length > 0 ? buildProfile(slice.bars, step) : null;
    this.profileNewest = slice.to === bars.length - 1 ? bars[slice.to] : undefined;
    this.showProfile(this.profile, slice.bars.length);
  }

  /** The live path: the newest bar in view changes the profile in place; a new bar rebuilds it. */
  private updateProfileNewest(bar: Bar): void {
    const shown = this.profileNewest;
    if (!this.settings.profile || !this.profile || this.needsProfile || !shown) return;
    if (bar.start !== shown.start || !replaceBar(this.profile, shown, bar)) {
      this.needsProfile = true;
      return;
    }
    this.profileNewest = bar;
    this.showProfile(this.profile, -1);
  }

  private showProfile(p: Profile | null, barCount: number): void {
    const levels = p ? profileLevels(p) : null;
    const what = this.settings.profileRange === 'visible' ? 'visible range' : 'UTC day';
    this.primitive.set(p, `Volume profile, ${what} · from bars (approx.)`);
    const prices = levels ? [levels.poc, levels.vah, levels.val] : [];
    this.levelLines.forEach((l, i) => {
      const price = prices[i];
      l.applyOptions(price === undefined ? { lineVisible: false, axisLabelVisible: false } : { price, lineVisible: true, axisLabelVisible: true });
    });
    // The labels the price axis shows, read back from the lines (what a trader sees).
    const labels = this.levelLines.filter((l) => l.options().axisLabelVisible).map((l) => l.options().title);
    setDataAttr(this.host, 'profileLabels', labels.join(' '));
    setDataAttr(this.host, 'profilePoc', levels ? String(levels.poc) : '');
    setDataAttr(this.host, 'profileVah', levels ? String(levels.vah) : '');
    setDataAttr(this.host, 'profileVal', levels ? String(levels.val) : '');
    setDataAttr(this.host, 'profileStep', p ? String(p.step) : '');
    if (barCount >= 0) setDataAttr(this.host, 'profileBars', String(barCount));
  }

  private writeStats(): void {
    const c = this.cvd.points;
    const v = this.vwap.points;
    const a = this.anchored.points;
    setDataAttr(this.host, 'cvdPoints', this.settings.cvd ? String(c.length) : '');
    setDataAttr(this.host, 'cvdLast', this.settings.cvd && c.length > 0 ? String(c[c.length - 1]!.value) : '');
    setDataAttr(this.host, 'cvdIncomplete', this.settings.cvd ? String(c.filter((p) => p.quality === 'incomplete').length) : '');
    setDataAttr(this.host, 'vwapLast', this.settings.vwap && v.length > 0 ? String(v[v.length - 1]!.vwap ?? '') : '');
    const oi = this.oi.points;
    setDataAttr(this.host, 'oiPoints', this.settings.oi ? String(oi.length) : '');
    setDataAttr(this.host, 'oiLast', this.settings.oi && oi.length > 0 ? String(oi[oi.length - 1]!.oi) : '');
    setDataAttr(this.host, 'anchoredVwapLast', this.anchoredLine && a.length > 0 ? String(a[a.length - 1]!.vwap ?? '') : '');
  }

  /** With anchored VWAP on and no anchor yet, a click on a bar anchors it there. */
  private readonly onClick = (p: MouseEventParams<Time>): void => {
    const s = this.settings;
    if (!s.anchoredVwap || s.anchorStart !== null || typeof p.time !== 'number') return;
    useLayout.getState().setChartStudies(this.chartId, { anchorStart: p.time * 1000 });
  };
}

function oiLinePoint(p: OiPoint) {
  return { time: chartTime(p.start), value: p.oi };
}

function oiDeltaPoint(p: OiPoint) {
  const time = chartTime(p.start);
  return p.delta === null ? { time } : { time, value: p.delta, color: p.delta >= 0 ? STUDY_COLORS.oiUp : STUDY_COLORS.oiDown };
}

function band(p: VwapPoint, k: number): number | null {
  return p.vwap === null ? null : p.vwap + k * p.sigma;
}

function activeNames(s: StudySettings): string {
  const names: string[] = [];
  if (s.cvd) names.push(s.cvdReset === 'day' ? 'cvd' : 'cvd(visible)');
  if (s.vwap) names.push(s.vwapBands ? 'vwap+bands' : 'vwap');
  if (s.anchoredVwap) names.push(s.anchorStart === null ? 'avwap(pick)' : 'avwap');
  if (s.oi) names.push('oi');
  if (s.profile) names.push(s.profileRange === 'visible' ? 'profile' : 'profile(session)');
  return names.join(' ');
}
