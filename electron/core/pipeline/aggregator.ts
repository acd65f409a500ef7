/**
 * Trades -> bars, per market and per composite, on every configured timeframe.
 *
 * Bar rules
 * - Bars are keyed by EXCHANGE time (`trade.time`), in UTC-aligned windows [start, start + tf).
 *   A trade exactly at a window's start belongs to that window. Empty windows produce no bar.
 * - A bar carries OHLCV, buyVolume/sellVolume (taker side; side `unknown` counts in volume only),
 *   the trade count and VWAP = sum(price * size) / sum(size).
 * - An open bar (final: false) updates until its window closes; then it is final and immutable
 *   (the object is frozen) and reported once through onFinal.
 * - Closing: a series' open bar becomes final when a trade of that series arrives in a later
 *   window, or when advance(now) sees now >= windowEnd + graceMs (now is the LOCAL clock; this
 *   assumes exchange clocks and ours agree to within graceMs, e.g. NTP; larger skew or delay
 *   makes trades late, and they are counted).
 * - Late trades: a trade whose window starts before the series' open window, or whose window was
 *   already closed, is NOT applied to any bar of that series (final bars never change). It is
 *   still applied to the series where its window is open (a 1h bar may take a trade that the
 *   already-closed 1s bar could not). Counted per trade: stats().lateTrades when any of the
 *   venue's own series refused it, stats().compositeLateTrades when a composite series did.
 *
 * Composite (exchange '*')
 * - One composite per market type + canonical symbol, across every venue carrying it: all venues'
 *   trades merged into one tape in the order they reach the aggregator. High/low across all,
 *   open = first trade applied in the window, close = last applied, volumes summed, VWAP
 *   volume-weighted over all venues. Its windows follow the same closing rule as any series, so
 *   a trade of a slow venue that arrives after a faster venue already moved the composite to the
 *   next window is late for the composite (compositeLateTrades) though applied to its own venue.
 *
 * Incomplete bars (gaps)
 * - A Gap start for a feed marks the open bars of its markets (and their composites) incomplete;
 *   every bar of those markets (and composites) whose window begins before the matching Gap end
 *   is incomplete too: bars opened while the gap is open, and bars opened later whose window start
 *   is before the end time. One open gap is tracked per market; a composite counts its members'.
 * - Simplification: gap times are local time while windows are exchange time; the two are
 *   compared directly (same assumption as graceMs: clocks agree to within seconds).
 *
 * Hot path: onTrade looks the market up in nested Maps (no key string), updates its series in
 * place, and allocates only when a window changes (one Bar per series per window).
 */
import type { Bar, Gap, MarketType, Trade } from '../../../shared/domain';
import { COMPOSITE } from '../../../shared/markets';
import { timeframeMs } from '../../../shared/timeframes';
import { APPLIED_CLOSED, BarSeries, LATE, type GapState } from './bar-series';
import { MarketMap } from '../util/market-map';
import type { BarFill, TradeFill } from '../bars/fills';

export interface AggregatorOptions {
  /** e.g. ['1s','5s','15s','1m','5m','15m','1h']; duplicates are ignored. */
  timeframes: string[];
  /** Build per-symbol composites across venues (exchange '*'). Default true. */
  composite?: boolean;
  /** How long after a window's end advance() waits before closing it. Default 2000 ms. */
  graceMs?: number;
  /** Final bars kept per series in memory. Default 5000. */
  historyLimit?: number;
}

const MAX_SPANS = 64;

/** All series of one market (venue or composite), plus its gap state. */
interface MarketEntry {
  series: BarSeries[];
  gap: GapState;
  /** Venue markets: the composite they feed (null when composites are off, or for a composite). */
  composite: MarketEntry | null;
  /** Venue markets: this market's own gap is open. */
  inGap: boolean;
}

