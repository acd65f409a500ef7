/**
 * Timeframes a venue has no candles for: built from the coarsest venue interval that divides
 * them (Binance spot 1s -> 5s and 15s; 1m -> 2m ...), rolled up by bars/ohlcv.ts rollUp. Where
 * nothing finer divides the timeframe (1s, 5s, 15s on every venue but Binance spot), no candles
 * can be had: those bars come from live trades only. Venues omit some empty windows (Coinbase),
 * so a missing sub-candle counts as "no trades", not as missing data.
 */
import { timeframeMs } from '../../../shared/timeframes';

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
