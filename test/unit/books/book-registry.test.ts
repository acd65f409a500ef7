import { describe, expect, it } from 'vitest';
import type { BookUpdate, MarketRef } from '../../../shared/domain';
import { BookRegistry } from '../../../electron/core/books/book-registry';
import { binanceSpotRule } from '../../../electron/core/adapters/binance/book';
import { consecutiveRule } from '../../../electron/core/adapters/book-spec';
import { ManualClock } from '../../helpers/manual-clock';

const BTC: MarketRef = { exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT' };
const ETH: MarketRef = { exchange: 'simulator', market: 'spot', symbol: 'ETH-USDT' };

function upd(ref: MarketRef, action: 'snapshot' | 'delta', seq: number, bids: [number, number][], asks: [number, number][] = []): BookUpdate {
  return { type: 'book', ...ref, action, bids, asks, lastSeq: seq, time: seq, receivedAt: 1000 + seq };
}

const levels = (n: number, from: number, step: number): [number, number][] => Array.from({ length: n }, (_, i) => [from + i * step, 1]);

describe('BookRegistry', () => {
  it('keeps one book per market with its own rule and asks for a resync naming the market', () => {
    const asked: string[] = [];
    const reg = new BookRegistry({
      ruleFor: (ex) => (ex === 'binance' ? binanceSpotRule : consecutiveRule),
      requestResync: (ref, reason) => asked.push(`${ref.symbol}:${reason}`),
    });
    reg.apply(upd(BTC, 'snapshot', 1, [[100, 1]], [[101, 1]]));
    reg.apply(upd(ETH, 'snapshot', 1, [[10, 1]], [[11, 1]]));
    reg.apply(upd(ETH, 'delta', 3, [[10, 2]])); // seq 2 missed
    expect(reg.get(BTC)!.state).toBe('valid');
    expect(reg.get(ETH)!.state).toBe('resyncing');
    expect(asked).toEqual(['ETH-USDT:gap']);
  });

  it('views: only books that changed, at most one per market per interval, top N levels best first', () => {
    const reg = new BookRegistry();
    reg.apply(upd(BTC, 'snapshot', 1, levels(30, 70, 1), levels(30, 101, 1)));
    const [v] = reg.takeViews(0, 20, 100);
    expect(v).toMatchObject({ ...BTC, state: 'valid', time: 1, receivedAt: 1001, resyncs: 0 });
    expect(v!.bids).toHaveLength(20);
    expect(v!.bids[0]).toEqual([99, 1]);
    expect(v!.asks[0]).toEqual([101, 1]);
    expect(reg.takeViews(200, 20, 100)).toEqual([]); // unchanged: nothing
    reg.apply(upd(BTC, 'delta', 2, [[99, 5]]));
    expect(reg.takeViews(250, 20, 100)).toHaveLength(1);
    reg.apply(upd(BTC, 'delta', 3, [[99, 6]]));
    expect(reg.takeViews(300, 20, 100)).toEqual([]); // 50 ms after the last view: held back
    const [later] = reg.takeViews(350, 20, 100);
    expect(later!.bids[0]).toEqual([99, 6]); // conflated: the latest state, not every diff
  });

  it('a resync shows as a view with state resyncing and no levels', () => {
    const reg = new BookRegistry();
    reg.apply(upd(BTC, 'snapshot', 1, [[100, 1]], [[101, 1]]));
    reg.takeViews(0);
    reg.apply(upd(BTC, 'delta', 5, [[100, 2]]));
    const [v] = reg.takeViews(1000);
    expect(v).toMatchObject({ state: 'resyncing', bids: [], asks: [], resyncs: 1 });
  });

  it('a book turning invalid is sent on the next flush, inside the 10 Hz interval', () => {
    const reg = new BookRegistry();
    reg.apply(upd(BTC, 'snapshot', 1, [[100, 1]], [[101, 1]]));
    expect(reg.takeViews(0, 20, 100)).toHaveLength(1);
    reg.apply(upd(BTC, 'delta', 5, [[100, 2]])); // gap: resyncing
    const [v] = reg.takeViews(33, 20, 100);
    expect(v).toMatchObject({ state: 'resyncing', bids: [], asks: [] });
    reg.apply(upd(BTC, 'snapshot', 10, [[100, 1]], [[101, 1]])); // valid again: sent at once too
    expect(reg.takeViews(66, 20, 100)).toMatchObject([{ state: 'valid' }]);
    reg.apply(upd(BTC, 'delta', 11, [[100, 3]])); // a level change: held to the interval
    expect(reg.takeViews(99, 20, 100)).toEqual([]);
  });

  it('health rows: state, levels, counters, updates/s and last update age', () => {
    const reg = new BookRegistry();
    reg.apply(upd(BTC, 'snapshot', 1, [[100, 1], [99, 1]], [[101, 1]]));
    reg.health(1000);
    reg.apply(upd(BTC, 'delta', 2, [[98, 1]]));
    reg.apply(upd(BTC, 'delta', 3, [[97, 1]]));
    const [row] = reg.health(3000);
    expect(row).toMatchObject({ ...BTC, state: 'valid', levels: 5, updates: 3, resyncs: 0, checksumFailures: 0, gaps: 0, lastUpdateAgeMs: 3000 - 1003 });
    expect(row!.updatesPerSec).toBeCloseTo(1, 5);
  });
});

describe('BookRegistry resync pacing', () => {
  it('asks at most once a second per market; a request inside the interval waits for its end, and is dropped if the book recovered', () => {
    const clock = new ManualClock(0);
    const asked: number[] = [];
    const reg = new BookRegistry({ clock, requestResync: () => asked.push(clock.now()) });
    reg.apply(upd(BTC, 'snapshot', 1, [[100, 1]], [[101, 1]]));
    reg.apply(upd(BTC, 'delta', 5, [[100, 2]])); // gap
    expect(asked).toEqual([0]);
    clock.advance(100);
    reg.apply(upd(BTC, 'snapshot', 10, [[100, 1]], [[101, 1]]));
    reg.apply(upd(BTC, 'delta', 15, [[100, 2]])); // another gap 100 ms later: deferred
    expect(asked).toEqual([0]);
    clock.advance(900);
    expect(asked).toEqual([0, 1000]);
    // Deferred, then a snapshot arrives before the interval ends: no request.
    reg.apply(upd(BTC, 'snapshot', 20, [[100, 1]], [[101, 1]]));
    reg.apply(upd(BTC, 'delta', 25, [[100, 2]]));
    reg.apply(upd(BTC, 'snapshot', 30, [[100, 1]], [[101, 1]]));
    clock.advance(2000);
    expect(asked).toEqual([0, 1000]);
    expect(reg.get(BTC)!.state).toBe('valid');
  });
});
