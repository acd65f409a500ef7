import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import type { ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import type { Channel, MarketType } from '../../../shared/domain';

function streams(symbols: string[], channels: Channel[]): Stream[] {
  return symbols.flatMap((symbol) => channels.map((channel) => ({ symbol, native: symbol.replace('-', ''), channel })));
}

function parser(market: MarketType, s: Stream[]) {
  const ctx: ParserContext = { exchange: 'bybit', market, streams: s, toCanonical: (n) => bybitAdapter.toCanonical(n, market) };
  return bybitAdapter.createParser(ctx);
}

const RX = 1_786_310_830_000;
const ex = (market: MarketType) => ({ exchange: 'bybit', market });

// Frames follow the recorded v5 formats (publicTrade.*.jsonl, tickers.linear.jsonl, acks) and
// the documented allLiquidation / orderbook.1 payloads.
const linearBatch = '{"topic":"publicTrade.ETHUSDT","type":"snapshot","ts":1786310820347,"data":[' +
  '{"T":1786310820346,"s":"ETHUSDT","S":"Buy","v":"0.01","p":"1922.50","L":"PlusTick","i":"19d7df56-4f10-5290-a969-d9d9f2c74cc3","BT":false,"RPI":false,"seq":430879434439},' +
  '{"T":1786310820346,"s":"ETHUSDT","S":"Buy","v":"1.30","p":"1922.50","L":"ZeroPlusTick","i":"4d4ad26c-901f-5146-adc0-1db29b6b9ab6","BT":false,"RPI":false,"seq":430879434439},' +
  '{"T":1786310820347,"s":"ETHUSDT","S":"Sell","v":"0.16","p":"1922.49","L":"MinusTick","i":"3f8f151c-8889-5f3a-84c1-9582dd71695b","BT":false,"RPI":false,"seq":430879434440}]}';
const spotTrade = '{"topic":"publicTrade.BTCUSDT","ts":1786310822606,"type":"snapshot","data":[{"i":"2290000001189048101","T":1786310822605,"p":"65140.5","v":"0.002705","S":"Buy","seq":112488547164,"s":"BTCUSDT","BT":false,"RPI":false}]}';

describe('bybit parser: trades', () => {
  it('splits a batched linear frame into one trade per entry, S is the taker side', () => {
    const p = parser('perp', streams(['ETH-USDT'], ['trades']));
    const base = { type: 'trade', ...ex('perp'), symbol: 'ETH-USDT', receivedAt: RX };
    expect(p.parse(linearBatch, RX)).toEqual([
      { ...base, price: 1922.5, size: 0.01, side: 'buy', time: 1786310820346, id: '19d7df56-4f10-5290-a969-d9d9f2c74cc3' },
      { ...base, price: 1922.5, size: 1.3, side: 'buy', time: 1786310820346, id: '4d4ad26c-901f-5146-adc0-1db29b6b9ab6' },
      { ...base, price: 1922.49, size: 0.16, side: 'sell', time: 1786310820347, id: '3f8f151c-8889-5f3a-84c1-9582dd71695b' },
    ]);
  });

  it('parses spot trades (different key order, numeric-string id)', () => {
    const p = parser('spot', streams(['BTC-USDT'], ['trades']));
    expect(p.parse(spotTrade, RX)).toEqual([
      { type: 'trade', ...ex('spot'), symbol: 'BTC-USDT', price: 65140.5, size: 0.002705, side: 'buy', time: 1786310822605, receivedAt: RX, id: '2290000001189048101' },
    ]);
  });

  it('a bad entry inside a batch is one error; a malformed frame between good ones is one error', () => {
    const p = parser('perp', streams(['ETH-USDT', 'BTC-USDT'], ['trades']));
    const withBad = linearBatch.replace('"v":"1.30"', '"v":"-"');
    const out = [withBad, '{"topic":"publicTrade.BTCUSDT","data":[', spotTrade].flatMap((f) => p.parse(f, RX));
    expect(out.map((e) => e.type)).toEqual(['trade', 'error', 'trade', 'error', 'trade']);
    expect(out[1]).toMatchObject({ kind: 'parse', message: 'publicTrade entry with bad price, size or time' });
    expect(out[3]).toMatchObject({ kind: 'parse', message: 'frame is not JSON' });
  });
});

describe('bybit parser: linear tickers (snapshot + delta merge)', () => {
  const snapshot = '{"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","tickDirection":"ZeroPlusTick","lastPrice":"65114.30","markPrice":"65117.44","indexPrice":"65137.76","nextFundingTime":"1786320000000","fundingRate":"0.0001","bid1Price":"65114.20","bid1Size":"5.954","ask1Price":"65114.30","ask1Size":"10.470"},"cs":753843900397,"ts":1786310817583}';
  const quoteDelta = '{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","bid1Price":"65114.20","bid1Size":"6.054","ask1Size":"10.486"},"cs":753843907770,"ts":1786310817883}';
  const markDelta = '{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","markPrice":"65117.43","openInterestValue":"3899995666.09"},"cs":753843915209,"ts":1786310818183}';
  const oiDelta = '{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","openInterestValue":"3899995000.00"},"cs":753843915300,"ts":1786310818283}';

  it('emits quote and funding from the merged state, each only when its fields changed', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['quotes', 'funding']));
    const q = { type: 'quote', ...ex('perp'), symbol: 'BTC-USDT', receivedAt: RX };
    const f = { type: 'funding', ...ex('perp'), symbol: 'BTC-USDT', receivedAt: RX, rate: 0.0001, indexPrice: 65137.76, nextFundingTime: 1786320000000 };
    expect(p.parse(snapshot, RX)).toEqual([
      { ...q, bid: 65114.2, bidSize: 5.954, ask: 65114.3, askSize: 10.47, time: 1786310817583 },
      { ...f, markPrice: 65117.44, time: 1786310817583 },
    ]);
    // The delta omits ask1Price: it comes from the snapshot.
    expect(p.parse(quoteDelta, RX)).toEqual([{ ...q, bid: 65114.2, bidSize: 6.054, ask: 65114.3, askSize: 10.486, time: 1786310817883 }]);
    expect(p.parse(markDelta, RX)).toEqual([{ ...f, markPrice: 65117.43, time: 1786310818183 }]);
    expect(p.parse(oiDelta, RX)).toEqual([]);
  });

  it('carries open interest (base coin) from the recorded tickers snapshot, and a delta that changes it', () => {
    // Line 1 of test/fixtures/bybit/tickers.linear.head.jsonl (recorded Bybit v5 linear tickers).
    const recorded = readFileSync(new URL('../../fixtures/bybit/tickers.linear.head.jsonl', import.meta.url), 'utf8').split('\n')[0]!;
    const p = parser('perp', streams(['BTC-USDT'], ['funding']));
    expect(p.parse(recorded, RX)).toEqual([expect.objectContaining({ type: 'funding', openInterest: 59891.732, markPrice: 65117.44 })]);
    const delta = '{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","openInterest":"59900.5"},"cs":1,"ts":1786310818283}';
    expect(p.parse(delta, RX)).toEqual([expect.objectContaining({ openInterest: 59900.5, markPrice: 65117.44, time: 1786310818283 })]);
  });

  it('only the channels the connection subscribed are emitted', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['funding']));
    expect(p.parse(snapshot, RX).map((e) => e.type)).toEqual(['funding']);
    expect(p.parse(quoteDelta, RX)).toEqual([]);
  });

  it('an empty bid ("" in the venue format) suppresses the quote instead of reading as 0', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['quotes']));
    expect(p.parse(snapshot.replace('"bid1Price":"65114.20"', '"bid1Price":""'), RX)).toEqual([]);
  });
});

