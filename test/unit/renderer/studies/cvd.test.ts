import { describe, expect, it } from 'vitest';
import { computeCvd, cvdRunner } from '../../../../renderer/src/chart/studies/cvd';
import { bar, DAY0, MIN } from './bars';

describe('CVD', () => {
  it('sums buy - sell volume and restarts at UTC midnight', () => {
    const bars = [
      bar(DAY0 - 2 * MIN, { buyVolume: 5, sellVolume: 2, volume: 7 }),
      bar(DAY0 - MIN, { buyVolume: 1, sellVolume: 4, volume: 5 }),
      bar(DAY0, { buyVolume: 2, sellVolume: 0.5, volume: 2.5 }),
      bar(DAY0 + MIN, { buyVolume: 0, sellVolume: 3, volume: 3 }),
    ];
    expect(computeCvd(bars).map((p) => p.value)).toEqual([3, 0, 1.5, -1.5]);
    expect(computeCvd(bars).map((p) => p.delta)).toEqual([3, -3, 1.5, -3]);
  });

  it('marks incomplete and candle-sourced bars', () => {
    const pts = computeCvd([
      bar(DAY0, { buyVolume: 1, volume: 1 }),
      bar(DAY0 + MIN, { buyVolume: 1, volume: 1, incomplete: true }),
      bar(DAY0 + 2 * MIN, { volume: 4, source: 'candles' }),
    ]);
    expect(pts.map((p) => p.quality)).toEqual(['exact', 'incomplete', 'estimated']);
    // A candle bar without a buy/sell split adds nothing.
    expect(pts.map((p) => p.value)).toEqual([1, 2, 2]);
  });

  it('the live path (newest bar updated, then a new bar) gives the same numbers as a full recompute', () => {
    const r = cvdRunner();
    const history = [bar(DAY0 - MIN, { buyVolume: 2, volume: 2 })];
    r.reset(history);
    expect(r.updateNewest(bar(DAY0 - MIN, { buyVolume: 2, sellVolume: 1, volume: 3 }))).toBe(true);
    expect(r.updateNewest(bar(DAY0, { buyVolume: 1, volume: 1 }))).toBe(true);
    const last = bar(DAY0, { buyVolume: 1, sellVolume: 4, volume: 5 });
    expect(r.updateNewest(last)).toBe(true);
    expect(r.points.map((p) => p.value)).toEqual([1, -3]);
    expect(r.points).toEqual(computeCvd([bar(DAY0 - MIN, { buyVolume: 2, sellVolume: 1, volume: 3 }), last]));
    // A late bar in the middle asks for a full recompute.
    expect(r.updateNewest(bar(DAY0 - 2 * MIN, { buyVolume: 1, volume: 1 }))).toBe(false);
  });
});
