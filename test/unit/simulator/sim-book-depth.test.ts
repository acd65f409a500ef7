import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../electron/core/simulator/options';
import { BOOK_DEPTH, SimBook } from '../../../electron/core/simulator/sim-book';
import { parseMarkets } from '../../../electron/core/simulator/markets';
import { Simulation } from '../../../electron/core/simulator/simulation';

const model = () => new Simulation({ seed: 3, rate: 25, bursts: false, markets: parseMarkets(['spot:BTC-USDT']) }).markets[0]!;

describe('simulator book depth (the bookDepth option)', () => {
  it('defaults to BOOK_DEPTH levels a side; bookDepth gives that many, one tick apart from the touch', () => {
    expect(resolveOptions({ seed: 1 }).bookDepth).toBe(BOOK_DEPTH);
    expect(() => resolveOptions({ bookDepth: 1001 })).toThrow(/bookDepth/);
    const shallow = new SimBook(model(), 3);
    shallow.step(1000);
    expect(shallow.levels().bids).toHaveLength(BOOK_DEPTH);
    const deep = new SimBook(model(), 3, 400);
    deep.step(1000);
    const { bids, asks } = deep.levels();
    expect(bids).toHaveLength(400);
    expect(asks).toHaveLength(400);
    // Ticks: consecutive integers away from the touch, bids below asks.
    expect(bids[0]![0] - bids[399]![0]).toBe(399);
    expect(asks[399]![0] - asks[0]![0]).toBe(399);
    expect(bids[0]![0]).toBeLessThan(asks[0]![0]);
  });
});
