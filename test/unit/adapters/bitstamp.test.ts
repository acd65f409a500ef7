import { describe, expect, it } from 'vitest';
import { bitstampAdapter } from '../../../electron/core/adapters/bitstamp/venue';
import type { Stream } from '../../../electron/core/adapters/adapter';

const streams: Stream[] = [
  { symbol: 'BTC-USD', native: 'btcusd', channel: 'trades' },
  { symbol: 'BTC-USD', native: 'btcusd', channel: 'quotes' },
  { symbol: 'ETH-EUR', native: 'etheur', channel: 'trades' },
];

function parser() {
  return bitstampAdapter.createParser({
    exchange: 'bitstamp',
    market: 'spot',
    toCanonical: (n) => bitstampAdapter.toCanonical(n, 'spot'),
    streams,
  });
}

const RECV = 1_641_343_700_000;
const tradeFrame = (id: number, type: number, amount: string, price: string, micro: string, pair = 'ethusd') =>
  `{"data":{"id":${id},"timestamp":"${micro.slice(0, 10)}","amount":${Number(amount)},"amount_str":"${amount}","price":${Number(price)},"price_str":"${price}","type":${type},"microtimestamp":"${micro}","buy_order_id":1443875737346049,"sell_order_id":1443875731320832},"channel":"live_trades_${pair}","event":"trade"}`;
const book = (bids: string[][], asks: string[][], micro = '1641343691244908') =>
  JSON.stringify({ data: { timestamp: micro.slice(0, 10), microtimestamp: micro, bids, asks }, channel: 'order_book_btcusd', event: 'data' });

describe('bitstamp subscribe messages', () => {
  it('sends one bts:subscribe per channel with the pair in the channel name', () => {
    expect(bitstampAdapter.subscribeMessages(streams, 'spot')).toEqual([
      '{"event":"bts:subscribe","data":{"channel":"live_trades_btcusd"}}',
      '{"event":"bts:subscribe","data":{"channel":"order_book_btcusd"}}',
      '{"event":"bts:subscribe","data":{"channel":"live_trades_etheur"}}',
    ]);
    expect(bitstampAdapter.unsubscribeMessages!(streams.slice(2), 'spot')).toEqual([
      '{"event":"bts:unsubscribe","data":{"channel":"live_trades_etheur"}}',
    ]);
  });

  it('maps symbols without metadata and from trading-pairs-info', () => {
    expect(bitstampAdapter.toNative('BTC-USD', 'spot')).toBe('btcusd');
    expect(bitstampAdapter.toCanonical('usdteur', 'spot')).toBe('USDT-EUR');
    const body = [
      { name: 'BTC/USD', url_symbol: 'btcusd', base_decimals: 8, counter_decimals: 0, trading: 'Enabled', description: 'Bitcoin / U.S. dollar' },
      { name: 'DOGE/EUR', url_symbol: 'dogeeur', base_decimals: 2, counter_decimals: 5, trading: 'Enabled', description: 'Dogecoin / Euro' },
      { url_symbol: 'broken' },
    ];
    expect(bitstampAdapter.instruments!.parse(body, 'spot')).toEqual([
      { symbol: 'BTC-USD', native: 'btcusd' },
      { symbol: 'DOGE-EUR', native: 'dogeeur' },
    ]);
    expect(() => bitstampAdapter.instruments!.parse({ error: 'x' }, 'spot')).toThrow(/array/);
  });
});

