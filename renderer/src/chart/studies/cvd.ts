/**
 * Cumulative volume delta: the running sum of (taker buy - taker sell) volume, restarting every
 * UTC day. Built from the chart's bars, so it counts exactly the trades the bars count (late
 * trades and gap fills land in the bars first). Each point says how far to trust it:
 * - `incomplete`: the bar had a feed gap (trades are missing, the sum from here on is short);
 * - `estimated`: the bar came from the venue's REST candles, whose buy/sell split is the venue's
 *   (or absent: then the bar adds nothing to the delta).
 */
import type { Bar } from '../../../../shared/domain';
import { SessionRunner, type Accumulator } from './session';

export type PointQuality = 'exact' | 'incomplete' | 'estimated';

export interface CvdPoint {
  start: number;
  /** The session's delta up to and including this bar. */
  value: number;
  /** This bar's own delta. */
  delta: number;
  quality: PointQuality;
}

export function barQuality(b: Bar): PointQuality {
  if (b.incomplete) return 'incomplete';
  return b.source === 'candles' ? 'estimated' : 'exact';
}

export const cvdAccumulator: Accumulator<number, CvdPoint> = {
  zero: () => 0,
  add: (sum, b) => sum + (b.buyVolume - b.sellVolume),
  point: (sum, b) => ({ start: b.start, value: sum, delta: b.buyVolume - b.sellVolume, quality: barQuality(b) }),
};

export function cvdRunner(): SessionRunner<number, CvdPoint> {
  return new SessionRunner(cvdAccumulator);
}

/** CVD of `bars` in one go (tests, and the reference the incremental path must match). */
export function computeCvd(bars: readonly Bar[]): CvdPoint[] {
  const r = cvdRunner();
  r.reset(bars);
  return r.points;
}
