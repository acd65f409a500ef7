/**
 * The Binance book algorithm on recorded `depth@100ms` diffs (test/fixtures/binance/
 * depth_100ms.head.jsonl): the parser's book records through BookSync with Binance's rule, from a
 * REST-shaped snapshot; a missed message, a reordered update and a crossed book each detected and
 * resynced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookUpdate } from '../../../shared/domain';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import { binanceDepthPath, parseBinanceDepth } from '../../../electron/core/adapters/binance/rest';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import { binanceFuturesRule, binanceSpotRule } from '../../../electron/core/adapters/binance/book';
import { snapshotsByRest, syncRuleFor } from '../../../electron/core/books/venue-books';

const REF = { exchange: 'binance', market: 'spot' as const, symbol: 'NKN-USDT' };
const frames = readFileSync(join(__dirname, '../../fixtures/binance/depth_100ms.head.jsonl'), 'utf8').trim().split('\n');

function diffs(): BookUpdate[] {
  const parser = binanceAdapter.createParser({
    exchange: 'binance', market: 'spot', streams: [{ symbol: 'NKN-USDT', native: 'NKNUSDT', channel: 'book' }],
    toCanonical: (n) => binanceAdapter.toCanonical(n, 'spot'),
  });
  return frames.flatMap((f, i) => parser.parse(f, 1000 + i)) as BookUpdate[];
}

/** A REST /api/v3/depth body at lastUpdateId, parsed as the book's snapshot. */
function snapshot(lastUpdateId: number): BookUpdate {
  const body = parseBinanceDepth({ lastUpdateId, bids: [['0.35000000', '100.00000000'], ['0.34000000', '50.00000000']], asks: [['0.36000000', '70.00000000']] });
  return { type: 'book', ...REF, action: 'snapshot', bids: body.bids, asks: body.asks, lastSeq: body.lastSeq, time: 0, receivedAt: 999 };
}

function run(updates: BookUpdate[]): { sync: BookSync; asked: ResyncReason[] } {
  const asked: ResyncReason[] = [];
  const sync = new BookSync(REF, binanceSpotRule, (_r, why) => asked.push(why));
  for (const u of updates) sync.apply(u);
  return { sync, asked };
}

describe('Binance depth on recorded diffs', () => {
  it('parses depthUpdate frames into deltas with U/u and numeric levels', () => {
    const d = diffs();
    expect(d).toHaveLength(11);
    expect(d[0]).toMatchObject({ type: 'book', exchange: 'binance', market: 'spot', symbol: 'NKN-USDT', action: 'delta', firstSeq: 499869750, lastSeq: 499869752, time: 1633998512068 });
    expect(d[0]!.bids[0]).toEqual([0.3513, 6195]);
    expect(d.some((u) => u.asks.some(([, s]) => s === 0))).toBe(true); // "0.00000000" removes
  });

  it('diffs buffered before the snapshot: older ones dropped, the straddling one first, the rest chained: valid', () => {
    const d = diffs();
    // Snapshot at 499869755: frames 0-1 (u <= 755) are dropped, frame 2 (U 755 .. u 757) straddles 756.
    const { sync, asked } = run([...d, snapshot(499869755)]);
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
    expect(sync.lastSeq).toBe(499869772);
    expect(sync.counters).toMatchObject({ stale: 2, updates: 1 + 9, resyncs: 0 });
    expect(sync.book.bids.sizeAt(0.352)).toBe(1290); // from frame 2
    expect(sync.book.asks.sizeAt(0.3534)).toBe(0);
  });

  it('a missed message is detected and the book resynced', () => {
    const d = diffs();
    const { sync, asked } = run([snapshot(499869752), ...d.slice(1, 4), ...d.slice(5)]);
    expect(asked).toEqual(['gap']);
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
    // Resynced: the diffs that kept coming were buffered; the new snapshot drops those it
    // contains and chains the rest.
    sync.apply(snapshot(499869769));
    expect(sync.state).toBe('valid');
    expect(asked).toEqual(['gap']);
    expect(sync.lastSeq).toBe(499869772);
  });

  it('a reordered update is detected and the book resynced', () => {
    const d = diffs();
    const { sync, asked } = run([snapshot(499869752), d[1]!, d[3]!, d[2]!]);
    expect(asked).toEqual(['gap']);
    expect(sync.state).toBe('resyncing');
  });

  it('a crossed book is detected and resynced, never valid', () => {
    const d = diffs();
    const crossing: BookUpdate = { ...d[1]!, bids: [[0.37, 1]], asks: [] }; // bid above the best ask
    const { sync, asked } = run([snapshot(499869752), crossing]);
    expect(asked).toEqual(['crossed']);
    expect(sync.state).toBe('resyncing');
  });

  it('rules per venue: Binance spot and USD-M, the rest consecutive; REST paths and a malformed snapshot', () => {
    expect(syncRuleFor('binance', 'spot')).toBe(binanceSpotRule);
    expect(syncRuleFor('binance', 'perp')).toBe(binanceFuturesRule);
    expect(syncRuleFor('simulator', 'spot').name).toBe('consecutive');
    expect(snapshotsByRest('binance')).toBe(true);
    expect(snapshotsByRest('simulator')).toBe(false);
    expect(binanceDepthPath('BTCUSDT', 'spot')).toBe('/api/v3/depth?symbol=BTCUSDT&limit=1000');
    expect(binanceDepthPath('BTCUSDT', 'perp')).toBe('/fapi/v1/depth?symbol=BTCUSDT&limit=1000');
    expect(() => parseBinanceDepth({ bids: [], asks: [] })).toThrow(/lastUpdateId/);
    expect(() => parseBinanceDepth({ lastUpdateId: 1, bids: [['x', '1']], asks: [] })).toThrow(/bids or asks/);
  });

  it('a malformed depthUpdate is a parse error, not a book record', () => {
    const parser = binanceAdapter.createParser({ exchange: 'binance', market: 'spot', streams: [], toCanonical: (n) => binanceAdapter.toCanonical(n, 'spot') });
    const bad = frames[0]!.replace('"U":499869750', '"U":"x"');
    expect(parser.parse(bad, 1)).toMatchObject([{ type: 'error', kind: 'parse', message: expect.stringMatching(/depthUpdate/) }]);
  });
});
