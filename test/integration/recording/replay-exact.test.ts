/**
 * A recorded session replays to the same bars: a simulator feed is recorded through the real
 * pipeline (with a forced disconnect, so there is a gap and a second connection), then the
 * recording is played back at max speed through the replay venue in a fresh pipeline. Every bar
 * (per venue and composite, every timeframe, incomplete flags included) must be identical.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Bar, Trade } from '../../../shared/domain';
import { parseFeedConfig } from '../../../shared/config';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

const TIMEFRAMES = ['1s', '5s'];

/** Final bars seen during the run plus the bars still open at the end, keyed by series+window. */
function collect(p: Pipeline): { bars: () => Map<string, Bar>; finals: Bar[]; trades: Trade[] } {
  const finals: Bar[] = [];
  const trades: Trade[] = [];
  p.onRecord((r) => {
    if (r.type === 'bar') finals.push(r);
    if (r.type === 'trade') trades.push(r);
  });
  return {
    trades,
    finals,
    bars: () => {
      const m = new Map<string, Bar>();
      for (const b of [...finals, ...p.openBars()]) m.set(`${b.exchange}|${b.symbol}|${b.tf}|${b.start}`, { ...b, final: true });
      return m;
    },
  };
}

it('replays a recording at max speed to exactly the bars of the live run', async () => {
  const liveDir = mkdtempSync(join(tmpdir(), 'live-'));
  const live = await startPipeline({
    dataDir: liveDir,
    timeframes: TIMEFRAMES,
    tuning: { backoffInitialMs: 50, backoffMaxMs: 200 },
    feeds: [
      parseFeedConfig({
        id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'], record: true,
        options: { rate: 200, seed: 7, fault: { mode: 'drop', afterMs: 1_200 } },
      }),
    ],
  });
  const liveOut = collect(live);
  let gapEndAt = Infinity;
  live.onRecord((r) => {
    if (r.type === 'gap' && r.phase === 'end') gapEndAt = r.at;
  });
  await waitFor(() => gapEndAt < Infinity && liveOut.trades.length > 600, 'a gap and data after it', { timeoutMs: 15_000 });
  // Run on until a whole 1 s bar has closed after the gap: the replay must match it too.
  await waitFor(() => liveOut.finals.some((b) => b.tf === '1s' && b.start > gapEndAt), 'a final 1 s bar after the gap');
  await live.stop();
  const liveBars = liveOut.bars();
  expect(liveBars.size).toBeGreaterThan(10);
  expect([...liveBars.values()].some((b) => b.incomplete)).toBe(true);

  const replay = await startPipeline({
    dataDir: mkdtempSync(join(tmpdir(), 'replay-')),
    // The recording is in another data dir: given in code like a command-line config, so trusted.
    trustedReplayPaths: true,
    timeframes: TIMEFRAMES,
    feeds: [parseFeedConfig({ id: 'rp', exchange: 'replay', symbols: ['BTC-USDT'], options: { file: join(liveDir, 'recordings', 'sim'), speed: 'max' } })],
  });
  const replayOut = collect(replay);
  await waitFor(() => replay.health().feeds[0]?.replay?.done === true, 'the replay to finish', { timeoutMs: 15_000 });
  await replay.stop();

  // Same trades (exchange times, ids, prices), new receive times.
  const strip = (t: Trade) => ({ ...t, receivedAt: 0 });
  expect(replayOut.trades.map(strip)).toEqual(liveOut.trades.map(strip));
  expect(replayOut.trades[0]!.receivedAt).toBeGreaterThan(liveOut.trades.at(-1)!.receivedAt);
  expect(replayOut.bars()).toEqual(liveBars);
}, 30_000);
