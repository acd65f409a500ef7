/**
 * The Bybit v5 book algorithm on recorded `orderbook` frames (test/fixtures/bybit/
 * orderbook.{spot,linear}.head.jsonl: BTCUSDT snapshot + deltas with consecutive `u`): the
 * parser's book records through BookSync with the rule the adapter declares; a missed message, a
 * reordered update and a crossed book each detected and resynced by a new snapshot; a `u` = 1
 * snapshot (service restart) replaces the book.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookUpdate, MarketType } from '../../../shared/domain';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import { checksumFor, snapshotsByRest, syncRuleFor } from '../../../electron/core/books/venue-books';
import type { Stream } from '../../../electron/core/adapters/adapter';

const BOOK: Stream = { symbol: 'BTC-USDT', native: 'BTCUSDT', channel: 'book' };

function frames(kind: 'spot' | 'linear'): string[] {
  return readFileSync(join(__dirname, `../../fixtures/bybit/orderbook.${kind}.head.jsonl`), 'utf8').trim().split('\n');
}

function parse(market: MarketType, lines: string[]): BookUpdate[] {
  const parser = bybitAdapter.createParser({ exchange: 'bybit', market, streams: [BOOK], toCanonical: (n) => bybitAdapter.toCanonical(n, market) });
  return lines.flatMap((f, i) => parser.parse(f, 5000 + i)) as BookUpdate[];
}

const spot = (): BookUpdate[] => parse('spot', frames('spot'));

function run(updates: BookUpdate[], market: MarketType = 'spot'): { sync: BookSync; asked: ResyncReason[] } {
  const asked: ResyncReason[] = [];
  const sync = new BookSync({ exchange: 'bybit', market, symbol: 'BTC-USDT' }, syncRuleFor('bybit', market), (_r, why) => asked.push(why), snapshotsByRest('bybit'), checksumFor('bybit', market));
  for (const u of updates) sync.apply(u);
  return { sync, asked };
}

/** The book the frames describe, read straight from their JSON (a Map per side, sorted at the end). */
function reference(lines: string[]): { bids: [number, number][]; asks: [number, number][] } {
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  for (const line of lines) {
    const m = JSON.parse(line) as { type: string; data: { b: string[][]; a: string[][] } };
    if (m.type === 'snapshot') (bids.clear(), asks.clear());
    for (const [side, rows] of [[bids, m.data.b], [asks, m.data.a]] as const) {
      for (const [p, s] of rows) Number(s) === 0 ? side.delete(Number(p)) : side.set(Number(p), Number(s));
    }
  }
  return { bids: [...bids].sort((x, y) => y[0] - x[0]), asks: [...asks].sort((x, y) => x[0] - y[0]) };
}

/** The recorded snapshot as Bybit would send it again at update id `u`. */
const resnapshot = (u: number): BookUpdate => ({ ...spot()[0]!, lastSeq: u });

