/**
 * The Coinbase Advanced Trade level2 algorithm on one recorded connection
 * (test/fixtures/coinbase/level2.jsonl: sequence_num 9-60, every channel, two small synthetic
 * snapshots where the recording's 5 MB ones were): the parser's book records through BookSync
 * with Coinbase's rule. sequence_num counts the connection's messages across all channels, so a
 * message lost on ANY channel resyncs every book of the connection; a reordered update and a
 * crossed book are detected too, and a new snapshot (the resubscribe's) makes the book valid again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookUpdate } from '../../../shared/domain';
import type { ParsedEvent } from '../../../electron/core/adapters/adapter';
import { coinbaseAdapter } from '../../../electron/core/adapters/coinbase/venue';
import { coinbaseLevel2Rule } from '../../../electron/core/adapters/coinbase/book';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import { snapshotsByRest, syncRuleFor } from '../../../electron/core/books/venue-books';

const frames = readFileSync(join(__dirname, '../../fixtures/coinbase/level2.jsonl'), 'utf8').trim().split('\n');
const seqOf = (f: string): number => (JSON.parse(f) as { sequence_num: number }).sequence_num;
/** The recorded frames with sequence_num in [from, to], in recorded order. */
const between = (from: number, to: number): string[] => frames.filter((f) => seqOf(f) >= from && seqOf(f) <= to);

function parse(lines: string[]): ParsedEvent[] {
  const parser = coinbaseAdapter.createParser({
    exchange: 'coinbase', market: 'spot',
    streams: ['BTC-USD', 'ETH-USD'].map((s) => ({ symbol: s, native: s, channel: 'book' as const })),
    toCanonical: (n) => coinbaseAdapter.toCanonical(n, 'spot'),
  });
  return lines.flatMap((f, i) => parser.parse(f, 1000 + i));
}

const isBook = (e: ParsedEvent): e is BookUpdate => e.type === 'book';

/** Both books of the connection, fed every book record in order. */
function run(events: ParsedEvent[]) {
  const asked: [string, ResyncReason][] = [];
  const books = new Map(['BTC-USD', 'ETH-USD'].map((symbol) => [symbol, new BookSync({ exchange: 'coinbase', market: 'spot', symbol }, coinbaseLevel2Rule, (r, why) => asked.push([r.symbol, why]))]));
  for (const u of events.filter(isBook)) books.get(u.symbol)!.apply(u);
  return { btc: books.get('BTC-USD')!, eth: books.get('ETH-USD')!, asked };
}

/** A level2 snapshot as the resubscribe brings it, at sequence_num `seq`. */
function snapshotFrame(seq: number, product: string, bid: [string, string], ask: [string, string]): string {
  const row = (side: string, [p, q]: [string, string]) => ({ side, event_time: '2026-08-09T21:05:49Z', price_level: p, new_quantity: q });
  return JSON.stringify({ channel: 'l2_data', timestamp: '2026-08-09T21:05:49.000000001Z', sequence_num: seq, events: [{ type: 'snapshot', product_id: product, updates: [row('bid', bid), row('offer', ask)] }] });
}

