import { describe, expect, it } from 'vitest';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import type { ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import type { Channel, MarketType } from '../../../shared/domain';

function streams(symbols: string[], channels: Channel[]): Stream[] {
  return symbols.flatMap((symbol) => channels.map((channel) => ({ symbol, native: symbol.replace('-', ''), channel })));
}

function parser(market: MarketType, s: Stream[]) {
  const ctx: ParserContext = {
    exchange: 'binance',
    market,
    streams: s,
    toCanonical: (n) => binanceAdapter.toCanonical(n, market),
  };
  return binanceAdapter.createParser(ctx);
}

const RX = 1_700_000_000_123;

// Frames below follow the recorded combined-stream format (aggTrade.jsonl, bookTicker.jsonl) and
// the documented USD-M payloads (forceOrder, markPriceUpdate, futures bookTicker).
const aggBuy = '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"BTCUSDT","a":15683430,"p":"57280.01000000","q":"0.05800000","f":19862790,"l":19862792,"T":1633998523961,"m":false,"M":true}}';
const aggSell = '{"stream":"ethusdt@aggTrade","data":{"e":"aggTrade","E":1633998534486,"s":"ETHUSDT","a":9213679,"p":"3521.50000000","q":"1.77000000","f":12368013,"l":12368013,"T":1633998534485,"m":true,"M":true}}';

describe('binance parser (spot)', () => {
  it('normalises aggTrade: m:false is a taker buy, m:true a taker sell, id is the aggregate id', () => {
    const p = parser('spot', streams(['BTC-USDT', 'ETH-USDT'], ['trades', 'quotes']));
    expect(p.parse(aggBuy, RX)).toEqual([
      { type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price: 57280.01, size: 0.058, side: 'buy', time: 1633998523961, receivedAt: RX, id: '15683430' },
    ]);
    expect(p.parse(aggSell, RX)).toEqual([
      { type: 'trade', exchange: 'binance', market: 'spot', symbol: 'ETH-USDT', price: 3521.5, size: 1.77, side: 'sell', time: 1633998534485, receivedAt: RX, id: '9213679' },
    ]);
  });

  it('spot bookTicker has no time: the quote is stamped with receivedAt', () => {
    const p = parser('spot', streams(['BTC-USDT'], ['quotes']));
    const frame = '{"stream":"btcusdt@bookTicker","data":{"u":499869768,"s":"BTCUSDT","b":"57280.00000000","B":"0.67200000","a":"57280.01000000","A":"3.19900000"}}';
    expect(p.parse(frame, RX)).toEqual([
      { type: 'quote', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', bid: 57280, bidSize: 0.672, ask: 57280.01, askSize: 3.199, time: RX, receivedAt: RX },
    ]);
  });

  it('acks are control events, error replies carry the venue message and the symbol of a one-symbol request', () => {
    const p = parser('spot', streams(['BTC-USDT'], ['trades', 'quotes']));
    expect(p.parse('{"result":null,"id":1}', RX)).toEqual([{ type: 'control', what: 'ack', message: 'request 1 accepted' }]);
    expect(p.parse('{"error":{"code":2,"msg":"Invalid request: unknown stream"},"id":1}', RX)).toEqual([
      { type: 'error', kind: 'venue', message: 'Binance rejected request 1: Invalid request: unknown stream (code 2)', cause: 'Invalid request: unknown stream', symbol: 'BTC-USDT' },
    ]);
    // The older documented shape, without the "error" wrapper.
    const [e] = p.parse('{"code":0,"msg":"Unknown property","id":7}', RX);
    expect(e).toMatchObject({ type: 'error', kind: 'venue', cause: 'Unknown property' });
  });

  it('a rejected request covering several symbols names the symbol only when the message does', () => {
    const p = parser('spot', streams(['BTC-USDT', 'ETH-USDT'], ['trades']));
    const [vague] = p.parse('{"error":{"code":2,"msg":"Invalid request: too many streams"},"id":1}', RX);
    expect(vague).not.toHaveProperty('symbol');
    const [named] = p.parse('{"error":{"code":2,"msg":"Invalid stream ethusdt@aggTrade"},"id":1}', RX);
    expect(named).toMatchObject({ symbol: 'ETH-USDT' });
  });

  it('a malformed frame between good ones is one parse error and the good ones all parse', () => {
    const p = parser('spot', streams(['BTC-USDT', 'ETH-USDT'], ['trades']));
    const out = [aggBuy, '{"stream":"btcusdt@aggTrade","data":{"e":"aggTr', aggSell, '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","s":"BTCUSDT","a":1,"p":"abc","q":"1","T":1,"m":true}}']
      .flatMap((f) => p.parse(f, RX));
    expect(out.map((e) => e.type)).toEqual(['trade', 'error', 'trade', 'error']);
    expect(out[1]).toMatchObject({ kind: 'parse', message: 'frame is not JSON' });
    expect(out[3]).toMatchObject({ kind: 'parse', message: 'aggTrade with bad symbol, price, quantity or time' });
  });

  it('serverShutdown is a notice asking to reconnect', () => {
    const p = parser('spot', streams(['BTC-USDT'], ['trades']));
    expect(p.parse('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1700000000000}}', RX)).toEqual([
      { type: 'notice', message: 'Binance server shutting down (maintenance); reconnecting', reconnect: true },
    ]);
  });
});

describe('binance parser (USD-M perp)', () => {
  it('forceOrder becomes a liquidation at the average price and filled quantity', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['liquidations']));
    const frame = '{"stream":"btcusdt@forceOrder","data":{"e":"forceOrder","E":1665523974222,"o":{"s":"BTCUSDT","S":"SELL","o":"LIMIT","f":"IOC","q":"0.014","p":"18917.15","ap":"18990.00","X":"FILLED","l":"0.009","z":"0.012","T":1665523974217}}}';
    expect(p.parse(frame, RX)).toEqual([
      { type: 'liquidation', exchange: 'binance', market: 'perp', symbol: 'BTC-USDT', price: 18990, size: 0.012, side: 'sell', time: 1665523974217, receivedAt: RX },
    ]);
  });

  it('markPriceUpdate becomes funding with rate, mark, index and next funding time', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['funding']));
    const frame = '{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","ap":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}}';
    expect(p.parse(frame, RX)).toEqual([
      { type: 'funding', exchange: 'binance', market: 'perp', symbol: 'BTC-USDT', rate: 0.00038167, markPrice: 11794.15, indexPrice: 11784.62659091, nextFundingTime: 1562306400000, time: 1562305380000, receivedAt: RX },
    ]);
  });

  it('an empty funding rate ("" on contracts without funding) is left out, not read as 0', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['funding']));
    const frame = '{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15","i":"11784.62","P":"11784.25","r":"","T":0}}';
    expect(p.parse(frame, RX)).toEqual([
      { type: 'funding', exchange: 'binance', market: 'perp', symbol: 'BTC-USDT', markPrice: 11794.15, indexPrice: 11784.62, time: 1562305380000, receivedAt: RX },
    ]);
  });

  it('futures bookTicker uses the transaction time T', () => {
    const p = parser('perp', streams(['BNB-USDT'], ['quotes']));
    const frame = '{"stream":"bnbusdt@bookTicker","data":{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}}';
    expect(p.parse(frame, RX)).toEqual([
      { type: 'quote', exchange: 'binance', market: 'perp', symbol: 'BNB-USDT', bid: 25.3519, bidSize: 31.21, ask: 25.3652, askSize: 40.66, time: 1568014460891, receivedAt: RX },
    ]);
  });

  it('a perp connection mixing quotes with /market streams warns once that quotes will not arrive', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['trades', 'quotes']));
    const first = p.parse('{"result":null,"id":1}', RX);
    expect(first.map((e) => e.type)).toEqual(['error', 'control']);
    expect(first[0]).toMatchObject({ kind: 'config' });
    expect((first[0] as { message: string }).message).toContain('no quotes will arrive for BTC-USDT');
    expect(p.parse('{"result":null,"id":2}', RX).map((e) => e.type)).toEqual(['control']);
  });
});

