/**
 * GapFiller: after a disconnect, recovers what the gap lost.
 *
 * - Venues with sequential trade ids and a REST trades-by-id endpoint (Binance aggTrades `a`,
 *   `fromId`): the exact missing range is (last id before the gap + 1) .. (first id after - 1);
 *   those trades are fetched and handed to `apply` (Aggregator.fillTrades), so the bars come out
 *   as if nothing happened and lose their incomplete flag when every id came back.
 * - Elsewhere (or when the id fetch fails or the range is too large): the venue's final candles
 *   for the gap's windows are handed to `applyBars` (Aggregator.fillBars, source 'candles').
 *   Timeframes the venue has no candles for (1s/5s/15s mostly), and the window still open, stay
 *   flagged incomplete.
 *
 * Feed it every trade and gap in pipeline order (onTrade, onGap). The feed runtime delivers the
 * first trade after a reconnect before the Gap end, but the filler does not rely on the order: it
 * starts once it has both the gap's end and the first trade after it.
 */
import type { Gap, MarketRef, MarketType, Trade } from '../../../shared/domain';
import { timeframeMs, windowStart } from '../../../shared/timeframes';
import type { VenueAdapter } from '../adapters/adapter';
import { getAdapter } from '../adapters/index';
import type { BarFill, TradeFill } from '../bars/fills';
import { MarketMap } from '../util/market-map';
import { systemClock, type Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import type { HistoryFeed, HistoryService } from './backfill';

export interface GapFillerOptions {
  history: HistoryService;
  /** The feed's config (for restUrl) by id; undefined: the venue's default REST URL is used. */
  feedFor?: (feedId: string) => HistoryFeed | undefined;
  /** Timeframes to fill from candles (the aggregator's). */
  timeframes: readonly string[];
  apply(fill: TradeFill): void;
  /** Returns how many bars were taken (Aggregator.fillBars); void counts them all. */
  applyBars(fill: BarFill): number | void;
  /** One call per market and gap, when its fill is done. */
  onResult?(r: GapFillResult): void;
  adapterFor?: (exchange: string) => VenueAdapter | undefined;
  /** Largest id range fetched as trades; larger gaps use candles. Default 100 000. */
  maxTrades?: number;
  clock?: Clock;
}

export interface GapFillResult extends MarketRef {
  method: 'trades' | 'candles' | 'trades+candles' | 'none';
  /** Every missing trade was recovered (exact); false for candles. */
  complete: boolean;
  trades: number;
  bars: number;
  reason?: string;
}

interface Pending {
  feedId: string;
  gapStart: number;
  gapEnd: number | null;
  afterId: number;
  afterTime: number;
  firstId: number;
  firstTime: number | null;
}

interface MarketState {
  /** The venue fills gaps by trade id (adapter.tradesById): only then are ids worth parsing. */
  byId: boolean;
  lastId: number;
  lastTime: number;
  pending: Pending | null;
}

export class GapFiller {
  private readonly markets = new MarketMap<MarketState>();
  private last: { exchange: string; market: MarketType; symbol: string; st: MarketState } | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private readonly adapterFor: (exchange: string) => VenueAdapter | undefined;
  private readonly clock: Clock;
  private counts = { fills: 0, exact: 0, candleFills: 0, failed: 0 };

  constructor(private readonly o: GapFillerOptions) {
    this.adapterFor = o.adapterFor ?? getAdapter;
    this.clock = o.clock ?? systemClock;
  }

  /** HOT PATH: one lookup and two writes per trade. */
  onTrade(t: Trade): void {
    const st = this.state(t.exchange, t.market, t.symbol);
    // Number() of a 19-digit or UUID id was ~6% of a Bybit pipeline's time, for ids never used.
    const id = st.byId && t.id !== undefined ? Number(t.id) : NaN;
    const p = st.pending;
    if (p !== null && p.firstTime === null) {
      p.firstId = id;
      p.firstTime = t.time;
      if (p.gapEnd !== null) this.launch(t, p, st);
    }
    st.lastId = id;
    st.lastTime = t.time;
  }

  onGap(g: Gap): void {
    if (!g || !Array.isArray(g.symbols)) return;
    for (const symbol of g.symbols) {
      const st = this.state(g.exchange, g.market, symbol);
      if (g.phase === 'start') {
        if (st.pending !== null) continue;
        st.pending = { feedId: g.feedId, gapStart: g.at, gapEnd: null, afterId: st.lastId, afterTime: st.lastTime, firstId: NaN, firstTime: null };
      } else if (g.phase === 'end' && st.pending !== null && st.pending.gapEnd === null) {
        st.pending.gapEnd = g.at;
        if (st.pending.firstTime !== null) this.launch({ exchange: g.exchange, market: g.market, symbol }, st.pending, st);
      }
    }
  }

  /** Resolves when every fill started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  stats(): { fills: number; exact: number; candleFills: number; failed: number; inflight: number } {
    return { ...this.counts, inflight: this.inflight.size };
  }

  private state(exchange: string, market: MarketType, symbol: string): MarketState {
    // Consecutive trades are nearly always of one market: its state is kept at hand (onTrade runs per trade).
    const last = this.last;
    if (last !== null && last.symbol === symbol && last.exchange === exchange && last.market === market) return last.st;
    let st = this.markets.get(exchange, market, symbol);
    if (!st) {
      st = { byId: this.adapterFor(exchange)?.tradesById !== undefined, lastId: NaN, lastTime: NaN, pending: null };
      this.markets.set(exchange, market, symbol, st);
    }
    this.last = { exchange, market, symbol, st };
    return st;
  }

  private launch(m: MarketRef, p: Pending, st: MarketState): void {
    st.pending = null;
    const ref = { exchange: m.exchange, market: m.market, symbol: m.symbol };
    const job = this.fill(ref, p)
      .catch((err: unknown) => this.report({ ...ref, method: 'none', complete: false, trades: 0, bars: 0, reason: describeCause(err) }))
      .finally(() => this.inflight.delete(job));
    this.inflight.add(job);
  }

  private async fill(ref: MarketRef, p: Pending): Promise<void> {
    this.counts.fills++;
    const feed: HistoryFeed = this.o.feedFor?.(p.feedId) ?? { exchange: ref.exchange, market: ref.market };
    const adapter = this.adapterFor(ref.exchange);
    const gap = { start: p.gapStart, end: p.gapEnd ?? p.gapStart };
    const before = p.firstTime ?? Infinity;
    const after = Number.isFinite(p.afterTime) ? p.afterTime : -Infinity;
    let trades = 0;
    let reason: string | undefined;
    const ids = Number.isInteger(p.afterId) && Number.isInteger(p.firstId) && p.firstId > p.afterId;
    if (adapter?.tradesById && ids) {
      const missing = p.firstId - p.afterId - 1;
      if (missing <= (this.o.maxTrades ?? 100_000)) {
        const r = missing === 0 ? { trades: [], complete: true } : await this.o.history.tradesById(feed, ref.symbol, p.afterId + 1, p.firstId - 1);
        trades = r.trades.length;
        this.safely(() => this.o.apply({ ...ref, trades: r.trades, after, before, gap, complete: r.complete }));
        if (r.complete) {
          this.counts.exact++;
          this.report({ ...ref, method: 'trades', complete: true, trades, bars: 0 });
          return;
        }
        reason = 'reason' in r ? r.reason : undefined;
      } else {
        reason = `${missing} trades missing: more than ${this.o.maxTrades ?? 100_000}, filling from candles`;
      }
    }
    // Candles for every window the gap touched, from the last trade before it to the first after.
    const from = Math.min(Number.isFinite(after) ? after : gap.start, gap.start);
    const to = Math.max(Number.isFinite(before) ? before : gap.end, gap.end);
    let bars = 0;
    for (const tf of this.o.timeframes) {
      const tfMs = timeframeMs(tf);
      const r = await this.o.history.backfill(feed, ref.symbol, tf, { from: windowStart(from, tfMs), to: Math.min(this.clock.now(), windowStart(to, tfMs) + tfMs), limit: 10_000 });
      if (r.bars.length > 0) this.safely(() => { bars += this.o.applyBars({ ...ref, tf, bars: r.bars }) ?? r.bars.length; });
      // A timeframe no venue candles make is expected to come from live trades: not a failure to report.
      else if (r.reason && r.code !== 'live-trades-only') reason ??= r.reason;
    }
    if (bars > 0) this.counts.candleFills++;
    else this.counts.failed++;
    const method = bars > 0 ? (trades > 0 ? 'trades+candles' : 'candles') : trades > 0 ? 'trades' : 'none';
    this.report({ ...ref, method, complete: false, trades, bars, ...(reason !== undefined ? { reason } : {}) });
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.counts.failed++;
      this.report({ exchange: '?', market: 'spot', symbol: '?', method: 'none', complete: false, trades: 0, bars: 0, reason: `apply failed: ${describeCause(err)}` });
    }
  }

  private report(r: GapFillResult): void {
    try {
      this.o.onResult?.(r);
    } catch {
      // A listener's failure is its own.
    }
  }
}
