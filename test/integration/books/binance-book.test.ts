/**
 * A Binance spot book end to end against the fake Binance: `depth@100ms` diffs over a real
 * WebSocket, the REST depth snapshot over real HTTP through the REST client, and a missed diff
 * detected and resynced with a new REST snapshot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { FakeBinance, depthUpdate } from '../../fakes/binance';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | undefined;
let fake: FakeBinance | undefined;
afterEach(async () => {
  await pipeline?.stop();
  await fake?.close();
  pipeline = undefined;
  fake = undefined;
});

const STREAM = 'btcusdt@depth@100ms';

describe('Binance book through the pipeline', () => {
  it('buffers diffs while the REST snapshot loads, syncs to it, and resyncs from REST after a missed diff', async () => {
    fake = await FakeBinance.start();
    fake.depth.set('BTCUSDT', { lastUpdateId: 100, bids: [['100.00', '1.5'], ['99.00', '2']], asks: [['101.00', '1'], ['102.00', '3']] });
    pipeline = await startPipeline({
      feeds: [{ id: 'bn', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['book'], enabled: true, url: fake.url('spot'), restUrl: fake.restUrl }],
      backfill: false,
    });
    const views: BookView[] = [];
    pipeline.subscribe({ send: (b) => views.push(...b.books) });
    await waitFor(() => fake!.subscribers(STREAM) === 1, 'the depth subscription');
    fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 95, u: 99, b: [['100.00', '9']], a: [] })); // older than the snapshot
    fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 100, u: 103, b: [['100.00', '2.5']], a: [['101.00', '0']] })); // straddles 101
    await waitFor(() => views.at(-1)?.state === 'valid', 'a valid book');
    await waitFor(() => views.at(-1)!.bids[0]![1] === 2.5, 'the straddling diff applied');
    expect(views.at(-1)).toMatchObject({ exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', state: 'valid', bids: [[100, 2.5], [99, 2]], asks: [[102, 3]], resyncs: 0 });
    expect(fake.depthRequests).toEqual(['/api/v3/depth?symbol=BTCUSDT&limit=1000']);

    // 104 is missed: the book is invalid at once and a new REST snapshot is fetched.
    fake.depth.set('BTCUSDT', { lastUpdateId: 200, bids: [['100.00', '7']], asks: [['101.00', '4']] });
    fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 105, u: 105, b: [['99.50', '1']], a: [] }));
    await waitFor(() => fake!.depthRequests.length === 2, 'a second REST snapshot');
    fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 201, u: 201, b: [['99.00', '1']], a: [] }));
    await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.resyncs === 1, 'valid again after one resync');
    await waitFor(() => views.at(-1)!.bids.length === 2, 'the diff after the new snapshot');
    expect(views.at(-1)).toMatchObject({ bids: [[100, 7], [99, 1]], asks: [[101, 4]], resyncs: 1 });
    const row = pipeline.health().books![0]!;
    expect(row).toMatchObject({ state: 'valid', gaps: 1, resyncs: 1, levels: 3 });
    expect(fake.problems).toEqual([]);
  }, 30_000);

  it('USD-M: syncs from /fapi/v1/depth on the /public path and chains pu == previous u; a broken pu resyncs', async () => {
    fake = await FakeBinance.start();
    fake.depth.set('BTCUSDT', { lastUpdateId: 500, bids: [['60000.0', '1']], asks: [['60001.0', '2']] });
    pipeline = await startPipeline({
      feeds: [{ id: 'bnp', exchange: 'binance', market: 'perp', symbols: ['BTC-USDT'], channels: ['book'], enabled: true, url: fake.url('perp'), restUrl: fake.restUrl }],
      backfill: false,
    });
    const views: BookView[] = [];
    pipeline.subscribe({ send: (b) => views.push(...b.books) });
    await waitFor(() => fake!.subscribers(STREAM) === 1, 'the depth subscription on /public');
    fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 498, u: 502, pu: 497, b: [['60000.0', '3']], a: [] }));
    await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.bids[0]![1] === 3, 'valid from the straddling event');
    fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 503, u: 510, pu: 502, b: [['59999.0', '1']], a: [] }));
    await waitFor(() => views.at(-1)!.bids.length === 2, 'chained by pu');
    expect(fake.depthRequests).toEqual(['/fapi/v1/depth?symbol=BTCUSDT&limit=1000']);
    fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 512, u: 515, pu: 511, b: [], a: [] })); // pu != 510
    await waitFor(() => fake!.depthRequests.length === 2, 'a resync from REST');
    await waitFor(() => views.at(-1)?.resyncs === 1, 'the resync counted');
    expect(fake.misrouted).toEqual([]);
    expect(fake.problems).toEqual([]);
  }, 30_000);
});
