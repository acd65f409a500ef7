import { describe, expect, it } from 'vitest';
import { BookSide, OrderBook } from '../../../electron/core/books/order-book';

describe('BookSide', () => {
  it('keeps bids best (highest) first and asks best (lowest) first, whatever the insert order', () => {
    const bids = new BookSide(true);
    const asks = new BookSide(false);
    for (const p of [100, 102, 99, 101, 103]) {
      bids.set(p, p / 100);
      asks.set(p, p / 100);
    }
    expect(bids.top(10).map(([p]) => p)).toEqual([103, 102, 101, 100, 99]);
    expect(asks.top(10).map(([p]) => p)).toEqual([99, 100, 101, 102, 103]);
    expect(bids.top(2)).toEqual([[103, 1.03], [102, 1.02]]);
  });

  it('replaces the size of an existing level and removes a level on size 0', () => {
    const s = new BookSide(false);
    s.set(10, 1);
    s.set(11, 2);
    s.set(10, 5);
    expect(s.top(5)).toEqual([[10, 5], [11, 2]]);
    s.set(10, 0);
    expect(s.top(5)).toEqual([[11, 2]]);
    s.set(12.5, 0); // removing a level that is not there changes nothing
    expect(s.length).toBe(1);
    expect(s.sizeAt(11)).toBe(2);
    expect(s.sizeAt(10)).toBe(0);
  });

  it('agrees with a sorted Map after 20,000 random updates (sizes 0 included)', () => {
    const side = new BookSide(true);
    const ref = new Map<number, number>();
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 20_000; i++) {
      const price = 1000 + Math.floor(rnd() * 300) / 10;
      const size = rnd() < 0.3 ? 0 : Math.round(rnd() * 1000) / 100;
      side.set(price, size);
      if (size === 0) ref.delete(price);
      else ref.set(price, size);
    }
    const expected = [...ref.entries()].sort((a, b) => b[0] - a[0]);
    expect(side.top(10_000)).toEqual(expected);
    expect(side.best()).toBe(expected[0]![0]);
  });

  it('top() returns new arrays, so a published view does not change with the book', () => {
    const s = new BookSide(false);
    s.set(1, 1);
    const view = s.top(1);
    s.set(1, 2);
    expect(view).toEqual([[1, 1]]);
  });
});

describe('OrderBook', () => {
  it('is crossed when the best bid reaches the best ask, and counts its levels', () => {
    const b = new OrderBook();
    b.bids.set(100, 1);
    b.asks.set(101, 1);
    expect(b.crossed()).toBe(false);
    expect(b.levels).toBe(2);
    b.bids.set(101, 1);
    expect(b.crossed()).toBe(true);
    b.clear();
    expect(b.levels).toBe(0);
    expect(b.crossed()).toBe(false);
  });
});
