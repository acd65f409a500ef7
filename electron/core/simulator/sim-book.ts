/**
 * The simulator's order book for one market (PROTOCOL.md, Book): BOOK_DEPTH levels a side, one
 * tick apart, whose top is always the market's quote (buys print at the ask, sells at the bid, so
 * the book agrees with the trades). Each step moves it to the current touch, redraws a few sizes
 * and numbers the change with the next `seq`; a snapshot carries the `seq` it stands at, so a
 * client can tell a missed diff (the `drop-diff` fault) from a good one.
 */
import type { MarketModel } from './market-model';
import { Rng } from './rng';

export const BOOK_DEPTH = 25;
/** Levels beyond the default depth change size less often (a deep book's diffs stay small). */
const FAR_CHANGE_CHANCE = 0.03;

/** A change: [ticks, lots] with lots 0 = the level is gone. */
export interface BookDiff {
  bids: [number, number][];
  asks: [number, number][];
}

export class SimBook {
  seq = 0;
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  private readonly rng: Rng;

  constructor(
    readonly model: MarketModel,
    seed: number,
    /** Levels a side (the `bookDepth` option). */
    readonly depth = BOOK_DEPTH,
  ) {
    this.rng = new Rng(seed, `book:${model.market}:${model.symbol}`);
  }

  /** Moves the book to the touch at simulated time t; the diff (seq + 1) or null when nothing changed. */
  step(t: number): BookDiff | null {
    const { bidTicks, askTicks } = this.model.touchTicks(t);
    const bids = this.side(this.bids, bidTicks, -1);
    const asks = this.side(this.asks, askTicks, 1);
    if (bids.length === 0 && asks.length === 0) return null;
    this.seq++;
    return { bids, asks };
  }

  levels(): BookDiff {
    const sorted = (m: Map<number, number>, dir: number): [number, number][] => [...m.entries()].sort((a, b) => dir * (a[0] - b[0]));
    return { bids: sorted(this.bids, -1), asks: sorted(this.asks, 1) };
  }

  private side(levels: Map<number, number>, touch: number, dir: number): [number, number][] {
    const out: [number, number][] = [];
    const want = new Set<number>();
    for (let i = 0; i < this.depth; i++) {
      const ticks = touch + dir * i;
      if (ticks < 1) break;
      want.add(ticks);
      const had = levels.get(ticks);
      // New levels get a size; about one level in eight changes size per step (more near the top).
      if (had === undefined || this.rng.next() < (i < 3 ? 0.5 : i < BOOK_DEPTH ? 0.12 : FAR_CHANGE_CHANCE)) {
        const lots = this.lots(i);
        if (lots !== had) {
          levels.set(ticks, lots);
          out.push([ticks, lots]);
        }
      }
    }
    for (const ticks of levels.keys()) {
      if (!want.has(ticks)) {
        levels.delete(ticks);
        out.push([ticks, 0]);
      }
    }
    return out;
  }

  /** Resting size grows away from the touch, log-normal around it. */
  private lots(depth: number): number {
    return Math.max(1, Math.round(this.model.typicalLots * (2 + depth * 0.6) * Math.exp(0.7 * this.rng.normal())));
  }
}

/** `{"type":"book","action":...}` frame text (PROTOCOL.md, Book). */
export function bookFrame(model: MarketModel, action: 'snapshot' | 'delta', seq: number, levels: BookDiff, time: number): string {
  const side = (list: [number, number][]): string => list.map(([t, l]) => `["${model.priceText(t)}","${model.sizeText(l)}"]`).join(',');
  return `{"type":"book","action":"${action}","market":"${model.market}","symbol":"${model.symbol}","seq":${seq},"bids":[${side(levels.bids)}],"asks":[${side(levels.asks)}],"time":${time}}`;
}
