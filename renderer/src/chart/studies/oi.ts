/**
 * Open interest per bar, from the live Funding records that carry it (streamed by most perp venues,
 * polled every 15 s for Binance; README "Open interest"): each bar holds the last open interest seen inside its window, and its change from
 * the bar before. For a composite chart the venues' latest values are summed (base units, so
 * venues add up). Only what arrived since the chart opened: venues give no OI history here.
 */
import { windowStart } from '../../../../shared/timeframes';

export interface OiPoint {
  start: number;
  oi: number;
  /** Change from the previous bar's OI; null for the first bar. */
  delta: number | null;
}

/** Most bars kept (older ones are dropped, like the chart's own bar buffer). */
export const MAX_OI_POINTS = 20_000;

export class OiSeries {
  points: OiPoint[] = [];
  private readonly latest = new Map<string, number>();

  clear(): void {
    this.points = [];
    this.latest.clear();
  }

  /**
   * One venue's open interest at `time`. Returns 'append' (a new bar), 'update' (the newest bar
   * changed) or 'ignored' (older than the newest bar: late, kept out so the line never goes back).
   */
  add(exchange: string, oi: number, time: number, tfMs: number): 'append' | 'update' | 'ignored' {
    const start = windowStart(time, tfMs);
    const last = this.points[this.points.length - 1];
    if (last && start < last.start) return 'ignored';
    this.latest.set(exchange, oi);
    let total = 0;
    for (const v of this.latest.values()) total += v;
    if (last && start === last.start) {
      const prev = this.points[this.points.length - 2];
      last.oi = total;
      last.delta = prev ? total - prev.oi : null;
      return 'update';
    }
    this.points.push({ start, oi: total, delta: last ? total - last.oi : null });
    if (this.points.length > MAX_OI_POINTS) this.points.splice(0, this.points.length - MAX_OI_POINTS);
    return 'append';
  }
}
