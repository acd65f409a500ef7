/**
 * The Bitfinex book algorithm on recorded `book` P0 frames (test/fixtures/bitfinex/book.jsonl, one
 * connection with SEQ_ALL: every frame ends with the connection's sequence number): the parser's
 * snapshots and updates through BookSync with Bitfinex's rule and checksum; a missed message, a
 * reordered one, a stale one, a crossed book and a bad checksum each detected and resynced, and the
 * resubscribe that resyncs it (unsubscribe the chanId, subscribe again).
 * The recording has no `cs` frames (checksums were off), so the checksum is checked against
 * values computed outside this code base (Python zlib.crc32 on the documented string).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookUpdate } from '../../../shared/domain';
import type { ParsedEvent } from '../../../electron/core/adapters/adapter';
import { bitfinexAdapter } from '../../../electron/core/adapters/bitfinex/venue';
import { bitfinexChecksum, bitfinexRule } from '../../../electron/core/adapters/bitfinex/book';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import { checksumFor, snapshotsByRest, syncRuleFor } from '../../../electron/core/books/venue-books';

const DOG = { exchange: 'bitfinex', market: 'spot' as const, symbol: 'DOG-USD' };
const frames = readFileSync(join(__dirname, '../../fixtures/bitfinex/book.jsonl'), 'utf8').trim().split('\n');
const STREAMS = ['tTESTBTC:TESTUSD', 'tDOGUSD', 'tODEUSD', 'tIOTETH'].map((native) => ({ symbol: bitfinexAdapter.toCanonical(native, 'spot'), native, channel: 'book' as const }));

function newParser() {
  return bitfinexAdapter.createParser({ exchange: 'bitfinex', market: 'spot', streams: STREAMS, toCanonical: (n) => bitfinexAdapter.toCanonical(n, 'spot') });
}

/** Everything the parser makes of `lines` (indexes into the fixture, in the order given). */
function parse(lines: number[] = frames.map((_, i) => i), parser = newParser()): ParsedEvent[] {
  return lines.flatMap((i) => parser.parse(frames[i]!, 1000 + i));
}

const booksOf = (events: ParsedEvent[], symbol: string) => events.filter((e): e is BookUpdate => e.type === 'book' && e.symbol === symbol);

function run(updates: BookUpdate[]): { sync: BookSync; asked: ResyncReason[] } {
  const asked: ResyncReason[] = [];
  const sync = new BookSync(DOG, bitfinexRule, (_r, why) => asked.push(why), false, checksumFor('bitfinex', 'spot'));
  for (const u of updates) sync.apply(u);
  return { sync, asked };
}

/** Fixture lines: 4 subscribed events, then frames with sequence numbers 15..29 (line = seq - 11). */
const line = (seq: number) => seq - 11;
const ALL_BUT = (...seqs: number[]) => frames.map((_, i) => i).filter((i) => !seqs.map(line).includes(i));

