/**
 * The OKX v5 `books` algorithm on recorded frames (test/fixtures/okx/books.*.jsonl, 2022: real
 * `checksum`s, no seqId yet): our CRC32 over the top 25 levels reproduces every recorded checksum
 * exactly, on spot (BTC-USDT) and on an inverse swap whose sizes are contracts (UNI-USD-SWAP);
 * a missed message, a bad checksum, a reordered update and a crossed book are each detected and
 * resynced; seqId/prevSeqId continuity as the current API sends it (added to the recorded frames).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookUpdate, MarketType } from '../../../shared/domain';
import { okxAdapter } from '../../../electron/core/adapters/okx/venue';
import { okxChecksum } from '../../../electron/core/adapters/okx/book';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import { checksumFor, snapshotsByRest, syncRuleFor } from '../../../electron/core/books/venue-books';
import type { ParsedEvent } from '../../../electron/core/adapters/adapter';

const lines = (file: string): string[] => readFileSync(join(__dirname, `../../fixtures/okx/${file}`), 'utf8').trim().split('\n');
const SPOT_FRAMES = lines('books.btc-usdt.head.jsonl');
const SWAP_FRAMES = lines('books.uni-usd-swap.jsonl');
/** OKX's instruments push for UNI-USD-SWAP: an inverse swap of 10 USD a contract. */
const UNI_INSTRUMENT = '{"arg":{"channel":"instruments","instType":"SWAP"},"data":[{"instType":"SWAP","instId":"UNI-USD-SWAP","ctVal":"10","ctValCcy":"USD","ctType":"inverse","state":"live"}]}';

function parse(market: MarketType, frames: string[]): ParsedEvent[] {
  const native = market === 'perp' ? 'UNI-USD-SWAP' : 'BTC-USDT';
  const parser = okxAdapter.createParser({
    exchange: 'okx', market, streams: [{ symbol: okxAdapter.toCanonical(native, market), native, channel: 'book' }],
    toCanonical: (n) => okxAdapter.toCanonical(n, market),
  });
  return frames.flatMap((f, i) => parser.parse(f, 7000 + i));
}

const books = (events: ParsedEvent[]): BookUpdate[] => events.filter((e): e is BookUpdate => e.type === 'book');
const spot = (): BookUpdate[] => books(parse('spot', SPOT_FRAMES));
const swap = (): BookUpdate[] => books(parse('perp', [UNI_INSTRUMENT, ...SWAP_FRAMES]));

function run(updates: BookUpdate[], market: MarketType = 'spot'): { sync: BookSync; asked: ResyncReason[] } {
  const asked: ResyncReason[] = [];
  const ref = { exchange: 'okx', market, symbol: updates[0]?.symbol ?? 'BTC-USDT' };
  const sync = new BookSync(ref, syncRuleFor('okx', market), (_r, why) => asked.push(why), snapshotsByRest('okx'), checksumFor('okx', market));
  for (const u of updates) sync.apply(u);
  return { sync, asked };
}

/** The frames as the current API writes them: seqId on every push, prevSeqId (-1 on the snapshot). */
function withSeq(frames: string[], seqs: [prev: number, seq: number][]): string[] {
  return frames.map((f, i) => {
    const m = JSON.parse(f) as { data: Record<string, unknown>[] };
    const [prevSeqId, seqId] = seqs[i]!;
    m.data[0] = { ...m.data[0], prevSeqId, seqId };
    return JSON.stringify(m);
  });
}

