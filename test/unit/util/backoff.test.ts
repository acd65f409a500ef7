import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../electron/core/util/backoff';

const schedule = (b: Backoff, n: number): number[] => Array.from({ length: n }, () => b.next());

describe('Backoff', () => {
  it('doubles from 0.5 s and is capped at 30 s (no jitter at random = 0.5)', () => {
    const b = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: 0.25, random: () => 0.5 });
    expect(schedule(b, 9)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(b.attempts).toBe(9);
  });

  it('spreads each delay by +/-25 % and never exceeds the cap', () => {
    const low = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: 0.25, random: () => 0 });
    expect(schedule(low, 8)).toEqual([375, 750, 1_500, 3_000, 6_000, 12_000, 22_500, 22_500]);
    const high = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: 0.25, random: () => 0.999999 });
    expect(schedule(high, 8)).toEqual([625, 1_250, 2_500, 5_000, 10_000, 20_000, 30_000, 30_000]);
  });

  it('starts over from the initial delay after reset (the runtime resets only on real data)', () => {
    const b = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: 0, random: () => 0.9 });
    expect(schedule(b, 4)).toEqual([500, 1_000, 2_000, 4_000]);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(schedule(b, 2)).toEqual([500, 1_000]);
  });

  it('stays finite after very many attempts', () => {
    const b = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: 0, random: () => 0.5 });
    for (let i = 0; i < 5_000; i++) b.next();
    expect(b.next()).toBe(30_000);
  });

  it('rejects settings that would spin or never retry', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10, jitter: 0 })).toThrow(/initialMs/);
    expect(() => new Backoff({ initialMs: 100, maxMs: 10, jitter: 0 })).toThrow(/initialMs <= maxMs/);
    expect(() => new Backoff({ initialMs: 100, maxMs: 1000, jitter: 1 })).toThrow(/jitter/);
  });
});
