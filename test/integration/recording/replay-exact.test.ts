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

const TIMEFRAMES = ['1s', '5s'];

async function waitFor(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Final bars seen during the run plus the bars still open at the end, keyed by series+window. */
function collect(p: Pipeline): { bars: () => Map<string, Bar>; trades: Trade[] } {
  const finals: Bar[] = [];
  const trades: Trade[] = [];
  p.onRecord((r) => {
    if (r.type === 'bar') finals.push(r);
    if (r.type === 'trade') trades.push(r);
  });
  return {
    trades,
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
  const gaps: string[] = [];
  live.onRecord((r) => r.type === 'gap' && gaps.push(r.phase));
  await waitFor('a gap and data after it', () => gaps.includes('end') && liveOut.trades.length > 600);
  await new Promise((r) => setTimeout(r, 1_200));
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
  await waitFor('the replay to finish', () => replay.health().feeds[0]?.replay?.done === true);
  await replay.stop();

  // Same trades (exchange times, ids, prices), new receive times.
  const strip = (t: Trade) => ({ ...t, receivedAt: 0 });
  expect(replayOut.trades.map(strip)).toEqual(liveOut.trades.map(strip));
  expect(replayOut.trades[0]!.receivedAt).toBeGreaterThan(liveOut.trades.at(-1)!.receivedAt);
  expect(replayOut.bars()).toEqual(liveBars);
}, 30_000);
