import { describe, expect, it } from 'vitest';
import type { Liquidation } from '../../../shared/domain';
import { LIQ_COLORS, MAX_MARKER_SIZE, bucketLiquidations, describeBucket, liquidationMarkers, markerSize } from '../../../renderer/src/chart/liquidation-markers';

const T = 1_700_000_040_000; // a minute boundary
function liq(time: number, price: number, size: number, side: 'buy' | 'sell', symbol = 'BTC-USDT'): Liquidation {
  return { type: 'liquidation', exchange: 'binance', market: 'perp', symbol, price, size, side, time, receivedAt: time };
}
const noPrices = () => null;

describe('liquidation markers', () => {
  it('give one marker per bar (not one per liquidation), sized by dollar notional, only above the threshold', () => {
    const list = [
      liq(T + 1_000, 64_000, 0.5, 'sell'), // $32k longs
      liq(T + 2_000, 64_000, 1, 'sell'), // $64k longs
      liq(T + 3_000, 64_100, 0.1, 'buy'), // $6.41k shorts
      liq(T + 61_000, 64_000, 0.1, 'sell'), // next bar: $6.4k, under the threshold
      liq(T + 125_000, 64_000, 40, 'buy'), // $2.56M shorts
    ];
    const buckets = bucketLiquidations(list, 60_000, noPrices);
    expect(buckets.map((b) => [b.start, b.longs.count, b.shorts.count])).toEqual([[T, 2, 1], [T + 60_000, 1, 0], [T + 120_000, 0, 1]]);
    const markers = liquidationMarkers(buckets, 10_000);
    expect(markers.map((m) => [m.time, m.position, m.text])).toEqual([
      [T / 1000, 'belowBar', '$102.4k'],
      [(T + 120_000) / 1000, 'aboveBar', '$2.56M'],
    ]);
    // Longs liquidated and shorts liquidated in their own colours.
    expect(markers.map((m) => m.color)).toEqual([LIQ_COLORS.longs, LIQ_COLORS.shorts]);
    expect(markers[0]!.size).toBeGreaterThan(1);
    expect(markers[1]!.size).toBe(MAX_MARKER_SIZE);
    expect(markerSize(10_000, 10_000)).toBe(1);
    // A lower threshold shows the small bar too.
    expect(liquidationMarkers(buckets, 1_000)).toHaveLength(3);
  });

  it('details a bar for the hover: longs and shorts liquidated, the largest', () => {
    const [b] = bucketLiquidations([liq(T + 1_000, 64_000, 0.5, 'sell'), liq(T + 2_000, 64_100, 0.1, 'buy')], 60_000, noPrices);
    const lines = describeBucket(b!, '1m', noPrices);
    expect(lines[1]).toBe('Longs liquidated: $32k (1)');
    expect(lines[2]).toBe('Shorts liquidated: $6.41k (1)');
    expect(lines[3]).toBe('Largest: long $32k at 64000.00');
  });

  it('shows a bar whose quote currency has no dollar price, in that currency', () => {
    const buckets = bucketLiquidations([liq(T, 0.05, 10, 'sell', 'ETH-BTC')], 60_000, noPrices);
    expect(liquidationMarkers(buckets, 10_000).map((m) => m.text)).toEqual(['0.500 BTC']);
  });
});
