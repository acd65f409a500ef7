/**
 * A recording file that cannot be read (gone because the recorder's budget deleted it while a
 * replay was on its way there, no access, or a directory with a recording's name) used to be an
 * 'error' event of a read stream nobody listened to (pipe() into gunzip does not pass errors
 * on): an uncaught exception that ended the process, and a replay that hung. Now the replay feed
 * ends in `error` naming the file and the cause, and the rest of the app runs on.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { readRecording } from '../../../electron/core/recording/reader';
import { RECORDING_VERSION, recordingFileName } from '../../../electron/core/recording/format';
import { waitFor } from '../../helpers/wait-for';

let dataDir: string;
let pipeline: Pipeline | null = null;

afterEach(async () => {
  await pipeline?.stop();
  pipeline = null;
  await rm(dataDir, { recursive: true, force: true });
});

/** A recording folder: a readable first file, then a second "file" that is a directory. */
async function recordingWithUnreadableSecondFile(): Promise<string> {
  dataDir = await mkdtemp(join(tmpdir(), 'tickscope-unreadable-'));
  const folder = join(dataDir, 'recordings', 'sim-rec');
  await mkdir(folder, { recursive: true });
  const header = { type: 'header', version: RECORDING_VERSION, venue: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], feedId: 'sim-rec', startedAt: 1_718_000_000_000, file: 1 };
  const frame = '{"type":"trades","market":"spot","symbol":"BTC-USDT","data":[[1,"64000.5","0.01","buy",1718000000100]]}';
  const lines = [JSON.stringify(header), JSON.stringify({ t: 1_718_000_000_100, c: 0, s: 0, d: frame })];
  await writeFile(join(folder, recordingFileName(1_718_000_000_000, 1)), `${lines.join('\n')}\n`);
  await mkdir(join(folder, recordingFileName(1_718_000_000_000, 2).replace(/\.ndjson$/, '.ndjson.gz')));
  return folder;
}

describe('a recording file that cannot be read', () => {
  it('rejects the reader with the cause instead of an uncaught stream error', async () => {
    const folder = await recordingWithUnreadableSecondFile();
    const kinds: string[] = [];
    await expect(async () => {
      for await (const item of readRecording(folder)) kinds.push(item.kind);
    }).rejects.toThrow(/EISDIR/);
    expect(kinds).toEqual(['header', 'frame']);
  });

  it('puts the replay feed in error with the cause; the process and the other feeds run on', async () => {
    const folder = await recordingWithUnreadableSecondFile();
    pipeline = await startPipeline({
      dataDir,
      backfill: false,
      feeds: [
        { id: 'replay-a', exchange: 'replay', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true, options: { file: folder, speed: 'max' } },
        { id: 'sim', exchange: 'simulator', market: 'spot', symbols: ['ETH-USDT'], channels: ['trades'], enabled: true, options: { rate: 100, bursts: false } },
      ],
    });
    let trades = 0;
    pipeline.onRecord((r) => {
      if (r.type === 'trade' && r.exchange === 'simulator' && r.symbol === 'ETH-USDT') trades++;
    });
    const replayHealth = () => pipeline!.health().feeds.find((f) => f.feedId === 'replay-a');
    const replay = await waitFor(() => replayHealth()?.state === 'error' && replayHealth(), 'the replay feed to report the error', {
      explain: () => JSON.stringify(replayHealth()),
    });
    expect(replay.lastError?.cause ?? replay.lastError?.message).toMatch(/EISDIR/);
    const before = trades;
    await waitFor(() => trades > before + 3, 'the simulator feed to go on delivering');
  });
});
