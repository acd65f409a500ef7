/**
 * One bar series: one market (or composite) on one timeframe. Holds the open bar, the final bars
 * kept in memory, and what changed since the aggregator last reported. Rules (see aggregator.ts
 * for the whole list):
 *
 * - Windows are keyed by EXCHANGE time (`trade.time`) and aligned to the timeframe in UTC:
 *   [floor(time / tf) * tf, + tf). A trade exactly at a window's start belongs to that window.
 * - The open bar updates until its window closes; it is then final and immutable (frozen). Windows
 *   only move forward: a trade for a window before the open one, or for one already closed, is
 *   late and not applied (final bars never change).
 * - VWAP = sum(price * size) / sum(size); side `unknown` counts in volume only, not buy/sell.
 */
import type { Bar, MarketType, Side } from '../../../shared/domain';

/** Gap bookkeeping shared by all series of one market (or one composite). */
export interface GapState {
  /** Member feeds currently in a gap (0 or 1 for a venue market; any number for a composite). */
  openMembers: number;
  /** Latest gap end seen (local epoch ms); bars whose window begins before it are incomplete. */
  endAt: number;
}

export const APPLIED = 0;
/** Applied, and the previous open bar became final (available as `lastClosed`). */
export const APPLIED_CLOSED = 1;
export const LATE = 2;
export type ApplyResult = typeof APPLIED | typeof APPLIED_CLOSED | typeof LATE;

export class BarSeries {
  open: Bar | null = null;
  /** The bar most recently made final (valid right after close()/APPLIED_CLOSED). */
  lastClosed: Bar | null = null;
  /** End of the last closed window: trades before it are late. */
  private closedUntil = -Infinity;
  /** sum(price * size) of the open bar, for its VWAP. */
  private pv = 0;
  /** Final bars, oldest first; trimmed in batches so trimming costs O(1) amortised. */
  private finals: Bar[] = [];
  /** Final bars not yet reported through the aggregator's takeChanged(). */
  pendingFinals = 0;
  /** The open bar changed since it was last reported. */
  openDirty = false;
  /** Already in the aggregator's changed list. */
  queued = false;

  constructor(
    readonly exchange: string,
    readonly market: MarketType,
    readonly symbol: string,
    readonly tf: string,
    readonly tfMs: number,
    private readonly historyLimit: number,
    private readonly gap: GapState,
  ) {}

  apply(price: number, size: number, side: Side, time: number): ApplyResult {
    const start = Math.floor(time / this.tfMs) * this.tfMs;
    const bar = this.open;
    if (bar !== null && start === bar.start) {
      if (price > bar.high) bar.high = price;
      if (price < bar.low) bar.low = price;
      bar.close = price;
      bar.volume += size;
      if (side === 'buy') bar.buyVolume += size;
      else if (side === 'sell') bar.sellVolume += size;
      bar.trades++;
      this.pv += price * size;
      bar.vwap = this.pv / bar.volume;
      this.openDirty = true;
      return APPLIED;
    }
    if (start < this.closedUntil || (bar !== null && start < bar.start)) return LATE;
    let result: ApplyResult = APPLIED;
    if (bar !== null) {
      this.close();
      result = APPLIED_CLOSED;
    }
    this.pv = price * size;
    this.open = {
      type: 'bar',
      exchange: this.exchange,
      market: this.market,
      symbol: this.symbol,
      tf: this.tf,
      start,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: size,
      buyVolume: side === 'buy' ? size : 0,
      sellVolume: side === 'sell' ? size : 0,
      trades: 1,
      vwap: price,
      final: false,
      incomplete: this.gap.openMembers > 0 || start < this.gap.endAt,
    };
    this.openDirty = true;
    return result;
  }

  /** End (exclusive) of the open window, or Infinity when there is no open bar. */
  openEnd(): number {
    return this.open === null ? Infinity : this.open.start + this.tfMs;
  }

  /** Makes the open bar final and immutable. Sets lastClosed. */
  close(): void {
    const bar = this.open;
    if (bar === null) return;
    bar.final = true;
    Object.freeze(bar);
    this.finals.push(bar);
    const slack = Math.max(64, this.historyLimit >> 2);
    if (this.finals.length > this.historyLimit + slack) {
      this.finals = this.finals.slice(this.finals.length - this.historyLimit);
    }
    if (this.pendingFinals < this.historyLimit) this.pendingFinals++;
    this.closedUntil = bar.start + this.tfMs;
    this.open = null;
    this.openDirty = false;
    this.lastClosed = bar;
  }

  /** Flags the open bar incomplete (a member feed's gap started). Returns true if it changed. */
  markOpenIncomplete(): boolean {
    if (this.open === null || this.open.incomplete) return false;
    this.open.incomplete = true;
    this.openDirty = true;
    return true;
  }

  /** Appends what changed since the previous call (finals, then the open bar as a copy); resets. */
  takeChanged(out: Bar[]): void {
    const n = Math.min(this.pendingFinals, this.finals.length);
    for (let i = this.finals.length - n; i < this.finals.length; i++) out.push(this.finals[i]!);
    if (this.open !== null && this.openDirty) out.push({ ...this.open });
    this.pendingFinals = 0;
    this.openDirty = false;
    this.queued = false;
  }

  /** Final bars held (oldest first, at most limit) plus a copy of the open bar last, if any. */
  history(limit: number): Bar[] {
    const keep = Math.max(0, Math.min(limit, this.historyLimit, this.finals.length));
    const out = keep > 0 ? this.finals.slice(this.finals.length - keep) : [];
    if (this.open !== null) out.push({ ...this.open });
    return out;
  }
}