export class Aggregator {
  /** Listener for bars becoming final; called exactly once per bar. */
  onFinal: ((bar: Bar) => void) | null = null;
  /**
   * Listener for final bars inserted or replaced by history (seed, fillTrades, fillBars): the
   * newest state of a window that may already have been reported through onFinal (a store upserts
   * by market + tf + start).
   */
  onRevised: ((bar: Bar) => void) | null = null;

  private readonly tfs: { tf: string; ms: number }[];
  private readonly tfIndex = new Map<string, number>();
  private readonly composite: boolean;
  private readonly graceMs: number;
  private readonly historyLimit: number;
  private readonly venues = new MarketMap<MarketEntry>();
  private readonly composites = new MarketMap<MarketEntry>();
  private readonly allSeries: BarSeries[] = [];
  /** Series with something to report in takeChanged(), in order of first change. */
  private changed: BarSeries[] = [];
  /** One-entry cache (fields, not an object, so switching markets allocates nothing). */
  private lastExchange = '';
  private lastMarket = '';
  private lastSymbol = '';
  private lastEntry: MarketEntry | null = null;
  private counts = { trades: 0, lateTrades: 0, compositeLateTrades: 0, invalidTrades: 0, listenerErrors: 0 };

  constructor(opts: AggregatorOptions) {
    this.tfs = [];
    for (const tf of opts.timeframes) {
      if (this.tfIndex.has(tf)) continue;
      this.tfIndex.set(tf, this.tfs.length);
      this.tfs.push({ tf, ms: timeframeMs(tf) }); // throws a clear error for a bad timeframe
    }
    this.composite = opts.composite ?? true;
    this.graceMs = Math.max(0, opts.graceMs ?? 2000);
    this.historyLimit = Math.max(1, Math.floor(opts.historyLimit ?? 5000));
  }

  /** HOT PATH: called for every trade. */
  onTrade(t: Trade): void {
    const { price, size, time } = t;
    // Adapters validate already; this guard keeps one absurd record from poisoning a bar.
    if (!(price > 0 && price < Infinity && size > 0 && size < Infinity && Number.isFinite(time))) {
      this.counts.invalidTrades++;
      return;
    }
    this.counts.trades++;
    const entry = this.entryFor(t.exchange, t.market, t.symbol);
    if (this.applyAll(entry, price, size, t, time)) this.counts.lateTrades++;
    if (entry.composite !== null && this.applyAll(entry.composite, price, size, t, time)) {
      this.counts.compositeLateTrades++;
    }
  }

  onGap(g: Gap): void {
    if (!g || !Array.isArray(g.symbols)) return;
    for (const symbol of g.symbols) {
      const entry = this.entryFor(g.exchange, g.market, symbol);
      const comp = entry.composite;
      if (g.phase === 'start') {
        if (entry.inGap) continue;
        entry.inGap = true;
        entry.gap.openMembers++;
        entry.gap.spans.push({ from: g.at, to: Infinity });
        if (entry.gap.spans.length > MAX_SPANS) entry.gap.spans.shift();
        this.markOpenIncomplete(entry);
        if (comp !== null) {
          comp.gap.openMembers++;
          this.markOpenIncomplete(comp);
        }
      } else if (g.phase === 'end') {
        if (!entry.inGap) continue; // an end without a start changes nothing
        entry.inGap = false;
        entry.gap.openMembers--;
        const span = entry.gap.spans[entry.gap.spans.length - 1];
        if (span !== undefined && span.to === Infinity) span.to = g.at;
        if (g.at > entry.gap.endAt) entry.gap.endAt = g.at;
        if (comp !== null) {
          comp.gap.openMembers--;
          if (g.at > comp.gap.endAt) comp.gap.endAt = g.at;
        }
      }
    }
  }

  /** Closes windows whose end + graceMs <= now (local clock); each is reported via onFinal. */
  advance(now: number): void {
    const closeBefore = now - this.graceMs;
    for (const s of this.allSeries) {
      if (s.openEnd() <= closeBefore) {
        s.close();
        this.finalised(s);
      }
    }
  }

