/** Small hand-made bars for the study tests. */
import type { Bar } from '../../../../shared/domain';

export const MIN = 60_000;
/** 2026-12-01T00:00:00Z. */
export const DAY0 = Date.UTC(2026, 11, 1);

export function bar(start: number, p: Partial<Bar> = {}): Bar {
  const close = p.close ?? 100;
  return {
    type: 'bar',
    exchange: 'simulator',
    market: 'spot',
    symbol: 'BTC-USDT',
    tf: '1m',
    start,
    open: close,
    high: close,
    low: close,
    close,
    volume: 0,
    buyVolume: 0,
    sellVolume: 0,
    trades: 1,
    vwap: close,
    final: true,
    incomplete: false,
    ...p,
  };
}
