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
import type { Bar, MarketType, Side, Trade } from '../../../shared/domain';
import { addTrade, barOfTrades, mergeTrades, openBar } from '../bars/ohlcv';

/** Gap bookkeeping shared by all series of one market (or one composite). */
export interface GapState {
  /** Member feeds currently in a gap (0 or 1 for a venue market; any number for a composite). */
  openMembers: number;
  /** Latest gap end seen (local epoch ms); bars whose window begins before it are incomplete. */
  endAt: number;
  /**
   * Venue markets: gaps not recovered yet, [from, to] local ms (to = Infinity while open), the
   * last 64. A gap fill that recovers every missing trade removes its span (aggregator.ts).
   */
  spans: { from: number; to: number }[];
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
  /** Window of the first trade this series ever applied: partial (we joined mid-window). */
  firstLiveStart = NaN;
  /** Final bars inserted or replaced by history (seed, gap fill) since the last takeChanged. */
  private revised = new Map<number, Bar>();

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
      addTrade(bar, price, size, side);
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
    if (Number.isNaN(this.firstLiveStart)) this.firstLiveStart = start;
    this.pv = price * size;
    this.open = openBar(this.exchange, this.market, this.symbol, this.tf, start, price, size, side, this.gap.openMembers > 0 || start < this.gap.endAt);
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

  /** Appends what changed since the previous call (revised, finals, then the open bar as a copy); resets. */
  takeChanged(out: Bar[]): void {
    for (const b of this.revised.values()) out.push(b);
    this.revised.clear();
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

  // ---- history: seeded bars and gap fills (aggregator.ts documents the rules) ------------------

  /** Index of the first final bar with start >= `start` (finals are sorted by start). */
  private lowerBound(start: number): number {
    let lo = 0;
    let hi = this.finals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.finals[mid]!.start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  finalAt(start: number): Bar | undefined {
    const b = this.finals[this.lowerBound(start)];
    return b?.start === start ? b : undefined;
  }

  /** Inserts or replaces one final bar (frozen); reported once through takeChanged. */
  upsertFinal(bar: Bar): Bar {
    const b = Object.freeze({ ...bar, final: true });
    const i = this.lowerBound(b.start);
    if (this.finals[i]?.start === b.start) this.finals[i] = b;
    else {
      if (i >= this.finals.length - this.pendingFinals) this.pendingFinals++;
      this.finals.splice(i, 0, b);
    }
    if (b.start + this.tfMs > this.closedUntil && (this.open === null || b.start < this.open.start)) this.closedUntil = b.start + this.tfMs;
    this.revised.set(b.start, b);
    return b;
  }

  /**
   * A historical (candle) bar for a window before the open one: inserted where no bar exists,
   * replacing one only where ours is worse (an earlier candle, an incomplete bar, or the partial
   * first live window, which the venue's final candle covers entirely). Null when refused.
   */
  seedOne(bar: Bar): Bar | null {
    if (bar.start % this.tfMs !== 0 || (this.open !== null && bar.start >= this.open.start)) return null;
    const existing = this.finalAt(bar.start);
    if (existing && !(existing.source === 'candles' || existing.incomplete || existing.start === this.firstLiveStart)) return null;
    return this.upsertFinal(bar);
  }

  /**
   * Recovered trades (time order) merged into their windows; `after`/`before` are the exchange
   * times of the last trade applied before them and the first after (bars/ohlcv.ts). Trades for
   * windows past the series' open or closed ones are returned for the ordinary path. `missing`
   * says whether an unrecovered gap still overlaps a window (for bars the fill creates).
   */
  fillTrades(trades: readonly Trade[], after: number, before: number, changed: Bar[], missing: (from: number, to: number) => boolean): Trade[] {
    const rest: Trade[] = [];
    const preStart = Math.floor(after / this.tfMs) * this.tfMs;
    const postStart = Math.floor(before / this.tfMs) * this.tfMs;
    let i = 0;
    while (i < trades.length) {
      const start = Math.floor(trades[i]!.time / this.tfMs) * this.tfMs;
      let j = i;
      while (j < trades.length && Math.floor(trades[j]!.time / this.tfMs) * this.tfMs === start) j++;
      const group = trades.slice(i, j);
      i = j;
      const open = this.open;
      if ((open !== null && start > open.start) || (open === null && start >= this.closedUntil)) {
        rest.push(...group);
        continue;
      }
      const part = barOfTrades(this, this.tf, start, group)!;
      if (open !== null && start === open.start) {
        this.pv = mergeTrades(open, this.pv, part, start === preStart, start === postStart);
        this.openDirty = true;
        continue;
      }
      const existing = this.finalAt(start);
      if (existing) {
        const copy = { ...existing };
        mergeTrades(copy, existing.vwap * existing.volume, part, start === preStart, start === postStart);
        changed.push(this.upsertFinal(copy));
      } else {
        // A window made only of recovered trades is complete unless a gap still overlaps it.
        changed.push(this.upsertFinal({ ...part.bar, incomplete: missing(start, start + this.tfMs) }));
      }
    }
    return rest;
  }

  /** Re-derives `incomplete` of the bars with lo <= start <= hi from what is still missing. */
  recomputeIncomplete(lo: number, hi: number, missing: (from: number, to: number) => boolean, changed: Bar[]): void {
    for (let i = this.lowerBound(lo); i < this.finals.length && this.finals[i]!.start <= hi; i++) {
      const b = this.finals[i]!;
      const flag = missing(b.start, b.start + this.tfMs);
      if (flag !== b.incomplete) changed.push(this.upsertFinal({ ...b, incomplete: flag }));
    }
    const open = this.open;
    if (open !== null && open.start >= lo && open.start <= hi) {
      const flag = this.gap.openMembers > 0 || missing(open.start, open.start + this.tfMs);
      if (flag !== open.incomplete) {
        open.incomplete = flag;
        this.openDirty = true;
      }
    }
  }

  hasRevisions(): boolean {
    return this.revised.size > 0 || this.openDirty;
  }
}
