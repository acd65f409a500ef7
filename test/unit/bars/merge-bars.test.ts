import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { mergeBars } from '../../../electron/core/bars/merge-bars';

function bar(start: number, over: Partial<Bar> = {}): Bar {
  return {
    type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start,
    open: 100, high: 101.5, low: 99.25, close: 100.5, volume: 2.5, buyVolume: 1.5, sellVolume: 1,
    trades: 7, vwap: 100.3, final: true, incomplete: false, ...over,
  };
}

describe('mergeBars', () => {
  it('lets the in-memory bar win at the seam and never doubles the open bar', () => {
    const stored = [bar(0), bar(60_000), bar(120_000, { close: 1 })];
    const memory = [bar(120_000, { close: 2 }), bar(180_000, { final: false })];
    const merged = mergeBars(stored, memory, 10);
    expect(merged.map((b) => [b.start, b.close, b.final])).toEqual([
      [0, 100.5, true],
      [60_000, 100.5, true],
      [120_000, 2, true],
      [180_000, 100.5, false],
    ]);
    expect(mergeBars(stored, memory, 2).map((b) => b.start)).toEqual([120_000, 180_000]);
  });
});
