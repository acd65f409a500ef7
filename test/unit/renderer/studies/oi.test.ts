import { describe, expect, it } from 'vitest';
import { OiSeries } from '../../../../renderer/src/chart/studies/oi';
import { DAY0, MIN } from './bars';

describe('open interest per bar', () => {
  it('keeps the last value in each bar and its change from the bar before', () => {
    const s = new OiSeries();
    expect(s.add('bybit', 100, DAY0 + 1_000, MIN)).toBe('append');
    expect(s.add('bybit', 104, DAY0 + 30_000, MIN)).toBe('update');
    expect(s.add('bybit', 101, DAY0 + MIN + 5_000, MIN)).toBe('append');
    expect(s.points).toEqual([
      { start: DAY0, oi: 104, delta: null },
      { start: DAY0 + MIN, oi: 101, delta: -3 },
    ]);
    // Late (older than the newest bar): ignored.
    expect(s.add('bybit', 50, DAY0 + 2_000, MIN)).toBe('ignored');
    expect(s.points[0]!.oi).toBe(104);
  });

  it('a composite sums the venues\' latest values', () => {
    const s = new OiSeries();
    s.add('bybit', 100, DAY0, MIN);
    s.add('simulator', 20, DAY0 + 1_000, MIN);
    s.add('bybit', 110, DAY0 + MIN, MIN);
    expect(s.points.map((p) => [p.oi, p.delta])).toEqual([[120, null], [130, 10]]);
  });
});
