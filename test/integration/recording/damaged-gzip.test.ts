/**
 * A rotated recording file (.ndjson.gz) that was cut short or damaged (copied mid-write, a bad
 * disk) is counted as a bad line with a message naming the file, and reading goes on with the
 * next file. Decided by zlib's error code, not by the wording of its message: a damaged block
 * ("incorrect data check") used to escape that test and fail the whole replay.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORDING_VERSION, recordingFileName } from '../../../electron/core/recording/format';
import { readRecording, type ReadStats } from '../../../electron/core/recording/reader';

const T0 = 1_718_000_000_000;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lines(file: number, frames: number): string {
  const header = { type: 'header', version: RECORDING_VERSION, venue: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], feedId: 'sim', startedAt: T0, file };
  const out = [JSON.stringify(header)];
  for (let i = 0; i < frames; i++) out.push(JSON.stringify({ t: T0 + file * 1000 + i, c: 0, s: 0, d: `{"n":${i}}` }));
  return `${out.join('\n')}\n`;
}

/** A folder: file 1 gzipped then spoiled by `spoil`, file 2 a plain active file that reads fine. */
async function read(spoil: (gz: Buffer) => Buffer): Promise<{ kinds: string[]; stats: ReadStats }> {
  dir = mkdtempSync(join(tmpdir(), 'damaged-gz-'));
  const gz = gzipSync(Buffer.from(lines(1, 2000)));
  writeFileSync(join(dir, recordingFileName(T0, 1).replace(/\.ndjson$/, '.ndjson.gz')), spoil(gz));
  writeFileSync(join(dir, recordingFileName(T0, 2)), lines(2, 3));
  const stats: ReadStats = { badLines: 0 };
  const kinds: string[] = [];
  for await (const item of readRecording(dir, stats)) kinds.push(item.kind);
  return { kinds, stats };
}

describe('a damaged .ndjson.gz in a recording', () => {
  it('cut short: counted with a message naming the file, the next file is read', async () => {
    const { kinds, stats } = await read((gz) => gz.subarray(0, gz.length - 100));
    expect(stats.badLines).toBe(1);
    expect(stats.lastError).toMatch(/\.ndjson\.gz: compressed data ends or is damaged after the line at byte \d+ \(uncompressed\): unexpected end of file/);
    expect(kinds.slice(-4)).toEqual(['header', 'frame', 'frame', 'frame']);
  });

  it('a damaged block: the same, not a failed replay', async () => {
    const { kinds, stats } = await read((gz) => {
      const bad = Buffer.from(gz);
      const at = bad.length - 6; // in the trailer's checksum: every block inflates, the check fails
      bad.writeUInt8(bad.readUInt8(at) ^ 0xff, at);
      return bad;
    });
    expect(stats.badLines).toBe(1);
    expect(stats.lastError).toMatch(/compressed data ends or is damaged .*: incorrect data check/);
    expect(kinds.slice(-4)).toEqual(['header', 'frame', 'frame', 'frame']);
  });

  it('not gzip at all: the same', async () => {
    const { kinds, stats } = await read(() => Buffer.from('this is not gzip\n'));
    expect(stats.lastError).toMatch(/incorrect header check/);
    expect(kinds).toEqual(['header', 'frame', 'frame', 'frame']);
  });
});
