/**
 * The Kraken WS v2 book algorithm: the checksum (top 10 asks then bids, the venue's number text
 * with '.' and leading zeros removed, CRC32 unsigned) on the docs' snapshot and on real traffic
 * (test/fixtures/kraken/book-v1.ksm-xbt.jsonl: a WS v1 book-1000 recording, whose checksum is the
 * same algorithm, re-printed in the v2 shape), then a missed message, a bad checksum, a reordered
 * update and a crossed book, each detected and resynced; levels beyond the subscribed depth dropped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookUpdate } from '../../../shared/domain';
import type { ParsedEvent, ParserContext } from '../../../electron/core/adapters/adapter';
import { krakenAdapter } from '../../../electron/core/adapters/kraken/venue';
import { KRAKEN_BOOK_DEPTH, krakenChecksum } from '../../../electron/core/adapters/kraken/book';
import { KrakenBooks } from '../../../electron/core/adapters/kraken/book-frame';
import { consecutiveRule } from '../../../electron/core/adapters/book-spec';
import { BookSync, type ResyncReason } from '../../../electron/core/books/book-sync';
import type { OrderBook } from '../../../electron/core/books/order-book';
import { checksumFor, snapshotsByRest, syncRuleFor } from '../../../electron/core/books/venue-books';

const fixture = (name: string): string[] => readFileSync(join(__dirname, '../../fixtures/kraken', name), 'utf8').trim().split('\n');
const [DOCS_SNAPSHOT, TRIMMED_SNAPSHOT, TRIMMED_UPDATE] = fixture('book.jsonl') as [string, string, string];

const ctx = (symbol: string): ParserContext => ({
  exchange: 'kraken', market: 'spot', streams: [{ symbol: krakenAdapter.toCanonical(symbol, 'spot'), native: symbol, channel: 'book' }],
  toCanonical: (n) => krakenAdapter.toCanonical(n, 'spot'),
});

const books = (events: ParsedEvent[]): BookUpdate[] => events.filter((e): e is BookUpdate => e.type === 'book');

/** The v1 frames as v2 `book` frames: the same levels and number text, the checksum where v1 gave one. */
function v1AsV2(line: string): string {
  const msg = JSON.parse(line) as unknown[];
  const parts = msg.slice(1, -2) as Record<string, string[][] | string>[];
  const levels = (key: string) => parts.flatMap((p) => (Array.isArray(p[key]) ? (p[key] as string[][]) : []))
    .map(([price, qty]) => `{"price":${price},"qty":${qty}}`).join(',');
  const snapshot = parts.some((p) => 'as' in p || 'bs' in p);
  const c = parts.find((p) => typeof p.c === 'string')?.c;
  const bids = levels(snapshot ? 'bs' : 'b');
  const asks = levels(snapshot ? 'as' : 'a');
  return `{"channel":"book","type":"${snapshot ? 'snapshot' : 'update'}","data":[{"symbol":"${msg.at(-1) as string}","bids":[${bids}],"asks":[${asks}]${c ? `,"checksum":${c}` : ''}}]}`;
}
const KSM = fixture('book-v1.ksm-xbt.jsonl').map(v1AsV2);

/** Frames through one connection's book parser (the venue's depth 1000 for the v1 recording). */
function parse(frames: string[], symbol = 'KSM/XBT', depth = 1000): BookUpdate[] {
  const parser = new KrakenBooks(ctx(symbol), depth);
  return frames.flatMap((f, i) => {
    const msg = JSON.parse(f) as { type: unknown; data: unknown[] };
    return books(parser.parse(msg.type, msg.data, f, 1000 + i));
  });
}

function run(updates: BookUpdate[]): { sync: BookSync; asked: ResyncReason[] } {
  const asked: ResyncReason[] = [];
  const sync = new BookSync(updates[0]!, consecutiveRule, (_r, why) => asked.push(why), false, (b: OrderBook) => krakenChecksum(b));
  for (const u of updates) sync.apply(u);
  return { sync, asked };
}