  /** Latest state of every bar that changed since the previous call, one entry per series+window. */
  takeChanged(): Bar[] {
    const out: Bar[] = [];
    const list = this.changed;
    this.changed = [];
    for (const s of list) s.takeChanged(out);
    return out;
  }

  /** Final bars in memory for one series (oldest first, at most limit) plus the open bar last. */
  history(exchange: string, market: MarketType, symbol: string, tf: string, limit?: number): Bar[] {
    const i = this.tfIndex.get(tf);
    const map = exchange === COMPOSITE ? this.composites : this.venues;
    const entry = map.get(exchange, market, symbol);
    if (i === undefined || !entry) return [];
    return entry.series[i]!.history(limit ?? this.historyLimit);
  }

  /** Every open bar (final: false), as copies. */
  openBars(): Bar[] {
    const out: Bar[] = [];
    for (const s of this.allSeries) if (s.open !== null) out.push({ ...s.open });
    return out;
  }

  /**
   * Historical final bars (REST candles) for one venue series. Seam rule: only windows strictly
   * before the open bar's are taken (the open window is built by live trades, so it is never
   * counted twice); a window we already hold keeps our bar unless ours is an earlier candle, is
   * incomplete, or is the partial first live window (the venue's final candle covers all of its
   * trades, ours included). Composites are built from live trades only and are not seeded.
   * Returns how many bars were taken.
   */
  seed(exchange: string, market: MarketType, symbol: string, tf: string, bars: readonly Bar[]): number {
    const i = this.tfIndex.get(tf);
    if (i === undefined || exchange === COMPOSITE) return 0;
    const s = this.entryFor(exchange, market, symbol).series[i]!;
    const changed: Bar[] = [];
    for (const b of [...bars].sort((x, y) => x.start - y.start)) {
      if (b.exchange !== exchange || b.market !== market || b.symbol !== symbol || b.tf !== tf || !(b.volume >= 0)) continue;
      const taken = s.seedOne({ ...b, final: true });
      if (taken) changed.push(taken);
    }
    this.revisedBars(s, changed);
    return changed.length;
  }

  /** Candle gap fill: the same rule as seed() (incomplete bars are replaced by the candle). */
  fillBars(fill: BarFill): number {
    return this.seed(fill.exchange, fill.market, fill.symbol, fill.tf, fill.bars);
  }

  /**
   * Exact gap fill: recovered trades go into the bars of their windows in every timeframe of the
   * venue market (final bars are replaced by corrected copies, the open bar updated in place).
   * When `complete`, the gap's span is dropped and the bars from the last trade before the gap
   * to the gap's end are re-derived: complete unless another unrecovered gap overlaps them.
   * Composites keep their gap flag and are not refilled (they merge venues in arrival order, which
   * a later fill cannot reproduce).
   */
  fillTrades(fill: TradeFill): void {
    const entry = this.venues.get(fill.exchange, fill.market, fill.symbol);
    if (!entry) return;
    const trades = fill.trades.filter((t) => t.price > 0 && t.price < Infinity && t.size > 0 && t.size < Infinity && Number.isFinite(t.time));
    if (fill.complete) {
      entry.gap.spans = entry.gap.spans.filter((sp) => !(sp.from === fill.gap.start && sp.to === fill.gap.end));
      entry.gap.endAt = entry.gap.spans.reduce((m, sp) => Math.max(m, sp.to), -Infinity);
    }
    const spans = entry.gap.spans;
    const missing = (from: number, to: number) => spans.some((sp) => sp.from < to && sp.to > from);
    const lo = Math.min(fill.after, fill.gap.start, trades[0]?.time ?? Infinity);
    const hi = Math.max(Number.isFinite(fill.before) ? fill.before : -Infinity, fill.gap.end);
    for (const s of entry.series) {
      const changed: Bar[] = [];
      const rest = s.fillTrades(trades, fill.after, fill.before, changed, missing);
      for (const t of rest) {
        if (s.apply(t.price, t.size, t.side, t.time) === APPLIED_CLOSED) this.finalised(s);
      }
      if (fill.complete && Number.isFinite(lo) && Number.isFinite(hi)) {
        s.recomputeIncomplete(Math.floor(lo / s.tfMs) * s.tfMs, hi, missing, changed);
      }
      this.revisedBars(s, changed);
    }
    this.counts.trades += trades.length;
  }

