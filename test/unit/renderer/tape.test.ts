import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { DEFAULT_TAPE_LEVELS, TapeBuffer, highlightLevel, sideMark, tapeRowClass } from '../../../renderer/src/lib/tape';
import { formatNotional, formatUsd, toUsd } from '../../../renderer/src/lib/usd';
import { shortMarketLabel } from '../../../renderer/src/lib/venue-label';

function trade(price: number, size: number, side: Trade['side'] = 'buy', symbol = 'BTC-USDT'): Trade {
  return { type: 'trade', exchange: 'simulator', market: 'spot', symbol, price, size, side, time: 1, receivedAt: 1 };
}

const noPrices = () => null;

describe('tape highlight levels (dollars)', () => {
  it('defaults to $10k / $50k / $250k, levels a BTC trade by its notional', () => {
    expect(DEFAULT_TAPE_LEVELS).toEqual([10_000, 50_000, 250_000]);
    const level = (price: number, size: number) => highlightLevel(toUsd(price * size, 'BTC-USDT', noPrices), DEFAULT_TAPE_LEVELS);
    expect(level(64_000, 0.15)).toBe(0); // $9,600
    expect(level(64_000, 0.15625)).toBe(1); // exactly $10,000
    expect(level(64_000, 1)).toBe(2); // $64,000
    expect(level(64_000, 4)).toBe(3); // $256,000
  });

  it('turns a level off at 0 and never highlights what has no dollar value', () => {
    expect(highlightLevel(60_000, [0, 50_000, 0])).toBe(2);
    expect(highlightLevel(1e9, [0, 0, 0])).toBe(0);
    expect(highlightLevel(null, DEFAULT_TAPE_LEVELS)).toBe(0);
  });

  it('converts other quote currencies through a watched dollar price, else leaves them out', () => {
    expect(toUsd(2, 'ETH-BTC', (a) => (a === 'BTC' ? 64_000 : null))).toBe(128_000);
    expect(toUsd(2, 'ETH-BTC', noPrices)).toBeNull();
    expect(toUsd(5, 'BTC-USD', noPrices)).toBe(5);
    expect(formatNotional(0.5, 'ETH-BTC', null)).toBe('0.500 BTC');
  });

  it('formats dollars compactly', () => {
    expect([formatUsd(950), formatUsd(1_234), formatUsd(12_345), formatUsd(10_000), formatUsd(1_500), formatUsd(1_250_000), formatUsd(2e9), formatUsd(null)]).toEqual(['$950', '$1.23k', '$12.3k', '$10k', '$1.5k', '$1.25M', '$2B', '—']);
  });
});

describe('tape rows', () => {
  it('give side in a letter and an arrow, level and liquidation classes', () => {
    expect(sideMark('buy').text).toBe('▲ B');
    expect(sideMark('sell').text).toBe('▼ S');
    expect(sideMark('unknown').text).toBe('·');
    const buf = new TapeBuffer(10);
    buf.push('trade', trade(100, 200, 'sell'));
    buf.push('trade', trade(100, 1, 'buy'));
    buf.push('liquidation', { ...trade(100, 1, 'sell'), type: 'liquidation' } as never);
    const [liq, small, big] = buf.newestFirst();
    expect(tapeRowClass(liq!, 0)).toBe('tape-row liquidation sell');
    expect(tapeRowClass(small!, 0)).toBe('tape-row buy');
    expect(tapeRowClass(big!, 2)).toBe('tape-row large lvl-2 sell');
  });

  it('label markets so spot, perp and venue read apart', () => {
    expect(shortMarketLabel({ exchange: 'simulator', market: 'perp', symbol: 'BTC-USDT' })).toBe('BTC-USDT · PERP · SIM');
    expect(shortMarketLabel({ exchange: 'binance', market: 'spot', symbol: 'BTC-USDT' })).toBe('BTC-USDT · SPOT · BINANCE');
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

  it('counts entries newer than a frozen view, with its filter (the "N new" pill)', () => {
    const buf = new TapeBuffer(100);
    for (let p = 1; p <= 5; p++) buf.push('trade', trade(p, 1, 'buy', p % 2 ? 'BTC-USDT' : 'ETH-USDT'));
    const top = buf.newestFirst()[0]!.n;
    for (let p = 6; p <= 9; p++) buf.push('trade', trade(p, 1, 'buy', p % 2 ? 'BTC-USDT' : 'ETH-USDT'));
    expect(buf.countNewer(top)).toBe(4);
    expect(buf.countNewer(top, (e) => e.symbol === 'BTC-USDT')).toBe(2);
    expect(buf.countNewer(buf.newestFirst()[0]!.n)).toBe(0);
  });
});
