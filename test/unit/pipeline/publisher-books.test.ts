import { describe, expect, it } from 'vitest';
import type { BookUpdate } from '../../../shared/domain';
import type { StreamBatch } from '../../../shared/protocol';
import { BookRegistry } from '../../../electron/core/books/book-registry';
import { Publisher } from '../../../electron/core/pipeline/publisher';
import { ManualClock } from '../../helpers/manual-clock';

const T0 = 1_700_000_000_000;

function upd(action: 'snapshot' | 'delta', seq: number, bid: number): BookUpdate {
  return { type: 'book', exchange: 'simulator', market: 'perp', symbol: 'BTC-USDT', action, bids: [[bid, 1]], asks: [[200, 1]], lastSeq: seq, time: T0 + seq, receivedAt: T0 + seq };
}

describe('Publisher books', () => {
  it('puts conflated book views in batches at most every 100 ms per market, and nothing when no book changed', () => {
    const clock = new ManualClock(T0);
    const books = new BookRegistry();
    const pub = new Publisher({ clock, cadenceMs: 1000 / 30 }, () => []);
    pub.setBooksSource((now) => books.takeViews(now));
    const got: StreamBatch[] = [];
    pub.subscribe({ send: (b) => got.push(b) });
    books.apply(upd('snapshot', 1, 100));
    pub.flush();
    expect(got).toHaveLength(1);
    expect(got[0]!.books).toEqual([
      { exchange: 'simulator', market: 'perp', symbol: 'BTC-USDT', state: 'valid', bids: [[100, 1]], asks: [[200, 1]], time: T0 + 1, receivedAt: T0 + 1, resyncs: 0 },
    ]);
    // Diffs at every flush (30 Hz): the book goes out at most every 100 ms, latest state each time.
    for (let i = 2; i <= 31; i++) {
      clock.advance(1000 / 30);
      books.apply(upd('delta', i, 100 + i));
      pub.flush();
    }
    const sent = got.slice(1).flatMap((b) => b.books);
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent.length).toBeLessThanOrEqual(10);
    clock.advance(200);
    pub.flush();
    const last = got.at(-1)!.books.at(-1)!;
    expect(last.bids[0]).toEqual([131, 1]); // the latest diff's level is the best bid
    const n = got.length;
    clock.advance(200);
    pub.flush(); // nothing changed: no batch at all
    expect(got).toHaveLength(n);
  });

  it('a throwing book source is counted and the rest of the batch still goes out', () => {
    const clock = new ManualClock(T0);
    const pub = new Publisher({ clock }, () => []);
    pub.setBooksSource(() => {
      throw new Error('boom');
    });
    const got: StreamBatch[] = [];
    pub.subscribe({ send: (b) => got.push(b) });
    pub.pushStatus({ type: 'status', feedId: 'f', exchange: 'simulator', market: 'spot', state: 'live', at: T0, cause: 'x' });
    pub.flush();
    expect(got).toHaveLength(1);
    expect(got[0]!.books).toEqual([]);
    expect(pub.stats().sourceErrors).toBe(1);
  });
});
