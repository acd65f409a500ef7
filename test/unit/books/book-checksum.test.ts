/**
 * The checksum hook every checksum venue (OKX, Kraken, Bitfinex) goes through: the update's
 * `checksum` is compared with the adapter's checksum of the book once the update is applied, on
 * the venue's own level text where the update carries it.
 */
import { describe, expect, it } from 'vitest';
import type { BookUpdate, MarketRef } from '../../../shared/domain';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import type { OrderBook } from '../../../electron/core/books/order-book';
import { consecutiveRule } from '../../../electron/core/adapters/book-spec';

const REF: MarketRef = { exchange: 'okx', market: 'perp', symbol: 'BTC-USDT' };

/** A stand-in checksum: the top two levels' text joined, hashed to a number (djb2). */
function textChecksum(book: OrderBook): number {
  const parts: string[] = [];
  for (let i = 0; i < 2; i++) {
    const b = book.bids.textAt(i);
    const a = book.asks.textAt(i);
    if (b) parts.push(b.join(':'));
    if (a) parts.push(a.join(':'));
  }
  let h = 5381;
  for (const ch of parts.join(':')) h = ((h * 33) ^ ch.charCodeAt(0)) >>> 0;
  return h;
}

function update(action: BookUpdate['action'], seq: number, bids: [string, string][], asks: [string, string][], checksum?: number): BookUpdate {
  // Sizes in base units are the venue's contracts x 0.01, as for an OKX swap: the text keeps the contracts.
  const num = (levels: [string, string][]): [number, number][] => levels.map(([p, s]) => [Number(p), Number(s) * 0.01]);
  return { type: 'book', ...REF, action, bids: num(bids), asks: num(asks), text: { bids, asks }, lastSeq: seq, ...(checksum !== undefined ? { checksum } : {}), time: seq, receivedAt: seq };
}

/** The checksum the venue would send for a book whose top is these levels. */
function expected(bids: [string, string][], asks: [string, string][]): number {
  const sync = new BookSync(REF, consecutiveRule, () => {});
  sync.apply(update('snapshot', 1, bids, asks));
  return textChecksum(sync.book);
}

describe('book checksum', () => {
  it('a matching checksum keeps the book valid; it is computed on the venue text (trailing zeros, contracts)', () => {
    const asked: ResyncReason[] = [];
    const sync = new BookSync(REF, consecutiveRule, (_r, why) => asked.push(why), false, textChecksum);
    const bids: [string, string][] = [['100.0', '5'], ['99.5', '10']];
    const asks: [string, string][] = [['100.5', '7'], ['101.0', '3']];
    sync.apply(update('snapshot', 1, bids, asks, expected(bids, asks)));
    expect(sync.state).toBe('valid');
    expect(sync.book.bids.textAt(0)).toEqual(['100.0', '5']);
    expect(sync.book.bids.top(1)).toEqual([[100, 0.05]]);
    sync.apply(update('delta', 2, [['100.0', '6']], [], expected([['100.0', '6'], ['99.5', '10']], asks)));
    expect(sync.state).toBe('valid');
    expect(sync.counters).toMatchObject({ updates: 2, checksumFailures: 0, resyncs: 0 });
    expect(asked).toEqual([]);
  });

  it('a mismatch after an update invalidates the book at once, counts it and asks for a resync', () => {
    const asked: ResyncReason[] = [];
    const sync = new BookSync(REF, consecutiveRule, (_r, why) => asked.push(why), false, textChecksum);
    const bids: [string, string][] = [['100.0', '5']];
    const asks: [string, string][] = [['100.5', '7']];
    sync.apply(update('snapshot', 1, bids, asks, expected(bids, asks)));
    // The venue's book has 4 at 100.0 (a missed update); ours would have 6: the checksum tells.
    sync.apply(update('delta', 2, [['100.0', '6']], [], expected([['100.0', '4']], asks)));
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
    expect(sync.counters).toMatchObject({ checksumFailures: 1, resyncs: 1 });
    expect(sync.lastResyncReason).toBe('checksum');
    expect(asked).toEqual(['checksum']);
  });

  it('a snapshot whose checksum disagrees is not shown as valid', () => {
    const sync = new BookSync(REF, consecutiveRule, () => {}, false, textChecksum);
    sync.apply(update('snapshot', 1, [['100.0', '5']], [['100.5', '7']], 12345));
    expect(sync.state).toBe('resyncing');
    expect(sync.counters.checksumFailures).toBe(1);
  });

  it('level text follows inserts and removals; a book without text answers with the numbers', () => {
    const sync = new BookSync(REF, consecutiveRule, () => {});
    sync.apply(update('snapshot', 1, [['100.0', '5'], ['98.0', '1']], [['100.5', '7']]));
    sync.apply(update('delta', 2, [['99.0', '2'], ['100.0', '0']], []));
    expect([0, 1, 2].map((i) => sync.book.bids.textAt(i))).toEqual([['99.0', '2'], ['98.0', '1'], undefined]);
    const plain = new BookSync(REF, consecutiveRule, () => {});
    plain.apply({ type: 'book', ...REF, action: 'snapshot', bids: [[100.5, 2]], asks: [], lastSeq: 1, time: 1, receivedAt: 1 });
    expect(plain.book.bids.textAt(0)).toEqual(['100.5', '2']);
  });
});
