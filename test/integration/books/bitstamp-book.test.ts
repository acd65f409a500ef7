/**
 * A Bitstamp book end to end against the fake Bitstamp: `diff_order_book` diffs over a real
 * WebSocket, the REST `order_book` snapshot over real HTTP through the REST client, the two
 * aligned by microtimestamp; a crossed book and a reordered diff each resynced from a new REST
 * snapshot, after which the book is valid again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeBitstamp } from '../../fakes/bitstamp';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
let fake: FakeBitstamp | undefined;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = undefined;
  fake = undefined;
});

const CHANNEL = 'diff_order_book_btcusd';
const PATH = '/api/v2/order_book/btcusd/';

describe('Bitstamp book through the pipeline', () => {
  it('buffers diffs while the REST snapshot loads, aligns them by microtimestamp, and resyncs from REST after a crossed book and a reordered diff', async () => {
    fake = await FakeBitstamp.start();
    fake.orderBooks.set('btcusd', { microtimestamp: '1700000000500000', bids: [['100.00', '1.50000000'], ['99.00', '2.00000000']], asks: [['101.00', '1.00000000'], ['102.00', '3.00000000']] });
    pipeline = await startPipeline({
      feeds: [{ id: 'bs', exchange: 'bitstamp', market: 'spot', symbols: ['BTC-USD'], channels: ['book'], enabled: true, url: fake.url, restUrl: fake.restUrl }],
      backfill: false,
    });
    const views: BookView[] = [];
    pipeline.subscribe({ send: (b) => views.push(...b.books) });
    const last = () => views.at(-1);
    await waitFor(() => fake!.subscribers(CHANNEL) === 1, 'the diff_order_book subscription');
    fake.pushDiff('btcusd', '1700000000400000', [['100.00', '9.00000000']], []); // older than the snapshot: contained in it
    fake.pushDiff('btcusd', '1700000000600000', [['100.00', '2.50000000']], [['101.00', '0.00000000']]);
    await waitFor(() => last()?.state === 'valid' && last()!.asks.length === 1, 'a valid book with the later diff applied');
    expect(last()).toMatchObject({ exchange: 'bitstamp', market: 'spot', symbol: 'BTC-USD', bids: [[100, 2.5], [99, 2]], asks: [[102, 3]], resyncs: 0 });
    expect(fake.orderBookRequests).toEqual([PATH]);

    // A diff that crosses the book: invalid at once, a new REST snapshot, valid again.
    fake.orderBooks.set('btcusd', { microtimestamp: '1700000001000000', bids: [['100.00', '4.00000000']], asks: [['101.50', '2.00000000']] });
    fake.pushDiff('btcusd', '1700000000700000', [['102.50', '1.00000000']], []);
    await waitFor(() => fake!.orderBookRequests.length === 2, 'a second REST snapshot');
    fake.pushDiff('btcusd', '1700000001100000', [['99.50', '1.00000000']], []);
    await waitFor(() => last()!.resyncs === 1 && last()!.state === 'valid' && last()!.bids.length === 2, 'valid again after the crossed resync');
    expect(last()).toMatchObject({ bids: [[100, 4], [99.5, 1]], asks: [[101.5, 2]] });

    // A diff older than the one before it (reordered): the same.
    fake.orderBooks.set('btcusd', { microtimestamp: '1700000002000000', bids: [['100.00', '5.00000000']], asks: [['101.00', '1.00000000']] });
    fake.pushDiff('btcusd', '1700000001050000', [['98.00', '1.00000000']], []);
    await waitFor(() => fake!.orderBookRequests.length === 3, 'a third REST snapshot');
    fake.pushDiff('btcusd', '1700000002100000', [], [['101.00', '0.50000000']]);
    await waitFor(() => last()!.resyncs === 2 && last()!.state === 'valid' && last()!.asks[0]![1] === 0.5, 'valid again after the reorder resync');
    expect(last()).toMatchObject({ bids: [[100, 5]], asks: [[101, 0.5]] });
    const row = pipeline.health().books![0]!;
    expect(row).toMatchObject({ state: 'valid', resyncs: 2, crossed: 1, gaps: 1, levels: 2 });
    expect(fake.problems).toEqual([]);
  }, 30_000);

  it('a lost connection (where a diff may have gone missing unseen) suspends the book; after the reconnect the next diff brings a new REST snapshot', async () => {
    fake = await FakeBitstamp.start();
    fake.orderBooks.set('btcusd', { microtimestamp: '1700000000500000', bids: [['100.00', '1.00000000']], asks: [['101.00', '1.00000000']] });
    pipeline = await startPipeline({
      feeds: [{ id: 'bs', exchange: 'bitstamp', market: 'spot', symbols: ['BTC-USD'], channels: ['book'], enabled: true, url: fake.url, restUrl: fake.restUrl }],
      backfill: false,
      tuning: { backoffInitialMs: 50, backoffMaxMs: 200 },
    });
    const views: BookView[] = [];
    pipeline.subscribe({ send: (b) => views.push(...b.books) });
    const last = () => views.at(-1);
    await waitFor(() => fake!.subscribers(CHANNEL) === 1, 'the diff_order_book subscription');
    fake.pushDiff('btcusd', '1700000000600000', [['99.00', '2.00000000']], []);
    await waitFor(() => last()?.state === 'valid' && last()!.bids.length === 2, 'a valid book');

    fake.orderBooks.set('btcusd', { microtimestamp: '1700000003000000', bids: [['100.00', '3.00000000']], asks: [['101.00', '1.00000000']] });
    fake.dropAll();
    await waitFor(() => last()?.state === 'resyncing' && last()!.bids.length === 0, 'the book suspended, not shown as valid');
    await waitFor(() => fake!.subscribers(CHANNEL) === 1, 'subscribed again after the reconnect');
    fake.pushDiff('btcusd', '1700000003100000', [['99.50', '1.00000000']], []);
    await waitFor(() => last()?.state === 'valid' && last()!.bids.length === 2, 'valid from the new REST snapshot');
    expect(last()).toMatchObject({ bids: [[100, 3], [99.5, 1]], asks: [[101, 1]], resyncs: 0 });
    expect(fake.orderBookRequests).toEqual([PATH, PATH]);
    expect(fake.problems).toEqual([]);
  }, 30_000);
});
