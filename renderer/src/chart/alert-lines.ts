/**
 * Price-cross alerts of the chart's market as horizontal price lines (lightweight-charts
 * createPriceLine). Drag a line to move its level (saved when released), right-click it to delete
 * the alert, Alt+click anywhere on the chart to create one at that price. The lines follow the
 * alert list the core pushes (stores/alerts-store.ts), so every window shows the same levels.
 *
 * A click on a fired alert (toast, notification, log) also lands here: the active chart, once it
 * shows that market with its bars placed, scrolls the bar of the alert's time into view if it is
 * not already (a recent alert on a live chart is: nothing moves).
 */
import type { IChartApi, IPriceLine, ISeriesApi, LogicalRange, UTCTimestamp } from 'lightweight-charts';
import { LineStyle } from 'lightweight-charts';
import type { AlertDef } from '../../../shared/alerts';
import type { MarketRef } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import { freeAlertId } from '../lib/alert-form';
import { useAlerts } from '../stores/alerts-store';
import { useLayout } from '../stores/layout-store';
import type { CoreClient } from '../transport/client';

/** How close (px) the pointer must be to a line to grab it. */
const GRAB_PX = 5;
const COLOR = '#f3c653';
const COLOR_OFF = '#6b7280';
/** How long a focus request waits for the chart to load the alert's market. */
const FOCUS_WAIT_MS = 5000;

interface Line {
  def: AlertDef;
  line: IPriceLine;
}

/** A level as typed by a person: 8 significant digits is finer than any venue's tick at that price. */
function roundLevel(p: number): number {
  return Number(p.toPrecision(8));
}

export class AlertLines {
  private readonly lines = new Map<string, Line>();
  private key = '';
  private drag: { entry: Line; price: number } | null = null;
  private readonly unsubscribe: () => void;
  private focusSeq = useAlerts.getState().focus?.seq ?? 0;
  /** A focus request for this chart, waiting (until `until`) for its market's bars. */
  private pendingFocus: { market: string; time: number; until: number } | null = null;

  constructor(
    private readonly chart: IChartApi,
    private readonly series: ISeriesApi<'Candlestick'>,
    private readonly host: HTMLElement,
    private readonly client: CoreClient | null,
  ) {
    this.unsubscribe = useAlerts.subscribe((s, prev) => {
      if (s.alerts !== prev.alerts) this.sync();
      if (s.focus && s.focus.seq !== this.focusSeq) this.onFocusRequest(s.focus);
    });
    // Capture phase: a grab on a line must not also pan the chart underneath.
    host.addEventListener('pointerdown', this.onDown, true);
    host.addEventListener('pointermove', this.onMove, true);
    host.addEventListener('pointerup', this.onUp, true);
    host.addEventListener('pointercancel', this.onUp, true);
    host.addEventListener('contextmenu', this.onContextMenu, true);
  }

  setMarket(m: MarketRef | null): void {
    this.key = m ? marketKey(m) : '';
    this.sync();
  }

  dispose(): void {
    this.unsubscribe();
    this.pendingFocus = null;
    this.host.removeEventListener('pointerdown', this.onDown, true);
    this.host.removeEventListener('pointermove', this.onMove, true);
    this.host.removeEventListener('pointerup', this.onUp, true);
    this.host.removeEventListener('pointercancel', this.onUp, true);
    this.host.removeEventListener('contextmenu', this.onContextMenu, true);
  }

  private onFocusRequest(f: { market: string; time: number; seq: number }): void {
    this.focusSeq = f.seq;
    const id = this.host.closest('[data-chart-id]')?.getAttribute('data-chart-id');
    if (id !== useLayout.getState().activeChartId) return;
    this.pendingFocus = { market: f.market, time: f.time, until: performance.now() + FOCUS_WAIT_MS };
    requestAnimationFrame(this.focusStep);
  }

  /**
   * Each frame until the chart shows the market with bars (a market switch clears the series and
   * loads the bars; the controller places its first view in the same paint that sets them, so once
   * they are there, a range set here is not undone), or until the wait is over.
   */
  private readonly focusStep = (): void => {
    const f = this.pendingFocus;
    if (!f) return;
    if (performance.now() > f.until) {
      this.pendingFocus = null;
      return;
    }
    if (f.market !== this.key || this.series.data().length === 0) {
      requestAnimationFrame(this.focusStep);
      return;
    }
    this.pendingFocus = null;
    const ts = this.chart.timeScale();
    const index = ts.timeToIndex((f.time / 1000) as UTCTimestamp, true);
    const range: LogicalRange | null = ts.getVisibleLogicalRange();
    if (index === null || !range || (index >= range.from && index <= range.to)) return;
    const width = range.to - range.from;
    ts.setVisibleLogicalRange({ from: index - width * 0.7, to: index + width * 0.3 });
  };

