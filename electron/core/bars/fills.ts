/**
 * What history recovers for a gap, as the aggregator merges it into bars (Aggregator.fillTrades
 * and fillBars, pipeline/aggregator.ts). Produced by history/gap-filler.ts; defined here, with the
 * bar arithmetic both sides share, so neither folder imports the other.
 */
import type { Bar, MarketRef, Trade } from '../../../shared/domain';

/** Trades recovered for a gap, for Aggregator.fillTrades. */
export interface TradeFill extends MarketRef {
  /** The recovered trades, in order (ids strictly between the trades seen around the gap). */
  trades: Trade[];
  /** Exchange time of the last trade applied before them (-Infinity if none). */
  after: number;
  /** Exchange time of the first trade applied after them (Infinity if none yet). */
  before: number;
  /** The gap as the feed reported it (local ms): Gap start `at` and Gap end `at`. */
  gap: { start: number; end: number };
  /** Every missing trade was recovered: the gap's bars lose their incomplete flag. */
  complete: boolean;
}

/** Final candles for the windows of a gap (venues without trade ids), for Aggregator.fillBars. */
export interface BarFill extends MarketRef {
  tf: string;
  bars: Bar[];
}
