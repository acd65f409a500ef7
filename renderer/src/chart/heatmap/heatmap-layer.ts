/**
 * A chart's depth heatmap: takes the chart market's book views and large trades from the stream
 * batches the chart controller already filters (for a venue market, the deep grouped view it
 * leases from the core with watchBookDepth, which covers the visible price range; the top-20 view
 * only until that arrives), keeps them in a ring of time-bucketed columns
 * (column-ring.ts), writes only the new columns into the offscreen texture (heatmap-texture.ts) on
 * the chart's paint slot, and lets the series primitive (heatmap-primitive.ts) blit it in the
 * chart's own draw. Owns the legend (the colour scale), the "book invalid" notice and the no-book
 * hint over the chart. Nothing is kept while the heatmap is off.
 */
import type { ISeriesApi } from 'lightweight-charts';
import type { BookView } from '../../../../shared/books';
import type { MarketRef } from '../../../../shared/domain';
import type { StreamBatch } from '../../../../shared/protocol';
import { COMPOSITE, marketKey } from '../../../../shared/markets';
import { formatAmount } from '../../lib/format';
import { books } from '../../stores/book-store';
import { useLayout } from '../../stores/layout-store';
import { statsBook } from '../../stores/live-books';
import type { CoreClient } from '../../transport/client';
import { setDataAttr } from '../legend';
import { bucketMsFor, niceStep, PriceRows, smallestGap } from './bucketing';
import { legendMarks, nextScaleTop, paletteCss, SCALE_WINDOW, scaleTopFor } from './colour-scale';
import { ColumnRing } from './column-ring';
import { HeatmapPrimitive, type DrawnGeometry, type HeatmapModel } from './heatmap-primitive';
import { recordHeatmapWrite } from './heatmap-perf';
import { HeatmapPictures, type Picture } from './heatmap-pictures';
import { BubbleRing, bubbleThreshold } from './trade-bubbles';
import './heatmap.css';

/** Columns kept: 4 minutes of 100 ms columns on a 1 s chart, 6.7 hours on a 1 m chart. */
export const RING_COLUMNS = 2400;
/**
 * Buckets a side the heatmap asks the core for (watchBookDepth): the ladder's top 20 levels span
 * a few ticks while the chart's price range spans hundreds, so a venue chart's heatmap takes a
 * grouped view instead, each side covering half the visible price range (the core's cap is 200).
 */
export const DEPTH_LEVELS = 200;
/** Levels kept per side of a column: a deep view's buckets (a top-N or composite view carries fewer). */
const MAX_SIDE_LEVELS = DEPTH_LEVELS;
/** Share of the price a deep view's side covers while the chart has no visible range yet. */
const FALLBACK_SIDE_SPAN = 0.005;
export const PRICE_ROWS = 512;
/** How long a resync that finished between two views is announced over the chart. */
const RESYNC_NOTICE_MS = 4_000;
/** The composite and depth watches are renewed this often (the core's lease is 15 s; the ladder renews every 5 s too). */
const WATCH_RENEW_MS = 5_000;

export interface HeatmapBars {
  count(): number;
  startAt(i: number): number;
}

export class HeatmapLayer implements HeatmapModel {
  ring: ColumnRing | null = null;
  private pics: HeatmapPictures | null = null;
  rows: PriceRows | null = null;
  readonly bubbles = new BubbleRing();
  tfMs = 1000;
  troubleNow: 'syncing' | 'resyncing' | null = null;
  private enabled = false;
  private market: MarketRef | null = null;
  private key = '';
  private scaleTop = 0;
  /** The latest columns' own scale tops (a ring by sample count), which the scale follows. */
  private recentTops: number[] = [];
  private pending: { from: number; to: number } | null = null;
  private rebuildDue = false;
  private viewDirty = false;
  private lastResyncs: number | null = null;
  private noticeUntil = 0;
  private samples = 0;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  /** The deep view's bucket asked for (0: none yet); views in another bucket are an older ask's. */
  private depthGroup = 0;
  /** A deep view came: the market's top-N views are then ignored (they would be a second, thinner column). */
  private deepSeen = false;
  /** The composite's bucket: the one its views come in (the ladder's, when it shows the same market). */
  private compositeGroup = 0;
  private readonly primitive: HeatmapPrimitive;
  private readonly legend: HTMLDivElement;
  private readonly notice: HTMLDivElement;
  private readonly hint: HTMLParagraphElement;

