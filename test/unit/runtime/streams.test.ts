import { describe, expect, it } from 'vitest';
import { planStreams } from '../../../electron/core/runtime/streams';
import { parseRetryAfter } from '../../../electron/core/runtime/retry-after';
import { ConfigError } from '../../../shared/config';

const adapter = {
  displayName: 'Echo',
  marketTypes: ['spot'] as const,
  channels: { spot: ['trades', 'quotes'] as const },
  maxStreamsPerConnection: 4,
};
const toNative = (s: string): string => s.replace('-', '');

describe('planStreams', () => {
  it('subscribes symbols x supported channels and reports unsupported channels', () => {
    const plan = planStreams({ exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades', 'funding', 'quotes'] }, adapter, toNative);
    expect(plan.unsupported).toEqual(['funding']);
    expect(plan.shards).toEqual([[
      { symbol: 'BTC-USDT', native: 'BTCUSDT', channel: 'trades' },
      { symbol: 'BTC-USDT', native: 'BTCUSDT', channel: 'quotes' },
    ]]);
  });

  it('shards by maxStreamsPerConnection, keeping a symbol’s channels together', () => {
    const plan = planStreams(
      { exchange: 'simulator', market: 'spot', symbols: ['A-USD', 'B-USD', 'C-USD', 'D-USD', 'E-USD'], channels: ['trades', 'quotes'] },
      { ...adapter, maxStreamsPerConnection: 5 },
      toNative,
    );
    expect(plan.shards.map((s) => s.map((x) => `${x.symbol}@${x.channel}`))).toEqual([
      ['A-USD@trades', 'A-USD@quotes', 'B-USD@trades', 'B-USD@quotes'],
      ['C-USD@trades', 'C-USD@quotes', 'D-USD@trades', 'D-USD@quotes'],
      ['E-USD@trades', 'E-USD@quotes'],
    ]);
  });

  it('refuses a market type or channel set the venue cannot serve, with the reason', () => {
    expect(() => planStreams({ exchange: 'simulator', market: 'perp', symbols: ['BTC-USDT'], channels: ['trades'] }, adapter, toNative)).toThrow(
      new ConfigError('Echo has no perp market (supports spot)'),
    );
    expect(() => planStreams({ exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['funding'] }, adapter, toNative)).toThrow(
      /offers none of the configured channels \(funding\); it offers trades, quotes/,
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('1', 0)).toBe(1_000);
    expect(parseRetryAfter(' 2.5 ', 0)).toBe(2_500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('99999999', 0)).toBe(24 * 60 * 60 * 1000);
  });
});
