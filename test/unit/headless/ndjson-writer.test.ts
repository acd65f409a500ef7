/**
 * NdjsonWriter: what reaches the stream is exactly one JSON.stringify line per record, in order,
 * whatever mix of records; trades no longer go through JSON.stringify (the runner's largest cost
 * in the bench's CPU profile); a reader that falls behind still has records dropped and counted.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { ChunkFormatter } from '../../../electron/core/headless/ndjson-chunk';
import { NdjsonWriter } from '../../../electron/core/headless/ndjson-writer';
import type { Trade } from '../../../shared/domain';

class Collect extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const turn = () => new Promise<void>((r) => setImmediate(r));

const trade = (i: number): Trade => ({
  type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price: 64_000 + i / 100, size: (i % 997) / 1e5 + 1e-5,
  side: i % 2 ? 'buy' : 'sell', time: 1_764_680_000_000 + i, receivedAt: 1_764_680_000_003 + i, id: String(i),
});

afterEach(() => vi.restoreAllMocks());

describe('NdjsonWriter', () => {
  it('writes one JSON.stringify line per record, in order, across turns and for every kind of record', async () => {
    const out = new Collect();
    const w = new NdjsonWriter(out);
    const { id: _id, ...noId } = trade(7);
    const records: object[] = [
      trade(1),
      { type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start: 1_764_680_040_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, buyVolume: 1, sellVolume: 2, trades: 4, vwap: 1.25, final: true, incomplete: false },
      trade(2),
      { type: 'status', feedId: 'f', state: 'live', message: 'naïve "quoted" \\ text \u2028 😀' },
      noId,
      { ...trade(3), id: 'with "quote"' },
      { ...trade(5), id: 'naïve-😀-\ud800' },
      trade(6),
      { ...trade(4), price: NaN, size: -0 },
      { type: 'summary', feeds: [{ id: 'f', firstReceivedAt: null }], recordsWritten: 9 },
    ];
    for (const r of records.slice(0, 4)) w.write(r);
    await turn();
    for (const r of records.slice(4)) w.write(r);
    await w.end();
    expect(out.text()).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    expect(w.written).toBe(records.length);
  });

  it('ids: a turn of ASCII ids (copied as bytes) with some that need escaping, then a turn with one that is not ASCII', async () => {
    const out = new Collect();
    const w = new NdjsonWriter(out);
    const ascii = ['plain-1', 'with "quote"', 'back\\slash', '\u0001ctl', 'x'.repeat(5_000), '', 'z'];
    const wide = ['a', 'naïve', 'b'];
    const records = [...ascii, ...wide].map((id, i) => ({ ...trade(i), id }));
    for (const r of records.slice(0, ascii.length)) w.write(r);
    await turn();
    for (const r of records.slice(ascii.length)) w.write(r);
    await w.end();
    expect(out.text()).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  it('ids over several runs of a turn: one beyond ASCII in a later run sends the whole turn as text; the next turn is bytes again', async () => {
    const out = new Collect();
    const w = new NdjsonWriter(out);
    const id = (i: number) => (i === 700 ? `é-${i}` : i % 97 === 0 ? '' : i % 89 === 0 ? `q"${i}` : `id-${i}`);
    const turns = [1_000, 600, 300].map((n, t) => Array.from({ length: n }, (_, i) => ({ ...trade(t * 10_000 + i), id: id(t === 0 ? i : i + 1) })));
    for (const records of turns) {
      for (const r of records) w.write(r);
      await turn();
    }
    await w.end();
    expect(out.text()).toBe(turns.flat().map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  it('lines stay right when buffers are reused across turns and trades share a receive time', async () => {
    const out = new Collect();
    const w = new NdjsonWriter(out);
    const expected: string[] = [];
    for (let turnNo = 0; turnNo < 20; turnNo++) {
      for (let i = 0; i < 50; i++) {
        // A new receive time every 130 trades: one spans three turns, so the buffer its digits
        // were first written to is written again while they are still wanted.
        const t = { ...trade(turnNo * 50 + i), receivedAt: 1_764_680_000_000 + Math.floor((turnNo * 50 + i) / 130) };
        w.write(t);
        expected.push(`${JSON.stringify(t)}\n`);
      }
      await turn();
    }
    await w.end();
    expect(out.text()).toBe(expected.join(''));
  });

  it('a burst larger than its buffer (100,000 trades in one turn) comes out whole', async () => {
    const out = new Collect();
    const w = new NdjsonWriter(out);
    const trades = Array.from({ length: 100_000 }, (_, i) => trade(i));
    for (const t of trades) w.write(t);
    await w.end();
    const lines = out.text().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(trades.length);
    lines.forEach((l, i) => {
      if (l !== JSON.stringify(trades[i])) expect(l, `line ${i}`).toBe(JSON.stringify(trades[i]));
    });
  });

  it('trades are written without JSON.stringify (only the market name is encoded, once)', async () => {
    const out = new Collect();
    const w = new NdjsonWriter(out);
    const stringify = vi.spyOn(JSON, 'stringify');
    for (let i = 0; i < 1_000; i++) w.write(trade(i));
    const calls = stringify.mock.calls.length;
    stringify.mockRestore();
    await w.end();
    expect(calls).toBeLessThanOrEqual(3);
    expect(out.text().split('\n')).toHaveLength(1_001);
  });

  it('end() waits for a stream that writes asynchronously (fs.WriteStream, as stdout on a file): every line is in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
    try {
      const file = join(dir, 'out.ndjson');
      const stream = createWriteStream(file);
      const w = new NdjsonWriter(stream);
      for (let i = 0; i < 5_000; i++) w.write(trade(i));
      await turn();
      while (stream.writableLength > 0) await turn();
      // Then a last write far below the stream's highWaterMark: it emits no 'drain' when done.
      w.write({ type: 'summary', recordsWritten: 5_001 });
      await w.end();
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(lines).toHaveLength(5_002);
      expect(lines[4_999]).toBe(JSON.stringify(trade(4_999)));
      expect(lines[5_000]).toBe('{"type":"summary","recordsWritten":5001}');
      stream.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reader that falls behind: records beyond maxBufferedBytes are dropped and counted', async () => {
    // A stream that never finishes a write: everything stays buffered.
    const stuck = new Writable({ write: () => {}, highWaterMark: 1 });
    const w = new NdjsonWriter(stuck, 10_000, { thread: false });
    for (let i = 0; i < 100; i++) w.write(trade(i));
    await turn(); // the first flush puts ~17 KB in the stream's buffer
    for (let i = 0; i < 50; i++) w.write(trade(i));
    expect(w.written).toBe(100);
    expect(w.dropped).toBe(50);
  });

  it('the same with the formatting thread: once its lines are in the stream, the rest is dropped and counted', async () => {
    const stuck = new Writable({ write: () => {}, highWaterMark: 1 });
    const w = new NdjsonWriter(stuck, 10_000);
    for (let i = 0; i < 100; i++) w.write(trade(i));
    await turn();
    while (stuck.writableLength === 0) await turn();
    for (let i = 0; i < 50; i++) w.write(trade(i));
    expect(w.written).toBe(100);
    expect(w.dropped).toBe(50);
  });

  it('formats in the worker thread, not on the ingest thread', async () => {
    const out = new Collect();
    const errors: string[] = [];
    const w = new NdjsonWriter(out, undefined, { onWorkerError: (m) => errors.push(m) });
    const format = vi.spyOn(ChunkFormatter.prototype, 'format');
    const records: object[] = [];
    for (let i = 0; i < 20_000; i++) records.push(i % 1000 === 7 ? { type: 'status', feedId: 'f', state: 'live', n: i } : { ...trade(i), symbol: i % 3 ? 'BTC-USDT' : 'ETH-USDT' });
    for (let i = 0; i < records.length; i++) {
      w.write(records[i]!);
      if (i % 3_000 === 0) await turn();
    }
    await w.end();
    expect(format).not.toHaveBeenCalled();
    expect(errors).toEqual([]);
    expect(out.text()).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  it('a formatting thread that dies: its chunks in flight are counted as dropped, the rest is formatted here, markets named again', async () => {
    const out = new Collect();
    const errors: string[] = [];
    const w = new NdjsonWriter(out, undefined, { onWorkerError: (m) => errors.push(m) });
    for (let i = 0; i < 10; i++) w.write(trade(i));
    await turn(); // the chunk is with the worker
    await (w as unknown as { worker: Worker }).worker.terminate();
    await turn();
    const after = Array.from({ length: 10 }, (_, i) => trade(100 + i));
    for (const t of after) w.write(t);
    await w.end();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/exited \(code \d+\) \(10 records lost\)/);
    expect(w.dropped).toBe(10);
    expect(w.written).toBe(10);
    expect(out.text()).toBe(after.map((t) => `${JSON.stringify(t)}\n`).join(''));
  });
});
