/**
 * Price-cross state of one alert: which side of the level the market last traded on.
 *
 * The rule (issue 12): fire on the first trade at or beyond the level after a trade on the other
 * side. So:
 * - the first trade only sets the side (nothing was crossed yet); a trade exactly at the level
 *   with no side yet sets none;
 * - a trade exactly at the level counts as reaching the other side: 99 -> 100 fires up at a level
 *   of 100, and the market then stands above, so 100 -> 99 is a cross back down;
 * - more trades at the level after one that fired fire nothing (the price did not move).
 */
export type CrossDirection = 'up' | 'down';

export class PriceCross {
  /** -1 below the level, +1 above (or reached it from below), 0 no side yet. */
  private side: -1 | 0 | 1 = 0;
  /** The previous trade was exactly at the level. */
  private atLevel = false;

  constructor(readonly level: number) {}

  /** The trade's direction through the level, or null when it did not cross. Updates the side either way. */
  onPrice(price: number): CrossDirection | null {
    const level = this.level;
    const wasAt = this.atLevel;
    this.atLevel = price === level;
    if (this.atLevel && wasAt) return null;
    if (this.side === -1 && price >= level) {
      this.side = 1;
      return 'up';
    }
    if (this.side === 1 && price <= level) {
      this.side = -1;
      return 'down';
    }
    if (price < level) this.side = -1;
    else if (price > level) this.side = 1;
    return null;
  }
}
