import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { BarStore } from '../../../electron/core/store/bar-store';
import { retentionMs } from '../../../electron/core/store/retention';
import { ManualClock } from '../../helpers/manual-clock';

const DAY = 86_400_000;

function bar(start: number, over: Partial<Bar> = {}): Bar {
  return {
    type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start,
    open: 100, high: 101.5, low: 99.25, close: 100.5, volume: 2.5, buyVolume: 1.5, sellVolume: 1,
    trades: 7, vwap: 100.3, final: true, incomplete: false, ...over,
  };
}

const stores: BarStore[] = [];
function open(opts: Partial<ConstructorParameters<typeof BarStore>[0]> = {}): BarStore {
  const s = new BarStore({ path: join(mkdtempSync(join(tmpdir(), 'bars-')), 'bars.sqlite'), ...opts });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

describe('BarStore', () => {
  it('round-trips every field of a bar, including incomplete and source', () => {
    const s = open();
    const a = bar(60_000, { incomplete: true, source: 'candles' });
    const b = bar(120_000, { open: 0.000012345, vwap: 1 / 3 });
    s.put(a);
    s.put(b);
    expect(s.range({ key: 'binance:spot:BTC-USDT', tf: '1m' })).toEqual([]); // not flushed yet
    expect(s.flush()).toBe(2);
    expect(s.range({ key: 'binance:spot:BTC-USDT', tf: '1m' })).toEqual([a, b]);
  });

  it('ignores open bars and keeps series apart by market and timeframe', () => {
    const s = open();
    s.put(bar(0, { final: false }));
    s.put(bar(0, { tf: '5m' }));
    s.put(bar(0, { exchange: '*' }));
    s.flush();
    expect(s.range({ key: 'binance:spot:BTC-USDT', tf: '1m' })).toEqual([]);
    expect(s.range({ key: 'binance:spot:BTC-USDT', tf: '5m' }).map((b) => b.tf)).toEqual(['5m']);
    expect(s.range({ key: '*:spot:BTC-USDT', tf: '1m' })[0]!.exchange).toBe('*');
  });

  it('answers range queries: newest `limit` before `before`, oldest first, `from` inclusive', () => {
    const s = open({ flushBars: 1000 });
    for (let i = 0; i < 5000; i++) s.put(bar(i * 60_000, { close: i }));
    s.flush();
    const key = 'binance:spot:BTC-USDT';
    const last = s.range({ key, tf: '1m', limit: 3 });
    expect(last.map((b) => b.close)).toEqual([4997, 4998, 4999]);
    const page = s.range({ key, tf: '1m', before: 100 * 60_000, limit: 4 });
    expect(page.map((b) => b.close)).toEqual([96, 97, 98, 99]);
    const window = s.range({ key, tf: '1m', from: 10 * 60_000, before: 13 * 60_000 });
    expect(window.map((b) => b.close)).toEqual([10, 11, 12]);
  });

  it('flushes by itself once flushBars bars are pending, in one transaction per batch', () => {
    const s = open({ flushBars: 10, flushMs: 60_000 });
    for (let i = 0; i < 25; i++) s.put(bar(i * 60_000));
    expect(s.stats()).toMatchObject({ written: 20, pending: 5, flushes: 2 });
  });

  it('replaces a bar with the same start (a candle-filled bar rebuilt from trades)', () => {
    const s = open();
    s.put(bar(0, { source: 'candles', trades: 0 }));
    s.flush();
    s.put(bar(0, { trades: 9 }));
    s.flush();
    const got = s.range({ key: 'binance:spot:BTC-USDT', tf: '1m' });
    expect(got).toHaveLength(1);
    expect(got[0]!.trades).toBe(9);
    expect(got[0]!.source).toBeUndefined();
  });

  it('enforces retention per timeframe: 1s 2 days, 15s 7 days, 1m 90 days, 1h forever', () => {
    const now = 1000 * DAY;
    const clock = new ManualClock(now);
    const s = open({ clock });
    for (const [tf, ageDays] of [['1s', 1.9], ['1s', 2.1], ['15s', 6.9], ['15s', 7.1], ['1m', 89], ['1m', 91], ['1h', 900]] as const) {
      s.put(bar(now - ageDays * DAY, { tf }));
    }
    s.flush();
    expect(s.applyRetention()).toBe(3);
    const key = 'binance:spot:BTC-USDT';
    const left = ['1s', '15s', '1m', '1h'].map((tf) => s.range({ key, tf }).length);
    expect(left).toEqual([1, 1, 1, 1]);
  });

  it('takes a configured retention over the default', () => {
    expect(retentionMs('5s')).toBe(7 * DAY);
    expect(retentionMs('5s', { '5s': 1 })).toBe(DAY);
    expect(retentionMs('1h', { '1h': 30 })).toBe(30 * DAY);
    expect(retentionMs('1m', { '1m': null })).toBeNull();
  });
});
