import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../electron/core/pipeline/queue';

function drainAll<T>(q: BoundedQueue<T>): T[] {
  const out: T[] = [];
  q.drain((x) => out.push(x));
  return out;
}

describe('BoundedQueue (the lossless ingest queue)', () => {
  it('refuses a push when full (item not taken) and signals space at the low-water mark once', () => {
    const q = new BoundedQueue<number>({ name: 'ingest', capacity: 4 });
    let spaceCalls = 0;
    q.onSpace = () => spaceCalls++;
    for (let i = 1; i <= 4; i++) expect(q.push(i)).toBe(true);
    expect(q.push(5)).toBe(false);
    expect(q.health()).toEqual({ name: 'ingest', policy: 'wait', capacity: 4, depth: 4, highWater: 4, dropped: 0 });

    expect(q.drain(() => {}, 1)).toBe(1); // depth 3 > lowWater 2
    expect(spaceCalls).toBe(0);
    expect(q.drain(() => {}, 1)).toBe(1); // depth 2 == lowWater
    expect(spaceCalls).toBe(1); // synchronously
    q.drain(() => {}, 1);
    expect(spaceCalls).toBe(1); // once per transition

    // Full again, then drained in one go: one more call.
    q.push(10);
    q.push(11);
    q.push(12);
    expect(q.push(13)).toBe(false);
    expect(q.drain(() => {}, 3)).toBe(3);
    expect(spaceCalls).toBe(2);
    expect(drainAll(q)).toEqual([12]);
    expect(q.health().dropped).toBe(0);
  });

  it('a queue that never filled does not signal space', () => {
    const q = new BoundedQueue<number>({ name: 'w', capacity: 4, lowWater: 0 });
    let spaceCalls = 0;
    q.onSpace = () => spaceCalls++;
    q.push(1);
    q.push(2);
    expect(drainAll(q)).toEqual([1, 2]);
    expect(spaceCalls).toBe(0);
  });

  it('wraps around the ring many times in order, losing nothing', () => {
    const q = new BoundedQueue<number>({ name: 'r', capacity: 4 });
    const seen: number[] = [];
    let next = 0;
    while (next < 1000) {
      while (next < 1000 && q.push(next)) next++;
      q.drain((x) => seen.push(x), 3);
    }
    seen.push(...drainAll(q));
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(q.health()).toMatchObject({ depth: 0, highWater: 4, dropped: 0 });
  });

  it('drain(max) stops after max items; an item whose handler throws is not delivered twice', () => {
    const q = new BoundedQueue<number>({ name: 'd', capacity: 8 });
    for (let i = 1; i <= 5; i++) q.push(i);
    const got: number[] = [];
    expect(q.drain((x) => got.push(x), 2)).toBe(2);
    expect(got).toEqual([1, 2]);
    expect(() =>
      q.drain((x) => {
        if (x === 3) throw new Error('bad item');
      }),
    ).toThrow('bad item');
    expect(drainAll(q)).toEqual([4, 5]);
  });

  it('rejects a nonsensical configuration with a clear message', () => {
    expect(() => new BoundedQueue({ name: 'z', capacity: 0 })).toThrow(/capacity/);
    expect(() => new BoundedQueue({ name: 'z', capacity: 4, lowWater: 4 })).toThrow(/lowWater/);
  });
});
