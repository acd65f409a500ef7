import { describe, expect, it } from 'vitest';
import type { BookLevels, BookView } from '../../../shared/books';
import type { BookUpdate } from '../../../shared/domain';
import { BookRegistry, UI_BOOK_INTERVAL_MS } from '../../../electron/core/books/book-registry';
import { COMPOSITE_LEASE_MS } from '../../../electron/core/books/composite-books';
import { MAX_DEPTH_BUCKETS } from '../../../electron/core/books/depth-watches';
import { mergeBatches } from '../../../electron/core/pipeline/batch-merge';
import type { StreamBatch } from '../../../shared/protocol';
import { ManualClock } from '../../helpers/manual-clock';

const T0 = 1_700_000_000_000;
const REF = { exchange: 'binance', market: 'spot', symbol: 'BTC-USDT' } as const;

function update(action: 'snapshot' | 'delta', seq: number, bids: BookLevels, asks: BookLevels): BookUpdate {
  return { type: 'book', ...REF, action, bids, asks, lastSeq: seq, time: T0 + seq, receivedAt: T0 + seq };
}

/** 1000 levels a side, 0.01 apart from 100.00 / 100.01, level i sized i + 1 (so bucket sums are exact sums of known terms). */
function deepBook(): BookUpdate {
  const bids: BookLevels = Array.from({ length: 1000 }, (_, i) => [Number((100 - i * 0.01).toFixed(2)), i + 1]);
  const asks: BookLevels = Array.from({ length: 1000 }, (_, i) => [Number((100.01 + i * 0.01).toFixed(2)), i + 1]);
  return update('snapshot', 1, bids, asks);
}

const deep = (views: BookView[]) => views.filter((v) => v.deep);
const plain = (views: BookView[]) => views.filter((v) => !v.deep);

function setup() {
  const clock = new ManualClock(T0);
  const books = new BookRegistry({ clock });
  books.apply(deepBook());
  return { clock, books };
}

