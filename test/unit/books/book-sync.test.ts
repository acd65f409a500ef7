import { describe, expect, it } from 'vitest';
import type { BookUpdate, MarketRef } from '../../../shared/domain';
import { BookSync, MAX_BUFFERED_DELTAS, type ResyncReason } from '../../../electron/core/books/book-sync';
import { binanceFuturesRule, binanceSpotRule } from '../../../electron/core/adapters/binance/book';
import { consecutiveRule, type SyncRule } from '../../../electron/core/adapters/book-spec';

const REF: MarketRef = { exchange: 'binance', market: 'spot', symbol: 'BTC-USDT' };

function snapshot(lastUpdateId: number, bids: [number, number][], asks: [number, number][]): BookUpdate {
  return { type: 'book', ...REF, action: 'snapshot', bids, asks, lastSeq: lastUpdateId, time: 1000, receivedAt: 2000 };
}

/** A Binance `depthUpdate` as the parser would emit it: U, u (and pu on futures). */
function diff(U: number, u: number, bids: [number, number][], asks: [number, number][] = [], pu?: number): BookUpdate {
  return { type: 'book', ...REF, action: 'delta', bids, asks, firstSeq: U, lastSeq: u, ...(pu !== undefined ? { prevSeq: pu } : {}), time: 1000 + u, receivedAt: 2000 + u };
}

function make(rule: SyncRule = binanceSpotRule): { sync: BookSync; asked: ResyncReason[] } {
  const asked: ResyncReason[] = [];
  const sync = new BookSync(REF, rule, (_ref, reason) => asked.push(reason));
  return { sync, asked };
}

describe('BookSync with the Binance spot rule', () => {
  it('buffers diffs until the REST snapshot, drops u <= lastUpdateId, applies the one straddling lastUpdateId+1, then chains U = prev u + 1', () => {
    const { sync, asked } = make();
    expect(sync.state).toBe('syncing');
    sync.apply(diff(95, 99, [[100, 9]])); // older than the snapshot: dropped
    sync.apply(diff(100, 103, [[100, 2]], [[101, 1]])); // straddles 101: applied
    sync.apply(diff(104, 104, [[99, 3]]));
    expect(sync.book.levels).toBe(0); // nothing applied before the snapshot
    sync.apply(snapshot(100, [[100, 1], [98, 1]], [[101, 5], [102, 1]]));
    expect(sync.state).toBe('valid');
    expect(sync.book.bids.top(5)).toEqual([[100, 2], [99, 3], [98, 1]]);
    expect(sync.book.asks.top(5)).toEqual([[101, 1], [102, 1]]);
    expect(sync.lastSeq).toBe(104);
    expect(sync.counters).toMatchObject({ updates: 3, stale: 1, resyncs: 0, gaps: 0 });
    sync.apply(diff(105, 107, [[98, 0]]));
    expect(sync.book.bids.top(5)).toEqual([[100, 2], [99, 3]]);
    expect(sync.time).toBe(1107);
    expect(asked).toEqual([]);
  });

  it('a missed message (U jumps past prev u + 1) marks the book resyncing at once, clears it and asks once', () => {
    const { sync, asked } = make();
    sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    sync.apply(diff(11, 12, [[100, 2]]));
    sync.apply(diff(14, 15, [[100, 3]])); // 13 missed
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
    expect(asked).toEqual(['gap']);
    expect(sync.counters).toMatchObject({ resyncs: 1, gaps: 1 });
    sync.apply(diff(16, 16, [[100, 4]])); // buffered while resyncing, no second request
    expect(asked).toEqual(['gap']);
    // The new snapshot lands: buffered diffs at or below it are dropped, the rest chained.
    sync.apply(snapshot(15, [[100, 3]], [[101, 1]]));
    expect(sync.state).toBe('valid');
    expect(sync.book.bids.top(1)).toEqual([[100, 4]]);
    expect(sync.counters.resyncs).toBe(1);
  });

  it('a reordered update (a later diff before an earlier one) is a gap: resynced, not applied', () => {
    const { sync, asked } = make();
    sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    sync.apply(diff(13, 14, [[100, 7]])); // arrives before 11-12
    sync.apply(diff(11, 12, [[100, 5]]));
    expect(sync.state).toBe('resyncing');
    expect(asked).toEqual(['gap']);
    expect(sync.book.levels).toBe(0);
  });

  it('a diff the book already holds (a rotation overlap delivers it twice) is stale, spot and USD-M', () => {
    const spot = make();
    spot.sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    spot.sync.apply(diff(11, 12, [[100, 2]]));
    spot.sync.apply(diff(13, 14, [[100, 3]]));
    spot.sync.apply(diff(11, 12, [[100, 2]])); // the same diff from the other connection
    spot.sync.apply(diff(15, 15, [[100, 4]]));
    expect(spot.sync.state).toBe('valid');
    expect(spot.sync.book.bids.top(1)).toEqual([[100, 4]]);
    expect(spot.sync.counters).toMatchObject({ stale: 1, gaps: 0, resyncs: 0 });
    const perp = make(binanceFuturesRule);
    perp.sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    perp.sync.apply(diff(9, 12, [[100, 2]], [], 8));
    perp.sync.apply(diff(13, 14, [[100, 3]], [], 12));
    perp.sync.apply(diff(13, 14, [[100, 3]], [], 12));
    perp.sync.apply(diff(15, 16, [[100, 5]], [], 14));
    expect(perp.sync.state).toBe('valid');
    expect(perp.sync.counters).toMatchObject({ stale: 1, gaps: 0 });
    expect(perp.asked).toEqual([]);
  });

  it('a first diff that does not reach lastUpdateId+1 after the snapshot is a gap', () => {
    const { sync, asked } = make();
    sync.apply(diff(105, 106, [[100, 2]]));
    sync.apply(snapshot(100, [[100, 1]], [[101, 1]]));
    expect(sync.state).toBe('resyncing');
    expect(asked).toEqual(['gap']);
  });

  it('a crossed book is an error, never valid: resynced', () => {
    const { sync, asked } = make();
    sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    sync.apply(diff(11, 11, [[101.5, 1]]));
    expect(sync.state).toBe('resyncing');
    expect(asked).toEqual(['crossed']);
    expect(sync.counters.crossed).toBe(1);
    expect(sync.book.crossed()).toBe(false);
    // A crossed snapshot is not valid either.
    const b = make();
    b.sync.apply(snapshot(1, [[102, 1]], [[101, 1]]));
    expect(b.sync.state).toBe('resyncing');
    expect(b.asked).toEqual(['crossed']);
  });

  it('a bad snapshot answering a resync asks again instead of waiting forever', () => {
    const { sync, asked } = make();
    sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    sync.apply(diff(12, 12, [[100, 2]]));
    sync.apply(snapshot(20, [[102, 1]], [[101, 1]])); // crossed
    expect(asked).toEqual(['gap', 'crossed']);
    sync.apply(snapshot(30, [[100, 1]], [[101, 1]]));
    expect(sync.state).toBe('valid');
    expect(sync.counters.resyncs).toBe(2);
  });

  it('a lost connection suspends the book (not valid, no levels) until the next snapshot, without a resync request', () => {
    const { sync, asked } = make();
    sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    sync.suspend();
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
    expect(asked).toEqual([]);
    sync.apply(snapshot(50, [[100, 1]], [[101, 1]]));
    expect(sync.state).toBe('valid');
  });

  it('a level with a NaN or negative size invalidates the book instead of entering it', () => {
    const { sync, asked } = make();
    sync.apply(snapshot(10, [[100, 1]], [[101, 1]]));
    sync.apply(diff(11, 11, [[99, NaN]]));
    expect(sync.state).toBe('resyncing');
    expect(asked).toEqual(['bad-level']);
    expect(sync.counters.badLevels).toBe(1);
  });

  it('too many diffs waiting for a snapshot start the sync over instead of growing without bound', () => {
    const { sync, asked } = make();
    for (let i = 0; i <= MAX_BUFFERED_DELTAS; i++) sync.apply(diff(i + 1, i + 1, [[100, 1]]));
    expect(asked).toEqual(['buffer-overflow']);
    expect(sync.state).toBe('resyncing');
  });
});

