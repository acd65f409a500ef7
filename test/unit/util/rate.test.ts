import { describe, expect, it } from 'vitest';
import { PercentileRing, RollingRate } from '../../../electron/core/util/rate';

describe('RollingRate', () => {
  it('counts as the plain ring does (a bucket id per add), with time going back now and then: the same-bucket shortcut changes nothing', () => {
    const r = new RollingRate(0);
    // The ring without the shortcut: every add computes its bucket and slot.
    const ids = new Array<number>(20).fill(-1);
    const counts = new Array<number>(20).fill(0);
    const plainAdd = (now: number, amount: number) => {
      const id = Math.floor(now / 250);
      const slot = id % 20;
      if (ids[slot] !== id) {
        ids[slot] = id;
        counts[slot] = 0;
      }
      counts[slot]! += amount;
    };
    const plainPerSecond = (now: number) => {
      const current = Math.floor(now / 250);
      let sum = 0;
      for (let i = 0; i < 20; i++) if (ids[i]! >= current - 19 && ids[i]! <= current) sum += counts[i]!;
      return sum / (Math.max(Math.min(now - (current - 19) * 250, now), 1_000) / 1_000);
    };
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let t = 1_000;
    for (let i = 0; i < 20_000; i++) {
      t += rnd() < 0.05 ? -Math.floor(rnd() * 300) : Math.floor(rnd() * 40);
      const amount = 1 + Math.floor(rnd() * 3);
      r.add(t, amount);
      plainAdd(t, amount);
      if (i % 97 === 0) expect(r.perSecond(t)).toBe(plainPerSecond(t));
    }
  });

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