describe('deep grouped book views (watchBookDepth)', () => {
  it('group a known book exactly: bids down and asks up to the bucket, sizes summed, `levels` buckets a side', () => {
    const { clock, books } = setup();
    books.watchDepth(REF, 0.1, 30);
    const views = books.takeViews(clock.now());
    // The ladder's top-20 view is unchanged beside it.
    expect(plain(views)).toHaveLength(1);
    expect(plain(views)[0]!.bids).toHaveLength(20);
    expect(plain(views)[0]!.bids[0]).toEqual([100, 1]);
    const [v] = deep(views);
    expect(v!.deep).toEqual({ group: 0.1, levels: 30 });
    expect(v!.state).toBe('valid');
    expect(v!.bids).toHaveLength(30);
    expect(v!.asks).toHaveLength(30);
    // Bids: 100.00 alone rounds to 100.0 (size 1); 99.99..99.90 (levels 1..10, sizes 2..11) -> 99.9.
    expect(v!.bids[0]).toEqual([100, 1]);
    expect(v!.bids[1]).toEqual([99.9, 65]);
    // Then every bucket holds 10 levels: 99.89..99.80 are levels 11..20, sizes 12..21.
    expect(v!.bids[2]).toEqual([99.8, 165]);
    expect(v!.bids[29]![0]).toBe(97.1);
    // Asks: 100.01..100.10 (levels 0..9, sizes 1..10) -> 100.1; 100.11..100.20 -> 100.2.
    expect(v!.asks[0]).toEqual([100.1, 55]);
    expect(v!.asks[1]).toEqual([100.2, 155]);
    expect(v!.asks[29]![0]).toBe(103);
    // Every size is accounted for: the 30 buckets of asks are exactly the first 300 levels.
    expect(v!.asks.reduce((s, l) => s + l[1], 0)).toBe((300 * 301) / 2);
  });

  it('are bounded to MAX_DEPTH_BUCKETS a side and stop where the book ends', () => {
    const { clock, books } = setup();
    books.watchDepth(REF, 0.01, 10_000);
    const [fine] = deep(books.takeViews(clock.now()));
    expect(fine!.bids).toHaveLength(MAX_DEPTH_BUCKETS);
    expect(fine!.deep!.levels).toBe(MAX_DEPTH_BUCKETS);
    books.watchDepth(REF, 10, 200);
    clock.advance(UI_BOOK_INTERVAL_MS);
    books.apply(update('delta', 2, [[100, 2]], []));
    const coarse = deep(books.takeViews(clock.now())).find((x) => x.deep!.group === 10)!;
    // 1000 levels of 0.01 span 10: bids 100.00 -> 100, 99.99..90.01 -> 90; asks 100.01..110.00 -> 110.
    expect(coarse.bids.map((l) => l[0])).toEqual([100, 90]);
    expect(coarse.bids[0]![1]).toBe(2);
    expect(coarse.asks).toEqual([[110, (1000 * 1001) / 2]]);
  });

  it('send a side the core holds in `levels` levels or fewer as it is (grouping would only coarsen it)', () => {
    const clock = new ManualClock(T0);
    const books = new BookRegistry({ clock });
    const bids: BookLevels = Array.from({ length: 25 }, (_, i) => [Number((100 - i * 0.01).toFixed(2)), 1]);
    books.apply(update('snapshot', 1, bids, deepBook().asks));
    books.watchDepth(REF, 0.1, 200);
    const [v] = deep(books.takeViews(clock.now()));
    expect(v!.bids).toEqual(bids);
    // The 1000-level side is grouped: 0.1 buckets, all of its $10 in 100 of them, every size summed in.
    expect(v!.asks).toHaveLength(100);
    expect(v!.asks[0]).toEqual([100.1, 55]);
    expect(v!.asks.reduce((sum, l) => sum + l[1], 0)).toBe((1000 * 1001) / 2);
  });

  it('are conflated like the top-N views, sent at once when the state changes, and stop when the lease lapses', () => {
    const { clock, books } = setup();
    books.watchDepth(REF, 1, 50);
    expect(deep(books.takeViews(clock.now()))).toHaveLength(1);
    // Unchanged book: nothing. Changed inside the interval: nothing yet; after it: one view.
    clock.advance(10);
    expect(deep(books.takeViews(clock.now()))).toHaveLength(0);
    books.apply(update('delta', 2, [[99.5, 7]], []));
    clock.advance(10);
    expect(deep(books.takeViews(clock.now()))).toHaveLength(0);
    clock.advance(UI_BOOK_INTERVAL_MS);
    expect(deep(books.takeViews(clock.now()))).toHaveLength(1);
    // A gap (seq 4 after 2) makes the book invalid: its deep view goes out on the next take.
    books.apply(update('delta', 4, [[99.4, 1]], []));
    clock.advance(1);
    const [broken] = deep(books.takeViews(clock.now()));
    expect(broken!.state).not.toBe('valid');
    // No renewal: after the lease, no more deep views (the top-N view goes on).
    clock.advance(COMPOSITE_LEASE_MS + 1);
    books.apply(deepBook());
    const after = books.takeViews(clock.now());
    expect(deep(after)).toHaveLength(0);
    expect(plain(after)).toHaveLength(1);
  });

  it('keep their own entry when a slow subscriber\'s batches are merged', () => {
    const { clock, books } = setup();
    books.watchDepth(REF, 1, 50);
    const views = books.takeViews(clock.now());
    const batch = (seq: number, b: BookView[]): StreamBatch => ({ type: 'batch', seq, at: T0, bars: [], trades: [], tradesOmitted: 0, quotes: [], liquidations: [], funding: [], statuses: [], books: b, conflated: 0 });
    const merged = mergeBatches(batch(1, views), batch(2, []), { maxTrades: 10, maxList: 10, maxBars: 10 }, { barsDropped: 0, statusesOmitted: 0, liquidationsOmitted: 0 });
    expect(merged.books).toHaveLength(2);
  });
});
