/**
 * The bar store's file is damaged while the app runs (garbage over pages a query needs): getBars
 * (pipeline.bars) still answers with the bars in memory, counts the failure in the health view
 * and tells the user once, instead of failing and taking the chart's live bars with it.
 */
import { closeSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Bar, Trade } from '../../../shared/domain';
import { Pipeline } from '../../../electron/core/pipeline/pipeline';

const MIN = 60_000;
const now = Math.floor(Date.now() / MIN) * MIN;

function storedBar(start: number): Bar {
  return {
    type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start,
    open: 100, high: 101, low: 99, close: 100.5, volume: 2, buyVolume: 1, sellVolume: 1,
    trades: 3, vwap: 100.2, final: true, incomplete: false,
  };
}

function trade(time: number, price: number): Trade {
  return { type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price, size: 1, side: 'buy', time, receivedAt: time };
}

it('getBars falls back to memory when the store throws mid-session; counted, one notice', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'store-damage-'));
  const p = new Pipeline({ dataDir, feeds: [], timeframes: ['1m'], backfill: false });
  try {
    const store = p['store']!;
    // 20,000 committed bars before the session's own (hundreds of pages on disk).
    for (let i = 0; i < 20_000; i++) store.put(storedBar(now - (20_010 - i) * MIN));
    store.flush();
    store.pragma('wal_checkpoint(TRUNCATE)');
    // This session's live bars: three closed minutes and an open one, in memory only.
    for (let m = 4; m >= 0; m--) p['aggregator'].onTrade(trade(now - m * MIN + 1_000, 200 + m));
    p['aggregator'].advance(now + 5_000);
    const q = { exchange: 'binance', market: 'spot' as const, symbol: 'BTC-USDT', tf: '1m', limit: 30_000 };
    const memory = p['aggregator'].history('binance', 'spot', 'BTC-USDT', '1m', 30_000);
    expect(memory.length).toBeGreaterThanOrEqual(4);
    expect(p.bars(q)).toHaveLength(20_000 + memory.length);

    // The disk goes bad under the running store; its page cache is dropped so reads hit the file.
    const path = join(dataDir, 'bars.sqlite');
    const garbage = Buffer.alloc(4096 * 40);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
    const fd = openSync(path, 'r+');
    writeSync(fd, garbage, 0, garbage.length, 4096 * Math.floor(statSync(path).size / 4096 / 4));
    closeSync(fd);
    store.pragma('shrink_memory');
    expect(() => store.range({ key: 'binance:spot:BTC-USDT', tf: '1m', limit: 30_000 })).toThrow(/malformed|corrupt|not a database/i);

    // The chart still gets every bar memory holds, twice over, and the user hears about it once.
    expect(p.bars(q)).toEqual(memory);
    expect(p.bars(q)).toEqual(memory);
    const notices = p.notices().filter((n) => /could not read stored bars/.test(n));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/charts and exports show the bars in memory only/);
    const health = p.health().store!;
    expect(health).toMatchObject({ enabled: true });
    expect(health.errors).toBe(2); // the two getBars (the direct probe above is the test's own)
    expect(health.notice).toMatch(/could not read stored bars/);
    expect(store.stats().readErrors).toBe(2);
  } finally {
    await p.stop();
  }
}, 30_000);
