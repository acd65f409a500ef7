import { describe, expect, it } from 'vitest';
import { computeVwap, vwapRunner } from '../../../../renderer/src/chart/studies/vwap';
import { bar, DAY0, MIN } from './bars';

describe('VWAP', () => {
  it('session VWAP from the bars\' own VWAP, with the volume-weighted sigma, restarting at UTC midnight', () => {
    const bars = [
      bar(DAY0 - MIN, { vwap: 50, volume: 10 }),
      bar(DAY0, { vwap: 100, volume: 1 }),
      bar(DAY0 + MIN, { vwap: 110, volume: 3 }),
      bar(DAY0 + 2 * MIN, { vwap: 0, high: 120, low: 90, close: 90, volume: 4 }),
    ];
    const pts = computeVwap(bars);
    expect(pts[0]).toEqual({ start: DAY0 - MIN, vwap: 50, sigma: 0 });
    expect(pts[1]).toEqual({ start: DAY0, vwap: 100, sigma: 0 });
    // (100*1 + 110*3) / 4 = 107.5; variance (1*56.25 + 3*6.25) / 4 = 18.75
    expect(pts[2]!.vwap).toBe(107.5);
    expect(pts[2]!.sigma).toBeCloseTo(Math.sqrt(18.75), 10);
    // No bar VWAP: typical price (120 + 90 + 90) / 3 = 100 -> (430 + 400) / 8 = 103.75
    expect(pts[3]!.vwap).toBe(103.75);
  });

  it('anchored at a bar: no points before it, no restart at midnight', () => {
    const bars = [bar(DAY0 - 2 * MIN, { vwap: 10, volume: 1 }), bar(DAY0 - MIN, { vwap: 100, volume: 1 }), bar(DAY0, { vwap: 200, volume: 3 })];
    const pts = computeVwap(bars, { kind: 'bar', start: DAY0 - MIN });
    expect(pts.map((p) => p.vwap)).toEqual([100, 175]);
    expect(pts[1]!.sigma).toBeCloseTo(Math.sqrt((75 * 75 + 3 * 25 * 25) / 4), 10);
  });

  it('a bar without volume yields no VWAP yet', () => {
    expect(computeVwap([bar(DAY0, { volume: 0 })])[0]!.vwap).toBeNull();
  });

  it('live updates of the newest bar match a full recompute', () => {
    const r = vwapRunner();
    r.reset([bar(DAY0, { vwap: 100, volume: 1 })]);
    r.updateNewest(bar(DAY0, { vwap: 102, volume: 2 }));
    r.updateNewest(bar(DAY0 + MIN, { vwap: 105, volume: 1 }));
    const final = bar(DAY0 + MIN, { vwap: 108, volume: 2 });
    r.updateNewest(final);
    expect(r.points).toEqual(computeVwap([bar(DAY0, { vwap: 102, volume: 2 }), final]));
    expect(r.points[1]!.vwap).toBe(105);
  });
});
