/**
 * CSV export through the headless runner: bars from the store in --data-dir, trades decoded
 * from a raw Binance recording with the Binance adapter. Exact file content.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BarStore } from '../../../electron/core/store/bar-store';
import { Recorder } from '../../../electron/core/recording/recorder';
import { parseExportArgs } from '../../../electron/core/headless/export-mode';

const T0 = Date.UTC(2030, 0, 2, 3, 4, 0); // bars in the future never fall to retention
let dataDir = '';

function headless(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/core/headless/cli.ts', 'export', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function aggTrade(a: number, price: string, qty: string, time: number, buyerMaker: boolean, symbol = 'BTCUSDT'): string {
  return JSON.stringify({ stream: `${symbol.toLowerCase()}@aggTrade`, data: { e: 'aggTrade', E: time, s: symbol, a, p: price, q: qty, f: a, l: a, T: time, m: buyerMaker, M: true } });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'export-'));
  const store = new BarStore({ path: join(dataDir, 'bars.sqlite') });
  for (let i = 0; i < 4; i++) {
    store.put({
      type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start: T0 + i * 60_000,
      open: 100 + i, high: 101 + i, low: 99.5 + i, close: 100.25 + i, volume: 3, buyVolume: 2, sellVolume: 1,
      trades: 4, vwap: 100.125 + i, final: true, incomplete: i === 2, ...(i === 3 ? { source: 'candles' as const } : {}),
    });
  }
  store.close();
  const rec = new Recorder({
    dir: join(dataDir, 'recordings', 'binance-spot'),
    header: { venue: 'binance', market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades'], feedId: 'binance-spot' },
  });
  rec.frame(aggTrade(11, '100.10000000', '0.50000000', T0 - 1, false), T0 + 5, 1, 0); // before the range
  rec.frame(aggTrade(12, '100.20000000', '0.25000000', T0, true), T0 + 6, 1, 0);
  rec.frame(aggTrade(900, '3000.5', '1', T0 + 10, false, 'ETHUSDT'), T0 + 7, 1, 0); // another market
  rec.frame('{"result":null,"id":1}', T0 + 8, 1, 0); // an ack: not data
  rec.frame(aggTrade(13, '100.30000000', '2.00000000', T0 + 1500, false), T0 + 1501, 1, 0);
  rec.frame(aggTrade(14, '99.90000000', '1.00000000', T0 + 60_000, true), T0 + 60_001, 1, 0); // at `to`: excluded
  await rec.close();
});

describe('headless export', () => {
  it('writes the stored bars of a market and range as CSV', () => {
    const r = headless('--kind', 'bars', '--market', 'binance:spot:BTC-USDT', '--tf', '1m', '--from', '2030-01-02T03:05:00Z', '--to', '2030-01-02T03:08:00.000Z', '--data-dir', dataDir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'start,start_ms,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap,incomplete,source\r\n' +
        `2030-01-02T03:05:00.000Z,${T0 + 60_000},101.00,102.00,100.50,101.25,3,2,1,4,101.1250,0,trades\r\n` +
        `2030-01-02T03:06:00.000Z,${T0 + 120_000},102.00,103.00,101.50,102.25,3,2,1,4,102.1250,1,trades\r\n` +
        `2030-01-02T03:07:00.000Z,${T0 + 180_000},103.00,104.00,102.50,103.25,3,2,1,4,103.1250,0,candles\r\n`,
    );
  });

  it('writes the recorded trades of a market and range as CSV, decoded by the venue adapter', () => {
    const r = headless('--kind', 'trades', '--market', 'binance:spot:BTC-USDT', '--from', String(T0), '--to', String(T0 + 60_000), '--data-dir', dataDir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'time,time_ms,price,size,side,id\r\n' +
        `2030-01-02T03:04:00.000Z,${T0},100.2,0.25,sell,12\r\n` +
        `2030-01-02T03:04:01.500Z,${T0 + 1500},100.3,2.00,buy,13\r\n`,
    );
  });

  it('says why when nothing recorded the market (exit 1), and names a bad argument', () => {
    const none = headless('--kind', 'trades', '--market', 'okx:spot:BTC-USDT', '--from', '0', '--to', '1', '--data-dir', dataDir);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/No recorded trades of okx spot BTC-USDT: .*"record": true/);
    // No file system path in the message (it is shown in the UI).
    expect(none.stderr).not.toContain(dataDir);
    // Usage errors are checked in-process (a process per case is slow): the CLI prints the message and exits 2.
    expect(() => parseExportArgs(['--kind', 'bars', '--market', 'binance:spot:BTC-USDT', '--from', 'yesterday', '--to', '1', '--tf', '1m', '--data-dir', dataDir])).toThrow(
      '--from: "yesterday" is not an ISO 8601 time with a zone (e.g. 2024-06-01T00:00:00Z) or epoch ms',
    );
    expect(() => parseExportArgs(['--kind', 'bars', '--market', 'binance:BTC-USDT', '--from', '0', '--to', '1', '--tf', '1m', '--data-dir', dataDir])).toThrow(
      '--market: "binance:BTC-USDT" is not EXCHANGE:MARKET:SYMBOL (e.g. binance:spot:BTC-USDT)',
    );
    expect(() => parseExportArgs(['--kind', 'bars', '--market', 'binance:spot:BTC-USDT', '--from', '0', '--to', '1', '--data-dir', dataDir])).toThrow('--tf: a timeframe (e.g. 1m) is required for bars');
  });
});
