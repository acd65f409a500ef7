/**
 * The Bitstamp book algorithm on recorded `diff_order_book_ethusd` frames
 * (test/fixtures/bitstamp/diff_order_book_ethusd.jsonl): the parser's deltas through BookSync with
 * Bitstamp's rule from a REST-shaped `order_book` snapshot, aligned by microtimestamp; stale diffs
 * dropped, a reordered diff and a crossed book detected and resynced. A missed diff cannot be
 * seen from the diffs (microtimestamps are not consecutive): the connection's reconnect is what
 * restarts the book, shown here by suspend() and the REST snapshot the next diff asks for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookUpdate } from '../../../shared/domain';
import { bitstampAdapter } from '../../../electron/core/adapters/bitstamp/venue';
import { bitstampOrderBookPath, bitstampRule, parseBitstampOrderBook } from '../../../electron/core/adapters/bitstamp/book';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import { snapshotsByRest, syncRuleFor } from '../../../electron/core/books/venue-books';

const REF = { exchange: 'bitstamp', market: 'spot' as const, symbol: 'ETH-USD' };
const frames = readFileSync(join(__dirname, '../../fixtures/bitstamp/diff_order_book_ethusd.jsonl'), 'utf8').trim().split('\n');

function diffs(): BookUpdate[] {
  const parser = bitstampAdapter.createParser({
    exchange: 'bitstamp', market: 'spot', streams: [{ symbol: 'ETH-USD', native: 'ethusd', channel: 'book' }],
    toCanonical: (n) => bitstampAdapter.toCanonical(n, 'spot'),
  });
  return frames.flatMap((f, i) => parser.parse(f, 1000 + i)) as BookUpdate[];
}

/** A REST order_book body at `microtimestamp`, parsed as the book's snapshot. */
function snapshot(microtimestamp: string): BookUpdate {
  const body = parseBitstampOrderBook({
    timestamp: microtimestamp.slice(0, -6), microtimestamp,
    bids: [['3801.00', '1.00000000'], ['3800.00', '2.00000000']], asks: [['3806.00', '1.00000000'], ['3807.00', '2.00000000']],
  });
  return { type: 'book', ...REF, action: 'snapshot', bids: body.bids, asks: body.asks, lastSeq: body.lastSeq, time: body.time, receivedAt: 999 };
}

/** Between the recorded frames 1 (…691692695) and 2 (…691947415). */
const SNAP_AT = '1641343691800000';

function run(updates: BookUpdate[]): { sync: BookSync; asked: ResyncReason[] } {
  const asked: ResyncReason[] = [];
  const sync = new BookSync(REF, bitstampRule, (_r, why) => asked.push(why), true);
  for (const u of updates) sync.apply(u);
  return { sync, asked };
}

