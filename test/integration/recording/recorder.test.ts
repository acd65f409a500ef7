import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../../electron/core/recording/recorder';
import { readRecording } from '../../../electron/core/recording/reader';

const header = { venue: 'binance', market: 'spot' as const, symbols: ['BTC-USDT'], channels: ['trades' as const], feedId: 'binance-spot' };

function frame(i: number): string {
  return `{"e":"aggTrade","a":${i},"p":"100.${i}","q":"1"}`;
}

describe('Recorder', () => {
  it('rotates by size, gzips rotated files, and deletes the oldest beyond the budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const rec = new Recorder({ dir, header, maxFileBytes: 2_000, budgetBytes: 8_000, writeEveryMs: 60_000 });
    // 600 frames of ~70 bytes in batches of 20: a rotation every ~28 frames.
    for (let i = 0; i < 600; i++) {
      rec.frame(frame(i), 1_000 + i, 1, 0);
      if (i % 20 === 19) rec.flush();
    }
    await rec.close();
    const files = readdirSync(dir).sort();
    expect(files.every((f) => f.endsWith('.ndjson.gz'))).toBe(true);
    const used = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(used).toBeLessThanOrEqual(8_000);
    const h = rec.health();
    expect(h.deletedFiles).toBeGreaterThan(0);
    expect(h.frames).toBe(600);
    expect(h.droppedFrames).toBe(0);
    expect(h.usedBytes).toBe(used);
    expect(h.budgetBytes).toBe(8_000);

    // Each compressed file is whole NDJSON starting with its own header.
    const first = gunzipSync(readFileSync(join(dir, files[0]!))).toString().split('\n');
    expect(JSON.parse(first[0]!)).toMatchObject({ type: 'header', version: 1, venue: 'binance', market: 'spot', feedId: 'binance-spot' });

    // What is left is the newest, contiguous run of frames, ending with the last one.
    const seen: number[] = [];
    for await (const item of readRecording(dir)) if (item.kind === 'frame') seen.push(item.line.t - 1_000);
    expect(seen.at(-1)).toBe(599);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, k) => seen[0]! + k));
    expect(seen[0]).toBeGreaterThan(0); // the oldest went to stay within budget
  });

  it('records frames exactly as received, and gap events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const rec = new Recorder({ dir, header });
    const weird = 'line\nwith "quotes" and \u00e9 and \\ backslash';
    rec.frame(weird, 12.5, 3, 1);
    rec.gap({ type: 'gap', feedId: 'binance-spot', exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], phase: 'start', at: 20, reason: 'connection closed' });
    await rec.close();
    const items = [];
    for await (const item of readRecording(dir)) items.push(item);
    expect(items.map((i) => i.kind)).toEqual(['header', 'frame', 'gap']);
    expect(items[1]).toEqual({ kind: 'frame', line: { t: 12.5, c: 3, s: 1, d: weird } });
    expect(items[2]).toEqual({ kind: 'gap', line: { t: 20, g: 'start', sy: ['BTC-USDT'], r: 'connection closed' } });
  });

  it('drops and counts frames instead of buffering without bound when the disk lags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const rec = new Recorder({ dir, header, maxBufferedBytes: 1_000, writeEveryMs: 60_000 });
    for (let i = 0; i < 100; i++) rec.frame(frame(i), i, 1, 0);
    const h = rec.health();
    expect(h.frames + h.droppedFrames).toBe(100);
    expect(h.droppedFrames).toBeGreaterThan(80);
    await rec.close();
  });
});
