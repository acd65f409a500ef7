import { describe, expect, it } from 'vitest';
import { autoStep, buildProfile, profileLevels, replaceBar } from '../../../../renderer/src/chart/studies/profile';
import { bar, DAY0, MIN } from './bars';

/** One bar per price with all its volume at that price (high = low). */
function at(price: number, volume: number, buy = volume) {
  return bar(DAY0 + price * MIN, { close: price, high: price, low: price, volume, buyVolume: buy, sellVolume: volume - buy });
}

describe('volume profile', () => {
  it('POC and a 70 % value area on a known distribution', () => {
    // Buckets of 1 at prices 100..106 with volumes 5, 10, 20, 40, 15, 8, 2 (total 100).
    const vols = [5, 10, 20, 40, 15, 8, 2];
    const p = buildProfile(vols.map((v, i) => at(100 + i, v)), 1);
    expect(p.total).toEqual(vols);
    expect(p.volume).toBe(100);
    expect(p.poc).toBe(3);
    // From 40: 20 (below) > 15 -> 60; 15 > 10 -> 75 >= 70.
    expect([p.vaLow, p.vaHigh]).toEqual([2, 4]);
    expect(profileLevels(p)).toEqual({ poc: 103.5, vah: 105, val: 102 });
  });

  it('spreads a bar over its range by overlap and keeps its buy/sell split', () => {
    // Range 100..104 over buckets of 2: half the volume in [100,102), half in [102,104); 104 itself
    // opens a bucket with none.
    const p = buildProfile([bar(DAY0, { low: 100, high: 104, volume: 8, buyVolume: 6, sellVolume: 2 })], 2);
    expect(p.first).toBe(50);
    expect(p.total).toEqual([4, 4, 0]);
    expect(p.buy).toEqual([3, 3, 0]);
    expect(p.sell).toEqual([1, 1, 0]);
  });

  it('candle bars without a split count in the total only', () => {
    const p = buildProfile([bar(DAY0, { volume: 3, source: 'candles' })], 1);
    expect(p.total).toEqual([3]);
    expect(p.buy).toEqual([0]);
    expect(p.sell).toEqual([0]);
  });

  it('no volume: no POC', () => {
    expect(profileLevels(buildProfile([bar(DAY0)], 1))).toBeNull();
  });

  it('chooses a round step for about 60 buckets', () => {
    expect(autoStep(100, 160)).toBe(1);
    expect(autoStep(90_000, 91_000)).toBe(20);
    expect(autoStep(0.5, 0.53)).toBeCloseTo(0.0005, 12);
  });
});

describe('volume profile, live path', () => {
  it('replacing the newest bar gives the same buckets as a rebuild, and asks for one outside them', () => {
    const base = [bar(DAY0, { low: 100, high: 104, volume: 8, buyVolume: 6, sellVolume: 2 })];
    const old = bar(DAY0 + MIN, { low: 101, high: 102, volume: 2, buyVolume: 2 });
    const next = bar(DAY0 + MIN, { low: 101, high: 103, volume: 6, buyVolume: 2, sellVolume: 4 });
    const p = buildProfile([...base, old], 1);
    expect(replaceBar(p, old, next)).toBe(true);
    const rebuilt = buildProfile([...base, next], 1);
    expect(p.total.map((v) => +v.toFixed(9))).toEqual(rebuilt.total);
    expect(p.sell.map((v) => +v.toFixed(9))).toEqual(rebuilt.sell);
    expect([p.poc, p.vaLow, p.vaHigh]).toEqual([rebuilt.poc, rebuilt.vaLow, rebuilt.vaHigh]);
    expect(replaceBar(p, next, bar(DAY0 + MIN, { low: 99, high: 103, volume: 7 }))).toBe(false);
  });
});