describe('Bitstamp book on recorded diff_order_book frames', () => {
  it('parses diffs into deltas whose sequence is the microtimestamp, amount "0" removing a level', () => {
    const d = diffs();
    expect(d).toHaveLength(8);
    expect(d[0]).toMatchObject({ type: 'book', exchange: 'bitstamp', market: 'spot', symbol: 'ETH-USD', action: 'delta', lastSeq: 1641343691406478, time: 1641343691406.478, receivedAt: 1000 });
    expect(d[0]!.bids).toEqual([[3800.71, 1.762], [3800.07, 10], [3799.64, 0], [3797.93, 2.73248242]]);
    expect(d[0]!.asks).toEqual([]);
    expect(d.map((u) => u.lastSeq)).toEqual([...d.map((u) => u.lastSeq)].sort((a, b) => a! - b!)); // in order, per pair
  });

  it('diffs buffered while the REST snapshot loads: those at or before its microtimestamp dropped, the rest applied: valid', () => {
    const { sync, asked } = run([...diffs(), snapshot(SNAP_AT)]);
    // The first diff asked for the snapshot; nothing else was asked for.
    expect(asked).toEqual(['initial']);
    expect(sync.state).toBe('valid');
    expect(sync.counters).toMatchObject({ stale: 2, updates: 1 + 6, resyncs: 0, gaps: 0 });
    expect(sync.lastSeq).toBe(1641343693513312);
    expect(sync.book.bids.top(1)).toEqual([[3803.13, 0.6]]);
    expect(sync.book.asks.top(1)).toEqual([[3805.47, 8.26964788]]);
    expect([sync.book.bids.length, sync.book.asks.length]).toEqual([10, 11]);
  });

  it('a reordered diff (older than the one applied before it) is detected and the book resynced from a new snapshot', () => {
    const d = diffs();
    const { sync, asked } = run([d[2]!, snapshot(SNAP_AT), d[4]!, d[3]!]);
    expect(asked).toEqual(['initial', 'gap']);
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
    expect(sync.counters).toMatchObject({ gaps: 1, resyncs: 1 });
    // The diffs that kept coming are buffered; the new snapshot drops those it contains.
    for (const u of d.slice(5)) sync.apply(u);
    sync.apply(snapshot('1641343693300000')); // after frame 6, before frame 7
    expect(sync.state).toBe('valid');
    expect(sync.counters.stale).toBe(2);
    expect(sync.lastSeq).toBe(1641343693513312);
  });

  it('a crossed book is detected and resynced, never valid', () => {
    const d = diffs();
    const crossing: BookUpdate = { ...d[2]!, bids: [[3806.5, 1]], asks: [] }; // bid above the best ask 3806
    const { sync, asked } = run([crossing, snapshot(SNAP_AT)]);
    expect(asked).toEqual(['initial', 'crossed']);
    expect(sync.state).toBe('resyncing');
    expect(sync.counters.crossed).toBe(1);
  });

  it('a missed diff is not detectable from microtimestamps; a lost connection suspends the book and the next diff asks for a new snapshot', () => {
    const d = diffs();
    // Frame 3 missing: frames 2 and 4 still chain (later microtimestamps), as Bitstamp gives nothing better.
    const { sync, asked } = run([snapshot(SNAP_AT), d[2]!, d[4]!]);
    expect(sync.state).toBe('valid');
    sync.suspend(); // the socket dropped: whatever was in flight may be lost
    expect(sync.state).toBe('resyncing');
    sync.apply(d[5]!);
    expect(asked).toEqual(['disconnect']);
    sync.apply(snapshot('1641343692800000'));
    expect(sync.state).toBe('valid');
    expect(sync.lastSeq).toBe(1641343692945613);
  });

  it('declares the rule and the REST snapshot; a malformed order_book or diff is refused', () => {
    expect(syncRuleFor('bitstamp', 'spot')).toBe(bitstampRule);
    expect(snapshotsByRest('bitstamp')).toBe(true);
    expect(bitstampAdapter.channels.spot).toContain('book');
    expect(bitstampOrderBookPath('ethusd')).toBe('/api/v2/order_book/ethusd/');
    expect(() => parseBitstampOrderBook({ bids: [], asks: [] })).toThrow(/microtimestamp/);
    expect(() => parseBitstampOrderBook({ microtimestamp: '1641343691800000', bids: [['x', '1']], asks: [] })).toThrow(/bids or asks/);
    const parser = bitstampAdapter.createParser({ exchange: 'bitstamp', market: 'spot', streams: [], toCanonical: (n) => bitstampAdapter.toCanonical(n, 'spot') });
    expect(parser.parse(frames[0]!.replace('"microtimestamp":"1641343691406478"', '"microtimestamp":"soon"'), 1)).toMatchObject([{ type: 'error', kind: 'parse', message: expect.stringMatching(/diff_order_book/) }]);
    expect(bitstampAdapter.subscribeMessages([{ symbol: 'ETH-USD', native: 'ethusd', channel: 'book' }], 'spot')).toEqual(['{"event":"bts:subscribe","data":{"channel":"diff_order_book_ethusd"}}']);
  });
});
