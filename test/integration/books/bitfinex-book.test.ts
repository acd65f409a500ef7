/**
 * A Bitfinex book end to end against the fake Bitfinex: conf SEQ_ALL|OB_CHECKSUM, the `book`
 * snapshot and updates over a real WebSocket (trades numbered on the same connection), the
 * venue's checksums; a broken checksum, a crossed
 * book and a lost message (a skipped sequence number) each resynced by unsubscribing the chanId and
 * subscribing again, after which the book is valid and equal to the venue's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeBitfinex } from '../../fakes/bitfinex';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
let fake: FakeBitfinex | undefined;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = undefined;
  fake = undefined;
});

describe('Bitfinex book through the pipeline', () => {
  it('syncs from the snapshot, checks checksums, and resyncs by resubscribing after a bad checksum, a crossed book and a lost message', async () => {
    fake = await FakeBitfinex.start();
    fake.setBook('tBTCUSD', [[100, 1, 2], [99, 2, 3], [101, 1, -1.5], [102, 3, -4]]);
    pipeline = await startPipeline({
      feeds: [{ id: 'bfx', exchange: 'bitfinex', market: 'spot', symbols: ['BTC-USD'], channels: ['trades', 'book'], enabled: true, url: fake.url, restUrl: fake.restUrl }],
      backfill: false,
    });
    const views: BookView[] = [];
    pipeline.subscribe({ send: (b) => views.push(...b.books) });
    const last = () => views.at(-1);
    await waitFor(() => last()?.state === 'valid', 'a valid book from the snapshot');
    expect(fake.confs).toEqual([65536 | 131072]);
    expect(last()).toMatchObject({ exchange: 'bitfinex', symbol: 'BTC-USD', bids: [[100, 2], [99, 3]], asks: [[101, 1.5], [102, 4]], resyncs: 0 });

    fake.bookUpdate('tBTCUSD', [100, 2, 2.5]);
    fake.trade('tBTCUSD', [401, 1_700_000_000_001, 0.5, 100.5]); // numbered on the same connection: the book's chain holds
    fake.bookUpdate('tBTCUSD', [102, 0, -1]);
    fake.bookChecksum('tBTCUSD');
    await waitFor(() => last()!.asks.length === 1, 'the updates applied');
    expect(last()).toMatchObject({ state: 'valid', bids: [[100, 2.5], [99, 3]], asks: [[101, 1.5]], resyncs: 0 });

    // A checksum that disagrees: invalid at once, resubscribed, valid again from a new snapshot.
    fake.bookChecksum('tBTCUSD', fake.checksumOf('tBTCUSD') ^ 1);
    await waitFor(() => last()!.resyncs === 1 && last()!.state === 'valid', 'valid again after the checksum resync');
    expect(fake.unsubscribes).toHaveLength(1);
    expect(last()).toMatchObject({ bids: [[100, 2.5], [99, 3]], asks: [[101, 1.5]] });
    expect(views.some((v) => v.state === 'resyncing' && v.bids.length === 0)).toBe(true);

    // An update that crosses the book (the venue's own book stays right): resynced the same way.
    fake.bookUpdate('tBTCUSD', [101.5, 1, 1], false);
    await waitFor(() => last()!.resyncs === 2 && last()!.state === 'valid', 'valid again after the crossed resync');
    expect(last()).toMatchObject({ bids: [[100, 2.5], [99, 3]], asks: [[101, 1.5]] });

    // A lost message: the next update's sequence number skips one.
    fake.skipSequence();
    fake.bookUpdate('tBTCUSD', [98, 1, 7]);
    await waitFor(() => last()!.resyncs === 3 && last()!.state === 'valid', 'valid again after the gap resync');
    fake.bookChecksum('tBTCUSD');
    fake.bookUpdate('tBTCUSD', [99, 0, 1]);
    await waitFor(() => last()!.bids.length === 2 && last()!.bids[1]![0] === 98, 'updates after the last resync');
    expect(last()).toMatchObject({ state: 'valid', bids: [[100, 2.5], [98, 7]], asks: [[101, 1.5]], resyncs: 3 });
    const row = pipeline.health().books![0]!;
    expect(row).toMatchObject({ state: 'valid', resyncs: 3, checksumFailures: 1, crossed: 1, gaps: 1, levels: 3 });
    expect(fake.unsubscribes).toHaveLength(3);
    expect(fake.confs).toEqual([65536 | 131072]); // once per connection, not again on a resubscribe
    expect(fake.problems).toEqual([]);
  }, 30_000);
});