describe('Bitfinex book on recorded frames', () => {
  it('parses snapshots and level updates: amount sign is the side, count 0 removes, sequence numbers chain per channel', () => {
    const events = parse();
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    const dog = booksOf(events, 'DOG-USD');
    expect(dog.map((u) => [u.action, u.lastSeq, u.prevSeq])).toEqual([
      ['snapshot', 16, undefined], ['delta', 18, 16], ['delta', 19, 18], ['delta', 21, 19], ['delta', 22, 21],
      ['delta', 23, 22], ['delta', 24, 23], ['delta', 25, 24], ['delta', 26, 25], ['delta', 27, 26],
    ]);
    expect(dog[0]!.bids).toHaveLength(100);
    expect(dog[0]!.bids[0]).toEqual([277520, 0.00383141]);
    expect(dog[0]!.asks).toHaveLength(100);
    expect(dog[1]).toMatchObject({ bids: [[215350, 0]], asks: [] }); // [215350,0,1]: remove a bid
    expect(dog[5]).toMatchObject({ bids: [], asks: [[283460, 0]] }); // [283460,0,-1]: remove an ask
    expect(dog[9]).toMatchObject({ bids: [], asks: [[283510, 0.00426663]] }); // [283510,1,-0.00426663]
    // IOT-ETH's snapshot (seq 20) sits between DOG-USD's 19 and 21 without breaking DOG-USD's chain.
    expect(booksOf(events, 'IOT-ETH').map((u) => [u.lastSeq, u.prevSeq])).toEqual([[20, undefined], [28, 20], [29, 28]]);
  });

  it('the recorded book through BookSync stays valid, and its checksum is the one computed outside (Python zlib)', () => {
    const { sync, asked } = run(booksOf(parse(), 'DOG-USD'));
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
    expect(sync.counters).toMatchObject({ updates: 10, resyncs: 0, gaps: 0 });
    expect(sync.book.bids.top(1)).toEqual([[277520, 0.09]]);
    expect(sync.book.asks.top(1)).toEqual([[282030, 0.117]]);
    expect(bitfinexChecksum(sync.book)).toBe(-1634509557);
    // A `cs` frame with that value keeps it valid.
    const cs: BookUpdate = { ...booksOf(parse(), 'DOG-USD')[9]!, bids: [], asks: [], lastSeq: 30, prevSeq: 27, checksum: -1634509557 };
    sync.apply(cs);
    expect(sync.state).toBe('valid');
    expect(sync.counters.checksumFailures).toBe(0);
  });

  it('checksum of a known small book: interleaved bid/ask price:amount, asks negative, signed CRC32', () => {
    const { sync } = run([{ type: 'book', ...DOG, action: 'snapshot', bids: [[100, 1], [99, 2.5]], asks: [[101, 3], [102, 0.5]], time: 0, receivedAt: 0 }]);
    expect(bitfinexChecksum(sync.book)).toBe(-563507321); // "100:1:101:-3:99:2.5:102:-0.5"
    const oneAsk = run([{ type: 'book', ...DOG, action: 'snapshot', bids: [[100, 1], [99, 2.5]], asks: [[101, 3]], time: 0, receivedAt: 0 }]);
    expect(bitfinexChecksum(oneAsk.sync.book)).toBe(1035499276); // "100:1:101:-3:99:2.5": a missing level is skipped
  });

  it('a bad checksum invalidates the book at once, counts it, asks for a resync; the new snapshot makes it valid', () => {
    const parser = newParser();
    const events = parse(undefined, parser);
    const csFrame = (value: number, seq: number) => parser.parse(JSON.stringify([225206, 'cs', value, seq]), 2000);
    const bad = booksOf(csFrame(-1634509556, 30), 'DOG-USD');
    expect(bad).toMatchObject([{ action: 'delta', bids: [], asks: [], checksum: -1634509556, lastSeq: 30, prevSeq: 27 }]);
    const { sync, asked } = run([...booksOf(events, 'DOG-USD'), ...bad]);
    expect(asked).toEqual(['checksum']);
    expect(sync.state).toBe('resyncing');
    expect(sync.counters).toMatchObject({ checksumFailures: 1, resyncs: 1 });
    expect(sync.book.levels).toBe(0);
    // The resync: unsubscribe the chanId, subscribe again; the venue answers with a new chanId and snapshot.
    expect(parser.resubscribeMessages!([STREAMS[1]!])).toEqual([
      '{"event":"unsubscribe","chanId":225206}',
      '{"event":"subscribe","channel":"book","symbol":"tDOGUSD","prec":"P0","freq":"F0","len":"25"}',
    ]);
    expect(parser.resubscribeMessages!([STREAMS[1]!])).toEqual([]); // asked again before the venue answered: already under way
    parser.parse('{"event":"unsubscribed","status":"OK","chanId":225206}', 2001);
    parser.parse('{"event":"subscribed","channel":"book","chanId":300001,"symbol":"tDOGUSD","prec":"P0","freq":"F0","len":"25","pair":"DOGUSD"}', 2002);
    const resnap = booksOf(parser.parse('[300001,[[277520,1,0.09],[282030,1,-0.117]],31]', 2003), 'DOG-USD');
    for (const u of resnap) sync.apply(u);
    expect(sync.state).toBe('valid');
    expect(sync.book.levels).toBe(2);
    for (const u of booksOf(parser.parse(JSON.stringify([300001, 'cs', 1754625063, 32]), 2004), 'DOG-USD')) sync.apply(u);
    expect(sync.state).toBe('valid'); // "277520:0.09:282030:-0.117", Python zlib
    expect(sync.counters).toMatchObject({ checksumFailures: 1, resyncs: 1 });
  });

  it('a missed message (a skipped sequence number) is reported and breaks the chains it spans: the book resyncs', () => {
    const events = parse(ALL_BUT(19)); // DOG-USD's [279380,1,0.0089]
    expect(events.filter((e) => e.type === 'error')).toMatchObject([{ kind: 'protocol', message: 'Bitfinex: sequence 20 after 18 (messages lost or reordered)' }]);
    const dog = booksOf(events, 'DOG-USD');
    expect([dog[2]!.lastSeq, dog[2]!.prevSeq]).toEqual([21, undefined]); // no chain across the skip
    const { sync, asked } = run(dog);
    expect(asked).toEqual(['gap']);
    expect(sync.state).toBe('resyncing');
    expect(sync.counters.gaps).toBe(1);
    // IOT-ETH's snapshot came after the skip: its chain is intact.
    expect(booksOf(events, 'IOT-ETH').map((u) => u.prevSeq)).toEqual([undefined, 20, 28]);
  });

  it('a reordered update is detected and resynced; updates older than a new snapshot are stale', () => {
    const swapped = ALL_BUT().map((i) => (i === line(22) ? line(23) : i === line(23) ? line(22) : i));
    const events = parse(swapped);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(3); // 23 after 21, 22 after 23, 24 after 22
    const { sync, asked } = run(booksOf(events, 'DOG-USD'));
    expect(asked).toEqual(['gap']);
    expect(sync.state).toBe('resyncing');
    // After a resubscribe the old subscription's last updates arrive before the new snapshot: stale.
    const late = booksOf(parse(), 'DOG-USD').slice(3);
    const stale = run([{ type: 'book', ...DOG, action: 'snapshot', bids: [[277520, 0.09]], asks: [[282030, 0.117]], lastSeq: 30, time: 0, receivedAt: 0 }]);
    stale.sync.apply(late[0]!); // seq 21 < 30: already in the snapshot
    expect(stale.sync.counters.stale).toBe(1);
    expect(stale.sync.state).toBe('valid');
  });

  it('a crossed book is detected and resynced, never valid', () => {
    const parser = newParser();
    const dog = booksOf(parse(undefined, parser), 'DOG-USD');
    const crossing = booksOf(parser.parse('[225206,[290000,1,0.5],30]', 2000), 'DOG-USD'); // a bid above the best ask 282030
    const { sync, asked } = run([...dog, ...crossing]);
    expect(asked).toEqual(['crossed']);
    expect(sync.state).toBe('resyncing');
    expect(sync.counters.crossed).toBe(1);
  });

  it('heartbeats are not updates and keep the chain; malformed levels are refused whole', () => {
    const parser = newParser();
    parse(undefined, parser);
    expect(parser.parse('[225206,"hb",30]', 2000)).toEqual([{ type: 'control', what: 'heartbeat' }]);
    expect(booksOf(parser.parse('[225206,[277520,1,0.1],31]', 2001), 'DOG-USD')).toMatchObject([{ lastSeq: 31, prevSeq: 27 }]);
    expect(parser.parse('[225206,[277520,-1,0.1],32]', 2002)).toMatchObject([{ type: 'error', kind: 'parse', message: 'Bitfinex: bad book message' }]);
    expect(parser.parse('[225206,[[277520,1,0.1],[1,1,"x"]],33]', 2003)).toMatchObject([{ type: 'error', kind: 'parse' }]);
    expect(parser.parse('[225206,"cs","abc",34]', 2004)).toMatchObject([{ type: 'error', kind: 'parse', message: 'Bitfinex: bad book checksum' }]);
  });

  it('declares the book: conf SEQ_ALL|OB_CHECKSUM before the P0/F0/25 subscribe, resync by resubscribe, no REST snapshot', () => {
    expect(bitfinexAdapter.channels.spot).toContain('book');
    expect(syncRuleFor('bitfinex', 'spot')).toBe(bitfinexRule);
    expect(snapshotsByRest('bitfinex')).toBe(false);
    expect(bitfinexAdapter.subscribeMessages([{ symbol: 'BTC-USD', native: 'tBTCUSD', channel: 'trades' }, STREAMS[1]!], 'spot')).toEqual([
      '{"event":"conf","flags":196608}',
      '{"event":"subscribe","channel":"trades","symbol":"tBTCUSD"}',
      '{"event":"subscribe","channel":"book","symbol":"tDOGUSD","prec":"P0","freq":"F0","len":"25"}',
    ]);
    // Without a book no flags are asked for (frames keep their plain shape).
    expect(bitfinexAdapter.subscribeMessages([{ symbol: 'BTC-USD', native: 'tBTCUSD', channel: 'trades' }], 'spot')).toEqual(['{"event":"subscribe","channel":"trades","symbol":"tBTCUSD"}']);
  });
});