describe('bybit parser: spot orderbook.1 quotes and liquidations', () => {
  it('keeps the one-level book across snapshot and deltas', () => {
    const p = parser('spot', streams(['BTC-USDT'], ['quotes']));
    const snap = '{"topic":"orderbook.1.BTCUSDT","ts":1786310816516,"type":"snapshot","data":{"s":"BTCUSDT","b":[["65140.4","0.885797"]],"a":[["65140.5","0.472215"]],"u":62505424,"seq":112488545860},"cts":1786310816512}';
    const delta = '{"topic":"orderbook.1.BTCUSDT","ts":1786310816618,"type":"delta","data":{"s":"BTCUSDT","b":[["65140.4","0"],["65140.3","0.2"]],"a":[],"u":62505425,"seq":112488545865},"cts":1786310816585}';
    const q = { type: 'quote', ...ex('spot'), symbol: 'BTC-USDT', receivedAt: RX, ask: 65140.5, askSize: 0.472215 };
    expect(p.parse(snap, RX)).toEqual([{ ...q, bid: 65140.4, bidSize: 0.885797, time: 1786310816512 }]);
    expect(p.parse(delta, RX)).toEqual([{ ...q, bid: 65140.3, bidSize: 0.2, time: 1786310816585 }]);
  });

  it('allLiquidation: a liquidated long (S=Buy) is a sell liquidation order', () => {
    const p = parser('perp', streams(['ROSE-USDT'], ['liquidations']));
    const frame = '{"topic":"allLiquidation.ROSEUSDT","type":"snapshot","ts":1739502303204,"data":[{"T":1739502302929,"s":"ROSEUSDT","S":"Buy","v":"20000","p":"0.04499"},{"T":1739502302930,"s":"ROSEUSDT","S":"Sell","v":"150","p":"0.04512"}]}';
    const base = { type: 'liquidation', ...ex('perp'), symbol: 'ROSE-USDT', receivedAt: RX };
    expect(p.parse(frame, RX)).toEqual([
      { ...base, price: 0.04499, size: 20000, side: 'sell', time: 1739502302929 },
      { ...base, price: 0.04512, size: 150, side: 'buy', time: 1739502302930 },
    ]);
  });
});

