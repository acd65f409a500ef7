import { describe, expect, it } from 'vitest';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import { FundingMerge } from '../../../electron/core/runtime/funding-merge';
import type { Funding } from '../../../shared/domain';

const ref = { type: 'funding', exchange: 'binance', market: 'perp' } as const;
const ctx = { exchange: 'binance', market: 'perp', symbol: 'BTC-USDT' } as const;
const poll = binanceAdapter.polls![0]!;

describe('binance open interest poll', () => {
  it('asks /fapi/v1/openInterest per symbol and reads the documented answer in base units', () => {
    expect(poll).toMatchObject({ market: 'perp', channel: 'funding', intervalMs: 15_000, minGapMs: 1_000 });
    expect(poll.path('BTCUSDT')).toBe('/fapi/v1/openInterest?symbol=BTCUSDT');
    // The response example of Binance's USD-M "Open Interest" REST page.
    expect(poll.parse({ openInterest: '10659.509', symbol: 'BTCUSDT', time: 1589437530011 }, ctx, 5)).toEqual([
      { ...ref, symbol: 'BTC-USDT', openInterest: 10659.509, time: 1589437530011, receivedAt: 5 },
    ]);
    expect(() => poll.parse({ code: -1121, msg: 'Invalid symbol.' }, ctx, 5)).toThrow(/openInterest answer without/);
    expect(() => poll.parse([], ctx, 5)).toThrow(/not an object/);
  });
});

describe('FundingMerge', () => {
  const stream = (time: number, rate: number): Funding => ({ ...ref, symbol: 'BTC-USDT', rate, markPrice: 43000, time, receivedAt: time });
  const polled = (time: number, openInterest: number): Funding => ({ ...ref, symbol: 'BTC-USDT', openInterest, time, receivedAt: time });

  it('passes records through until the other source has spoken', () => {
    const m = new FundingMerge();
    expect(m.fromPoll(polled(1, 100))).toEqual(polled(1, 100));
    const m2 = new FundingMerge();
    expect(m2.fromStream(stream(1, 0.0001))).toEqual(stream(1, 0.0001));
  });

  it('gives every record the latest of both sources, with its own time', () => {
    const m = new FundingMerge();
    m.fromStream(stream(1, 0.0001));
    expect(m.fromPoll(polled(2, 100))).toEqual({ ...stream(2, 0.0001), openInterest: 100 });
    expect(m.fromStream(stream(3, 0.0002))).toEqual({ ...stream(3, 0.0002), openInterest: 100 });
    expect(m.fromPoll(polled(4, 90))).toEqual({ ...stream(4, 0.0002), openInterest: 90 });
    // Another market is merged apart.
    expect(m.fromPoll({ ...polled(5, 7), symbol: 'ETH-USDT' })).toEqual({ ...polled(5, 7), symbol: 'ETH-USDT' });
  });

  it('lets a stream record that carries a field itself win over the polled one', () => {
    const m = new FundingMerge();
    m.fromPoll(polled(1, 100));
    expect(m.fromStream({ ...stream(2, 0.0001), openInterest: 120 }).openInterest).toBe(120);
  });
});