describe('Coinbase level2 on a recorded connection', () => {
  it('snapshot then updates: both books valid, every update chained to its book\'s previous message', () => {
    const events = parse(frames);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    const books = events.filter(isBook);
    expect(books.filter((u) => u.action === 'snapshot').map((u) => [u.symbol, u.lastSeq])).toEqual([['BTC-USD', 13], ['ETH-USD', 21]]);
    // BTC's first updates: 14 follows the snapshot at 13, 15 follows 14; ETH's first (22) follows 21.
    expect(books.filter((u) => u.action === 'delta').slice(0, 2).map((u) => [u.symbol, u.prevSeq, u.lastSeq])).toEqual([['BTC-USD', 13, 14], ['BTC-USD', 14, 15]]);
    expect(books.find((u) => u.symbol === 'ETH-USD' && u.action === 'delta')).toMatchObject({ prevSeq: 21, lastSeq: 22 });
    const first = books.find((u) => u.lastSeq === 14)!;
    expect(first.bids[0]).toEqual([65062.5, 0.00583]);
    expect(first.bids[1]).toEqual([65061.91, 0]); // "0" removes
    expect(first.asks.length + first.bids.length).toBe(18);

    const { btc, eth, asked } = run(events);
    expect(asked).toEqual([]);
    expect([btc.state, eth.state]).toEqual(['valid', 'valid']);
    expect(btc.counters).toMatchObject({ updates: 1 + 17, stale: 0, gaps: 0 });
    expect(eth.counters).toMatchObject({ updates: 1 + 19, stale: 0, gaps: 0 });
    expect(btc.lastSeq).toBe(52);
    // The book as a plain replay of the same frames computes it (a one-cent spread at the end).
    expect([btc.book.bids.best(), btc.book.bids.sizeAt(65083.66), btc.book.asks.best(), btc.book.asks.sizeAt(65083.67)]).toEqual([65083.66, 0.20199773, 65083.67, 0.35179577]);
    expect([btc.book.bids.length, btc.book.asks.length]).toEqual([21, 10]);
  });

  it('a message lost on another channel (the ticker at 33) resyncs both books at once; new snapshots make them valid again', () => {
    const lost = frames.filter((f) => seqOf(f) !== 33);
    const events = parse([...between(9, 32), ...between(34, 60), snapshotFrame(61, 'BTC-USD', ['65080.00', '1'], ['65090.00', '2']), snapshotFrame(62, 'ETH-USD', ['1919.00', '3'], ['1920.00', '4'])]);
    expect(lost).toHaveLength(frames.length - 1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'error', kind: 'protocol', message: 'sequence gap: 1 message(s) lost (32 -> 34)' }));
    // The marks: one empty update per book, naming no predecessor.
    const marks = events.filter((e): e is BookUpdate => isBook(e) && e.lastSeq === 33);
    expect(marks.map((m) => [m.symbol, m.bids.length + m.asks.length, m.prevSeq])).toEqual([['BTC-USD', 0, undefined], ['ETH-USD', 0, undefined]]);

    const { btc, eth, asked } = run(events);
    expect(asked).toEqual([['BTC-USD', 'gap'], ['ETH-USD', 'gap']]);
    expect([btc.state, eth.state]).toEqual(['valid', 'valid']);
    // Updates 34-60 were buffered while resyncing and dropped as older than the new snapshots.
    expect(btc.counters).toMatchObject({ resyncs: 1, gaps: 1, stale: 8 });
    expect(eth.counters).toMatchObject({ resyncs: 1, gaps: 1, stale: 13 });
    expect(btc.book.bids.best()).toBe(65080);
    expect(eth.book.asks.best()).toBe(1920);
  });

  it('a book that was not snapshotted yet is not marked: losing 20 resyncs BTC only (ETH\'s snapshot is 21)', () => {
    const { btc, eth, asked } = run(parse([...between(9, 19), ...between(21, 60)]));
    expect(asked).toEqual([['BTC-USD', 'gap']]);
    expect([btc.state, eth.state]).toEqual(['resyncing', 'valid']);
  });

  it('a reordered update is detected and the book resynced', () => {
    const events = parse([...between(9, 29), ...between(31, 31), ...between(30, 30), ...between(32, 60)]);
    const { btc, eth, asked } = run(events);
    expect(asked).toEqual([['BTC-USD', 'gap'], ['ETH-USD', 'gap']]);
    expect(btc.state).toBe('resyncing');
    expect(eth.state).toBe('resyncing');
    expect(btc.book.levels).toBe(0);
  });

  it('a crossed book is detected and resynced, never valid', () => {
    // The recorded update 15 with its ask moved below the best bid (65000 from the snapshot).
    const crossing = between(15, 15)[0]!.replace('"price_level":"65106.54"', '"price_level":"64999.99"');
    const { btc, asked } = run(parse([...between(9, 14), crossing, ...between(16, 20)]));
    expect(asked).toEqual([['BTC-USD', 'crossed']]);
    expect(btc.state).toBe('resyncing');
    expect(btc.counters.crossed).toBe(1);
  });

  it('a malformed level is a parse error, and its book is resynced (the update is lost to it)', () => {
    const bad = between(15, 15)[0]!.replace('"new_quantity":"0.15361938"', '"new_quantity":"x"');
    expect(bad).not.toBe(between(15, 15)[0]);
    const events = parse([...between(9, 14), bad, ...between(16, 20)]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'error', kind: 'parse', symbol: 'BTC-USD', message: expect.stringMatching(/^bad l2_data update for BTC-USD: level/) }));
    const { btc, asked } = run(events);
    expect(asked).toEqual([['BTC-USD', 'gap']]);
    expect(btc.state).toBe('resyncing');
  });

  it('the adapter offers book, subscribes level2, resubscribes it alone (unsubscribe first) and lets snapshots through', () => {
    expect(coinbaseAdapter.channels.spot).toContain('book');
    expect(syncRuleFor('coinbase', 'spot')).toBe(coinbaseLevel2Rule);
    expect(snapshotsByRest('coinbase')).toBe(false);
    const streams = [{ symbol: 'BTC-USD', native: 'BTC-USD', channel: 'book' as const }, { symbol: 'BTC-USD', native: 'BTC-USD', channel: 'trades' as const }];
    expect(coinbaseAdapter.subscribeMessages(streams, 'spot')).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"heartbeats"}',
    ]);
    expect(coinbaseAdapter.resubscribeMessages!([streams[0]!], 'spot')).toEqual([
      '{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"}',
      '{"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}',
    ]);
    // A 5 MB snapshot must pass the frame cap.
    expect(coinbaseAdapter.maxFrameBytes).toBeGreaterThanOrEqual(10 * 1024 * 1024);
  });
});