  constructor(
    private readonly host: HTMLElement,
    container: HTMLElement | null,
    private readonly series: ISeriesApi<'Candlestick'>,
    private readonly bars: HeatmapBars,
    private readonly client: CoreClient | null,
  ) {
    this.primitive = new HeatmapPrimitive(this);
    series.attachPrimitive(this.primitive);
    this.legend = el('div', 'heatmap-legend', 'heatmap-legend');
    this.legend.setAttribute('role', 'img');
    this.notice = el('div', 'heatmap-notice', 'heatmap-book-invalid');
    this.notice.setAttribute('role', 'status');
    this.hint = el('p', 'heatmap-hint', 'heatmap-hint');
    for (const e of [this.legend, this.notice, this.hint]) {
      e.hidden = true;
      container?.appendChild(e);
    }
    setDataAttr(host, 'heatmap', 'off');
  }

  get visible(): boolean {
    return this.enabled;
  }

  /** The textures to draw and the buckets each holds (two while a rebuild runs). */
  pictures(): Picture[] {
    return this.ring && this.pics ? this.pics.pictures(this.ring) : [];
  }

  barCount(): number {
    return this.bars.count();
  }

  barStart(i: number): number {
    return this.bars.startAt(i);
  }

  /** Something to write or show on the chart's next paint slot. O(1). */
  get dirty(): boolean {
    return this.enabled && (this.pending !== null || this.rebuildDue || this.viewDirty || this.pics?.rebuilding === true || (this.noticeUntil > 0 && Date.now() > this.noticeUntil));
  }

  setEnabled(on: boolean): void {
    if (on === this.enabled) return;
    this.enabled = on;
    this.restart();
  }

  /** Another market or timeframe: the history starts again (the core keeps no book history). */
  reset(market: MarketRef | null, tfMs: number): void {
    this.market = market;
    this.key = market ? marketKey(market) : '';
    this.tfMs = tfMs;
    this.restart();
  }

  onBatch(batch: StreamBatch): void {
    const m = this.market;
    if (!this.enabled || !m) return;
    for (const v of batch.books) {
      if (v.symbol !== m.symbol || v.market !== m.market || v.exchange !== m.exchange) continue;
      if (v.deep) {
        if (v.deep.group !== this.depthGroup) continue;
        this.deepSeen = true;
      } else if (this.deepSeen) continue;
      this.ingest(v);
    }
    if (!this.ring || batch.trades.length === 0) return;
    const threshold = bubbleThreshold(useLayout.getState().tapeLevels);
    for (const t of batch.trades) {
      if (t.symbol !== m.symbol || t.market !== m.market || (m.exchange !== COMPOSITE && t.exchange !== m.exchange)) continue;
      if (this.bubbles.offer(t, threshold, statsBook().usdPrice)) this.viewDirty = true;
    }
  }

  /** The chart's paint slot: writes the new columns (or rebuilds), updates the legend and notices. */
  paint(): void {
    const { ring, rows } = this;
    if (ring && rows) {
      const t0 = performance.now();
      this.pics ??= new HeatmapPictures(RING_COLUMNS, PRICE_ROWS);
      if (this.rebuildDue) this.pics.restart(ring, rows, this.scaleTop);
      else if (this.pending) this.pics.write(ring, this.pending.from, this.pending.to);
      this.pics.step(ring);
      recordHeatmapWrite(t0, performance.now() - t0);
    }
    if (this.rebuildDue) this.writeLegend();
    this.rebuildDue = false;
    this.pending = null;
    this.viewDirty = false;
    this.writeNotice();
    this.primitive.requestUpdate();
  }

  /** Called by the primitive after it drew: geometry for tests and tools. */
  drawn(g: DrawnGeometry): void {
    setDataAttr(this.host, 'heatmapFirstX', g.firstX === null ? '' : g.firstX.toFixed(1));
    setDataAttr(this.host, 'heatmapInvalidX', g.invalidX ? `${g.invalidX[0].toFixed(1)} ${g.invalidX[1].toFixed(1)}` : '');
    setDataAttr(this.host, 'heatmapBubbles', String(g.bubbles));
    setDataAttr(this.host, 'heatmapView', g.view ? `${g.view.from.toFixed(3)} ${g.view.to.toFixed(3)}` : '');
  }

  dispose(): void {
    this.enabled = false;
    this.stopWatch();
    for (const e of [this.legend, this.notice, this.hint]) e.remove();
  }

  private restart(): void {
    this.ring = null;
    this.pics = null;
    this.rows = null;
    this.scaleTop = 0;
    this.recentTops = [];
    this.pending = null;
    this.lastResyncs = null;
    this.troubleNow = null;
    this.noticeUntil = 0;
    this.samples = 0;
    this.bubbles.clear();
    this.legend.hidden = true;
    this.deepSeen = false;
    this.depthGroup = 0;
    this.stopWatch();
    if (this.enabled) this.startWatch();
    this.rebuildDue = false;
    // The latest view the page holds starts the history at once.
    const stored = this.enabled && this.market ? books.byKey(this.key) : undefined;
    if (stored) this.ingest(stored.view);
    this.viewDirty = true;
    this.writeNotice();
    this.writeState();
    this.primitive.requestUpdate();
  }

