import { describe, expect, it } from 'vitest';
import { PercentileRing, RollingRate } from '../../../electron/core/util/rate';

describe('RollingRate', () => {
  it('reports events per second over the last 5 s', () => {
    const r = new RollingRate(0);
    for (let t = 0; t < 10_000; t += 10) r.add(t); // 100/s for 10 s
    expect(r.perSecond(10_000)).toBeCloseTo(100, 0);
  });

  it('is not diluted by the full window while the feed is young, nor inflated in its first second', () => {
    const r = new RollingRate(0);
    for (let t = 0; t < 2_000; t += 10) r.add(t, 3); // 300/s for 2 s
    expect(r.perSecond(2_000)).toBe(300);
    const young = new RollingRate(0);
    young.add(100, 50);
    expect(young.perSecond(200)).toBe(50); // divided by at least 1 s
  });

  it('drops to zero once the window has passed without events', () => {
    const r = new RollingRate(0);
    for (let t = 0; t < 1_000; t += 10) r.add(t);
    expect(r.perSecond(6_500)).toBe(0);
  });
});

describe('PercentileRing', () => {
  it('gives nearest-rank percentiles of what it holds, null when empty', () => {
    const p = new PercentileRing(100);
    expect(p.percentile(50)).toBeNull();
    for (let i = 1; i <= 100; i++) p.push(i);
    expect(p.percentile(50)).toBe(50);
    expect(p.percentile(99)).toBe(99);
    expect(p.percentile(100)).toBe(100);
  });

  it('keeps only the most recent samples', () => {
    const p = new PercentileRing(10);
    for (let i = 0; i < 10; i++) p.push(1_000);
    for (let i = 0; i < 10; i++) p.push(5);
    expect(p.size).toBe(10);
    expect(p.percentile(99)).toBe(5);
    p.push(Number.NaN);
    expect(p.size).toBe(10);
  });
});
