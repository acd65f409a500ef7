/**
 * A Binance book session replays to the same book: a spot feed with `record: true` runs against
 * the fake Binance (depth@100ms diffs over a WebSocket, REST depth snapshots over HTTP, a missed
 * diff and a REST resync), then its recording is played back at max speed in a fresh pipeline
 * that has no Binance to ask. The REST snapshots are in the recording between the same frames,
 * so the replayed book must equal the live one level by level.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import { parseFeedConfig } from '../../../shared/config';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { readRecording } from '../../../electron/core/recording/reader';
import { FakeBinance, depthUpdate } from '../../fakes/binance';
import { waitFor } from '../../helpers/wait-for';

const STREAM = 'btcusdt@depth@100ms';

let live: Pipeline | undefined;
let replay: Pipeline | undefined;
let fake: FakeBinance | undefined;
afterEach(async () => {
  await live?.stop();
  await replay?.stop();
  await fake?.close();
  [live, replay, fake] = [undefined, undefined, undefined];
});

const levelsOf = (v: BookView) => ({ state: v.state, bids: v.bids, asks: v.asks, time: v.time, resyncs: v.resyncs });

it('replays a recorded Binance book session (diffs and REST snapshots) to the live book, level by level', async () => {
  fake = await FakeBinance.start();
  fake.depth.set('BTCUSDT', { lastUpdateId: 100, bids: [['100.00', '1.5'], ['99.00', '2'], ['98.00', '4']], asks: [['101.00', '1'], ['102.00', '3']] });
  const liveDir = mkdtempSync(join(tmpdir(), 'book-live-'));
  live = await startPipeline({
    dataDir: liveDir,
    backfill: false,
    feeds: [parseFeedConfig({ id: 'bn', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['book'], record: true, url: fake.url('spot'), restUrl: fake.restUrl })],
  });
  const views: BookView[] = [];
  live.subscribe({ send: (b) => views.push(...b.books) });
  await waitFor(() => fake!.subscribers(STREAM) === 1, 'the depth subscription');
  fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 95, u: 99, b: [['100.00', '9']], a: [] })); // older than the snapshot: dropped
  fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 100, u: 103, b: [['100.00', '2.5']], a: [['101.00', '0']] })); // straddles 101
  await waitFor(() => views.at(-1)?.state === 'valid' && views.at(-1)!.bids[0]![1] === 2.5, 'a valid book from the first snapshot');
  fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 104, u: 110, b: [['99.50', '0.7']], a: [['101.50', '0.2']] }));
  // 111 is missed: a second REST snapshot, then diffs on top of it.
  fake.depth.set('BTCUSDT', { lastUpdateId: 200, bids: [['100.00', '7'], ['97.00', '1']], asks: [['101.00', '4'], ['103.00', '5']] });
  fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 112, u: 112, b: [['99.25', '1']], a: [] }));
  await waitFor(() => fake!.depthRequests.length === 2, 'a second REST snapshot');
  fake.push(STREAM, depthUpdate({ s: 'BTCUSDT', U: 201, u: 204, b: [['99.00', '1'], ['97.00', '0']], a: [['102.50', '2']] }));
  await waitFor(() => views.at(-1)?.resyncs === 1 && views.at(-1)!.bids.length === 2 && views.at(-1)!.asks.length === 3, 'valid again, the last diff applied');
  const liveBook = live.bookViews(1000)[0]!;
  expect(liveBook).toMatchObject({ state: 'valid', bids: [[100, 7], [99, 1]], asks: [[101, 4], [102.5, 2], [103, 5]], resyncs: 1 });
  // Five diffs came over the WebSocket: the feed counts them (the REST snapshots are the book's, not the feed's).
  expect(live.summary()[0]).toMatchObject({ id: 'bn', books: 5, trades: 0 });
  await live.stop();
  live = undefined;

  // Both snapshots are in the recording, as records of their own.
  const recDir = join(liveDir, 'recordings', 'bn');
  let snapshots = 0;
  for await (const item of readRecording(recDir)) if (item.kind === 'book-snapshot') snapshots++;
  expect(snapshots).toBe(2);
  expect(readdirSync(recDir).length).toBeGreaterThan(0);

  replay = await startPipeline({
    dataDir: mkdtempSync(join(tmpdir(), 'book-replay-')),
    trustedReplayPaths: true,
    backfill: false,
    feeds: [parseFeedConfig({ id: 'rp', exchange: 'replay', symbols: ['BTC-USDT'], options: { file: recDir, speed: 'max' } })],
  });
  await waitFor(() => replay!.health().feeds[0]?.replay?.done === true, 'the replay to finish');
  await waitFor(() => replay!.bookViews(1000)[0]?.resyncs === 1 && replay!.bookViews(1000)[0]!.state === 'valid', 'the replayed book after its resync');
  const replayed = replay.bookViews(1000)[0]!;
  expect(replayed).toMatchObject({ exchange: 'binance', market: 'spot', symbol: 'BTC-USDT' });
  expect(levelsOf(replayed)).toEqual(levelsOf(liveBook));
  expect(replay.summary()[0]).toMatchObject({ id: 'rp', books: 5 });
  const row = replay.health().books![0]!;
  expect(row).toMatchObject({ gaps: 1, resyncs: 1, levels: 5 });
}, 30_000);