/** A v2 snapshot frame of the book as held (text included), as a resubscribe would bring it. */
function snapshotOf(book: OrderBook, symbol: string): string {
  const side = (s: OrderBook['bids']) => Array.from({ length: s.length }, (_, i) => s.textAt(i)!).map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',');
  return `{"channel":"book","type":"snapshot","data":[{"symbol":"${symbol}","bids":[${side(book.bids)}],"asks":[${side(book.asks)}],"checksum":${krakenChecksum(book)}}]}`;
}

describe('Kraken v2 book checksum', () => {
  it('reproduces the docs snapshot checksum (3310070434) from the frame\'s number text', () => {
    const [snap] = parse([DOCS_SNAPSHOT], 'BTC/USD');
    expect(snap).toMatchObject({ symbol: 'BTC-USD', action: 'snapshot', checksum: 3310070434, lastSeq: 1 });
    expect(snap!.bids[0]).toEqual([45283.5, 0.1]);
    expect(snap!.text!.asks[0]).toEqual(['45285.2', '0.00100000']); // the trailing zeros JSON.parse drops
    const { sync, asked } = run([snap!]);
    expect(krakenChecksum(sync.book)).toBe(3310070434);
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
  });

  it('reproduces every checksum of real traffic: 26 updates on KSM/XBT, leading zeros of 0.007... prices removed', () => {
    const updates = parse(KSM);
    expect(updates).toHaveLength(27);
    expect(updates.filter((u) => u.checksum !== undefined)).toHaveLength(26);
    const { sync, asked } = run(updates);
    expect(asked).toEqual([]);
    expect(sync.state).toBe('valid');
    expect(sync.counters).toMatchObject({ updates: 27, checksumFailures: 0, resyncs: 0 });
    expect(krakenChecksum(sync.book)).toBe(updates.at(-1)!.checksum);
  });

  it('the recorded kraken-async-rs frames: parsed exactly, but their checksums are of the untrimmed book', () => {
    const [snap, update] = parse([TRIMMED_SNAPSHOT, TRIMMED_UPDATE], 'BTC/USD', KRAKEN_BOOK_DEPTH);
    expect(snap).toMatchObject({ action: 'snapshot', checksum: 2330500275, lastSeq: 1 });
    expect(snap!.text!.asks[3]).toEqual(['66791.1', '0.01100000']);
    expect(update).toMatchObject({ action: 'delta', checksum: 902440905, lastSeq: 2, time: Date.UTC(2024, 4, 19, 16, 45, 24, 204) + 0.654 });
    expect(update!.bids).toEqual([[66786.5, 0], [66784.5, 0.01470022], [66787.7, 0.1244]]);
    // The author kept 5 of the 10 levels a side (the ack says depth 10): our checksum of what is
    // left differs from the venue's, and a book built from it would be resynced, rightly.
    const plain = new BookSync(snap!, consecutiveRule, () => undefined);
    plain.apply(snap!);
    expect(krakenChecksum(plain.book)).toBe(3979123481);
    expect(run([snap!]).asked).toEqual(['checksum']);
  });
});

