/**
 * Large trades drawn as bubbles on the heatmap: a trade at or above the tape's first highlight
 * level (dollars of notional, the tape's settings) is kept in a small ring and drawn at its time
 * and price, its area growing with its notional. Pure apart from the ring.
 */
import type { Side, Trade } from '../../../../shared/domain';
import { toUsd, type UsdPriceOf } from '../../lib/usd';

/** Most bubbles kept per chart (older ones drop out). */
export const MAX_BUBBLES = 400;
const MIN_RADIUS = 3;
const MAX_RADIUS = 16;

export interface Bubble {
  time: number;
  price: number;
  side: Side;
  /** Radius in CSS px. */
  radius: number;
}

/** The first level that is on (> 0), or 0 when every level is off (then no bubbles). */
export function bubbleThreshold(levels: readonly number[]): number {
  for (const v of levels) if (v > 0) return v;
  return 0;
}

/** Radius of a trade of `notional` against `threshold`: MIN at 0, about 6 px at the threshold, capped. */
export function bubbleRadius(notional: number, threshold: number): number {
  if (!(threshold > 0)) return MIN_RADIUS;
  return Math.min(MAX_RADIUS, MIN_RADIUS + 3 * Math.sqrt(Math.max(0, notional) / threshold));
}

export class BubbleRing {
  private readonly list: Bubble[] = [];

  get size(): number {
    return this.list.length;
  }

  get items(): readonly Bubble[] {
    return this.list;
  }

  clear(): void {
    this.list.length = 0;
  }

  /** Keeps the trade when it is large; true when kept. Non-dollar quotes compare their quote notional. */
  offer(t: Trade, threshold: number, usdPrice: UsdPriceOf): boolean {
    if (!(threshold > 0)) return false;
    const quote = t.price * t.size;
    const notional = toUsd(quote, t.symbol, usdPrice) ?? quote;
    if (notional < threshold) return false;
    this.list.push({ time: t.time, price: t.price, side: t.side, radius: bubbleRadius(notional, threshold) });
    if (this.list.length > MAX_BUBBLES) this.list.shift();
    return true;
  }
}
