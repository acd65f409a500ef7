/**
 * Bar arithmetic, written once: OHLCV accumulation from trades (the aggregator's live bars and
 * gap fill's recovered trades), merging a span into a bar (gap fill), and rolling finer bars up
 * into a coarser timeframe (history). Pure functions over shared/domain's Bar.
 *
 * Conventions every caller relies on:
 * - VWAP = sum(price * size) / sum(size). Callers that keep adding keep sum(price * size) beside
 *   the bar (`pv`) rather than deriving it back from vwap * volume, so repeated updates do not
 *   accumulate rounding.
 * - Side `unknown` counts in volume only, not in buyVolume/sellVolume.
 * - Spans are added in time order: the later span's close becomes the bar's close.
 *
 * Speed: addTrade runs once per trade per series on the aggregator's hot path
 * (pipeline/bar-series.ts). It allocates nothing, and it is only ever given bars made by openBar,
 * so every call site sees one object shape and V8 inlines it as if it were written in place.
 * Keep it that way: do not pass it bars from other sources (candles, the store, spread copies).
 */
import type { Bar, MarketRef, MarketType, Side, Trade } from '../../../shared/domain';
import { timeframeMs, windowStart } from '../../../shared/timeframes';

/** A new bar holding one trade (the first of its window). The one place a live bar is made. */
export function openBar(
  exchange: string,
  market: MarketType,
  symbol: string,
  tf: string,
  start: number,
  price: number,
  size: number,
  side: Side,
  incomplete: boolean,
): Bar {
  return {
    type: 'bar',
    exchange,
    market,
    symbol,
    tf,
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
    incomplete,
  };
}

/**
 * Adds a later trade of the bar's window: high/low, close, volumes, count. VWAP is the caller's
 * (it keeps sum(price * size)). HOT PATH: see the file comment.
 */
export function addTrade(bar: Bar, price: number, size: number, side: Side): void {
  if (price > bar.high) bar.high = price;
  if (price < bar.low) bar.low = price;
  bar.close = price;
  bar.volume += size;
  if (side === 'buy') bar.buyVolume += size;
  else if (side === 'sell') bar.sellVolume += size;
  bar.trades++;
}

/** Trades of one window, in order, as a bar of their own with their sum(price * size). */
export interface TradesBar {
  bar: Bar;
  pv: number;
}

/**
 * Trades of one window (in time order) -> a FINAL bar of them (complete, source trades), and
 * their sum(price * size); null for an empty list.
 */
export function barOfTrades(ref: MarketRef, tf: string, start: number, trades: readonly Trade[]): TradesBar | null {
  const first = trades[0];
  if (first === undefined) return null;
  const bar = openBar(ref.exchange, ref.market, ref.symbol, tf, start, first.price, first.size, first.side, false);
  let pv = first.price * first.size;
  for (let i = 1; i < trades.length; i++) {
    const t = trades[i]!;
    addTrade(bar, t.price, t.size, t.side);
    pv += t.price * t.size;
  }
  bar.vwap = pv / bar.volume;
  bar.final = true;
  return { bar, pv };
}

/** Adds span `b`'s extremes, volumes and count to `into`. Open, close and VWAP are the caller's. */
function addTotals(into: Bar, b: Bar): void {
  if (b.high > into.high) into.high = b.high;
  if (b.low < into.low) into.low = b.low;
  into.volume += b.volume;
  into.buyVolume += b.buyVolume;
  into.sellVolume += b.sellVolume;
  into.trades += b.trades;
}

/**
 * Merges recovered trades into a bar that already holds some of its window's trades (gap fill).
 * The recovered trades lie strictly between the trades seen before the gap and those seen after
 * it (sequential ids), so for the bar of window W:
 * - it holds pre-gap trades iff W is the window of the last trade before the gap (`hasPre`): then
 *   its open stays, else the first recovered trade opens it;
 * - it holds post-gap trades iff W is the window of the first trade after the gap (`hasPost`):
 *   then its close stays, else the last recovered trade closes it.
 * High/low/volumes/count add up; VWAP from the sums of price * size. Mutates `bar`; returns its
 * new sum(price * size).
 */
export function mergeTrades(bar: Bar, barPv: number, add: TradesBar, hasPre: boolean, hasPost: boolean): number {
  if (!hasPre) bar.open = add.bar.open;
  if (!hasPost) bar.close = add.bar.close;
  addTotals(bar, add.bar);
  const pv = barPv + add.pv;
  bar.vwap = pv / bar.volume;
  return pv;
}

/**
 * Merges bars of a finer timeframe (sorted by start) into `tf` windows: open of the first, close
 * of the last, extremes, volumes and counts summed, VWAP volume-weighted; final only when every
 * part is, incomplete when any part is. The input bars are not changed.
 */
export function rollUp(bars: readonly Bar[], tf: string): Bar[] {
  const ms = timeframeMs(tf);
  const out: Bar[] = [];
  let cur: Bar | null = null;
  let pv = 0;
  for (const b of bars) {
    const start = windowStart(b.start, ms);
    if (cur === null || cur.start !== start) {
      if (cur !== null) out.push(withVwap(cur, pv));
      cur = { ...b, tf, start };
      pv = b.vwap * b.volume;
      continue;
    }
    addTotals(cur, b);
    cur.close = b.close;
    cur.final = cur.final && b.final;
    cur.incomplete = cur.incomplete || b.incomplete;
    pv += b.vwap * b.volume;
  }
  if (cur !== null) out.push(withVwap(cur, pv));
  return out;
}

function withVwap(b: Bar, pv: number): Bar {
  if (b.volume > 0) b.vwap = pv / b.volume;
  return b;
}