describe('Kraken v2 book sync', () => {
  it('a missed message is detected (the next checksum disagrees) and resynced', () => {
    // Frame 4 (never received) removes a top-10 bid; without it frame 5's checksum cannot match.
    const { sync, asked } = run(parse([...KSM.slice(0, 4), ...KSM.slice(5)]));
    expect(asked).toEqual(['checksum']);
    expect(sync.state).toBe('resyncing');
    expect(sync.counters.checksumFailures).toBeGreaterThanOrEqual(1);
  });

  it('a bad checksum is detected, resynced, and the new snapshot makes the book valid again (older updates stale)', () => {
    const good = run(parse(KSM.slice(0, 6))).sync;
    const frames = [...KSM.slice(0, 3), KSM[3]!.replace(/"checksum":\d+/, '"checksum":12345'), KSM[4]!, KSM[5]!, snapshotOf(good.book, 'KSM/XBT'), ...KSM.slice(6)];
    const { sync, asked } = run(parse(frames));
    expect(asked).toEqual(['checksum']);
    expect(sync.state).toBe('valid');
    // 4 and 5 came from the old subscription before the new snapshot: numbered before it, stale.
    expect(sync.counters).toMatchObject({ checksumFailures: 1, resyncs: 1, stale: 2 });
    expect(krakenChecksum(sync.book)).toBe(parse(KSM).at(-1)!.checksum);
  });

  it('a reordered update is detected and resynced', () => {
    const { sync, asked } = run(parse([...KSM.slice(0, 4), KSM[5]!, KSM[4]!, ...KSM.slice(6)]));
    expect(asked).toEqual(['checksum']);
    expect(sync.state).toBe('resyncing');
  });

  it('a crossed book is detected and resynced, never valid', () => {
    const crossing = '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45290.0,"qty":1.00000000}],"asks":[],"checksum":1}]}';
    const { sync, asked } = run(parse([DOCS_SNAPSHOT, crossing], 'BTC/USD'));
    expect(asked).toEqual(['crossed']);
    expect(sync.state).toBe('resyncing');
  });

  it('levels pushed beyond the subscribed depth are removed, as the venue does without saying so', () => {
    // Depth 10: a new best bid pushes the 10th (45276.6) out; the record removes it.
    const update = '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45284.0,"qty":0.50000000}],"asks":[{"price":45299.5,"qty":0.00000000}],"checksum":1}]}';
    const [, u] = parse([DOCS_SNAPSHOT, update], 'BTC/USD', 10);
    expect(u!.bids).toEqual([[45284, 0.5], [45276.6, 0]]);
    expect(u!.asks).toEqual([[45299.5, 0]]);
    const sync = new BookSync(u!, consecutiveRule, () => undefined);
    sync.apply(parse([DOCS_SNAPSHOT], 'BTC/USD')[0]!);
    sync.apply(u!);
    expect([sync.book.bids.length, sync.book.asks.length]).toEqual([10, 9]);
  });

  it('a level that cannot be read is a parse error, and the book\'s next message is a gap', () => {
    const parser = new KrakenBooks(ctx('KSM/XBT'), 1000);
    const bad = KSM[3]!.replace(/"qty":([0-9.]+)/, '"qty":-1');
    const events = [KSM[0]!, KSM[1]!, bad, KSM[4]!].flatMap((f) => {
      const msg = JSON.parse(f) as { type: unknown; data: unknown[] };
      return parser.parse(msg.type, msg.data, f, 1);
    });
    expect(events).toContainEqual(expect.objectContaining({ type: 'error', kind: 'parse', symbol: 'KSM-BTC', message: expect.stringMatching(/^bad book update for KSM\/XBT: level/) }));
    const { sync, asked } = run(books(events));
    expect(asked).toEqual(['gap']);
    expect(sync.state).toBe('resyncing');
  });

  it('the adapter offers book at depth 25, checks the checksum, and resyncs by unsubscribing first', () => {
    expect(krakenAdapter.channels.spot).toContain('book');
    expect(syncRuleFor('kraken', 'spot')).toBe(consecutiveRule);
    expect(snapshotsByRest('kraken')).toBe(false);
    expect(checksumFor('kraken', 'spot')).toBeTypeOf('function');
    const book = [{ symbol: 'BTC-USD', native: 'BTC/USD', channel: 'book' as const }];
    expect(krakenAdapter.subscribeMessages(book, 'spot')).toEqual(['{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25,"snapshot":true},"req_id":1}']);
    expect(krakenAdapter.resubscribeMessages!(book, 'spot')).toEqual([
      '{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25},"req_id":1001}',
      '{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25,"snapshot":true},"req_id":1002}',
    ]);
    // Through the adapter's own parser: a book frame becomes a book record.
    const parser = krakenAdapter.createParser(ctx('BTC/USD'));
    expect(books(parser.parse(DOCS_SNAPSHOT, 5))).toHaveLength(1);
    expect(parser.parse('{"error":"Already subscribed","method":"subscribe","req_id":1002,"success":false,"symbol":"BTC/USD"}', 6))
      .toMatchObject([{ type: 'error', kind: 'venue', message: 'Kraken subscribe book failed: Already subscribed', symbol: 'BTC-USD' }]);
  });
});