  /**
   * The core builds a composite book only while a UI watches it: a composite chart's heatmap asks
   * for it like the ladder does, in the bucket the views already come in (so the two never
   * flip the core between two buckets).
   */
  private startWatch(): void {
    const m = this.market;
    const client = this.client;
    if (!m || !client) return;
    let ask: () => void;
    if (m.exchange === COMPOSITE) {
      this.compositeGroup = books.byKey(this.key)?.view.composite?.group ?? 0;
      ask = () => void client.request('watchCompositeBook', { market: m.market, symbol: m.symbol, group: this.compositeGroup }).catch(() => undefined);
    } else {
      ask = () => this.askDepth(client, m);
    }
    ask();
    this.watchTimer = setInterval(ask, WATCH_RENEW_MS);
  }

  /**
   * A venue chart asks for its book grouped so that DEPTH_LEVELS buckets a side cover half the
   * visible price range (a 1-2-5 bucket, so zooming changes it only by a factor of 2 or more;
   * renewed with the lease, a new bucket lets the old lease lapse). No price yet: asked again
   * at the first book view.
   */
  private askDepth(client: CoreClient, m: MarketRef, latest = books.byKey(this.key)?.view): void {
    const span = this.visibleSpan() ?? midOf(latest) * FALLBACK_SIDE_SPAN * 2;
    const group = niceStep(span / 2 / DEPTH_LEVELS);
    if (!(group > 0)) return;
    this.depthGroup = group;
    void client.request('watchBookDepth', { exchange: m.exchange, market: m.market, symbol: m.symbol, group, levels: DEPTH_LEVELS }).catch(() => undefined);
  }

  /** The price range the chart's pane shows (null before it has one). */
  private visibleSpan(): number | null {
    const h = this.host.clientHeight;
    const top = h > 0 ? this.series.coordinateToPrice(0) : null;
    const bottom = h > 0 ? this.series.coordinateToPrice(h) : null;
    return top !== null && bottom !== null && top > bottom ? top - bottom : null;
  }

  private stopWatch(): void {
    if (this.watchTimer !== null) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }

  private ingest(v: BookView): void {
    if (v.composite) this.compositeGroup = v.composite.group;
    // The first view of a venue book gives the price the deep view's first ask lacked.
    if (this.depthGroup === 0 && !v.composite && this.client && this.market) this.askDepth(this.client, this.market, v);
    const invalid = v.state !== 'valid' || (this.lastResyncs !== null && v.resyncs > this.lastResyncs);
    if (invalid) this.noticeUntil = Date.now() + RESYNC_NOTICE_MS;
    this.lastResyncs = v.resyncs;
    this.troubleNow = v.state === 'valid' ? null : v.state;
    this.ring ??= new ColumnRing(RING_COLUMNS, MAX_SIDE_LEVELS * 2, bucketMsFor(this.tfMs));
    this.placeRows(v);
    if (this.rows) this.recentTops[this.samples % SCALE_WINDOW] = columnTop(v, this.rows);
    // The window's median is a sort: taken every 8th column, or at once while there is no scale.
    const top = this.scaleTop > 0 && this.samples % 8 !== 0 ? this.scaleTop : nextScaleTop(this.scaleTop, this.recentTops);
    if (top !== this.scaleTop) {
      this.scaleTop = top;
      this.rebuildDue = true;
    }
    const written = this.ring.add({ time: v.time, bids: v.bids, asks: v.asks, invalid });
    this.pending = this.pending ? { from: Math.min(this.pending.from, written.from), to: written.to } : written;
    this.samples++;
    this.writeState();
  }

  /**
   * Rows for the book and the history held: made at the first book with levels, moved (and made
   * coarser if need be) when the book drifts off their middle. The history then sits in the middle
   * third, so a trending price moves them now and then, not at every view.
   */
  private placeRows(v: BookView): void {
    const bid = v.bids[0]?.[0];
    const ask = v.asks[0]?.[0];
    if (bid === undefined || ask === undefined) return;
    let lo = v.bids[v.bids.length - 1]?.[0] ?? bid;
    let hi = v.asks[v.asks.length - 1]?.[0] ?? ask;
    if (this.rows?.comfortable(lo) && this.rows.comfortable(hi)) return;
    const held = this.ring?.priceRange();
    if (held) {
      lo = Math.min(lo, held.lo);
      hi = Math.max(hi, held.hi);
    }
    const gap = Math.min(smallestGap(v.bids), smallestGap(v.asks), ask > bid ? ask - bid : Infinity);
    const tick = Number.isFinite(gap) ? gap : ((bid + ask) / 2) * 1e-4;
    const rows = PriceRows.covering(lo, hi, tick, PRICE_ROWS);
    if (rows.step !== this.rows?.step) {
      // Sizes per row change with the step: the scale starts again from the next column.
      this.scaleTop = 0;
      this.recentTops = [];
    }
    this.rows = rows;
    this.rebuildDue = true;
  }