describe('OKX books on recorded frames', () => {
  it('reproduces every recorded checksum exactly: spot snapshot (400 levels) and updates', () => {
    const u = spot();
    expect(u.map((x) => x.action)).toEqual(['snapshot', 'delta', 'delta', 'delta', 'delta', 'delta', 'delta']);
    const sync = new BookSync({ exchange: 'okx', market: 'spot', symbol: 'BTC-USDT' }, syncRuleFor('okx', 'spot'), () => {});
    const ours: number[] = [];
    for (const x of u) {
      sync.apply(x);
      ours.push(okxChecksum(sync.book));
    }
    expect(ours).toEqual([47640993, -652563973, 2021784338, 2101105642, -818012654, 1908682337, 1342226290]);
    expect(u.map((x) => x.checksum)).toEqual(ours);
  });

  it('reproduces every recorded checksum on an inverse swap: sizes in base units, the checksum on the contract text', () => {
    const u = swap();
    expect(u).toHaveLength(18);
    const { sync, asked } = run(u, 'perp');
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
    expect(sync.counters).toMatchObject({ updates: 18, checksumFailures: 0, resyncs: 0 });
    expect(okxChecksum(sync.book)).toBe(u.at(-1)!.checksum);
    // ["5.148","60",...]: 60 contracts x 10 USD / 5.148 USD = 116.55... UNI; the text keeps "60".
    expect(u[0]).toMatchObject({ symbol: 'UNI-USD', market: 'perp', action: 'snapshot', checksum: 555605283, time: 1652459225363 });
    expect(u[0]!.asks[0]![0]).toBe(5.148);
    expect(u[0]!.asks[0]![1]).toBeCloseTo(600 / 5.148, 12);
    expect(u[0]!.text!.asks[0]).toEqual(['5.148', '60']);
  });

  it('a spot snapshot and its updates through BookSync: valid, no checksum failure', () => {
    const { sync, asked } = run(spot());
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
    expect(sync.counters).toMatchObject({ updates: 7, checksumFailures: 0 });
  });

  it('a missed message (no seqId in 2022) breaks the next checksum: invalid at once, resynced, valid from the new snapshot', () => {
    const u = spot();
    const { sync, asked } = run([u[0]!, u[1]!, u[3]!]); // update 2 missed
    expect(asked).toEqual(['checksum']);
    expect(sync.state).toBe('resyncing');
    expect(sync.book.levels).toBe(0);
    expect(sync.counters).toMatchObject({ checksumFailures: 1, resyncs: 1 });
    sync.apply(u[0]!); // the resubscribe's snapshot
    sync.apply(u[1]!);
    expect(sync.state).toBe('valid');
    expect(sync.counters).toMatchObject({ checksumFailures: 1, resyncs: 1 });
  });

  it('a bad checksum is detected, counted and resynced', () => {
    const u = spot();
    const { sync, asked } = run([u[0]!, { ...u[1]!, checksum: u[1]!.checksum! + 1 }]);
    expect(asked).toEqual(['checksum']);
    expect(sync.state).toBe('resyncing');
    expect(sync.counters.checksumFailures).toBe(1);
  });

  it('seqId/prevSeqId: chained updates apply; a missed or reordered one is a gap; prevSeqId == seqId is no change; a reset seqId still chains', () => {
    const seqs: [number, number][] = [[-1, 100], [100, 105], [105, 109], [109, 120], [120, 121], [121, 130], [130, 131]];
    const u = books(parse('spot', withSeq(SPOT_FRAMES, seqs)));
    expect(u[0]).toMatchObject({ action: 'snapshot', lastSeq: 100 });
    expect(u[0]!.prevSeq).toBeUndefined();
    expect(u[1]).toMatchObject({ action: 'delta', prevSeq: 100, lastSeq: 105 });
    expect(run(u).sync.lastSeq).toBe(131);

    const missed = run([u[0]!, u[1]!, u[3]!]);
    expect(missed.asked).toEqual(['gap']); // before any checksum
    expect(missed.sync.counters).toMatchObject({ gaps: 1, checksumFailures: 0 });
    const reordered = run([u[0]!, u[2]!, u[1]!]);
    expect(reordered.asked).toEqual(['gap']);

    // The quiet-book push: no levels, prevSeqId = seqId = the last seqId, the same checksum.
    const quiet: BookUpdate = { ...u[1]!, bids: [], asks: [], text: { bids: [], asks: [] }, prevSeq: 105, lastSeq: 105 };
    // After maintenance seqId may drop below prevSeqId; the chain is prevSeqId == previous seqId.
    const reset: BookUpdate = { ...u[2]!, prevSeq: 105, lastSeq: 3 };
    const ok = run([u[0]!, u[1]!, quiet, reset]);
    expect(ok.asked).toEqual([]);
    expect(ok.sync.state).toBe('valid');
    expect(ok.sync.lastSeq).toBe(3);
  });

  it('a crossed book is detected and resynced, never valid', () => {
    const u = spot();
    const crossing: BookUpdate = { ...u[1]!, bids: [[40000, 1]], asks: [], text: { bids: [['40000', '1']], asks: [] } };
    delete crossing.checksum;
    const { sync, asked } = run([u[0]!, crossing]);
    expect(asked).toEqual(['crossed']);
    expect(sync.state).toBe('resyncing');
  });

  it('a swap book that arrives before the contract values is held and released in order', () => {
    const events = parse('perp', [SWAP_FRAMES[0]!, SWAP_FRAMES[1]!, UNI_INSTRUMENT]);
    expect(events.map((e) => (e.type === 'book' ? e.action : e.type))).toEqual(['snapshot', 'delta', 'control']);
    expect(run(books(events), 'perp').sync.counters.checksumFailures).toBe(0);
  });

  it('a malformed books push is a counted parse error', () => {
    const bad = SPOT_FRAMES[1]!.replace('"action":"update"', '"action":"partial"');
    expect(parse('spot', [bad])).toMatchObject([{ type: 'error', kind: 'parse', message: expect.stringMatching(/books/) }]);
    const badLevel = SWAP_FRAMES[1]!.replace(/\["[0-9.]+","[0-9]+"/, '["5.1","-3"');
    expect(books(parse('perp', [UNI_INSTRUMENT, badLevel]))).toEqual([]);
  });

  it('offers `book` on spot and swaps, subscribes `books`, resubscribes by unsubscribing first', () => {
    expect(okxAdapter.channels.spot).toContain('book');
    expect(okxAdapter.channels.perp).toContain('book');
    const stream = { symbol: 'BTC-USDT', native: 'BTC-USDT-SWAP', channel: 'book' as const };
    expect(okxAdapter.subscribeMessages([stream], 'perp')).toEqual([
      '{"op":"subscribe","args":[{"channel":"instruments","instType":"SWAP"},{"channel":"books","instId":"BTC-USDT-SWAP"}]}',
    ]);
    expect(okxAdapter.resubscribeMessages?.([stream], 'perp')).toEqual([
      '{"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"}]}',
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"}]}',
    ]);
    expect(snapshotsByRest('okx')).toBe(false);
  });
});