describe('bitstamp parser', () => {
  it('parses trades from the exact *_str fields with taker side and µs time', () => {
    const p = parser();
    expect(p.parse(tradeFrame(216000477, 0, '0.07920000', '3805.44', '1641343699596123'), RECV)).toEqual([
      { type: 'trade', exchange: 'bitstamp', market: 'spot', symbol: 'ETH-USD', price: 3805.44, size: 0.0792, side: 'buy', time: 1641343699596.123, receivedAt: RECV, id: '216000477' },
    ]);
    expect(p.parse(tradeFrame(216000484, 1, '0.93100000', '3802.93', '1641343709599000'), RECV)).toMatchObject([
      { side: 'sell', price: 3802.93, size: 0.931, time: 1641343709599, id: '216000484' },
    ]);
  });

  it('derives quotes from the order_book top level, only when it changes', () => {
    const p = parser();
    const first = p.parse(book([['46500.12', '0.5'], ['46500.00', '2']], [['46501.00', '1.25'], ['46502', '3']]), RECV);
    expect(first).toEqual([
      { type: 'quote', exchange: 'bitstamp', market: 'spot', symbol: 'BTC-USD', bid: 46500.12, bidSize: 0.5, ask: 46501, askSize: 1.25, time: 1641343691244.908, receivedAt: RECV },
    ]);
    // Deeper levels changed, top did not: nothing new to show.
    expect(p.parse(book([['46500.12', '0.5'], ['46499', '9']], [['46501.00', '1.25']]), RECV)).toEqual([]);
    expect(p.parse(book([['46500.12', '0.4']], [['46501.00', '1.25']]), RECV)).toMatchObject([{ bidSize: 0.4 }]);
    expect(p.parse(book([], [['46501.00', '1.25']]), RECV)).toEqual([]);
    expect(p.parse(book([['46502', '1']], [['46501.00', '1.25']]), RECV)).toEqual([
      { type: 'error', kind: 'protocol', message: 'crossed order book btcusd: bid 46502 >= ask 46501' },
    ]);
  });

  it('treats acks and heartbeats as control, request_reconnect as a reconnect notice', () => {
    const p = parser();
    const frames = [
      '{"event":"bts:subscription_succeeded","channel":"live_trades_ethusd","data":{}}',
      '{"event":"bts:heartbeat","channel":"","data":{"status":"success"}}',
      '{"event":"bts:request_reconnect","channel":"","data":""}',
    ];
    expect(frames.flatMap((f) => p.parse(f, RECV))).toEqual([
      { type: 'control', what: 'ack', message: 'subscription_succeeded live_trades_ethusd' },
      { type: 'control', what: 'heartbeat' },
      { type: 'notice', message: 'Bitstamp asked for a reconnect (bts:request_reconnect)', reconnect: true },
    ]);
  });

  it('reports bts:error with the venue message (and the symbol when the channel names one)', () => {
    const p = parser();
    expect(p.parse('{"event":"bts:error","channel":"","data":{"code":null,"message":"Incorrect JSON format."}}', RECV)).toEqual([
      { type: 'error', kind: 'venue', message: 'Bitstamp error: Incorrect JSON format.', cause: 'Incorrect JSON format.' },
    ]);
    expect(p.parse('{"event":"bts:error","channel":"","data":{"code":4009,"message":"Connection is unauthorized."}}', RECV)).toMatchObject([
      { kind: 'venue', message: 'Bitstamp error 4009: Connection is unauthorized.' },
    ]);
    expect(p.parse('{"event":"bts:error","channel":"live_trades_foousd","data":{"code":null,"message":"Bad subscription string."}}', RECV)).toMatchObject([
      { kind: 'venue', symbol: 'FOO-USD', cause: 'Bad subscription string.' },
    ]);
  });

  it('counts a malformed frame and bad numbers while the good trades around them arrive', () => {
    const p = parser();
    const frames = [
      tradeFrame(1, 0, '1.00000000', '100.00', '1641343699000001'),
      '{"data":{"id":2,"amount_str":"1.0"',
      tradeFrame(3, 1, '-1', '100.00', '1641343699000002'),
      tradeFrame(4, 1, '2.00000000', '101.50', '1641343699000003'),
    ];
    const out = frames.flatMap((f) => p.parse(f, RECV));
    expect(out.map((e) => (e.type === 'error' ? `error:${e.kind}` : e.type))).toEqual(['trade', 'error:parse', 'error:parse', 'trade']);
    expect(out.flatMap((e) => (e.type === 'trade' ? [[e.id, e.price, e.size, e.side, e.time]] : []))).toEqual([
      ['1', 100, 1, 'buy', 1641343699000.001],
      ['4', 101.5, 2, 'sell', 1641343699000.003],
    ]);
  });
});