  private writeState(): void {
    const h = this.host;
    const state = !this.enabled ? 'off' : this.samples === 0 ? 'no-book' : 'on';
    setDataAttr(h, 'heatmap', state);
    setDataAttr(h, 'heatmapColumns', String(this.samples));
    setDataAttr(h, 'heatmapBook', this.troubleNow ?? (this.samples > 0 ? 'valid' : ''));
    setDataAttr(h, 'heatmapInvalidRuns', String(this.ring?.runs.length ?? 0));
    setDataAttr(h, 'heatmapScaleTop', String(this.scaleTop));
    // The deep grouped view's bucket once one came ('' while only top-20 views have).
    setDataAttr(h, 'heatmapDeep', this.deepSeen ? String(this.depthGroup) : '');
    const wantHint = state === 'no-book';
    if (this.hint.hidden === wantHint) {
      this.hint.hidden = !wantHint;
      this.hint.textContent =
        this.market?.exchange === COMPOSITE
          ? 'Heatmap: no order book for all venues of this market yet (enable the book channel on their feeds)'
          : 'Heatmap: no order book for this market (enable the book channel on its feed)';
    }
  }

  private writeNotice(): void {
    const now = Date.now();
    if (this.noticeUntil > 0 && now > this.noticeUntil && this.troubleNow === null) this.noticeUntil = 0;
    const show = this.enabled && (this.troubleNow !== null || this.noticeUntil > 0);
    const text =
      this.troubleNow === 'syncing'
        ? 'BOOK SYNCING · waiting for the venue snapshot: hatched columns are not the book'
        : this.troubleNow === 'resyncing'
          ? 'BOOK RESYNCING · a gap or checksum failure was detected: hatched columns are not the book'
          : `BOOK RESYNCED (${this.lastResyncs ?? 0}) · hatched columns were taken while the book was broken`;
    if (this.notice.hidden !== !show) this.notice.hidden = !show;
    if (show && this.notice.textContent !== text) this.notice.textContent = text;
    this.notice.dataset.state = this.troubleNow ?? 'resynced';
  }

  /** The colour scale: a gradient with the size at its start, a quarter (its middle) and its top. */
  private writeLegend(): void {
    const marks = legendMarks(this.scaleTop);
    this.legend.hidden = marks.length === 0 || !this.enabled;
    if (marks.length === 0 || !this.market) return;
    const unit = this.market.symbol.split('-')[0] ?? '';
    const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `${paletteCss(t)} ${t * 100}%`).join(', ');
    const bar = el('span', 'heatmap-legend-bar');
    bar.style.background = `linear-gradient(to right, ${stops})`;
    const ticks = el('span', 'heatmap-legend-ticks');
    for (const m of marks) ticks.appendChild(Object.assign(el('span', ''), { textContent: m.size === 0 ? '0' : formatAmount(m.size) }));
    const title = Object.assign(el('span', 'heatmap-legend-title'), { textContent: `Resting size, ${unit}` });
    this.legend.replaceChildren(title, bar, ticks);
    this.legend.setAttribute('aria-label', `Heatmap colour scale: resting size from 0 to ${formatAmount(this.scaleTop)} ${unit} and above`);
  }
}

/** The scale a single view asks for: its rows' sizes (levels summed per row), 90th percentile, rounded up. */
function columnTop(v: BookView, rows: PriceRows): number {
  const sums = new Map<number, number>();
  for (const side of [v.bids, v.asks]) {
    for (const [price, size] of side) {
      const r = rows.rowOf(price);
      if (r >= 0) sums.set(r, (sums.get(r) ?? 0) + size);
    }
  }
  return scaleTopFor([...sums.values()]);
}

/** The middle of a view's touch (0 without both sides). */
function midOf(v: BookView | undefined): number {
  const bid = v?.bids[0]?.[0];
  const ask = v?.asks[0]?.[0];
  return bid !== undefined && ask !== undefined ? (bid + ask) / 2 : 0;
}

function el<K extends 'div' | 'p' | 'span'>(tag: K, className: string, testId?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (testId) e.dataset.testid = testId;
  return e;
}
