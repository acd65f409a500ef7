/**
 * Merging recovered trades into a bar that already holds some of its window's trades (gap fill).
 * The recovered trades lie strictly between the trades seen before the gap and those seen after
 * it (sequential ids), so for the bar of window W:
 * - it holds pre-gap trades iff W is the window of the last trade before the gap: then its open
 *   stays, else the first recovered trade opens it;
 * - it holds post-gap trades iff W is the window of the first trade after the gap: then its close
 *   stays, else the last recovered trade closes it.
 * High/low/volumes/count add up; VWAP from sum(price * size).
 */
import type { Bar, MarketRef, Trade } from '../../../shared/domain';

export interface TradeAgg {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  buyVolume: number;
  sellVolume: number;
  trades: number;
  /** sum(price * size) */
  pv: number;
}

/** Trades in order -> their aggregate; null for an empty list. */
export function aggregateTrades(trades: readonly Trade[]): TradeAgg | null {
  const first = trades[0];
  if (first === undefined) return null;
  const a: TradeAgg = { open: first.price, high: -Infinity, low: Infinity, close: first.price, volume: 0, buyVolume: 0, sellVolume: 0, trades: 0, pv: 0 };
  for (const t of trades) {
    if (t.price > a.high) a.high = t.price;
    if (t.price < a.low) a.low = t.price;
    a.close = t.price;
    a.volume += t.size;
    if (t.side === 'buy') a.buyVolume += t.size;
    else if (t.side === 'sell') a.sellVolume += t.size;
    a.trades++;
    a.pv += t.price * t.size;
  }
  return a;
}

/** Adds `agg` to a mutable bar (see the file comment for open/close); returns the new sum(p*s). */
export function mergeInto(bar: Bar, barPv: number, agg: TradeAgg, hasPre: boolean, hasPost: boolean): number {
  if (!hasPre) bar.open = agg.open;
  if (!hasPost) bar.close = agg.close;
  if (agg.high > bar.high) bar.high = agg.high;
  if (agg.low < bar.low) bar.low = agg.low;
  bar.volume += agg.volume;
  bar.buyVolume += agg.buyVolume;
  bar.sellVolume += agg.sellVolume;
  bar.trades += agg.trades;
  const pv = barPv + agg.pv;
  bar.vwap = pv / bar.volume;
  return pv;
}

/** A final bar made of recovered trades only (the gap covered its whole window). */
export function barFromAgg(ref: MarketRef, tf: string, start: number, agg: TradeAgg): Bar {
  return {
    type: 'bar', exchange: ref.exchange, market: ref.market, symbol: ref.symbol, tf, start,
    open: agg.open, high: agg.high, low: agg.low, close: agg.close,
    volume: agg.volume, buyVolume: agg.buyVolume, sellVolume: agg.sellVolume, trades: agg.trades,
    vwap: agg.pv / agg.volume, final: true, incomplete: false,
  };
}
