import { describe, expect, it } from 'vitest';
import type { BookLevels } from '../../../shared/books';
import {
  bookOverlayTitle,
  buildLadder,
  cumulativeSizes,
  defaultGroup,
  groupLevels,
  groupPrice,
  spreadOf,
  storedGroup,
} from '../../../renderer/src/lib/book-ladder';

describe('book price grouping', () => {
  it('rounds bids down and asks up to the group, prices on a boundary stay put', () => {
    expect(groupPrice(64012.37, 1, 'bid')).toBe(64012);
    expect(groupPrice(64012.37, 1, 'ask')).toBe(64013);
    expect(groupPrice(64012.37, 10, 'bid')).toBe(64010);
    expect(groupPrice(64012.37, 10, 'ask')).toBe(64020);
    expect(groupPrice(64012.37, 100, 'ask')).toBe(64100);
    // 64012.3 / 0.1 is 640122.99999...: still 64012.3 on both sides, not one group off.
    expect(groupPrice(64012.3, 0.1, 'bid')).toBe(64012.3);
    expect(groupPrice(64012.3, 0.1, 'ask')).toBe(64012.3);
    expect(groupPrice(64012.31, 0.1, 'ask')).toBe(64012.4);
    expect(groupPrice(64000, 100, 'bid')).toBe(64000);
    expect(groupPrice(64012.37, 0, 'bid')).toBe(64012.37);
  });

  it('sums the sizes of the levels in one group and keeps best first', () => {
    const bids: BookLevels = [[100.9, 1], [100.5, 2], [100.0, 3], [99.99, 4], [98.2, 5]];
    expect(groupLevels(bids, 1, 'bid')).toEqual([[100, 6], [99, 4], [98, 5]]);
    const asks: BookLevels = [[101.01, 1], [101.5, 2], [102, 3], [102.01, 4]];
    expect(groupLevels(asks, 1, 'ask')).toEqual([[102, 6], [103, 4]]);
    expect(groupLevels(asks, 0, 'ask')).toEqual(asks);
    // The input is not changed (the store's view is shared by every reader).
    expect(asks[0]).toEqual([101.01, 1]);
  });

  it('keeps the grouped best bid below the grouped best ask', () => {
    const bids: BookLevels = [[64012.37, 1]];
    const asks: BookLevels = [[64012.38, 1]];
    for (const g of [0.1, 1, 10, 100]) {
      expect(groupLevels(bids, g, 'bid')[0]![0]).toBeLessThan(groupLevels(asks, g, 'ask')[0]![0]);
    }
  });

  it('defaults to the coarsest group that leaves about ten rows on the shallower side', () => {
    const side = (best: number, step: number, n = 20): BookLevels => Array.from({ length: n }, (_, i) => [best + i * step, 1]);
    // 20 levels a cent apart (a liquid BTC book): grouping would merge them all, so none.
    expect(defaultGroup({ bids: side(64_000, -0.01), asks: side(64_000.01, 0.01) })).toBe(0);
    // Levels $2 apart: $38 deep a side -> 1 (10 would leave 4 rows).
    expect(defaultGroup({ bids: side(64_000, -2), asks: side(64_002, 2) })).toBe(1);
    // The shallower side decides: $400 of bids but $19 of asks -> 1.
    expect(defaultGroup({ bids: side(64_000, -20), asks: side(64_001, 1) })).toBe(1);
    expect(defaultGroup({ bids: side(64_000, -100), asks: side(64_100, 100) })).toBe(100);
    // One side empty: the other decides; nothing to go by: none.
    expect(defaultGroup({ bids: side(3_000, -0.5), asks: [] })).toBe(0.1);
    expect(defaultGroup({ bids: [[100, 1]], asks: [] })).toBe(0);
    expect(defaultGroup(undefined)).toBe(0);
  });

  it('reads a stored choice only when it is one of the groups', () => {
    expect(storedGroup({ 'simulator:spot:BTC-USDT': 10 }, 'simulator:spot:BTC-USDT')).toBe(10);
    expect(storedGroup({ 'simulator:spot:BTC-USDT': 7 }, 'simulator:spot:BTC-USDT')).toBeUndefined();
    expect(storedGroup(null, 'x')).toBeUndefined();
    expect(storedGroup('junk', 'x')).toBeUndefined();
  });
});

describe('cumulative sizes and the spread', () => {
  it('totals from the best level outwards', () => {
    expect(cumulativeSizes([[100, 1], [99, 2.5], [98, 0.5]])).toEqual([1, 3.5, 4]);
    expect(cumulativeSizes([])).toEqual([]);
  });

  it('gives the spread in price and basis points of the mid, from the ungrouped book', () => {
    const s = spreadOf([[99.99, 1]], [[100.01, 1]])!;
    expect(s.abs).toBeCloseTo(0.02, 10);
    expect(s.mid).toBe(100);
    expect(s.bp).toBeCloseTo(2, 8);
    expect(spreadOf([], [[100, 1]])).toBeNull();
    expect(spreadOf([[100, 1]], [])).toBeNull();
  });
});

describe('the ladder', () => {
  const book = {
    bids: [[100.4, 2], [100.2, 1], [99.7, 4]] as BookLevels,
    asks: [[100.6, 1], [100.9, 3], [101.5, 1]] as BookLevels,
  };

  it('shows asks highest first, bids best first, bars relative to the largest level shown', () => {
    const l = buildLadder(book, 1);
    expect(l.asks.map((r) => [r.price, r.size, r.cum])).toEqual([[102, 1, 5], [101, 4, 4]]);
    expect(l.bids.map((r) => [r.price, r.size, r.cum])).toEqual([[100, 3, 3], [99, 4, 7]]);
    // The largest level shown is 4 (grouped), on both sides.
    expect(l.asks.map((r) => r.bar)).toEqual([0.25, 1]);
    expect(l.bids.map((r) => r.bar)).toEqual([0.75, 1]);
    expect(l.spread!.abs).toBeCloseTo(0.2, 10);
  });

  it('prints trades on their row: buys where the ask shows, sells where the bid shows; marks the newest', () => {
    const l = buildLadder(book, 1, [
      { price: 100.6, size: 0.5, side: 'buy' }, // newest: lifted the 100.6 ask, shown at 101
      { price: 100.4, size: 1, side: 'sell' },
      { price: 100.4, size: 0.25, side: 'sell' },
      { price: 120, size: 9, side: 'buy' }, // beyond the book shown
    ]);
    const at = (side: 'asks' | 'bids', price: number) => l[side].find((r) => r.price === price)!;
    expect(at('asks', 101)).toMatchObject({ bought: 0.5, sold: 0, lastTrade: true });
    expect(at('bids', 100)).toMatchObject({ bought: 0, sold: 1.25, lastTrade: false });
    expect(l.tradesOffBook).toBe(1);
  });

  it('ungrouped, rows are the venue levels', () => {
    const l = buildLadder(book, 0);
    expect(l.bids.map((r) => r.price)).toEqual([100.4, 100.2, 99.7]);
    expect(l.asks.map((r) => r.price)).toEqual([101.5, 100.9, 100.6]);
  });

  it('names an invalid book on its overlay, with the resync count', () => {
    expect(bookOverlayTitle('syncing', 0)).toBe('BOOK SYNCING');
    expect(bookOverlayTitle('resyncing', 3)).toBe('BOOK RESYNCING (3)');
    expect(bookOverlayTitle('valid', 3)).toBeNull();
  });
});
