/**
 * A chart's recent liquidations as markers (liquidation-markers.ts) and the tooltip that details
 * the marked bar under the crosshair. Reads the marker threshold from the layout store and dollar
 * prices from the live stats book; the chart controller feeds it and sets its markers when dirty.
 */
import type { SeriesMarker, Time } from 'lightweight-charts';
import type { Liquidation } from '../../../shared/domain';
import { statsBook } from '../stores/live-books';
import { useLayout } from '../stores/layout-store';
import { bucketLiquidations, bucketUsd, describeBucket, liquidationMarkers, type LiqBucket } from './liquidation-markers';
import './liquidations.css';

const TOOLTIP_WIDTH = 260;

/** Most liquidations a chart keeps (grouped by bar, a few hundred bars' worth). */
const MAX_KEPT = 2_000;

export class LiquidationLayer {
  private list: Liquidation[] = [];
  private buckets: LiqBucket[] = [];
  private bucketsTfMs = 0;
  private bucketsDirty = true;
  /** The markers need setting again (new liquidations, another threshold, a reset). */
  dirty = false;
  private readonly tooltip: HTMLDivElement;
  private readonly unsubscribe: () => void;
  shown = 0;

  constructor(container: HTMLElement | null) {
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'liq-tooltip';
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.dataset.testid = 'liquidation-tooltip';
    this.tooltip.hidden = true;
    container?.appendChild(this.tooltip);
    this.unsubscribe = useLayout.subscribe((s, prev) => {
      if (s.liqMarkerMin !== prev.liqMarkerMin) this.dirty = true;
    });
  }

  add(l: Liquidation): void {
    this.list.push(l);
    if (this.list.length > MAX_KEPT) this.list.shift();
    this.bucketsDirty = true;
    this.dirty = true;
  }

  clear(): void {
    this.list = [];
    this.buckets = [];
    this.bucketsDirty = true;
    this.dirty = true;
    this.tooltip.hidden = true;
  }

  get count(): number {
    return this.list.length;
  }

  private grouped(tfMs: number): LiqBucket[] {
    if (this.bucketsDirty || tfMs !== this.bucketsTfMs) {
      this.buckets = bucketLiquidations(this.list, tfMs, statsBook().usdPrice);
      this.bucketsTfMs = tfMs;
      this.bucketsDirty = false;
    }
    return this.buckets;
  }

  /** The markers to set now; clears `dirty`. */
  markers(tfMs: number): SeriesMarker<Time>[] {
    this.dirty = false;
    const out = liquidationMarkers(this.grouped(tfMs), useLayout.getState().liqMarkerMin);
    this.shown = out.length;
    return out as SeriesMarker<Time>[];
  }

  /** The crosshair moved: show the details of a marked bar under it, near the pointer, else hide. */
  hover(timeMs: number | null, point: { x: number; y: number } | undefined, tfMs: number, tf: string): void {
    const b = timeMs === null || !point ? undefined : this.grouped(tfMs).find((x) => x.start === timeMs);
    const usd = b ? bucketUsd(b) : null;
    if (!b || (usd !== null && usd < useLayout.getState().liqMarkerMin)) {
      if (!this.tooltip.hidden) this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(...describeBucket(b, tf, statsBook().usdPrice).map((line) => Object.assign(document.createElement('div'), { textContent: line })));
    const room = (this.tooltip.parentElement?.clientWidth ?? Infinity) - point!.x;
    this.tooltip.style.left = `${Math.round(room > TOOLTIP_WIDTH + 20 ? point!.x + 14 : Math.max(4, point!.x - TOOLTIP_WIDTH - 14))}px`;
    this.tooltip.style.top = `${Math.round(Math.max(4, point!.y - 40))}px`;
    this.tooltip.hidden = false;
  }

  dispose(): void {
    this.unsubscribe();
    this.tooltip.remove();
  }
}
