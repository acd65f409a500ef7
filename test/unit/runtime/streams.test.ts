import { describe, expect, it } from 'vitest';
import { planStreams } from '../../../electron/core/runtime/streams';
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
