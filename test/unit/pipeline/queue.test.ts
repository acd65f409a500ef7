import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../electron/core/pipeline/queue';

const tick = () => new Promise<void>((r) => setImmediate(r));

function drainAll<T>(q: BoundedQueue<T>): T[] {
  const out: T[] = [];
  q.drain((x) => out.push(x));
  return out;
}

describe('BoundedQueue drop-oldest', () => {
  it('keeps the newest items and counts every drop', () => {
    const q = new BoundedQueue<number>({ name: 'ui', capacity: 3, policy: 'drop-oldest' });
    for (let i = 1; i <= 5; i++) expect(q.push(i)).toBe(true);
    expect(q.health()).toEqual({ name: 'ui', policy: 'drop-oldest', capacity: 3, depth: 3, highWater: 3, dropped: 2 });
    expect(q.shift()).toBe(3);
    expect(q.push(6)).toBe(true);
    expect(drainAll(q)).toEqual([4, 5, 6]);
    expect(q.shift()).toBeUndefined();
    expect(q.health()).toMatchObject({ depth: 0, highWater: 3, dropped: 2 });
  });

  it('wraps around the ring many times in order', () => {
    const q = new BoundedQueue<number>({ name: 'r', capacity: 4, policy: 'drop-oldest' });
    const seen: number[] = [];
    for (let i = 0; i < 1000; i++) {
      q.push(i);
      if (i % 3 === 2) q.drain((x) => seen.push(x), 2);
    }
    seen.push(...drainAll(q));
    // Strictly increasing: never reordered or duplicated; 1000 pushed = delivered + dropped.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen.length + q.health().dropped).toBe(1000);
  });
});

describe('BoundedQueue conflate', () => {
  it('replaces a queued key in place, drops the oldest for a new key when full', () => {
    type Q = { k: string; v: number };
    const q = new BoundedQueue<Q>({ name: 'quotes', capacity: 3, policy: 'conflate', keyOf: (x) => x.k });
    q.push({ k: 'a', v: 1 });
    q.push({ k: 'b', v: 1 });
    q.push({ k: 'a', v: 2 }); // replaces a1, keeps a's position (first)
    expect(q.health()).toMatchObject({ depth: 2, dropped: 1 });
    q.push({ k: 'c', v: 1 }); // full now
    q.push({ k: 'd', v: 1 }); // new key on a full queue: a2 (oldest) dropped
    q.push({ k: 'b', v: 2 }); // replaces b1 in place
    expect(q.health()).toMatchObject({ depth: 3, highWater: 3, dropped: 3 });
    expect(q.shift()).toEqual({ k: 'b', v: 2 });
    // b left the queue: a new b is appended at the end, not merged into anything.
    q.push({ k: 'b', v: 3 });
    expect(drainAll(q)).toEqual([
      { k: 'c', v: 1 },
      { k: 'd', v: 1 },
      { k: 'b', v: 3 },
    ]);
    expect(q.health().dropped).toBe(3);
  });

  it('needs keyOf', () => {
    expect(() => new BoundedQueue<number>({ name: 'x', capacity: 2, policy: 'conflate' })).toThrow(/keyOf/);
  });
});

describe('BoundedQueue wait', () => {
  it('refuses a push when full (item not taken) and signals space at the low-water mark once', async () => {
    const q = new BoundedQueue<number>({ name: 'ingest', capacity: 4, policy: 'wait' });
    let spaceCalls = 0;
    q.onSpace = () => spaceCalls++;
    for (let i = 1; i <= 4; i++) expect(q.push(i)).toBe(true);
    expect(q.push(5)).toBe(false);
    expect(q.health()).toEqual({ name: 'ingest', policy: 'wait', capacity: 4, depth: 4, highWater: 4, dropped: 0 });

    let released = false;
    const waiting = q.waitForSpace().then(() => (released = true));
    expect(q.shift()).toBe(1); // depth 3 > lowWater 2
    await tick();
    expect(released).toBe(false);
    expect(spaceCalls).toBe(0);
    expect(q.shift()).toBe(2); // depth 2 == lowWater
    expect(spaceCalls).toBe(1); // synchronously
    await waiting;
    expect(released).toBe(true);
    q.shift();
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

  it('waitForSpace resolves at once below the low-water mark and rejects when its signal aborts', async () => {
    const q = new BoundedQueue<number>({ name: 'w', capacity: 2, policy: 'wait', lowWater: 0 });
    await expect(q.waitForSpace()).resolves.toBeUndefined();
    q.push(1);
    const ac = new AbortController();
    const p = q.waitForSpace(ac.signal);
    ac.abort(new Error('stopping'));
    await expect(p).rejects.toThrow('stopping');
    q.shift();
    await expect(q.waitForSpace(ac.signal)).resolves.toBeUndefined();
  });

  it('waitForItem resolves when an item is pushed', async () => {
    const q = new BoundedQueue<string>({ name: 'i', capacity: 2, policy: 'wait' });
    let got = false;
    const p = q.waitForItem().then(() => (got = true));
    await tick();
    expect(got).toBe(false);
    q.push('t');
    await p;
    expect(q.length).toBe(1);
    const ac = new AbortController();
    q.shift();
    const aborted = q.waitForItem(ac.signal);
    ac.abort(new Error('bye'));
    await expect(aborted).rejects.toThrow('bye');
  });

  it('drain(max) stops after max items; an item whose handler throws is not delivered twice', () => {
    const q = new BoundedQueue<number>({ name: 'd', capacity: 8, policy: 'wait' });
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
    expect(() => new BoundedQueue({ name: 'z', capacity: 0, policy: 'wait' })).toThrow(/capacity/);
    expect(() => new BoundedQueue({ name: 'z', capacity: 4, policy: 'wait', lowWater: 4 })).toThrow(/lowWater/);
  });
});