  /** Reports revised bars: onRevised for each, and the series is queued for takeChanged. */
  private revisedBars(s: BarSeries, changed: readonly Bar[]): void {
    if ((changed.length > 0 || s.hasRevisions()) && !s.queued) {
      s.queued = true;
      this.changed.push(s);
    }
    if (this.onRevised === null) return;
    for (const b of changed) {
      try {
        this.onRevised(b);
      } catch {
        this.counts.listenerErrors++;
      }
    }
  }

  stats(): {
    trades: number;
    lateTrades: number;
    series: number;
    compositeLateTrades: number;
    invalidTrades: number;
    listenerErrors: number;
  } {
    return { ...this.counts, series: this.allSeries.length };
  }

  /** Applies one trade to every timeframe of a market; true if any series found it late. */
  private applyAll(entry: MarketEntry, price: number, size: number, t: Trade, time: number): boolean {
    let late = false;
    const series = entry.series;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      const r = s.apply(price, size, t.side, time);
      if (r === LATE) {
        late = true;
        continue;
      }
      if (r === APPLIED_CLOSED) this.finalised(s);
      else if (!s.queued) {
        s.queued = true;
        this.changed.push(s);
      }
    }
    return late;
  }

  /** Bookkeeping after s.close(): report the final bar once, queue the series for takeChanged. */
  private finalised(s: BarSeries): void {
    if (!s.queued) {
      s.queued = true;
      this.changed.push(s);
    }
    const bar = s.lastClosed;
    if (bar === null || this.onFinal === null) return;
    try {
      this.onFinal(bar);
    } catch {
      this.counts.listenerErrors++;
    }
  }

  private markOpenIncomplete(entry: MarketEntry): void {
    for (const s of entry.series) {
      if (s.markOpenIncomplete() && !s.queued) {
        s.queued = true;
        this.changed.push(s);
      }
    }
  }

  private entryFor(exchange: string, market: MarketType, symbol: string): MarketEntry {
    if (this.lastEntry !== null && this.lastSymbol === symbol && this.lastExchange === exchange && this.lastMarket === market) {
      return this.lastEntry;
    }
    let entry = this.venues.get(exchange, market, symbol);
    if (!entry) {
      let comp: MarketEntry | null = null;
      if (this.composite) {
        comp = this.composites.get(COMPOSITE, market, symbol) ?? null;
        if (!comp) {
          comp = this.newEntry(COMPOSITE, market, symbol, null);
          this.composites.set(COMPOSITE, market, symbol, comp);
        }
      }
      entry = this.newEntry(exchange, market, symbol, comp);
      this.venues.set(exchange, market, symbol, entry);
    }
    this.lastExchange = exchange;
    this.lastMarket = market;
    this.lastSymbol = symbol;
    this.lastEntry = entry;
    return entry;
  }

  private newEntry(exchange: string, market: MarketType, symbol: string, composite: MarketEntry | null): MarketEntry {
    const gap: GapState = { openMembers: 0, endAt: -Infinity, spans: [] };
    const series = this.tfs.map(
      ({ tf, ms }) => new BarSeries(exchange, market, symbol, tf, ms, this.historyLimit, gap),
    );
    this.allSeries.push(...series);
    return { series, gap, composite, inGap: false };
  }
}
