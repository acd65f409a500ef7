/**
 * A Kraken book end to end against the fake Kraken (WS v2): the snapshot on subscribe at depth
 * 25 makes the book valid, updates keep it valid checksum after checksum, and an update whose
 * checksum disagrees marks it invalid at once and resyncs it by unsubscribing and subscribing
 * again (Kraken refuses a second subscribe), after which it is valid from the new snapshot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeKraken } from '../../fakes/kraken';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
let fake: FakeKraken | undefined;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = undefined;
  fake = undefined;
});

describe('Kraken book through the pipeline', () => {
  it('valid from the snapshot, checked on every update, resubscribed after a bad checksum and valid again', async () => {
    fake = await FakeKraken.start();
    fake.books.set('BTC/USD', {
      bids: [['66788.0', '3.21926649'], ['66787.5', '0.44916298']],
      asks: [['66788.1', '1.67939137'], ['66791.1', '0.01100000']],
    });
    pipeline = await startPipeline({
      feeds: [{ id: 'kr', exchange: 'kraken', market: 'spot', symbols: ['BTC-USD'], channels: ['book'], enabled: true, url: fake.url, restUrl: fake.restUrl }],
      backfill: false,
    });
    const views: BookView[] = [];
    pipeline.subscribe({ send: (b) => views.push(...b.books) });
    await waitFor(() => views.at(-1)?.state === 'valid', 'a valid book from the snapshot');
    expect(views.at(-1)).toMatchObject({ exchange: 'kraken', symbol: 'BTC-USD', bids: [[66788, 3.21926649], [66787.5, 0.44916298]], asks: [[66788.1, 1.67939137], [66791.1, 0.011]], resyncs: 0 });

    // A valid update (its checksum is the fake's, over the venue's number text) is applied.
    fake.pushBook('BTC/USD', { bids: [['66788.0', '0.00000000'], ['66787.7', '0.12440000']], asks: [] });
    await waitFor(() => views.at(-1)!.bids[0]![0] === 66787.7, 'the update applied');
    expect(views.at(-1)).toMatchObject({ state: 'valid', bids: [[66787.7, 0.1244], [66787.5, 0.44916298]] });

    // The venue's book moves on; this update's checksum is wrong: invalid, resubscribed.
    const before = views.length;
    fake.pushBook('BTC/USD', { bids: [['66786.0', '2.00000000']], asks: [] }, 12345);
    await waitFor(() => views.slice(before).some((v) => v.state === 'resyncing'), 'the book shown invalid');
    await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.resyncs === 1, 'valid again after one resync');
    expect(fake.bookRequests).toEqual(['subscribe BTC/USD', 'unsubscribe BTC/USD', 'subscribe BTC/USD']);
    expect(views.at(-1)).toMatchObject({ bids: [[66787.7, 0.1244], [66787.5, 0.44916298], [66786, 2]], asks: [[66788.1, 1.67939137], [66791.1, 0.011]] });
    fake.pushBook('BTC/USD', { bids: [], asks: [['66790.0', '1.00000000']] });
    await waitFor(() => views.at(-1)!.asks.length === 3, 'updates applied after the new snapshot');
    const row = pipeline.health().books![0]!;
    expect(row).toMatchObject({ state: 'valid', resyncs: 1, checksumFailures: 1, levels: 6 });
    expect(pipeline.health().feeds[0]).toMatchObject({ errors: 0 });
    expect(fake.problems).toEqual([]);
  }, 30_000);
});
