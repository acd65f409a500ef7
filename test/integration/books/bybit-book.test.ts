/**
 * Bybit books end to end against the fake Bybit: `orderbook.50` over a real WebSocket, the
 * snapshot the venue sends after a subscribe, deltas chained by `u`; a missed delta (spot) and a
 * crossed book (linear) each resynced by unsubscribing and subscribing again (Bybit refuses a
 * duplicate subscribe), after which the book is valid from the new snapshot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeBybit } from '../../fakes/bybit';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
let fake: FakeBybit | undefined;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = undefined;
  fake = undefined;
});

const TOPIC = 'orderbook.50.BTCUSDT';
type Levels = [string, string][];

/** An orderbook message in the venue's shape (`seq` is the cross sequence, deliberately not consecutive). */
function book(type: 'snapshot' | 'delta', u: number, b: Levels, a: Levels): { topic: string } & Record<string, unknown> {
  const ts = 1786310816500 + u;
  return { topic: TOPIC, type, ts, data: { s: 'BTCUSDT', b, a, u, seq: 112488545000 + 7 * u }, cts: ts - 3 };
}

async function start(market: 'spot' | 'perp'): Promise<BookView[]> {
  pipeline = await startPipeline({
    feeds: [{ id: 'bb', exchange: 'bybit', market, symbols: ['BTC-USDT'], channels: ['book'], enabled: true, url: fake!.url(market), restUrl: fake!.restUrl }],
    backfill: false,
  });
  const views: BookView[] = [];
  pipeline.subscribe({ send: (b) => views.push(...b.books) });
  return views;
}

/** The requests the client sent for the book topic, in order (`subscribe` / `unsubscribe`). */
const bookOps = (): string[] =>
  fake!.received.flat().map((text) => JSON.parse(text) as { op?: string; args?: string[] })
    .filter((m) => m.args?.includes(TOPIC)).map((m) => m.op!);

describe('Bybit book through the pipeline', () => {
  it('spot: valid from the subscribe snapshot, deltas chained by u; a missed delta resyncs by resubscribing, valid again', async () => {
    fake = await FakeBybit.start();
    let snapshot = book('snapshot', 100, [['100.00', '1.5'], ['99.00', '2']], [['101.00', '1'], ['102.00', '3']]);
    fake.bookSnapshots.set(TOPIC, () => snapshot);
    const views = await start('spot');
    await waitFor(() => views.at(-1)?.state === 'valid', 'a valid book from the snapshot');
    expect(views.at(-1)).toMatchObject({ exchange: 'bybit', market: 'spot', symbol: 'BTC-USDT', bids: [[100, 1.5], [99, 2]], asks: [[101, 1], [102, 3]], resyncs: 0 });

    fake.push(book('delta', 101, [['100.00', '2.5']], [['101.00', '0']]));
    await waitFor(() => views.at(-1)!.bids[0]![1] === 2.5, 'the delta applied');
    expect(views.at(-1)).toMatchObject({ state: 'valid', bids: [[100, 2.5], [99, 2]], asks: [[102, 3]] });

    // 102 is missed: invalid at once, unsubscribed and subscribed again, the new snapshot applied.
    snapshot = book('snapshot', 500, [['100.50', '4']], [['101.50', '5']]);
    fake.push(book('delta', 103, [['98.00', '1']], []));
    await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.resyncs === 1, 'valid again after one resync');
    expect(views.at(-1)).toMatchObject({ bids: [[100.5, 4]], asks: [[101.5, 5]] });
    expect(bookOps()).toEqual(['subscribe', 'unsubscribe', 'subscribe']);
    fake.push(book('delta', 501, [['100.00', '1']], []));
    await waitFor(() => views.at(-1)!.bids.length === 2, 'the delta after the new snapshot');
    expect(views.at(-1)).toMatchObject({ state: 'valid', bids: [[100.5, 4], [100, 1]], resyncs: 1 });
    expect(pipeline!.health().books![0]!).toMatchObject({ state: 'valid', gaps: 1, resyncs: 1, checksumFailures: 0, levels: 3 });
    expect(fake.problems).toEqual([]);
  }, 30_000);

  it('linear: sizes in base coin as sent; a crossed book is never shown valid and is resynced by resubscribing', async () => {
    fake = await FakeBybit.start();
    fake.bookSnapshots.set(TOPIC, () => book('snapshot', 7, [['65114.20', '6.054']], [['65114.30', '0.002']]));
    const views = await start('perp');
    await waitFor(() => views.at(-1)?.state === 'valid', 'a valid book from the snapshot');
    expect(views.at(-1)).toMatchObject({ market: 'perp', bids: [[65114.2, 6.054]], asks: [[65114.3, 0.002]] });

    fake.push(book('delta', 8, [['65120.00', '1']], [])); // a bid above the best ask
    await waitFor(() => views.at(-1)?.resyncs === 1 && views.at(-1)?.state === 'valid', 'resynced from a new snapshot');
    expect(views.some((v) => v.state === 'valid' && v.bids[0]![0] >= v.asks[0]![0])).toBe(false);
    expect(views.at(-1)).toMatchObject({ bids: [[65114.2, 6.054]], asks: [[65114.3, 0.002]] });
    expect(pipeline!.health().books![0]!).toMatchObject({ state: 'valid', crossed: 1, resyncs: 1 });
    expect(fake.problems).toEqual([]);
  }, 30_000);
});
