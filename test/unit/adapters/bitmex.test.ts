/**
 * BitMEX parser and REST parsers on frames in the documented wire format
 * (test/fixtures/bitmex/README.md says where they come from).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, Stream } from '../../../electron/core/adapters/adapter';
import { createBitmexParser } from '../../../electron/core/adapters/bitmex/stream';
import { bitmexAdapter } from '../../../electron/core/adapters/bitmex/venue';

const RX = 1_700_000_000_000;
const FRAMES = readFileSync(new URL('../../fixtures/bitmex/frames.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean);
const frame = (start: string) => FRAMES.find((f) => f.startsWith(start))!;

const ALL: Stream['channel'][] = ['trades', 'quotes', 'liquidations', 'funding'];
function parser(natives: string[] = ['XBTUSD'], channels = ALL) {
  const streams = natives.flatMap((native) => channels.map((channel) => ({ native, symbol: bitmexAdapter.toCanonical(native, 'perp'), channel })));
  return createBitmexParser({ exchange: 'bitmex', market: 'perp', streams, toCanonical: (n) => bitmexAdapter.toCanonical(n, 'perp') });
}
const ofType = <T extends ParsedEvent['type']>(evs: ParsedEvent[], t: T) => evs.filter((e): e is Extract<ParsedEvent, { type: T }> => e.type === t);
const INSTRUMENT_PARTIAL = frame('{"table":"instrument","action":"partial"');
const TRADE_INSERT = frame('{"table":"trade","action":"insert"');

describe('bitmex parser', () => {
  it('reads an inserted trade: taker side, homeNotional as the base size, XBT as BTC', () => {
    expect(parser().parse(TRADE_INSERT, RX)).toEqual([{
      type: 'trade', exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD', price: 8479.5, size: 0.247653,
      side: 'sell', time: Date.parse('2020-01-24T15:30:29.366Z'), receivedAt: RX, id: 'c2d665a3-bb51-f45f-6ce7-40f732f0609f',
    }]);
  });

  it('never counts the trade partial (recent trades) as new trades', () => {
    const p = parser();
    const partial = p.parse(frame('{"table":"trade","action":"partial"'), RX);
    expect(ofType(partial, 'trade')).toEqual([]);
    expect(partial).toEqual([{ type: 'control', what: 'info', message: 'trade partial: 1 rows skipped' }]);
    expect(ofType(p.parse(TRADE_INSERT, RX), 'trade')).toHaveLength(1);
  });

  it('splits a batched insert and reads a linear contract by homeNotional, whatever size says', () => {
    const batch = JSON.stringify({ table: 'trade', action: 'insert', data: [
      { timestamp: '2020-01-24T15:30:29.366Z', symbol: 'XBTUSDT', side: 'Buy', size: 250000, price: 8480, trdMatchID: 'a', homeNotional: 0.25, foreignNotional: 2120 },
      { timestamp: '2020-01-24T15:30:29.367Z', symbol: 'XBTUSDT', side: 'Sell', size: 1000, price: 8479, trdMatchID: 'b', homeNotional: 0.001, foreignNotional: 8.479 },
    ] });
    const trades = ofType(parser(['XBTUSDT']).parse(batch, RX), 'trade');
    expect(trades.map((t) => [t.symbol, t.id, t.side, t.size, t.price])).toEqual([['BTC-USDT', 'a', 'buy', 0.25, 8480], ['BTC-USDT', 'b', 'sell', 0.001, 8479]]);
  });

  it('turns the welcome, acks and the text pong into control events', () => {
    const p = parser();
    expect(p.parse(FRAMES[0]!, RX)).toEqual([{ type: 'control', what: 'info', message: 'Welcome to the BitMEX Realtime API.' }]);
    expect(p.parse(frame('{"success":true,"subscribe":"trade:XBTUSD"'), RX)).toEqual([{ type: 'control', what: 'ack', message: 'subscribe trade:XBTUSD' }]);
    expect(p.parse('pong', RX)).toEqual([{ type: 'control', what: 'pong' }]);
  });

  it('gives funding and mark from the instrument partial, then merges updates', () => {
    const p = parser();
    expect(ofType(p.parse(INSTRUMENT_PARTIAL, RX), 'funding')).toEqual([{
      type: 'funding', exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD', rate: 0.0001, markPrice: 8479.87, indexPrice: 8480.12,
      nextFundingTime: Date.parse('2020-01-24T20:00:00.000Z'), openInterest: 848000000 / 8479.87,
      time: Date.parse('2020-01-24T15:30:20.000Z'), receivedAt: RX,
    }]);
    const upd = ofType(p.parse(frame('{"table":"instrument","action":"update"'), RX + 1), 'funding');
    expect(upd).toHaveLength(1);
    expect(upd[0]).toMatchObject({ rate: 0.0001, markPrice: 8480.01, time: Date.parse('2020-01-24T15:30:30.000Z') });
  });

  it('converts quote and liquidation contracts to base units with the instrument row (held until it arrives)', () => {
    const p = parser();
    expect(p.parse(frame('{"table":"quote"'), RX)).toEqual([]);
    const released = p.parse(INSTRUMENT_PARTIAL, RX);
    // Inverse XBTUSD: 1-USD contracts, base = contracts / price.
    expect(ofType(released, 'quote')).toEqual([{
      type: 'quote', exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD', bid: 8479.5, bidSize: 169500 / 8479.5, ask: 8480, askSize: 100,
      time: Date.parse('2020-01-24T15:30:29.400Z'), receivedAt: RX,
    }]);
    // The liquidation order sold: a long was liquidated. 16940 USD at 8470 = 2 BTC.
    expect(p.parse(frame('{"table":"liquidation","action":"insert"'), RX + 2)).toEqual([{
      type: 'liquidation', exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD', price: 8470, size: 2, side: 'sell', time: RX + 2, receivedAt: RX + 2,
    }]);
    // An update of the same order (partly filled) is not a new liquidation.
    expect(ofType(p.parse(frame('{"table":"liquidation","action":"update"'), RX), 'liquidation')).toEqual([]);
  });

  it('sizes linear liquidations by underlyingToPositionMultiplier and reports quanto contracts it cannot size', () => {
    const p = parser(['XBTUSDT', 'ETHUSD']);
    p.parse(JSON.stringify({ table: 'instrument', action: 'partial', data: [
      { symbol: 'XBTUSDT', isInverse: false, underlyingToPositionMultiplier: 1000000, markPrice: 8000 },
      { symbol: 'ETHUSD', isInverse: false, isQuanto: true, underlyingToPositionMultiplier: null, markPrice: 160 },
    ] }), RX);
    const evs = p.parse(JSON.stringify({ table: 'liquidation', action: 'insert', data: [
      { orderID: '1', symbol: 'XBTUSDT', side: 'Buy', price: 8000, leavesQty: 300000 },
      { orderID: '2', symbol: 'ETHUSD', side: 'Sell', price: 160, leavesQty: 5 },
    ] }), RX);
    expect(evs.map((e) => e.type)).toEqual(['liquidation', 'error']);
    expect(ofType(evs, 'liquidation')[0]).toMatchObject({ symbol: 'BTC-USDT', size: 0.3, side: 'buy' });
    expect(ofType(evs, 'error')[0]).toMatchObject({
      kind: 'protocol', message: 'BitMEX: no base size for ETHUSD contracts (quanto, no underlyingToPositionMultiplier): its quotes and liquidations are not shown',
    });
    // Said once per connection, not for every quote that follows.
    const quote = JSON.stringify({ table: 'quote', action: 'insert', data: [{ timestamp: '2020-01-24T15:30:29.400Z', symbol: 'ETHUSD', bidSize: 10, bidPrice: 160, askPrice: 160.05, askSize: 20 }] });
    expect([...p.parse(quote, RX), ...p.parse(quote, RX)]).toEqual([]);
  });

  it('reports a venue error with BitMEX\'s text and the symbol of the refused request', () => {
    expect(parser().parse(frame('{"status":400'), RX)).toEqual([{
      type: 'error', kind: 'venue', message: 'BitMEX error 400: Unknown or expired symbol.', cause: 'Unknown or expired symbol.', symbol: 'FOO-USD',
    }]);
  });

  it('counts a malformed frame and bad rows, keeping the good rows around them', () => {
    const p = parser();
    expect(p.parse('{"table":"trade","action":"insert","data":[{', RX)).toMatchObject([{ type: 'error', kind: 'parse', message: 'BitMEX: malformed JSON frame' }]);
    const mixed = JSON.stringify({ table: 'trade', action: 'insert', data: [
      { timestamp: '2020-01-24T15:30:29.366Z', symbol: 'XBTUSD', side: 'Buy', size: 1, price: -1, homeNotional: 0.1 },
      { timestamp: '2020-01-24T15:30:29.366Z', symbol: 'XBTUSD', side: 'Buy', size: 100, price: 8000, homeNotional: 0.0125, trdMatchID: 'ok' },
      { timestamp: 'yesterday', symbol: 'XBTUSD', side: 'Buy', size: 100, price: 8000, homeNotional: 0.0125 },
    ] });
    expect(p.parse(mixed, RX).map((e) => e.type)).toEqual(['error', 'trade', 'error']);
    expect(p.parse('Service Unavailable', RX)).toEqual([{ type: 'notice', message: 'Service Unavailable' }]);
  });

  it('subscribes per symbol, the instrument table first when quotes, liquidations or funding need it', () => {
    const streams: Stream[] = [
      ...ALL.map((channel) => ({ symbol: 'BTC-USD', native: 'XBTUSD', channel })),
      { symbol: 'ETH-USDT', native: 'ETHUSDT', channel: 'trades' },
    ];
    expect(bitmexAdapter.subscribeMessages(streams, 'perp')).toEqual([
      '{"op":"subscribe","args":["instrument:XBTUSD","trade:XBTUSD","quote:XBTUSD","liquidation:XBTUSD"]}',
      '{"op":"subscribe","args":["trade:ETHUSDT"]}',
    ]);
    expect(bitmexAdapter.keepalive).toEqual({ kind: 'text', intervalMs: 5_000, message: 'ping' });
    // Unsubscribing quotes keeps the instrument table other channels of XBTUSD still use.
    expect(bitmexAdapter.unsubscribeMessages!([{ symbol: 'BTC-USD', native: 'XBTUSD', channel: 'quotes' }], 'perp')).toEqual(['{"op":"unsubscribe","args":["quote:XBTUSD"]}']);
    expect(bitmexAdapter.unsubscribeMessages!([{ symbol: 'BTC-USD', native: 'XBTUSD', channel: 'funding' }], 'perp')).toEqual([]);
  });
});

describe('bitmex symbols and REST', () => {
  it('maps XBT to BTC both ways without metadata', () => {
    expect(bitmexAdapter.toCanonical('XBTUSD', 'perp')).toBe('BTC-USD');
    expect(bitmexAdapter.toCanonical('XBTUSDT', 'perp')).toBe('BTC-USDT');
    expect(bitmexAdapter.toCanonical('ETHUSD', 'perp')).toBe('ETH-USD');
    expect(bitmexAdapter.toNative('BTC-USD', 'perp')).toBe('XBTUSD');
    expect(bitmexAdapter.toNative('SOL-USDT', 'perp')).toBe('SOLUSDT');
  });

  it('lists open perpetual swaps only from /instrument/active', () => {
    const body = [
      { symbol: 'XBTUSD', typ: 'FFWCSX', state: 'Open', underlying: 'XBT', quoteCurrency: 'USD' },
      { symbol: 'XBTUSDT', typ: 'FFWCSX', state: 'Open', underlying: 'XBT', quoteCurrency: 'USDT' },
      { symbol: 'XBTH25', typ: 'FFCCSX', state: 'Open', underlying: 'XBT', quoteCurrency: 'USD' },
      { symbol: 'XBT_USDT', typ: 'IFXXXP', state: 'Open', underlying: 'XBT', quoteCurrency: 'USDT' },
      { symbol: 'LUNAUSD', typ: 'FFWCSX', state: 'Unlisted', underlying: 'LUNA', quoteCurrency: 'USD' },
    ];
    expect(bitmexAdapter.instruments!.path('perp')).toBe('/api/v1/instrument/active');
    expect(bitmexAdapter.instruments!.parse(body, 'perp')).toEqual([{ symbol: 'BTC-USD', native: 'XBTUSD' }, { symbol: 'BTC-USDT', native: 'XBTUSDT' }]);
  });

  it('asks for buckets by END time and turns each into the bar that starts one interval earlier', () => {
    const c = bitmexAdapter.candles!;
    const from = Date.parse('2020-01-24T15:00:00.000Z');
    expect(c.path({ native: 'XBTUSD', market: 'perp', tf: '1m', from, to: from + 3 * 60_000, limit: 3 })).toBe(
      '/api/v1/trade/bucketed?binSize=1m&partial=false&symbol=XBTUSD&count=3&reverse=false&startTime=2020-01-24T15:01:00.000Z&endTime=2020-01-24T15:03:59.999Z',
    );
    const body = [{ timestamp: '2020-01-24T15:01:00.000Z', symbol: 'XBTUSD', open: 8480, high: 8485, low: 8470, close: 8475, trades: 42, volume: 848000, vwap: 8478.2, homeNotional: 100.02, foreignNotional: 848000 }];
    const bars = c.parse(body, { exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD', tf: '1m' });
    expect(bars).toEqual([expect.objectContaining({ start: from, open: 8480, high: 8485, low: 8470, close: 8475, volume: 100.02, vwap: 8478.2, trades: 42, source: 'candles' })]);
    expect(() => c.parse({ error: { message: 'Not Found' } }, { exchange: 'bitmex', market: 'perp', symbol: 'BTC-USD', tf: '1m' })).toThrow(/not an array/);
  });
});