describe('bybit parser: control frames', () => {
  it('spot and linear acks and pongs are control events', () => {
    const p = parser('perp', streams(['BTC-USDT'], ['trades']));
    expect(p.parse('{"success":true,"ret_msg":"","conn_id":"d8bu1olkndm7crnfs1e0-j6akw","req_id":"sub-1","op":"subscribe"}', RX)).toEqual([{ type: 'control', what: 'ack', message: 'subscribe ok' }]);
    expect(p.parse('{"success":true,"ret_msg":"subscribe","conn_id":"d9avt8shteepr00gfc1g-4zd1x","op":"subscribe"}', RX)).toEqual([{ type: 'control', what: 'ack', message: 'subscribe ok' }]);
    expect(p.parse('{"success":true,"ret_msg":"pong","conn_id":"d9avt8shteepr00gfc1g-4zd1x","op":"ping"}', RX)).toEqual([{ type: 'control', what: 'pong' }]);
    expect(p.parse('{"req_id":"","op":"pong","args":["1786310830000"],"conn_id":"x"}', RX)).toEqual([{ type: 'control', what: 'pong' }]);
  });

  it('an error ack carries the venue text and the symbol named in it', () => {
    const p = parser('spot', streams(['BTC-USDT', 'FOO-USDT'], ['trades']));
    expect(p.parse('{"success":false,"ret_msg":"Invalid symbol :[publicTrade.FOOUSDT]","conn_id":"c1","req_id":"sub-1","op":"subscribe"}', RX)).toEqual([
      { type: 'error', kind: 'venue', message: 'Bybit rejected subscribe: Invalid symbol :[publicTrade.FOOUSDT]', cause: 'Invalid symbol :[publicTrade.FOOUSDT]', symbol: 'FOO-USDT' },
    ]);
    // Without the topic in the text, the req_id (one request per symbol) names the market.
    const [byReq] = p.parse('{"success":false,"ret_msg":"error:handler not found","conn_id":"c1","req_id":"sub-BTCUSDT","op":"subscribe"}', RX);
    expect(byReq).toMatchObject({ type: 'error', kind: 'venue', cause: 'error:handler not found', symbol: 'BTC-USDT' });
    const [vague] = p.parse('{"success":false,"ret_msg":"error:handler not found","conn_id":"c1","op":"subscribe"}', RX);
    expect(vague).not.toHaveProperty('symbol');
  });
});

