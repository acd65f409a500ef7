/**
 * OKX books end to end against the fake OKX: the `books` channel over a real WebSocket, the
 * snapshot sent after a subscribe, updates carrying seqId/prevSeqId and the CRC32 checksum of the
 * top 25 levels, computed here by a model of the venue's book on its own strings. A bad checksum
 * (spot) and a missed update (swap, sizes in contracts) are each resynced by unsubscribing and
 * subscribing again, after which the book is valid from the new snapshot.
 */
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeOkx } from '../../fakes/okx';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
let fake: FakeOkx | undefined;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = undefined;
  fake = undefined;
});

type Levels = [string, string][];

/** The venue's book as OKX keeps it: price text -> size text, numbered pushes, its checksum. */
class VenueBook {
  private readonly bids = new Map<string, string>();
  private readonly asks = new Map<string, string>();
  private seqId = 1000;

  constructor(bids: Levels, asks: Levels) {
    this.apply(bids, asks);
  }

  /** The full book as a `books` snapshot item (the fake sends it on subscribe). */
  snapshot(): Record<string, unknown> {
    this.seqId += 50;
    return this.item([...this.bids], [...this.asks], -1);
  }

  /** Applies a change and returns its `update` item. */
  update(bids: Levels, asks: Levels): Record<string, unknown> {
    const prev = this.seqId;
    this.seqId += 3;
    this.apply(bids, asks);
    return this.item(bids, asks, prev);
  }

  private apply(bids: Levels, asks: Levels): void {
    for (const [side, levels] of [[this.bids, bids], [this.asks, asks]] as const) {
      for (const [p, s] of levels) Number(s) === 0 ? side.delete(p) : side.set(p, s);
    }
  }

  private item(bids: Levels, asks: Levels, prevSeqId: number): Record<string, unknown> {
    const row = ([p, s]: [string, string]) => [p, s, '0', '1'];
    return { bids: bids.map(row), asks: asks.map(row), ts: String(1652459225000 + this.seqId), checksum: this.checksum(), prevSeqId, seqId: this.seqId };
  }

  /** Top 25 a side, best first, "bidPx:bidSz:askPx:askSz:...", CRC32 as a signed int. */
  private checksum(): number {
    const bids = [...this.bids].sort((a, b) => Number(b[0]) - Number(a[0])).slice(0, 25);
    const asks = [...this.asks].sort((a, b) => Number(a[0]) - Number(b[0])).slice(0, 25);
    const fields: string[] = [];
    for (let i = 0; i < Math.max(bids.length, asks.length); i++) {
      if (bids[i]) fields.push(...bids[i]!);
      if (asks[i]) fields.push(...asks[i]!);
    }
    return crc32(fields.join(':')) | 0;
  }
}

async function start(market: 'spot' | 'perp'): Promise<BookView[]> {
  pipeline = await startPipeline({
    feeds: [{ id: 'ok', exchange: 'okx', market, symbols: ['BTC-USDT'], channels: ['book'], enabled: true, url: fake!.url, restUrl: fake!.restUrl }],
    backfill: false,
  });
  const views: BookView[] = [];
  pipeline.subscribe({ send: (b) => views.push(...b.books) });
  return views;
}

/** The ops the client sent for `books`, in order. */
const bookOps = (): string[] =>
  fake!.received.flat().map((text) => JSON.parse(text) as { op?: string; args?: { channel: string }[] })
    .filter((m) => m.args?.some((a) => a.channel === 'books')).map((m) => m.op!);

describe('OKX book through the pipeline', () => {
  it('spot: valid from the subscribe snapshot, checksummed updates; a bad checksum resyncs by resubscribing, valid again', async () => {
    fake = await FakeOkx.start();
    // Trailing zeros and a tiny size: the checksum is on the venue's text, not on our numbers.
    const venue = new VenueBook([['30000.0', '1.50'], ['29999.5', '0.0000001']], [['30000.5', '2'], ['30001', '0.25']]);
    fake.bookSnapshots.set('BTC-USDT', () => venue.snapshot());
    const views = await start('spot');
    await waitFor(() => views.at(-1)?.state === 'valid', 'a valid book from the snapshot');
    expect(views.at(-1)).toMatchObject({ exchange: 'okx', market: 'spot', symbol: 'BTC-USDT', bids: [[30000, 1.5], [29999.5, 1e-7]], asks: [[30000.5, 2], [30001, 0.25]], resyncs: 0 });

    fake.pushBook('BTC-USDT', 'update', venue.update([['30000.0', '2.00']], [['30000.5', '0']]));
    await waitFor(() => views.at(-1)!.asks.length === 1, 'the update applied');
    expect(views.at(-1)).toMatchObject({ state: 'valid', bids: [[30000, 2], [29999.5, 1e-7]], asks: [[30001, 0.25]] });

    // The venue's next update arrives with a checksum that is not its book's.
    const bad = venue.update([['29999.0', '4']], []);
    fake.pushBook('BTC-USDT', 'update', { ...bad, checksum: (bad.checksum as number) ^ 1 });
    await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.resyncs === 1, 'valid again after one resync');
    expect(views.at(-1)).toMatchObject({ bids: [[30000, 2], [29999.5, 1e-7], [29999, 4]], asks: [[30001, 0.25]] });
    expect(bookOps()).toEqual(['subscribe', 'unsubscribe', 'subscribe']);
    fake.pushBook('BTC-USDT', 'update', venue.update([], [['30002', '1']]));
    await waitFor(() => views.at(-1)!.asks.length === 2, 'the update after the new snapshot');
    expect(pipeline!.health().books![0]!).toMatchObject({ state: 'valid', checksumFailures: 1, gaps: 0, resyncs: 1, levels: 5 });
    expect(fake.problems).toEqual([]); // includes the venue's request pacing
  }, 30_000);

  it('swap: contracts to base units (ctVal 0.01); a missed update (prevSeqId) resyncs by resubscribing, valid again', async () => {
    fake = await FakeOkx.start();
    const venue = new VenueBook([['30000.0', '100']], [['30000.1', '250']]);
    fake.bookSnapshots.set('BTC-USDT-SWAP', () => venue.snapshot());
    const views = await start('perp');
    await waitFor(() => views.at(-1)?.state === 'valid', 'a valid book from the snapshot');
    expect(views.at(-1)).toMatchObject({ market: 'perp', symbol: 'BTC-USDT', bids: [[30000, 1]], asks: [[30000.1, 2.5]] });

    venue.update([['29999.9', '30']], []); // never sent
    fake.pushBook('BTC-USDT-SWAP', 'update', venue.update([['29999.8', '7']], []));
    await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.resyncs === 1, 'valid again after one resync');
    expect(views.at(-1)).toMatchObject({ bids: [[30000, 1], [29999.9, 0.3], [29999.8, 0.07]], asks: [[30000.1, 2.5]] });
    expect(pipeline!.health().books![0]!).toMatchObject({ state: 'valid', gaps: 1, checksumFailures: 0, resyncs: 1 });
    expect(fake.problems).toEqual([]);
  }, 30_000);
});
