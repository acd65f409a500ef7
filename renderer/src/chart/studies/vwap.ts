/**
 * VWAP from bars, session-anchored (restarts every UTC day) or anchored at a chosen bar, with
 * the volume-weighted standard deviation for 1 and 2 sigma bands.
 *
 * Price of a bar: its own `vwap` (sum of price x size / size of its trades), so
 * sum(bar.vwap x bar.volume) is exactly sum(price x size) over the same trades and the VWAP line
 * is exact for bars built from trades. A bar without a VWAP (0: some venue candles) falls back to
 * the typical price (high + low + close) / 3.
 * The sigma is approximate: bars do not carry sum(price^2 x size), so it is the spread of the bars'
 * VWAPs around the line, weighted by volume (it misses the spread inside each bar).
 */
import type { Bar } from '../../../../shared/domain';
import { SessionRunner, type Accumulator, type Anchor } from './session';

export interface VwapSums {
  volume: number;
  pv: number;
  p2v: number;
}

export interface VwapPoint {
  start: number;
  /** null until the anchor has seen volume. */
  vwap: number | null;
  sigma: number;
}

export function barPrice(b: Bar): number {
  return b.vwap > 0 ? b.vwap : (b.high + b.low + b.close) / 3;
}

export const vwapAccumulator: Accumulator<VwapSums, VwapPoint> = {
  zero: () => ({ volume: 0, pv: 0, p2v: 0 }),
  add: (s, b) => {
    const p = barPrice(b);
    return { volume: s.volume + b.volume, pv: s.pv + p * b.volume, p2v: s.p2v + p * p * b.volume };
  },
  point: (s, b) => {
    if (s.volume <= 0) return { start: b.start, vwap: null, sigma: 0 };
    const vwap = s.pv / s.volume;
    // max(0, ...): rounding can make a zero variance slightly negative.
    return { start: b.start, vwap, sigma: Math.sqrt(Math.max(0, s.p2v / s.volume - vwap * vwap)) };
  },
};

export function vwapRunner(anchor?: Anchor): SessionRunner<VwapSums, VwapPoint> {
  return new SessionRunner(vwapAccumulator, anchor);
}

export function computeVwap(bars: readonly Bar[], anchor?: Anchor): VwapPoint[] {
  const r = vwapRunner(anchor);
  r.reset(bars);
  return r.points;
}