describe('bybit adapter declaration', () => {
  it('pings with {"op":"ping"} every 20 s and uses the category endpoints', () => {
    expect(bybitAdapter.keepalive).toEqual({ kind: 'text', intervalMs: 20_000, message: '{"op":"ping"}' });
    expect(bybitAdapter.defaultUrl('spot')).toBe('wss://stream.bybit.com/v5/public/spot');
    expect(bybitAdapter.defaultUrl('perp')).toBe('wss://stream.bybit.com/v5/public/linear');
  });

  it('subscribes perp quotes and funding through one tickers topic, with a req_id naming the symbol', () => {
    expect(bybitAdapter.subscribeMessages(streams(['BTC-USDT'], ['trades', 'quotes', 'funding', 'liquidations']), 'perp')).toEqual([
      '{"op":"subscribe","args":["publicTrade.BTCUSDT","tickers.BTCUSDT","allLiquidation.BTCUSDT"],"req_id":"sub-BTCUSDT"}',
    ]);
    expect(bybitAdapter.unsubscribeMessages!(streams(['BTC-USDT'], ['trades', 'quotes']), 'spot')).toEqual([
      '{"op":"unsubscribe","args":["publicTrade.BTCUSDT","orderbook.1.BTCUSDT"],"req_id":"unsub-BTCUSDT"}',
    ]);
  });

  it('sends one request per symbol, so a rejected symbol cannot take others down with it', () => {
    const syms = Array.from({ length: 12 }, (_, i) => `C${i}-USDT`);
    const msgs = bybitAdapter.subscribeMessages(streams(syms, ['trades', 'quotes']), 'spot').map((m) => JSON.parse(m));
    expect(msgs).toHaveLength(12);
    expect(msgs[11]).toEqual({ op: 'subscribe', args: ['publicTrade.C11USDT', 'orderbook.1.C11USDT'], req_id: 'sub-C11USDT' });
  });

  it('maps symbols without metadata, including USDC perpetuals named <BASE>PERP', () => {
    expect(bybitAdapter.toNative('BTC-USDT', 'perp')).toBe('BTCUSDT');
    expect(bybitAdapter.toNative('BTC-USDC', 'perp')).toBe('BTCPERP');
    expect(bybitAdapter.toNative('BTC-USDC', 'spot')).toBe('BTCUSDC');
    expect(bybitAdapter.toCanonical('ETHPERP', 'perp')).toBe('ETH-USDC');
    expect(bybitAdapter.toCanonical('SOLUSDT', 'spot')).toBe('SOL-USDT');
  });

  it('parses instruments-info: trading perpetuals only on linear', () => {
    const linear = {
      retCode: 0, retMsg: 'OK',
      result: {
        category: 'linear', nextPageCursor: '',
        list: [
          { symbol: 'BTCUSDT', contractType: 'LinearPerpetual', status: 'Trading', baseCoin: 'BTC', quoteCoin: 'USDT', settleCoin: 'USDT' },
          { symbol: 'BTCPERP', contractType: 'LinearPerpetual', status: 'Trading', baseCoin: 'BTC', quoteCoin: 'USDC', settleCoin: 'USDC' },
          { symbol: 'BTCUSDT-26DEC25', contractType: 'LinearFutures', status: 'Trading', baseCoin: 'BTC', quoteCoin: 'USDT', settleCoin: 'USDT' },
          { symbol: 'OLDUSDT', contractType: 'LinearPerpetual', status: 'Closed', baseCoin: 'OLD', quoteCoin: 'USDT', settleCoin: 'USDT' },
        ],
      },
      retExtInfo: {}, time: 1786310830000,
    };
    expect(bybitAdapter.instruments!.parse(linear, 'perp')).toEqual([
      { symbol: 'BTC-USDT', native: 'BTCUSDT' },
      { symbol: 'BTC-USDC', native: 'BTCPERP' },
    ]);
    expect(bybitAdapter.instruments!.path('spot')).toBe('/v5/market/instruments-info?category=spot');
    expect(() => bybitAdapter.instruments!.parse({ retCode: 10001, retMsg: 'params error' }, 'spot')).toThrow('params error');
  });
});
