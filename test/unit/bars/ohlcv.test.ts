/**
 * The one bar-arithmetic module (bars/ohlcv.ts): the live aggregator, gap fill and history's
 * roll-up all build bars through it, so these cases pin the arithmetic every one of them gets.
 */
import { describe, expect, it } from 'vitest';
import type { Bar, Side, Trade } from '../../../shared/domain';
import { addTrade, barOfTrades, mergeTrades, openBar, rollUp } from '../../../electron/core/bars/ohlcv';

const ref = { exchange: 'binance', market: 'spot' as const, symbol: 'BTC-USDT' };
const T0 = 1_700_000_040_000; // a minute boundary
const W = 1_700_000_100_000; // a 5-minute boundary

function trade(time: number, price: number, size: number, side: Side): Trade {
  return { type: 'trade', ...ref, price, size, side, time, receivedAt: time };
}

function bar(start: number, o: number, h: number, l: number, c: number, v: number, over: Partial<Bar> = {}): Bar {
  return {
    type: 'bar', ...ref, tf: '1m', start, open: o, high: h, low: l, close: c, volume: v,
    buyVolume: v / 2, sellVolume: v / 4, trades: 2, vwap: (h + l) / 2, final: true, incomplete: false, source: 'candles', ...over,
  };
}

const ohlcv = (b: Bar) => [b.open, b.high, b.low, b.close, b.volume, b.buyVolume, b.sellVolume, b.trades];

describe('openBar + addTrade (the live path)', () => {
  it('accumulates OHLCV and the taker split; side unknown counts in volume only', () => {
    const b = openBar('binance', 'spot', 'BTC-USDT', '1m', T0, 100, 1, 'buy', false);
    addTrade(b, 103, 2, 'sell');
    addTrade(b, 98, 0.5, 'unknown');
    addTrade(b, 101, 1.5, 'buy');
    expect(ohlcv(b)).toEqual([100, 103, 98, 101, 5, 2.5, 2, 4]);
    // VWAP is the caller's (it keeps sum(price * size)); the opening trade set it.
    expect(b.vwap).toBe(100);
    expect([b.final, b.incomplete, b.source]).toEqual([false, false, undefined]);
  });
});

describe('barOfTrades', () => {
  it('makes a final, complete bar of a window\'s trades with their sum(price * size)', () => {
    const r = barOfTrades(ref, '1m', T0, [trade(T0 + 1, 10, 1, 'buy'), trade(T0 + 2, 12, 3, 'sell'), trade(T0 + 3, 11, 1, 'unknown')])!;
    expect(ohlcv(r.bar)).toEqual([10, 12, 10, 11, 5, 1, 3, 3]);
    expect(r.pv).toBe(10 + 36 + 11);
    expect(r.bar.vwap).toBeCloseTo(57 / 5, 12);
    expect([r.bar.start, r.bar.tf, r.bar.final, r.bar.incomplete]).toEqual([T0, '1m', true, false]);
  });

  it('returns null for no trades', () => {
    expect(barOfTrades(ref, '1m', T0, [])).toBeNull();
  });
});

describe('mergeTrades (gap fill into a bar that holds some of its window)', () => {
  const recovered = () => barOfTrades(ref, '1m', T0, [trade(T0 + 20_000, 90, 1, 'sell'), trade(T0 + 30_000, 120, 2, 'buy')])!;

  it('keeps open and close where the bar holds trades from before and after the gap', () => {
    const b = bar(T0, 100, 105, 95, 102, 4, { buyVolume: 1, sellVolume: 1, trades: 3, vwap: 100 });
    const pv = mergeTrades(b, 400, recovered(), true, true);
    expect(ohlcv(b)).toEqual([100, 120, 90, 102, 7, 3, 2, 5]);
    expect(pv).toBe(400 + 90 + 240);
    expect(b.vwap).toBeCloseTo(730 / 7, 12);
  });

  it('takes open and close from the recovered trades where the bar has none on that side', () => {
    const b = bar(T0, 100, 105, 95, 102, 4, { vwap: 100 });
    mergeTrades(b, 400, recovered(), false, false);
    expect([b.open, b.close]).toEqual([90, 120]);
  });
});

describe('rollUp', () => {
  it('merges finer bars into coarser windows: first open, last close, sums, volume-weighted VWAP', () => {
    const parts = [
      bar(W, 10, 12, 9, 11, 2, { vwap: 10 }),
      bar(W + 60_000, 11, 15, 10, 14, 6, { vwap: 14, incomplete: true }),
      bar(W + 5 * 60_000, 14, 14, 13, 13, 1, { vwap: 13.5, final: false }),
    ];
    const [a, b, ...rest] = rollUp(parts, '5m');
    expect(rest).toEqual([]);
    expect([a!.start, a!.tf, ...ohlcv(a!)]).toEqual([W, '5m', 10, 15, 9, 14, 8, 4, 2, 4]);
    expect(a!.vwap).toBeCloseTo((10 * 2 + 14 * 6) / 8, 12);
    expect([a!.final, a!.incomplete, a!.source]).toEqual([true, true, 'candles']);
    expect([b!.open, b!.close, b!.final, b!.vwap]).toEqual([14, 13, false, 13.5]);
  });

  it('leaves its input unchanged', () => {
    const parts = [bar(W, 10, 12, 9, 11, 2), bar(W + 60_000, 11, 15, 10, 14, 6)];
    const before = JSON.stringify(parts);
    rollUp(parts, '5m');
    expect(JSON.stringify(parts)).toBe(before);
  });
});
