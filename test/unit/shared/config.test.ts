import { describe, expect, it } from 'vitest';
import { ConfigError, parseFeedConfig, parseSettings } from '../../../shared/config';
import { normaliseSymbol, splitConcatenated } from '../../../shared/symbols';

describe('feed config schema', () => {
  it('fills defaults and normalises what a user types', () => {
    expect(parseFeedConfig({ exchange: 'binance', symbols: [' btc/usdt ', 'eth_usdt'] })).toEqual({
      id: 'binance-spot',
      exchange: 'binance',
      market: 'spot',
      symbols: ['BTC-USDT', 'ETH-USDT'],
      channels: ['trades', 'quotes'],
      enabled: true,
    });
  });

  it.each([
    [{ exchange: 'binance', symbols: ['BTCUSDT'] }, 'symbols[0]: "BTCUSDT" is not a canonical symbol'],
    [{ exchange: 'ftx', symbols: ['BTC-USD'] }, 'exchange: must be one of'],
    [{ exchange: 'okx', symbols: [] }, 'symbols: at least one symbol is required'],
    [{ exchange: 'okx', symbols: ['BTC-USDT'], url: 'http://x' }, 'url: must be a ws:// or wss:// URL'],
    [{ exchange: 'okx', symbols: ['BTC-USDT'], market: 'futures' }, 'market: must be spot or perp'],
    [{ exchange: 'okx', symbols: ['BTC-USDT'], colour: 'red' }, 'colour'],
  ])('rejects %j naming the bad field', (input, message) => {
    expect(() => parseFeedConfig(input)).toThrow(ConfigError);
    expect(() => parseFeedConfig(input)).toThrow(message);
  });

  it('names the feed index in settings errors and refuses duplicate ids', () => {
    expect(() => parseSettings({ feeds: [{ exchange: 'okx', symbols: ['BTC-USDT'] }, { exchange: 'okx', symbols: ['x'] }] })).toThrow(
      'feeds[1].symbols[0]',
    );
    expect(() =>
      parseSettings({ feeds: [{ id: 'a', exchange: 'okx', symbols: ['BTC-USDT'] }, { id: 'a', exchange: 'kraken', symbols: ['BTC-USD'] }] }),
    ).toThrow('duplicate feed id "a"');
  });

  it('gives unnamed feeds unique ids', () => {
    const s = parseSettings({ feeds: [{ exchange: 'okx', symbols: ['BTC-USDT'] }, { exchange: 'okx', symbols: ['ETH-USDT'] }] });
    expect(s.feeds.map((f) => f.id)).toEqual(['okx-spot', 'okx-spot-2']);
  });
});

describe('canonical symbols', () => {
  it('normalises and splits', () => {
    expect(normaliseSymbol('xbt/usd')).toBe('XBT-USD');
    expect(normaliseSymbol('BTC')).toBeNull();
    expect(splitConcatenated('BTCUSDT')).toBe('BTC-USDT');
    expect(splitConcatenated('ETHBTC')).toBe('ETH-BTC');
    expect(splitConcatenated('BTCFDUSD')).toBe('BTC-FDUSD');
    expect(splitConcatenated('FOO')).toBeNull();
  });
});
