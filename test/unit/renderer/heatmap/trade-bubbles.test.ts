import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../../shared/domain';
import { BubbleRing, bubbleRadius, bubbleThreshold, MAX_BUBBLES } from '../../../../renderer/src/chart/heatmap/trade-bubbles';

const trade = (price: number, size: number, symbol = 'BTC-USDT'): Trade => ({
  type: 'trade', exchange: 'simulator', market: 'spot', symbol, price, size, side: 'buy', time: 1, receivedAt: 1,
});

describe('large-trade bubbles', () => {
  it('the first highlight level that is on is the threshold', () => {
    expect(bubbleThreshold([10_000, 50_000])).toBe(10_000);
    expect(bubbleThreshold([0, 50_000])).toBe(50_000);
    expect(bubbleThreshold([0, 0])).toBe(0);
  });

  it('keeps trades at or above the threshold in dollars, bigger notional bigger bubble', () => {
    const ring = new BubbleRing();
    const usd = () => null;
    expect(ring.offer(trade(50_000, 0.1), 10_000, usd)).toBe(false);
    expect(ring.offer(trade(50_000, 0.2), 10_000, usd)).toBe(true);
    expect(ring.offer(trade(50_000, 2), 10_000, usd)).toBe(true);
    expect(ring.size).toBe(2);
    expect(ring.items[1]!.radius).toBeGreaterThan(ring.items[0]!.radius);
    expect(ring.offer(trade(50_000, 2), 0, usd)).toBe(false);
    expect(bubbleRadius(1e12, 10_000)).toBe(16);
  });

  it('is bounded', () => {
    const ring = new BubbleRing();
    for (let i = 0; i < MAX_BUBBLES + 10; i++) ring.offer(trade(50_000, 1), 10_000, () => null);
    expect(ring.size).toBe(MAX_BUBBLES);
  });
});
