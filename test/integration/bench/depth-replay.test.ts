/**
 * The depth bench measures what it says: the replay's REST depth snapshot is what the Binance
 * adapter parses, its diffs (and Bybit's snapshot and deltas) chain on, so a short depth run
 * through the real pipeline ends with the book valid, no gap, no resync, and every diff counted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/core/adapters/index';
import { ReplayProcess } from '../../../bench/replay/replay-process';
import { DEPTH_SNAPSHOT_LEVELS } from '../../../bench/replay/depth-frames';
import { runDepthPipeline } from '../../../bench/clients/depth-pipeline';
import { bookCost, LEVELS_PER_DIFF } from '../../../bench/sections/depth';

let replay: ReplayProcess;
beforeAll(async () => {
  replay = await ReplayProcess.start();
}, 30_000);
afterAll(() => replay?.stop());

it('the replay serves the Binance REST depth snapshot the diffs start from', async () => {
  const spec = getAdapter('binance')!.book!.restSnapshot!;
  const res = await fetch(replay.httpUrl + spec.path('BTCUSDT', 'spot'));
  expect(res.status).toBe(200);
  const s = spec.parse(await res.json(), 'spot');
  expect(s.lastSeq).toBe(0);
  expect(s.bids).toHaveLength(DEPTH_SNAPSHOT_LEVELS);
  expect(s.asks[0]).toEqual([64_000.01, 1]);
});

for (const venue of ['binance', 'bybit'] as const) {
  it(`${venue}: a depth run through the pipeline: the snapshot, every diff applied, book valid, no resync`, async () => {
    const frames = 500;
    const r = await runDepthPipeline(replay, { venue, native: 'BTCUSDT', tradesPerFrame: LEVELS_PER_DIFF, kind: 'depth', phases: [{ kind: 'max', frames: 1 }, { kind: 'gate' }, { kind: 'max', frames }] }, frames);
    expect(r.incomplete).toBeUndefined();
    expect(r).toMatchObject({ frames, trades: frames * LEVELS_PER_DIFF, booksValid: true, resyncs: 0, gaps: 0 });
    expect(r.levels).toBeGreaterThan(venue === 'binance' ? 1000 : 50);
  }, 60_000);
}

it('the in-process book cost run applies every level update and ends valid', () => {
  const b = bookCost(400_000);
  expect(b).toMatchObject({ levelUpdates: 400_000, valid: true, resyncs: 0 });
  expect(b.applyNs).toBeGreaterThan(0);
});