describe('Bybit orderbook on recorded frames', () => {
  it('parses the snapshot and deltas: `u` as the sequence, cts as the time, sizes in base units, "0" removes', () => {
    const d = spot();
    expect(d).toHaveLength(8);
    expect(d[0]).toMatchObject({ type: 'book', exchange: 'bybit', market: 'spot', symbol: 'BTC-USDT', action: 'snapshot', lastSeq: 62505424, time: 1786310816512 });
    expect(d[0]!.bids).toHaveLength(200);
    expect(d[0]!.bids[0]).toEqual([65140.4, 0.885797]);
    expect(d.slice(1).map((u) => [u.action, u.lastSeq])).toEqual([62505425, 62505426, 62505427, 62505428, 62505429, 62505430, 62505431].map((u) => ['delta', u]));
    expect(d[1]).toMatchObject({ bids: [[65140.4, 0.875077]], asks: [[65154.6, 0.09948], [65154.7, 0.123013], [65239, 0.155135], [65239.1, 0]], time: 1786310816585 });
    expect(d[1]!.firstSeq).toBeUndefined(); // `seq` is the cross sequence: not the book's
    // Linear sizes are base coin (BTC), like publicTrade `v`: no contract conversion.
    const linear = parse('perp', frames('linear'));
    expect(linear[0]).toMatchObject({ market: 'perp', action: 'snapshot', lastSeq: 15076952 });
    expect(linear[0]!.bids[0]).toEqual([65114.2, 6.054]);
  });

  it('the snapshot and every consecutive delta applied: valid, no resync, the levels as Bybit sent them', () => {
    const { sync, asked } = run(spot());
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
    expect(sync.lastSeq).toBe(62505431);
    expect(sync.counters).toMatchObject({ updates: 8, gaps: 0, resyncs: 0, stale: 0 });
    expect(sync.book.bids.sizeAt(65140.4)).toBe(0.875077); // delta 1
    expect(sync.book.asks.sizeAt(65239)).toBe(0.155135); // removed by delta 2, back in delta 4
    const expected = reference(frames('spot'));
    expect(sync.book.bids.top(1000)).toEqual(expected.bids);
    expect(sync.book.asks.top(1000)).toEqual(expected.asks);
    const linear = run(parse('perp', frames('linear')), 'perp');
    expect(linear.sync.state).toBe('valid');
    expect(linear.sync.counters).toMatchObject({ updates: 7, resyncs: 0 });
  });

  it('a missed message is detected at once, the book cleared, and a new snapshot makes it valid again', () => {
    const d = spot();
    const { sync, asked } = run([d[0]!, d[1]!, d[2]!, d[4]!]); // 62505427 missed
    expect(asked).toEqual(['gap']);
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
    expect(sync.counters).toMatchObject({ gaps: 1, resyncs: 1 });
    // The resubscribe's snapshot at 62505429; the buffered 62505428 is older (dropped), 62505430 chains.
    sync.apply(d[5]!); // 62505429, buffered while resyncing, then contained in the snapshot
    sync.apply(resnapshot(62505429));
    sync.apply(d[6]!);
    expect(sync.state).toBe('valid');
    expect(sync.lastSeq).toBe(62505430);
    expect(asked).toEqual(['gap']);
  });

  it('a reordered update is detected and resynced', () => {
    const d = spot();
    const { sync, asked } = run([d[0]!, d[2]!, d[1]!]);
    expect(asked).toEqual(['gap']);
    expect(sync.state).toBe('resyncing');
  });

  it('a crossed book is detected and resynced, never valid', () => {
    const d = spot();
    const crossing: BookUpdate = { ...d[1]!, bids: [[65200, 1]], asks: [] }; // above the best ask 65140.5
    const { sync, asked } = run([d[0]!, crossing]);
    expect(asked).toEqual(['crossed']);
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
  });

  it('a `u` = 1 message after a service restart replaces the book, and deltas chain from 1', () => {
    const d = spot();
    const restart = frames('spot')[0]!.replace('"u":62505424', '"u":1').replace('"type":"snapshot"', '"type":"delta"');
    const [reset] = parse('spot', [restart]);
    expect(reset).toMatchObject({ action: 'snapshot', lastSeq: 1 });
    const next = { ...d[1]!, lastSeq: 2 };
    const { sync, asked } = run([d[0]!, d[1]!, d[2]!, reset!, next]);
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
    expect(sync.lastSeq).toBe(2);
    expect(sync.book.asks.sizeAt(65239)).toBe(0.155135); // the restart's book plus delta "2", not the old book
  });

  it('a malformed orderbook frame is a counted parse error, not a book record', () => {
    const f = frames('spot')[1]!;
    for (const bad of [f.replace('"u":62505425', '"u":"62505425"'), f.replace('["65140.4","0.875077"]', '["65140.4","x"]'), f.replace('"type":"delta"', '"type":"other"')]) {
      expect(parse('spot', [bad])).toMatchObject([{ type: 'error', kind: 'parse', message: expect.stringMatching(/orderbook/) }]);
    }
  });

  it('offers `book` on spot and linear, subscribes orderbook.50, and resubscribes by unsubscribing first', () => {
    expect(bybitAdapter.channels.spot).toContain('book');
    expect(bybitAdapter.channels.perp).toContain('book');
    expect(bybitAdapter.subscribeMessages([BOOK], 'perp')).toEqual(['{"op":"subscribe","args":["orderbook.50.BTCUSDT"],"req_id":"sub-BTCUSDT"}']);
    expect(bybitAdapter.resubscribeMessages?.([BOOK], 'spot')).toEqual([
      '{"op":"unsubscribe","args":["orderbook.50.BTCUSDT"],"req_id":"unsub-BTCUSDT"}',
      '{"op":"subscribe","args":["orderbook.50.BTCUSDT"],"req_id":"sub-BTCUSDT"}',
    ]);
    expect(syncRuleFor('bybit', 'perp').name).toBe('consecutive');
    expect(snapshotsByRest('bybit')).toBe(false);
  });
});
