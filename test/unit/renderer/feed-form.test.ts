import { describe, expect, it } from 'vitest';
import { checkForm, defaultChannels, errorsByField, plainMessage, tidySymbols, valuesFromFeed } from '../../../renderer/src/lib/feed-form';
import { normaliseTyped, parseSymbolList } from '../../../renderer/src/lib/symbol-input';

const symbol = (s: string) => {
  const r = normaliseTyped(s);
  return 'symbol' in r ? r.symbol : r.error;
};

describe('symbols as typed', () => {
  it('makes what traders type canonical', () => {
    expect(['BTCUSDT', 'btc/usdt', 'BTC_USDT', ' btc-usdt ', 'ethbtc', 'SOLUSDC', 'XBT/USD', 'BTC-USDT-SWAP', 'BTCUSDT.P', 'btcusdt_perp', 'ETHEUR'].map(symbol)).toEqual([
      'BTC-USDT', 'BTC-USDT', 'BTC-USDT', 'BTC-USDT', 'ETH-BTC', 'SOL-USDC', 'BTC-USD', 'BTC-USDT', 'BTC-USDT', 'BTC-USDT', 'ETH-EUR',
    ]);
  });

  it('says in plain words what to type when it cannot read a symbol', () => {
    expect(symbol('BTCXYZ')).toBe('“BTCXYZ”: no quote currency recognised (USDT, USDC, USD, BTC, ETH, EUR...): write it as BASE-QUOTE, for example BTC-USDT');
    expect(symbol('BTCUSDT!!')).toMatch(/^“BTCUSDT!!” has characters a symbol cannot have/);
    expect(symbol('A-B-C')).toMatch(/is not one base and one quote currency/);
    expect(parseSymbolList('btcusdt, BTC-USDT; eth/usdt bad!')).toEqual({ symbols: ['BTC-USDT', 'ETH-USDT'], errors: [expect.stringMatching(/^“bad!”/)] });
    expect(tidySymbols('btcusdt,  eth/usdt BTC-USDT what?')).toBe('BTC-USDT, ETH-USDT, what?');
  });
});

describe('the feed form', () => {
  const perp = ['trades', 'quotes', 'liquidations', 'funding'];

  it('ticks liquidations and funding for a new perp feed, trades and quotes for spot', () => {
    expect(defaultChannels(perp, 'perp')).toEqual(perp);
    expect(defaultChannels(['trades', 'quotes'], 'spot')).toEqual(['trades', 'quotes']);
  });

  it('checks before sending, in plain words, field by field', () => {
    const v = { ...valuesFromFeed(null, { exchange: 'binance', market: 'spot', channels: [] }), symbols: '', url: 'http://x', restUrl: 'ftp://y', id: 'my feed' };
    expect(checkForm(v, false)).toEqual({
      symbols: 'Add at least one symbol, for example BTC-USDT.',
      channels: 'Tick at least one channel.',
      url: "Use a ws:// or wss:// address, or leave it empty for the venue's own.",
      restUrl: "Use an http:// or https:// address, or leave it empty for the venue's own.",
      id: 'Use up to 64 letters, digits, _ or - (no spaces, dots or slashes), or leave it empty.',
    });
    expect(checkForm({ ...v, symbols: 'btcusdt', channels: ['trades'], url: '', restUrl: '', id: '' }, false)).toEqual({});
  });

  it('rewords schema messages and never shows raw schema text', () => {
    expect(plainMessage('channels', null, 'Too small: expected array to have >=1 items')).toBe('Tick at least one channel.');
    expect(plainMessage('symbols', null, 'at least one symbol is required')).toBe('Add at least one symbol, for example BTC-USDT.');
    expect(plainMessage('id', null, 'a feed "x" already exists')).toBe('A feed "x" already exists: pick another id, or leave it empty.');
    const e = errorsByField('symbols[2]: "X!" is not a canonical symbol (BASE-QUOTE, e.g. BTC-USDT)\nrecordBudgetMB: must be a positive number of MiB');
    expect(e.symbols).not.toMatch(/canonical|symbols\[/);
    expect(e.form).toBe('recordBudgetMB: must be a positive number of MiB');
  });
});
