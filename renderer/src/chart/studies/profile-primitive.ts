/**
 * Draws a volume profile (profile.ts) at the price axis side of the candle pane: one horizontal
 * bar per bucket, its buy part and sell part side by side, the value area brighter than the
 * rest. POC/VAH/VAL are price lines of the candle series (studies-layer.ts), so they carry axis
 * labels; this primitive only paints the histogram and its "from bars (approx.)" caption.
 */
import type { IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesApi, ISeriesPrimitive, SeriesAttachedParameter, SeriesType, Time } from 'lightweight-charts';
import { bucketHigh, bucketLow, type Profile } from './profile';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** Widest bar as a share of the pane width. */
const MAX_WIDTH_SHARE = 0.22;
/** The caption's lowest baseline from the top: clear of the chart legend's row. */
const CAPTION_MIN_Y = 34;
const COLORS = {
  buy: 'rgba(38, 166, 154, 0.35)',
  sell: 'rgba(239, 83, 80, 0.35)',
  buyValueArea: 'rgba(38, 166, 154, 0.6)',
  sellValueArea: 'rgba(239, 83, 80, 0.6)',
  /** Volume without a buy/sell split (venue candles). */
  unsplit: 'rgba(120, 144, 180, 0.45)',
  caption: '#8d95a5',
} as const;

export class ProfilePrimitive implements ISeriesPrimitive<Time> {
  private profile: Profile | null = null;
  private caption = '';
  private series: ISeriesApi<SeriesType, Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private readonly view: IPrimitivePaneView = { zOrder: () => 'bottom', renderer: () => this.renderer };
  private readonly views = [this.view];
  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };

  attached(param: SeriesAttachedParameter<Time>): void {
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.series = null;
    this.requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  set(profile: Profile | null, caption: string): void {
    this.profile = profile;
    this.caption = caption;
    this.requestUpdate?.();
  }

  private draw(target: Target): void {
    const p = this.profile;
    const s = this.series;
    if (!p || !s || p.poc < 0) return;
    const max = p.total[p.poc]!;
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      const right = mediaSize.width;
      const scale = (mediaSize.width * MAX_WIDTH_SHARE) / max;
      for (let i = 0; i < p.total.length; i++) {
        const total = p.total[i]!;
        if (total <= 0) continue;
        const yTop = s.priceToCoordinate(bucketHigh(p, i));
        const yBottom = s.priceToCoordinate(bucketLow(p, i));
        if (yTop === null || yBottom === null) continue;
        const top = Math.min(yTop, yBottom);
        const h = Math.max(1, Math.abs(yBottom - yTop) - 1);
        const inArea = i >= p.vaLow && i <= p.vaHigh;
        const buyW = p.buy[i]! * scale;
        const sellW = p.sell[i]! * scale;
        const restW = Math.max(0, total * scale - buyW - sellW);
        // Right to left from the axis: sell, buy, then any unsplit volume.
        ctx.fillStyle = inArea ? COLORS.sellValueArea : COLORS.sell;
        ctx.fillRect(right - sellW, top, sellW, h);
        ctx.fillStyle = inArea ? COLORS.buyValueArea : COLORS.buy;
        ctx.fillRect(right - sellW - buyW, top, buyW, h);
        if (restW > 0) {
          ctx.fillStyle = COLORS.unsplit;
          ctx.fillRect(right - sellW - buyW - restW, top, restW, h);
        }
      }
      // Just above the profile's top bucket, below the legend row.
      const top = s.priceToCoordinate(bucketHigh(p, p.total.length - 1)) ?? 0;
      ctx.fillStyle = COLORS.caption;
      ctx.font = '10px sans-serif';
      ctx.textAlign = 'right';
      ctx.fillText(this.caption, right - 4, Math.max(CAPTION_MIN_Y, top - 4));
    });
  }
}