describe('binance adapter declaration', () => {
  const s = streams(['BTC-USDT', 'ETH-USDT'], ['trades', 'quotes']);

  it('rotates 10 minutes before the 24 h cut, stays under 5 messages/s, lets ws answer server pings', () => {
    expect(binanceAdapter.rotateAfterMs).toBe(23 * 3_600_000 + 50 * 60_000);
    expect(binanceAdapter.subscribeMessagesPerSecond).toBe(4);
    expect(binanceAdapter.maxStreamsPerConnection).toBe(1024);
    expect(binanceAdapter.keepalive).toEqual({ kind: 'none' });
  });

  it('builds SUBSCRIBE messages with lowercase stream names and sequential ids', () => {
    expect(binanceAdapter.subscribeMessages(s, 'spot')).toEqual([
      '{"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@bookTicker","ethusdt@aggTrade","ethusdt@bookTicker"],"id":1}',
    ]);
    expect(binanceAdapter.unsubscribeMessages!(s, 'spot')).toEqual([
      '{"method":"UNSUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@bookTicker","ethusdt@aggTrade","ethusdt@bookTicker"],"id":100001}',
    ]);
    const perp = binanceAdapter.subscribeMessages(streams(['BTC-USDT'], ['liquidations', 'funding']), 'perp');
    expect(perp).toEqual(['{"method":"SUBSCRIBE","params":["btcusdt@forceOrder","btcusdt@markPrice@1s"],"id":1}']);
  });

  it('chunks 1024 streams into SUBSCRIBE messages of at most 200 params', () => {
    const many = Array.from({ length: 512 }, (_, i) => `C${i}-USDT`);
    const msgs = binanceAdapter.subscribeMessages(streams(many, ['trades', 'quotes']), 'spot').map((m) => JSON.parse(m));
    expect(msgs.map((m) => m.params.length)).toEqual([200, 200, 200, 200, 200, 24]);
    expect(msgs.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('routes USD-M connections: quotes-only to /public, the rest to /market; bare hosts get a path', () => {
    const url = binanceAdapter.defaultUrl('perp');
    expect(url).toBe('wss://fstream.binance.com/market/stream');
    expect(binanceAdapter.connectUrl!(url, streams(['BTC-USDT'], ['quotes']))).toBe('wss://fstream.binance.com/public/stream');
    expect(binanceAdapter.connectUrl!(url, streams(['BTC-USDT'], ['trades', 'funding']))).toBe(url);
    expect(binanceAdapter.connectUrl!('wss://stream.binance.com:9443/', s)).toBe('wss://stream.binance.com:9443/stream');
    expect(binanceAdapter.connectUrl!('wss://fstream.binance.com', streams(['BTC-USDT'], ['trades']))).toBe('wss://fstream.binance.com/market/stream');
    expect(binanceAdapter.connectionGroup({ symbol: 'BTC-USDT', native: 'BTCUSDT', channel: 'quotes' }, 'perp')).toBe('public');
    expect(binanceAdapter.connectionGroup({ symbol: 'BTC-USDT', native: 'BTCUSDT', channel: 'trades' }, 'perp')).toBe('market');
  });

  it('maps symbols without metadata', () => {
    expect(binanceAdapter.toNative('BTC-USDT', 'spot')).toBe('BTCUSDT');
    expect(binanceAdapter.toCanonical('ETHFDUSD', 'spot')).toBe('ETH-FDUSD');
    expect(binanceAdapter.toCanonical('1000PEPEUSDT', 'perp')).toBe('1000PEPE-USDT');
  });

  it('parses exchangeInfo: trading symbols only, perpetuals only on USD-M', () => {
    const spot = {
      timezone: 'UTC',
      symbols: [
        { symbol: 'ETHBTC', status: 'TRADING', baseAsset: 'ETH', quoteAsset: 'BTC' },
        { symbol: 'LUNAUSDT', status: 'BREAK', baseAsset: 'LUNA', quoteAsset: 'USDT' },
        { symbol: 'BTCTUSD', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'TUSD' },
      ],
    };
    expect(binanceAdapter.instruments!.parse(spot, 'spot')).toEqual([
      { symbol: 'ETH-BTC', native: 'ETHBTC' },
      { symbol: 'BTC-TUSD', native: 'BTCTUSD' },
    ]);
    const perp = {
      symbols: [
        { symbol: 'BTCUSDT', pair: 'BTCUSDT', contractType: 'PERPETUAL', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
        { symbol: 'BTCUSDT_250627', pair: 'BTCUSDT', contractType: 'CURRENT_QUARTER', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
      ],
    };
    expect(binanceAdapter.instruments!.parse(perp, 'perp')).toEqual([{ symbol: 'BTC-USDT', native: 'BTCUSDT' }]);
    expect(binanceAdapter.instruments!.path('perp')).toBe('/fapi/v1/exchangeInfo');
    expect(() => binanceAdapter.instruments!.parse({ code: -1121, msg: 'Invalid symbol.' }, 'spot')).toThrow('symbols array');
  });
});
