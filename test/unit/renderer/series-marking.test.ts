/** How the chart marks bars by origin: trades (solid), venue candles (faded body), incomplete (hollow grey). */
import { describe, expect, it } from 'vitest';
import { COLORS, toCandle, toSellVolume, toTotalVolume } from '../../../renderer/src/chart/series-data';
import type { Bar } from '../../../shared/domain';

const bar = (o: Partial<Bar>): Bar => ({
  type: 'bar', exchange: 'kraken', market: 'spot', symbol: 'BTC-USD', tf: '1m', start: 60_000,
  open: 100, high: 102, low: 99, close: 101, volume: 4, buyVolume: 3, sellVolume: 1, trades: 7, vwap: 100.5,
  final: true, incomplete: false, ...o,
});

describe('chart marking of filled and incomplete bars', () => {
  it('draws trade bars with the series defaults', () => {
    expect(toCandle(bar({}))).toEqual({ time: 60, open: 100, high: 102, low: 99, close: 101 });
    expect(toTotalVolume(bar({})).color).toBe(COLORS.buyVolume);
  });

  it('draws candle bars with a faded body in a full-colour border, neutral volume without a split', () => {
    expect(toCandle(bar({ source: 'candles' }))).toMatchObject({ color: COLORS.candlesUpBody, borderColor: COLORS.up, wickColor: COLORS.up });
    expect(toCandle(bar({ source: 'candles', close: 99.5 }))).toMatchObject({ color: COLORS.candlesDownBody, borderColor: COLORS.down });
    expect(toTotalVolume(bar({ source: 'candles', buyVolume: 0, sellVolume: 0 })).color).toBe(COLORS.unsplitVolume);
    // Binance klines carry the taker split: shown like trade bars.
    expect(toTotalVolume(bar({ source: 'candles' })).color).toBe(COLORS.buyVolume);
  });

  it('keeps incomplete bars hollow grey, also when filled from candles', () => {
    for (const source of [undefined, 'candles'] as const) {
      const b = bar({ incomplete: true, ...(source ? { source } : {}) });
      expect(toCandle(b)).toMatchObject({ color: 'rgba(0, 0, 0, 0)', borderColor: COLORS.incomplete, wickColor: COLORS.incomplete });
      expect([toTotalVolume(b).color, toSellVolume(b).color]).toEqual([COLORS.incompleteVolume, COLORS.incompleteVolume]);
    }
  });
});
