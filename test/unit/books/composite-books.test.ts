import { describe, expect, it } from 'vitest';
import type { BookLevels, BookView } from '../../../shared/books';
import type { BookUpdate } from '../../../shared/domain';
import { BookRegistry } from '../../../electron/core/books/book-registry';
import { COMPOSITE_LEASE_MS } from '../../../electron/core/books/composite-books';
import { ManualClock } from '../../helpers/manual-clock';

const T0 = 1_700_000_000_000;

function snap(exchange: string, bids: BookLevels, asks: BookLevels, seq = 1): BookUpdate {
  return { type: 'book', exchange, market: 'perp', symbol: 'BTC-USDT', action: 'snapshot', bids, asks, lastSeq: seq, time: T0 + seq, receivedAt: T0 + seq };
}

function delta(exchange: string, seq: number, bids: BookLevels, asks: BookLevels = []): BookUpdate {
  return { ...snap(exchange, bids, asks, seq), action: 'delta' };
}

/** Levels `n` a side from `best`, `step` apart, size `size` each. */
function ladder(best: number, step: number, n: number, size: number, side: 'bid' | 'ask'): BookLevels {
  return Array.from({ length: n }, (_, i) => [Number((best + (side === 'bid' ? -i : i) * step).toFixed(4)), size] as [number, number]);
}

function composites(views: BookView[]): BookView[] {
  return views.filter((v) => v.exchange === '*');
}

function setup() {
  const clock = new ManualClock(T0);
  const books = new BookRegistry({ clock });
  // Venue A on a 0.5 tick, venue B on a 0.1 tick: 40 levels a side each.
  books.apply(snap('a', ladder(100, 0.5, 40, 1, 'bid'), ladder(100.5, 0.5, 40, 1, 'ask')));
  books.apply(snap('b', ladder(100.2, 0.1, 40, 2, 'bid'), ladder(100.3, 0.1, 40, 2, 'ask')));
  return { clock, books };
}

describe('composite books', () => {
  it('are sent only while a UI watches them, summed per bucket after grouping, with every member named', () => {
    const { clock, books } = setup();
    expect(composites(books.takeViews(clock.now()))).toEqual([]);
    books.watchComposite('perp', 'BTC-USDT', 1);
    clock.advance(200);
    const [c] = composites(books.takeViews(clock.now()));
    expect(c).toBeDefined();
    expect(c!.state).toBe('valid');
    expect(c!.composite).toEqual({ group: 1, members: [{ exchange: 'a', state: 'valid' }, { exchange: 'b', state: 'valid' }] });
    // Bids round down: A's 100 and 99.5 -> 100 (1) and 99 (1 + 1 + ...); B's 100.2..100.0 -> 100 (3 x 2).
    expect(c!.bids[0]).toEqual([100, 1 + 3 * 2]);
    // 99: A 99.5, 99.0 (2); B 99.9..99.0 (10 levels x 2).
    expect(c!.bids[1]).toEqual([99, 2 + 20]);
    // Asks round up: A 100.5, 101 -> 101 (2); B 100.3..101.0 -> 101 (8 x 2).
    expect(c!.asks[0]).toEqual([101, 2 + 16]);
    // B holds 40 levels (4 dollars) a side, down to 96.3 and up to 104.2: the composite ends with
    // that bucket (A's deeper levels beyond it would have no B beside them).
    expect(c!.bids.map((l) => l[0])).toEqual([100, 99, 98, 97, 96]);
    expect(c!.asks.map((l) => l[0])).toEqual([101, 102, 103, 104, 105]);
    expect(c!.bids[4]).toEqual([96, 2 + 7 * 2]); // A 96.5, 96.0; B 96.9..96.3
  });

  it('a member that is resyncing is left out and named, never folded in', () => {
    const { clock, books } = setup();
    books.watchComposite('perp', 'BTC-USDT', 1);
    books.takeViews(clock.now());
    books.apply(delta('b', 5, [[100.2, 3]])); // a gap: B resyncs
    const [c] = composites(books.takeViews(clock.now()));
    expect(c!.state).toBe('valid');
    expect(c!.composite!.members).toEqual([{ exchange: 'a', state: 'valid' }, { exchange: 'b', state: 'resyncing' }]);
    expect(c!.bids[0]).toEqual([100, 1]); // A alone
    expect(c!.resyncs).toBe(1);
    // Both members invalid: the composite is not valid either.
    books.apply(delta('a', 9, [[100, 3]]));
    const [d] = composites(books.takeViews(clock.now()));
    expect(d!.state).toBe('resyncing');
    expect(d!.bids).toEqual([]);
  });

  it('group 0 buckets at the coarsest member tick; an unchanged composite is not resent; the watch lapses', () => {
    const { clock, books } = setup();
    books.watchComposite('perp', 'BTC-USDT', 0);
    const [c] = composites(books.takeViews(clock.now()));
    expect(c!.composite!.group).toBe(0.5);
    expect(c!.bids[0]).toEqual([100, 1 + 3 * 2]); // 100.2, 100.1, 100.0 of B round down to 100
    expect(c!.asks[0]).toEqual([100.5, 1 + 3 * 2]); // 100.3, 100.4, 100.5 of B round up to 100.5
    clock.advance(200);
    expect(composites(books.takeViews(clock.now()))).toEqual([]);
    books.apply(delta('a', 2, [[100, 5]]));
    clock.advance(200);
    expect(composites(books.takeViews(clock.now()))[0]!.bids[0]).toEqual([100, 5 + 6]);
    clock.advance(COMPOSITE_LEASE_MS);
    books.apply(delta('a', 3, [[100, 6]]));
    expect(composites(books.takeViews(clock.now()))).toEqual([]);
  });
});
