import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { TapeBuffer, isLargeTrade, tapeRowClass } from '../../../renderer/src/lib/tape';

function trade(price: number, size: number, side: Trade['side'] = 'buy'): Trade {
  return { type: 'trade', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', price, size, side, time: 1, receivedAt: 1 };
}

describe('tape highlighting', () => {
  it('highlights trades whose notional (price * size) reaches the threshold, in quote currency', () => {
    expect(isLargeTrade(64_000, 0.15625, 10_000)).toBe(true); // exactly 10 000
    expect(isLargeTrade(64_000, 0.156, 10_000)).toBe(false); // 9 984
    expect(isLargeTrade(64_000, 100, 0)).toBe(false); // 0 = highlighting off
  });

  it('gives side colour, large and liquidation classes', () => {
    const buf = new TapeBuffer(10);
    buf.push('trade', trade(100, 200, 'sell'));
    buf.push('trade', trade(100, 1, 'buy'));
    buf.push('liquidation', { ...trade(100, 1, 'sell'), type: 'liquidation' } as never);
    const [liq, small, big] = buf.newestFirst();
    expect(tapeRowClass(liq!, 10_000)).toBe('tape-row liquidation sell');
    expect(tapeRowClass(small!, 10_000)).toBe('tape-row buy');
    expect(tapeRowClass(big!, 10_000)).toBe('tape-row large sell');
  });
});

describe('TapeBuffer', () => {
  it('keeps the newest `capacity` entries, newest first, with unique keys', () => {
    const buf = new TapeBuffer(3);
    for (let p = 1; p <= 5; p++) buf.push('trade', trade(p, 1));
    expect(buf.size).toBe(3);
    expect(buf.newestFirst().map((e) => e.price)).toEqual([5, 4, 3]);
    expect(buf.newestFirst().map((e) => e.n)).toEqual([5, 4, 3]);
    expect(buf.newestFirst((e) => e.price !== 4, 1).map((e) => e.price)).toEqual([5]);
    expect(buf.at(3)).toBeUndefined();
  });
});
