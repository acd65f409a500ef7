/**
 * The heatmap inside the chart: a lightweight-charts series primitive on the candle series, so it
 * is drawn by the chart in its own frame, behind the candles (z-order 'bottom'), with the chart's
 * time and price axes. Each draw blits the visible part of the offscreen texture (one drawImage
 * per run of contiguous bars, two where the ring wraps), hatches the columns whose book was invalid
 * with the chart's DATA NOT LIVE colours and labels them, and draws the large-trade bubbles on top
 * of the candles (a second pane view, z-order 'normal').
 */
import type {
  IChartApi,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  Logical,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts';
import { segmentLogical, timeSegments, type TimeSegment } from './bucketing';
import type { ColumnRing } from './column-ring';
import { recordHeatmapPaint } from './heatmap-perf';
import type { Picture } from './heatmap-pictures';
import type { HeatmapTexture } from './heatmap-texture';
import type { BubbleRing } from './trade-bubbles';

/** An invalid run is drawn at least this wide (CSS px): a 100 ms resync must not be a hairline. */
const MIN_INVALID_PX = 8;
const ALERT = '#ff3b3b';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

export interface DrawnGeometry {
  /** CSS x of the oldest column's left edge drawn, or null when none is on screen. */
  firstX: number | null;
  /** The chart's visible logical range at that draw. */
  view: { from: number; to: number } | null;
  /** CSS x range of the newest invalid run drawn, or null. */
  invalidX: [number, number] | null;
  bubbles: number;
}

/** What the primitive draws; owned and fed by the heatmap layer. */
export interface HeatmapModel {
  readonly ring: ColumnRing | null;
  readonly bubbles: BubbleRing;
  readonly tfMs: number;
  /** The current book's trouble, labelled on the run still going on. */
  readonly troubleNow: 'syncing' | 'resyncing' | null;
  readonly visible: boolean;
  /** The textures and the buckets each draws, oldest first. */
  pictures(): readonly Picture[];
  barCount(): number;
  barStart(i: number): number;
  drawn(g: DrawnGeometry): void;
}

interface Frame {
  view: { from: number; to: number };
  segments: TimeSegment[];
  hr: number;
  x: (s: TimeSegment, timeMs: number) => number;
}

export class HeatmapPrimitive implements ISeriesPrimitive<Time> {
  private chart: IChartApi | null = null;
  private series: ISeriesApi<'Candlestick'> | null = null;
  private request: (() => void) | null = null;
  private hatch: CanvasPattern | null = null;
  private frame: Frame | null = null;
  private geometry: DrawnGeometry = { firstX: null, view: null, invalidX: null, bubbles: 0 };
  private readonly views: readonly IPrimitivePaneView[];

  constructor(private readonly model: HeatmapModel) {
    const heat: IPrimitivePaneRenderer = { draw: (t) => timed(() => this.drawHeat(t)) };
    const bubbles: IPrimitivePaneRenderer = { draw: (t) => timed(() => this.drawBubbles(t)) };
    this.views = [
      { zOrder: () => 'bottom', renderer: () => (this.model.visible ? heat : null) },
      { zOrder: () => 'normal', renderer: () => (this.model.visible ? bubbles : null) },
    ];
  }

  attached(p: SeriesAttachedParameter<Time>): void {
    this.chart = p.chart as IChartApi;
    this.series = p.series as ISeriesApi<'Candlestick'>;
    this.request = p.requestUpdate;
  }

  detached(): void {
    this.chart = null;
    this.series = null;
    this.request = null;
  }

  /** Asks the chart to draw again (a new column, or the heatmap turned on or off). */
  requestUpdate(): void {
    this.request?.();
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  /** The visible runs of bars and the time -> bitmap x mapping, computed once per chart draw. */
  private makeFrame(hr: number): Frame | null {
    const ts = this.chart?.timeScale();
    const range = ts?.getVisibleLogicalRange();
    if (!ts || !range) return null;
    const m = this.model;
    const segments = timeSegments(range.from, range.to, m.barCount(), (i) => m.barStart(i), m.tfMs);
    // The chart converts whole bar indexes only (a fractional one comes back as 0): x is linear in
    // the index, so two whole ones give the line.
    const c0 = ts.logicalToCoordinate(0 as Logical);
    const c1 = ts.logicalToCoordinate(1 as Logical);
    if (c0 === null || c1 === null) return null;
    const x = (s: TimeSegment, t: number) => (c0 + segmentLogical(s, t) * (c1 - c0)) * hr;
    return { segments, hr, x, view: range };
  }

  private drawHeat(target: Target): void {
    const ring = this.model.ring;
    const pictures = this.model.pictures();
    this.frame = null;
    const series = this.series;
    if (!ring || !series || pictures.length === 0) return this.report(null, null);
    target.useBitmapCoordinateSpace(({ context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr, bitmapSize }) => {
      const frame = this.makeFrame(hr);
      this.frame = frame;
      if (!frame) return this.report(null, null);
      const bm = ring.bucketMs;
      ctx.save();
      let firstX: number | null = null;
      for (const p of pictures) {
        const yTop = series.priceToCoordinate(p.rows.top);
        const yBottom = series.priceToCoordinate(p.rows.base);
        if (yTop === null || yBottom === null) continue;
        const held0 = p.from * bm;
        const held1 = (p.to + 1) * bm;
        for (const s of frame.segments) {
          const t0 = Math.max(s.timeFrom, held0);
          const t1 = Math.min(s.timeTo, held1);
          if (t1 <= t0) continue;
          const x0 = frame.x(s, t0);
          if (firstX === null || x0 / hr < firstX) firstX = x0 / hr;
          this.blit(ctx, p.texture, ring, t0 / bm, t1 / bm, x0, frame.x(s, t1), yTop * vr, (yBottom - yTop) * vr);
        }
      }
      const invalidX = this.hatchRuns(ctx, frame, ring, bitmapSize.height, vr);
      ctx.restore();
      this.report(firstX, invalidX);
    });
  }

  /** Draws buckets [b0, b1) (fractional) of the texture into bitmap x [x0, x1), split where the ring wraps. */
  private blit(ctx: CanvasRenderingContext2D, tex: HeatmapTexture, ring: ColumnRing, b0: number, b1: number, x0: number, x1: number, y0: number, h: number): void {
    const cap = ring.capacity;
    const sx = ring.slotOf(Math.floor(b0)) + (b0 - Math.floor(b0));
    const sw = b1 - b0;
    const px = (x1 - x0) / sw;
    const first = Math.min(sw, cap - sx);
    // Cells stay crisp blocks (a thin book must not be averaged into faint), unless they are
    // squeezed to under half a pixel, where picking one row in several could drop the book.
    ctx.imageSmoothingEnabled = h < tex.height / 2 || px < 0.5;
    ctx.drawImage(tex.surface, sx, 0, first, tex.height, x0, y0, first * px, h);
    if (first < sw) ctx.drawImage(tex.surface, 0, 0, sw - first, tex.height, x0 + first * px, y0, (sw - first) * px, h);
  }

  /** Hatches and labels the invalid runs on screen; returns the newest one's CSS x range. */
  private hatchRuns(ctx: CanvasRenderingContext2D, frame: Frame, ring: ColumnRing, height: number, vr: number): [number, number] | null {
    let newest: [number, number] | null = null;
    const bm = ring.bucketMs;
    this.hatch ??= makeHatch(ctx);
    for (const run of ring.runs) {
      if (run.to < ring.oldest) continue;
      const ongoing = run.to === ring.newest && this.model.troubleNow !== null;
      for (const s of frame.segments) {
        const t0 = Math.max(s.timeFrom, run.from * bm);
        const t1 = Math.min(s.timeTo, (run.to + 1) * bm);
        if (t1 <= t0) continue;
        let x0 = frame.x(s, t0);
        let x1 = frame.x(s, t1);
        const min = MIN_INVALID_PX * frame.hr;
        if (x1 - x0 < min) {
          const c = (x0 + x1) / 2;
          x0 = c - min / 2;
          x1 = c + min / 2;
        }
        ctx.fillStyle = 'rgba(90, 0, 0, 0.35)';
        ctx.fillRect(x0, 0, x1 - x0, height);
        if (this.hatch) {
          ctx.fillStyle = this.hatch;
          ctx.fillRect(x0, 0, x1 - x0, height);
        }
        label(ctx, ongoing ? (this.model.troubleNow === 'syncing' ? 'BOOK SYNCING' : 'BOOK RESYNCING') : 'BOOK RESYNC', x0, frame.hr, vr);
        newest = [x0 / frame.hr, x1 / frame.hr];
      }
    }
    return newest;
  }

  private drawBubbles(target: Target): void {
    const frame = this.frame;
    const series = this.series;
    const list = this.model.bubbles.items;
    if (!frame || !series || list.length === 0) return this.reportBubbles(0);
    let drawn = 0;
    target.useBitmapCoordinateSpace(({ context: ctx, verticalPixelRatio: vr }) => {
      ctx.save();
      ctx.lineWidth = frame.hr;
      let s = 0;
      // Bubbles are in time order, as are the segments: one pass over both.
      for (const b of list) {
        while (s < frame.segments.length && frame.segments[s]!.timeTo <= b.time) s++;
        const seg = frame.segments[s];
        if (!seg) break;
        if (b.time < seg.timeFrom) continue;
        const y = series.priceToCoordinate(b.price);
        if (y === null) continue;
        ctx.beginPath();
        ctx.arc(frame.x(seg, b.time), y * vr, b.radius * frame.hr, 0, Math.PI * 2);
        ctx.fillStyle = b.side === 'buy' ? 'rgba(38, 166, 154, 0.45)' : 'rgba(239, 83, 80, 0.45)';
        ctx.strokeStyle = b.side === 'buy' ? '#5ee0c8' : '#ff8a87';
        ctx.fill();
        ctx.stroke();
        drawn++;
      }
      ctx.restore();
    });
    this.reportBubbles(drawn);
  }

  private report(firstX: number | null, invalidX: [number, number] | null): void {
    this.geometry = { ...this.geometry, firstX, invalidX, view: this.frame?.view ?? null };
    this.model.drawn(this.geometry);
  }

  private reportBubbles(n: number): void {
    if (n === this.geometry.bubbles) return;
    this.geometry = { ...this.geometry, bubbles: n };
    this.model.drawn(this.geometry);
  }
}

/** Runs a draw and records its time for the bench (heatmap-perf.ts). */
function timed(draw: () => void): void {
  const t0 = performance.now();
  draw();
  recordHeatmapPaint(t0, performance.now() - t0);
}

/** Red diagonal stripes, the stale overlay's. */
function makeHatch(ctx: CanvasRenderingContext2D): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 12;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.strokeStyle = 'rgba(255, 59, 59, 0.55)';
  t.lineWidth = 3;
  t.beginPath();
  t.moveTo(-3, 15);
  t.lineTo(15, -3);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, hr: number, vr: number): void {
  ctx.font = `bold ${Math.round(11 * vr)}px sans-serif`;
  const w = ctx.measureText(text).width + 8 * hr;
  const y = 24 * vr;
  ctx.fillStyle = ALERT;
  ctx.fillRect(x, y, w, 16 * vr);
  ctx.fillStyle = '#000';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + 4 * hr, y + 8 * vr);
}