  /** The price lines on the chart = the price-cross alerts of its market (a line being dragged stays). */
  private sync(): void {
    const wanted = new Map<string, AlertDef>();
    if (this.key) {
      for (const a of useAlerts.getState().alerts) if (a.kind === 'price-cross' && a.market === this.key && a.price !== undefined) wanted.set(a.id, a);
    }
    for (const [id, e] of this.lines) {
      if (wanted.get(id) !== e.def && this.drag?.entry !== e) {
        this.series.removePriceLine(e.line);
        this.lines.delete(id);
      }
    }
    for (const [id, def] of wanted) {
      if (this.lines.has(id)) continue;
      const on = def.enabled !== false;
      const line = this.series.createPriceLine({
        price: def.price!,
        color: on ? COLOR : COLOR_OFF,
        lineWidth: 1,
        lineStyle: on ? LineStyle.Dashed : LineStyle.Dotted,
        axisLabelVisible: true,
        title: id,
      });
      this.lines.set(id, { def, line });
    }
    this.writeLevels();
  }

  /** The levels drawn, `id@price` (what the UI tests read; during a drag, the dragged price). */
  private writeLevels(): void {
    this.host.dataset.alertLines = [...this.lines.values()].map((e) => `${e.def.id}@${e.line.options().price}`).join(' ');
  }

  private y(e: MouseEvent): number {
    return e.clientY - this.host.getBoundingClientRect().top;
  }

  private near(y: number): Line | null {
    let best: Line | null = null;
    let bestDist = GRAB_PX + 1;
    for (const e of this.lines.values()) {
      const ly = this.series.priceToCoordinate(e.line.options().price);
      if (ly === null) continue;
      const d = Math.abs(ly - y);
      if (d < bestDist) {
        best = e;
        bestDist = d;
      }
    }
    return best;
  }

  private readonly onDown = (e: PointerEvent): void => {
    if (e.button !== 0 || !this.key) return;
    const y = this.y(e);
    if (e.altKey) {
      const price = this.series.coordinateToPrice(y);
      if (price === null || !this.client) return;
      e.preventDefault();
      e.stopPropagation();
      const id = freeAlertId(useAlerts.getState().alerts);
      void this.client.request('saveAlert', { id, market: this.key, kind: 'price-cross', price: roundLevel(price) }).catch(() => undefined);
      return;
    }
    const hit = this.near(y);
    if (!hit) return;
    // preventDefault also holds back the compatibility mouse events the chart listens to.
    e.preventDefault();
    e.stopPropagation();
    this.host.setPointerCapture?.(e.pointerId);
    this.chart.applyOptions({ handleScroll: false, handleScale: false });
    this.drag = { entry: hit, price: hit.line.options().price };
  };

  private readonly onMove = (e: PointerEvent): void => {
    if (!this.drag) {
      this.host.style.cursor = this.lines.size > 0 && this.near(this.y(e)) ? 'ns-resize' : '';
      return;
    }
    e.stopPropagation();
    const price = this.series.coordinateToPrice(this.y(e));
    if (price === null) return;
    this.drag.price = roundLevel(price);
    this.drag.entry.line.applyOptions({ price: this.drag.price });
    this.writeLevels();
  };

  private readonly onUp = (e: PointerEvent): void => {
    const drag = this.drag;
    if (!drag) return;
    e.stopPropagation();
    this.drag = null;
    this.host.releasePointerCapture?.(e.pointerId);
    this.chart.applyOptions({ handleScroll: true, handleScale: true });
    const def = drag.entry.def;
    if (drag.price === def.price || !this.client) {
      drag.entry.line.applyOptions({ price: def.price! });
      return;
    }
    // A refused save puts the line back where the core still has it.
    this.client.request('saveAlert', { ...def, price: drag.price }).catch(() => drag.entry.line.applyOptions({ price: def.price! }));
  };

  private readonly onContextMenu = (e: MouseEvent): void => {
    const hit = this.near(this.y(e));
    if (!hit || !this.client) return;
    e.preventDefault();
    e.stopPropagation();
    void this.client.request('removeAlert', { id: hit.def.id }).catch(() => undefined);
  };
}
