/**
 * The seam between REST history and live bars (Aggregator.seed) and the exact merge of
 * recovered trades (Aggregator.fillTrades): exact bars, the open bar never counted twice.
 */
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import type { Bar, Gap, Side, Trade } from '../../../shared/domain';

const T0 = 1_700_000_040_000; // a minute boundary
const ref = { exchange: 'binance', market: 'spot' as const, symbol: 'BTC-USDT' };

function trade(time: number, price: number, size = 1, side: Side = 'buy', id?: number): Trade {
  return { type: 'trade', ...ref, price, size, side, time, receivedAt: time, ...(id !== undefined ? { id: String(id) } : {}) };
}

function candle(start: number, o: number, h: number, l: number, c: number, v: number, tf = '1m'): Bar {
  return { type: 'bar', ...ref, tf, start, open: o, high: h, low: l, close: c, volume: v, buyVolume: v / 2, sellVolume: v / 2, trades: 3, vwap: (h + l + c) / 3, final: true, incomplete: false, source: 'candles' };
}

const row = (b: Bar) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.final, b.incomplete, b.source ?? 'trades'];
const gap = (phase: 'start' | 'end', at: number): Gap => ({ type: 'gap', feedId: 'binance-spot', ...ref, symbols: [ref.symbol], phase, at, reason: 'test' });

describe('Aggregator.seed: history before the live bars', () => {
  it('takes candles strictly before the open window; the candle for the open window is dropped', () => {
    const agg = new Aggregator({ timeframes: ['1m'], composite: false });
    agg.onTrade(trade(T0 + 10_000, 200, 1));
    agg.onTrade(trade(T0 + 20_000, 201, 2));
    const taken = agg.seed('binance', 'spot', 'BTC-USDT', '1m', [
      candle(T0 - 2 * 60_000, 190, 195, 189, 194, 10),
      candle(T0 - 60_000, 194, 199, 193, 198, 20),
      candle(T0, 198, 202, 197, 201, 50), // the open window: live trades build it
    ]);
    expect(taken).toBe(2);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1m').map(row)).toEqual([
      [T0 - 120_000, 190, 195, 189, 194, 10, true, false, 'candles'],
      [T0 - 60_000, 194, 199, 193, 198, 20, true, false, 'candles'],
      [T0, 200, 201, 200, 201, 3, false, false, 'trades'],
    ]);
    // Live trades continue the open bar only: no candle volume leaked into it.
    agg.onTrade(trade(T0 + 30_000, 202, 1));
    agg.onTrade(trade(T0 + 60_000, 203, 1));
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1m').slice(2).map(row)).toEqual([
      [T0, 200, 202, 200, 202, 4, true, false, 'trades'],
      [T0 + 60_000, 203, 203, 203, 203, 1, false, false, 'trades'],
    ]);
    // A late live trade for a seeded window is refused (the candle already holds it).
    agg.onTrade(trade(T0 - 30_000, 500, 1));
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1m')[1]!.high).toBe(199);
  });

  it('replaces the partial first live window once it is final, keeps later live bars, reports revisions', () => {
    const agg = new Aggregator({ timeframes: ['1m'], composite: false });
    const revised: Bar[] = [];
    agg.onRevised = (b) => revised.push(b);
    agg.onTrade(trade(T0 + 50_000, 100, 1)); // joined 50 s into the minute: partial
    agg.onTrade(trade(T0 + 70_000, 101, 1));
    agg.onTrade(trade(T0 + 130_000, 102, 1));
    agg.takeChanged();
    agg.seed('binance', 'spot', 'BTC-USDT', '1m', [
      candle(T0, 90, 100, 89, 100, 30),
      candle(T0 + 60_000, 100, 101, 99, 101, 7), // ours is a complete live bar: kept
    ]);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1m').map(row)).toEqual([
      [T0, 90, 100, 89, 100, 30, true, false, 'candles'],
      [T0 + 60_000, 101, 101, 101, 101, 1, true, false, 'trades'],
      [T0 + 120_000, 102, 102, 102, 102, 1, false, false, 'trades'],
    ]);
    expect(revised.map(row)).toEqual([[T0, 90, 100, 89, 100, 30, true, false, 'candles']]);
    expect(agg.takeChanged().map((b) => b.start)).toEqual([T0]);
  });

  it('does not seed composites', () => {
    const agg = new Aggregator({ timeframes: ['1m'] });
    expect(agg.seed('*', 'spot', 'BTC-USDT', '1m', [candle(T0, 1, 1, 1, 1, 1)])).toBe(0);
    expect(agg.history('*', 'spot', 'BTC-USDT', '1m')).toEqual([]);
  });
});

