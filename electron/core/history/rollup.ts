/**
 * Timeframes a venue has no candles for: built from the coarsest venue interval that divides
 * them (Binance spot 1s -> 5s and 15s; 1m -> 2m ...). Where nothing finer divides the timeframe
 * (1s, 5s, 15s on every venue but Binance spot), no candles can be had: those bars come from live
 * trades only. Venues omit some empty windows (Coinbase), so a missing sub-candle counts as "no
 * trades", not as missing data.
 */
import type { Bar } from '../../../shared/domain';
import { timeframeMs, windowStart } from '../../../shared/timeframes';

/** The venue interval to fetch for `tf`: itself, else the coarsest one dividing it, else null. */
export function sourceInterval(intervals: readonly string[], tf: string): string | null {
  if (intervals.includes(tf)) return tf;
  const ms = timeframeMs(tf);
  let best: string | null = null;
  for (const i of intervals) {
    const im = timeframeMs(i);
    if (im < ms && ms % im === 0 && (best === null || im > timeframeMs(best))) best = i;
  }
  return best;
}

/** Merges bars of a finer timeframe (sorted by start) into `tf` windows; VWAP volume-weighted. */
export function rollUp(bars: readonly Bar[], tf: string): Bar[] {
  const ms = timeframeMs(tf);
  const out: Bar[] = [];
  let cur: Bar | null = null;
  let pv = 0;
  for (const b of bars) {
    const start = windowStart(b.start, ms);
    if (cur === null || cur.start !== start) {
      if (cur !== null) out.push(finish(cur, pv));
      cur = { ...b, tf, start };
      pv = b.vwap * b.volume;
      continue;
    }
    cur.high = Math.max(cur.high, b.high);
    cur.low = Math.min(cur.low, b.low);
    cur.close = b.close;
    cur.volume += b.volume;
    cur.buyVolume += b.buyVolume;
    cur.sellVolume += b.sellVolume;
    cur.trades += b.trades;
    cur.final = cur.final && b.final;
    cur.incomplete = cur.incomplete || b.incomplete;
    pv += b.vwap * b.volume;
  }
  if (cur !== null) out.push(finish(cur, pv));
  return out;
}

function finish(b: Bar, pv: number): Bar {
  if (b.volume > 0) b.vwap = pv / b.volume;
  return b;
}