describe('BookSync for a venue that snapshots over REST', () => {
  it('the first diff asks for the snapshot once (not a resync); so does the first after a lost connection', () => {
    const asked: ResyncReason[] = [];
    const sync = new BookSync(REF, binanceSpotRule, (_r, why) => asked.push(why), true);
    sync.apply(diff(1, 1, [[100, 1]]));
    sync.apply(diff(2, 2, [[100, 2]]));
    expect(asked).toEqual(['initial']);
    sync.apply(snapshot(1, [[100, 1]], [[101, 1]]));
    expect(sync.state).toBe('valid');
    expect(sync.counters.resyncs).toBe(0);
    sync.suspend();
    sync.apply(diff(9, 9, [[100, 3]]));
    expect(asked).toEqual(['initial', 'disconnect']);
    sync.apply(diff(10, 10, [[100, 4]]));
    sync.apply(diff(12, 12, [[100, 4]])); // buffered: no second request while one is out
    expect(asked).toEqual(['initial', 'disconnect']);
  });
});

describe('BookSync with the Binance USD-M rule', () => {
  it('first event straddles lastUpdateId, then pu must equal the previous u', () => {
    const { sync, asked } = make(binanceFuturesRule);
    sync.apply(diff(90, 99, [[100, 9]], [], 89)); // u < lastUpdateId: dropped
    sync.apply(diff(98, 103, [[100, 2]], [], 97));
    sync.apply(snapshot(100, [[100, 1]], [[101, 1]]));
    expect(sync.state).toBe('valid');
    expect(sync.lastSeq).toBe(103);
    sync.apply(diff(104, 110, [[100, 3]], [], 103));
    expect(sync.book.bids.top(1)).toEqual([[100, 3]]);
    sync.apply(diff(112, 115, [[100, 4]], [], 111)); // pu != 110
    expect(sync.state).toBe('resyncing');
    expect(asked).toEqual(['gap']);
  });
});

describe('consecutiveRule (simulator-style seq numbers)', () => {
  it('applies seq + 1, drops older, and calls a jump a gap', () => {
    const u = (seq: number): BookUpdate => ({ type: 'book', ...REF, action: 'delta', bids: [], asks: [], lastSeq: seq, time: 0, receivedAt: 0 });
    expect(consecutiveRule.check(5, u(6), true)).toBe('apply');
    expect(consecutiveRule.check(5, u(5), false)).toBe('stale');
    expect(consecutiveRule.check(5, u(7), false)).toBe('gap');
    expect(consecutiveRule.check(5, { ...u(9), prevSeq: 5 }, false)).toBe('apply');
  });
});