describe('Aggregator.fillTrades: recovered trades give the uninterrupted bars', () => {
  const all = [
    trade(T0 + 1_000, 100, 1, 'buy', 1),
    trade(T0 + 2_500, 101, 0.5, 'sell', 2),
    // the gap loses ids 3..6
    trade(T0 + 2_900, 99, 2, 'sell', 3),
    trade(T0 + 3_200, 98, 1, 'buy', 4),
    trade(T0 + 4_100, 103, 0.25, 'buy', 5),
    trade(T0 + 5_500, 102, 1, 'sell', 6),
    trade(T0 + 5_700, 104, 1, 'buy', 7),
    trade(T0 + 7_000, 105, 1, 'buy', 8),
  ];

  it('merges into final and open bars and clears the gap flag when complete', () => {
    const reference = new Aggregator({ timeframes: ['1s', '5s', '1m'], composite: false });
    for (const t of all) reference.onTrade(t);

    const agg = new Aggregator({ timeframes: ['1s', '5s', '1m'], composite: false });
    agg.onTrade(all[0]!);
    agg.onTrade(all[1]!);
    agg.onGap(gap('start', T0 + 2_600));
    agg.onTrade(all[6]!);
    agg.onGap(gap('end', T0 + 5_800));
    agg.onTrade(all[7]!);
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s').map((b) => b.incomplete)).toEqual([false, true, true, false]);

    agg.fillTrades({ ...ref, trades: all.slice(2, 6), after: all[1]!.time, before: all[6]!.time, gap: { start: T0 + 2_600, end: T0 + 5_800 }, complete: true });
    for (const tf of ['1s', '5s', '1m']) {
      const got = agg.history('binance', 'spot', 'BTC-USDT', tf);
      const want = reference.history('binance', 'spot', 'BTC-USDT', tf);
      expect(got.map((b) => ({ ...b, vwap: Math.round(b.vwap * 1e9) / 1e9 }))).toEqual(want.map((b) => ({ ...b, vwap: Math.round(b.vwap * 1e9) / 1e9 })));
    }
    // A trade after the fill still lands in the open bar, not flagged.
    agg.onTrade(trade(T0 + 7_500, 106, 1, 'buy', 9));
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s').at(-1)).toMatchObject({ start: T0 + 7_000, volume: 2, incomplete: false });
  });

  it('keeps bars incomplete when only part of the range came back', () => {
    const agg = new Aggregator({ timeframes: ['1s'], composite: false });
    agg.onTrade(all[0]!);
    agg.onTrade(all[1]!);
    agg.onGap(gap('start', T0 + 2_600));
    agg.onTrade(all[6]!);
    agg.onGap(gap('end', T0 + 5_800));
    agg.fillTrades({ ...ref, trades: all.slice(2, 4), after: all[1]!.time, before: all[6]!.time, gap: { start: T0 + 2_600, end: T0 + 5_800 }, complete: false });
    expect(agg.history('binance', 'spot', 'BTC-USDT', '1s').map((b) => [b.start - T0, b.volume, b.incomplete])).toEqual([
      [1_000, 1, false],
      [2_000, 2.5, true],
      [3_000, 1, true],
      [5_000, 1, true],
    ]);
  });
});
