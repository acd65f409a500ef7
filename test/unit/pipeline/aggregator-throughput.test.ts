/**
 * Micro-check, not a benchmark (docs/architecture.md, Backpressure: measure with `npm run bench`): one million
 * trades through 7 timeframes, per market and composite, finish in reasonable time. The rate is
 * printed; the bound asserted is deliberately loose (shared 2-core machines).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEFRAMES, type Trade } from '../../../shared/domain';
import { Aggregator } from '../../../electron/core/pipeline/aggregator';
import { T0, trade } from './trades';

describe('Aggregator throughput', () => {
  it('handles 1M trades over 7 timeframes', () => {
    const agg = new Aggregator({ timeframes: [...DEFAULT_TIMEFRAMES] });
    // A few reused trade objects (the aggregator keeps no reference to a trade), so the loop
    // measures onTrade rather than the allocation of a million test objects.
    const pool: Trade[] = [
      trade(T0, 100, 1, 'buy', 'binance', 'BTC-USDT'),
      trade(T0, 100, 1, 'sell', 'okx', 'BTC-USDT'),
      trade(T0, 10, 1, 'buy', 'binance', 'ETH-USDT'),
      trade(T0, 10, 1, 'unknown', 'bybit', 'ETH-USDT'),
    ];
    const N = 1_000_000;
    let finals = 0;
    agg.onFinal = () => finals++;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const t = pool[i & 3]!;
      t.time = T0 + i * 2; // 500 trades/s of exchange time: ~2000 s, many window changes
      t.price = 100 + (i % 17);
      t.size = 0.5 + (i % 5);
      agg.onTrade(t);
      if ((i & 1023) === 0) agg.takeChanged(); // the publisher drains at its cadence
    }
    const ms = performance.now() - t0;
    const rate = Math.round(N / (ms / 1000));
    console.log(`Aggregator.onTrade: ${N} trades x 7 timeframes (+ composites) in ${ms.toFixed(0)} ms = ${rate.toLocaleString('en')} trades/s`);
    const s = agg.stats();
    expect(s.trades).toBe(N);
    expect(s.lateTrades).toBe(0);
    expect(s.series).toBe((4 + 2) * 7);
    // 1s windows: ~2000 per series; the rest of the timeframes add ~25 % more.
    expect(finals).toBeGreaterThan(6 * 1999);
    // BTC-USDT composite 1h bar holds every BTC trade: half of them.
    expect(agg.history('*', 'spot', 'BTC-USDT', '1h').reduce((n, b) => n + b.trades, 0)).toBe(N / 2);
    expect(ms).toBeLessThan(8000);
  });
});
