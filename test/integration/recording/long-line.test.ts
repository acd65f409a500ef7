/**
 * Recording files that are not what the recorder writes: a line far longer than any frame (or a
 * file with no newline at all). The reader keeps memory near its line cap, names the file and
 * the byte offset of the line, counts it, and plays every line after it. Before, readline held
 * the whole line (711 MB RSS for a 300 MB file) and the failure had no message.
 */
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { MarketData } from '../../../shared/domain';
import type { StatusRecord } from '../../../shared/health';
import { readHeader, readRecording, RECORDING_MAX_LINE_BYTES, type ReadStats, type RecordingItem } from '../../../electron/core/recording/reader';
import { RecordingDecoder } from '../../../electron/core/recording/decoder';
import { ReplayRunner } from '../../../electron/core/recording/replay-runner';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import { parseFeedConfig } from '../../../shared/config';
import { MB } from '../../../electron/core/util/byte-size';
import { waitFor } from '../../helpers/wait-for';

const HEADER = { type: 'header', version: 1, venue: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], feedId: 'binance-spot', startedAt: 1_718_000_000_000, file: 1 };

function frameLine(i: number): string {
  const d = `{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":${1_718_000_000_000 + i},"s":"BTCUSDT","a":${i},"p":"100.5","q":"1","f":${i},"l":${i},"T":${1_718_000_000_000 + i},"m":false,"M":true}}`;
  return JSON.stringify({ t: 1_718_000_000_000 + i, c: 1, s: 0, d });
}

/** header, frames 1-3, `junkBytes` of 'x' on one line, frames 4-6; returns the junk line's byte offset. */
async function writeRecording(file: string, junkBytes: number): Promise<number> {
  const head = [JSON.stringify(HEADER), frameLine(1), frameLine(2), frameLine(3)].join('\n') + '\n';
  const out = createWriteStream(file);
  out.write(head);
  const block = Buffer.alloc(MB, 'x');
  for (let n = 0; n < junkBytes; n += MB) if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  out.end(`\n${frameLine(4)}\n${frameLine(5)}\n${frameLine(6)}\n`);
  await new Promise<void>((r) => out.once('close', () => r()));
  return Buffer.byteLength(head);
}

// A full GC before each sample, so what is measured is what the reader holds, not garbage it
// already dropped (read chunks are freed only when V8 gets round to it).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Reads everything while sampling live heap + buffers every 25 ms; the peak growth over the start. */
async function readMeasured(path: string, stats: ReadStats): Promise<{ items: RecordingItem[]; peakGrowth: number }> {
  const used = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 25);
  const items: RecordingItem[] = [];
  try {
    for await (const item of readRecording(path, stats)) items.push(item);
  } finally {
    clearInterval(sampler);
  }
  return { items, peakGrowth: peak - base };
}

describe('reading recordings with over-long lines', () => {
  it('skips a 64 MB line with its file and byte offset, reads on, and stays near the 16 MB line cap in memory', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'long-line-')), 'rec.ndjson');
    const offset = await writeRecording(file, 64 * MB);
    const stats: ReadStats = { badLines: 0 };
    const { items, peakGrowth } = await readMeasured(file, stats);

    expect(items.map((i) => i.kind)).toEqual(['header', 'frame', 'frame', 'frame', 'frame', 'frame', 'frame']);
    expect(items.filter((i) => i.kind === 'frame').map((i) => JSON.parse(i.line.d).data.a)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stats.badLines).toBe(1);
    expect(RECORDING_MAX_LINE_BYTES).toBe(16 * MB);
    expect(stats.lastError).toBe(`${file}: the line at byte ${offset} is 64 MB, longer than the 16 MB limit; skipped`);
    // Holding the 64 MB line would cost at least that; the reader holds at most the 16 MB cap.
    expect(peakGrowth).toBeLessThan(32 * MB);
  });

  it('a file with no newline at all is one bad line at byte 0, and not a recording', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'no-newline-')), 'rec.ndjson');
    writeFileSync(file, Buffer.alloc(20 * MB, '{'));
    const stats: ReadStats = { badLines: 0 };
    const { items } = await readMeasured(file, stats);
    expect(items).toEqual([]);
    expect(stats).toEqual({ badLines: 1, lastError: `${file}: the line at byte 0 is 20 MB, longer than the 16 MB limit; skipped` });
    await expect(readHeader(file)).rejects.toThrow(`${file}: not a Tickscope recording (the first line is not a header)`);
  });

  it('gives the uncompressed offset in a .ndjson.gz and honours a lower cap', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'long-gz-')), 'rec.ndjson.gz');
    const head = `${JSON.stringify(HEADER)}\n${frameLine(1)}\n`;
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from(head), Buffer.alloc(3 * MB, 'x'), Buffer.from(`\n${frameLine(2)}\r\n`)])));
    const stats: ReadStats = { badLines: 0 };
    const items: RecordingItem[] = [];
    for await (const item of readRecording(file, stats, { maxLineBytes: MB })) items.push(item);
    expect(items.map((i) => i.kind)).toEqual(['header', 'frame', 'frame']);
    expect(stats.lastError).toBe(`${file}: the line at byte ${Buffer.byteLength(head)} (uncompressed) is 3 MB, longer than the 1 MB limit; skipped`);
  });

  it('a replay of such a file plays every other frame and shows the error in the feed health', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'long-replay-')), 'rec.ndjson');
    await writeRecording(file, 20 * MB);
    const data: MarketData[] = [];
    const statuses: StatusRecord[] = [];
    const config = parseFeedConfig({ id: 'replay-long', exchange: 'replay', symbols: ['BTC-USDT'], options: { file, speed: 'max' } });
    const runner = new ReplayRunner(config, HEADER as never, { path: file, speed: 'max' }, { data: (d) => data.push(d), gap: () => {}, status: (s) => statuses.push(s) });
    runner.start();
    await waitFor(() => runner.health().replay?.done, 'the replay to finish');
    const h = runner.health();
    expect(h.replay).toMatchObject({ done: true, framesPlayed: 6 });
    expect(data.filter((d) => d.type === 'trade')).toHaveLength(6);
    expect(h.errors).toBe(1);
    expect(h.lastError).toMatchObject({ kind: 'parse', message: expect.stringMatching(/rec\.ndjson: the line at byte \d+ is 20 MB, longer than the 16 MB limit; skipped$/) });
    await runner.stop();
  });

  it('the replay decoder refuses a recorded frame the live runtime would have refused (too deep, too large)', () => {
    const decoder = new RecordingDecoder({ header: HEADER as never, adapter: binanceAdapter });
    const deep = { t: 1, c: 1, s: 0, d: '['.repeat(20_000) + ']'.repeat(20_000) };
    expect(decoder.decode(deep, 1)).toEqual({ data: [], events: [expect.objectContaining({ type: 'error', kind: 'protocol', message: 'frame nested deeper than 64 levels; dropped unparsed' })] });
    const large = { t: 2, c: 1, s: 0, d: `{"pad":"${'x'.repeat(2 * MB)}"}` };
    expect(decoder.decode(large, 2).events).toEqual([expect.objectContaining({ message: 'frame of 2 MB exceeds the 1 MB frame limit for Binance; dropped' })]);
    expect(decoder.parseErrors).toBe(2);
    const ok = JSON.parse(frameLine(7)) as { t: number; c: number; s: number; d: string };
    expect(decoder.decode(ok, 3).data).toEqual([expect.objectContaining({ type: 'trade', id: '7' })]);
  });
});
