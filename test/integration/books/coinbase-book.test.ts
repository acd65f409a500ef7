/**
 * A Coinbase Advanced Trade book end to end against the fake Coinbase: the level2 snapshot on
 * subscribe makes the book valid, l2_data updates chained by the connection's sequence_num keep
 * it valid, and a lost message (a skipped sequence_num, whatever its channel) marks it invalid at
 * once and resyncs it by unsubscribing and subscribing level2 again; the new snapshot makes it
 * valid again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeCoinbase } from '../../fakes/coinbase';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
let fake: FakeCoinbase | undefined;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = undefined;
  fake = undefined;
});

describe('Coinbase book through the pipeline', () => {
  it('valid from the level2 snapshot, chained by sequence_num, resubscribed after a lost message and valid again', async () => {
    fake = await FakeCoinbase.start();
    fake.books.set('BTC-USD', { bids: [['65062.50', '0.5'], ['65061.91', '1.25']], asks: [['65083.67', '0.35179577']] });
    pipeline = await startPipeline({
      feeds: [{ id: 'cb', exchange: 'coinbase', market: 'spot', symbols: ['BTC-USD'], channels: ['trades', 'book'], enabled: true, url: fake.url, restUrl: fake.restUrl }],
      backfill: false,
    });
    const views: BookView[] = [];
    pipeline.subscribe({ send: (b) => views.push(...b.books) });
    await waitFor(() => views.at(-1)?.state === 'valid', 'a valid book from the snapshot');
    expect(views.at(-1)).toMatchObject({ exchange: 'coinbase', symbol: 'BTC-USD', bids: [[65062.5, 0.5], [65061.91, 1.25]], asks: [[65083.67, 0.35179577]], resyncs: 0 });

    fake.pushL2('BTC-USD', [['bid', '65061.91', '0'], ['offer', '65083.71', '2']]);
    await waitFor(() => views.at(-1)!.asks.length === 2, 'the update applied');
    expect(views.at(-1)).toMatchObject({ state: 'valid', bids: [[65062.5, 0.5]], asks: [[65083.67, 0.35179577], [65083.71, 2]] });

    // One message of the connection is lost (it could have been any channel's): the next update
    // finds the book invalid, and level2 is resubscribed for a new snapshot.
    fake.books.set('BTC-USD', { bids: [['65070.00', '3']], asks: [['65080.00', '4']] });
    const before = views.length;
    fake.loseMessage();
    fake.pushL2('BTC-USD', [['bid', '65062.50', '0.75']]);
    await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.resyncs === 1, 'valid again after one resync');
    expect(views.slice(before).some((v) => v.state === 'resyncing')).toBe(true);
    expect(fake.level2Requests).toEqual(['subscribe BTC-USD', 'unsubscribe BTC-USD', 'subscribe BTC-USD']);
    expect(views.at(-1)).toMatchObject({ bids: [[65070, 3]], asks: [[65080, 4]] });
    fake.pushL2('BTC-USD', [['bid', '65069.00', '1']]);
    await waitFor(() => views.at(-1)!.bids.length === 2, 'updates chained to the new snapshot');
    expect(pipeline.health().books![0]).toMatchObject({ state: 'valid', gaps: 1, resyncs: 1, levels: 3 });
    expect(fake.problems).toEqual([]);
  }, 30_000);
});
