/**
 * KuCoin parser, symbol mapping and REST parsers (token, instruments, candles) on frames in the
 * documented wire format (test/fixtures/kucoin/README.md says where they come from).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MarketType } from '../../../shared/domain';
import { createKucoinParser, nsToMs } from '../../../electron/core/adapters/kucoin/stream';
import { kucoinConnectToken } from '../../../electron/core/adapters/kucoin/rest';
import { kucoinAdapter } from '../../../electron/core/adapters/kucoin/venue';

const RX = 1_700_000_000_000;
const FRAMES = readFileSync(new URL('../../fixtures/kucoin/frames.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean);
const frame = (needle: string) => FRAMES.find((f) => f.includes(needle))!;

function parser(market: MarketType, natives: string[], sizes: Record<string, number> | null = { XBTUSDTM: 0.001 }) {
  const streams = natives.map((native) => ({ native, symbol: kucoinAdapter.toCanonical(native, market), channel: 'trades' as const }));
  return createKucoinParser({
    exchange: 'kucoin', market, streams, toCanonical: (n) => kucoinAdapter.toCanonical(n, market),
    ...(sizes ? { contractSize: (n: string) => sizes[n] } : {}),
  });
}

describe('kucoin parser', () => {
  it('reads a spot match: taker side, base size, ns time as fractional ms, trade id', () => {
    expect(parser('spot', ['BTC-USDT']).parse(frame('"symbol":"BTC-USDT"'), RX)).toEqual([{
      type: 'trade', exchange: 'kucoin', market: 'spot', symbol: 'BTC-USDT', price: 0.083, size: 0.5, side: 'buy',
      time: 1545914149935.808589, receivedAt: RX, id: '5c24c5da03aa673885cd67aa',
    }]);
    expect(parser('spot', ['ETH-USDT']).parse(frame('"symbol":"ETH-USDT"'), RX)).toMatchObject([{ symbol: 'ETH-USDT', side: 'sell', size: 0.0021, price: 4000.1 }]);
  });

  it('sizes a futures execution as contracts x multiplier, XBT as BTC', () => {
    const [t] = parser('perp', ['XBTUSDTM']).parse(frame('/contractMarket/execution:XBTUSDTM'), RX);
    expect(t).toMatchObject({ type: 'trade', market: 'perp', symbol: 'BTC-USDT', price: 3200.5, size: 0.012, side: 'buy', id: '5c9dd00970744d6f5a3d32fc' });
    expect((t as { time: number }).time).toBeCloseTo(1553846281766.256, 2);
  });

  it('reports a futures trade it cannot size (no multiplier) instead of guessing', () => {
    const evs = parser('perp', ['XBTUSDTM'], null).parse(frame('/contractMarket/execution:XBTUSDTM'), RX);
    expect(evs).toMatchObject([{ type: 'error', kind: 'protocol', symbol: 'BTC-USDT', message: expect.stringContaining('no contract multiplier for XBTUSDTM') }]);
  });

  it('quotes: spot ticker in base units (symbol from the topic), futures tickerV2 in contracts x multiplier', () => {
    expect(parser('spot', ['BTC-USDT']).parse(frame('"subject":"trade.ticker"'), RX)).toEqual([{
      type: 'quote', exchange: 'kucoin', market: 'spot', symbol: 'BTC-USDT', bid: 0.049, bidSize: 0.036, ask: 0.08, askSize: 0.18, time: 1704873323416, receivedAt: RX,
    }]);
    const [q] = parser('perp', ['XBTUSDTM']).parse(frame('"subject":"tickerV2"'), RX);
    expect(q).toMatchObject({ type: 'quote', market: 'perp', symbol: 'BTC-USDT', bid: 3200, bidSize: 0.795, ask: 3600, askSize: 0.284 });
    expect((q as { time: number }).time).toBeCloseTo(1553846081210.005, 2);
    expect(parser('perp', ['XBTUSDTM'], null).parse(frame('"subject":"tickerV2"'), RX)).toMatchObject([{ type: 'error', kind: 'protocol', symbol: 'BTC-USDT' }]);
  });

  it('funding and mark from /contract/instrument, the symbol from the topic', () => {
    const p = parser('perp', ['XBTUSDTM']);
    expect(p.parse(frame('"subject":"mark.index.price"'), RX)).toEqual([{
      type: 'funding', exchange: 'kucoin', market: 'perp', symbol: 'BTC-USDT', markPrice: 4010.52, indexPrice: 4000.23, time: 1551770400000, receivedAt: RX,
    }]);
    expect(p.parse(frame('"subject":"funding.rate"'), RX)).toEqual([{
      type: 'funding', exchange: 'kucoin', market: 'perp', symbol: 'BTC-USDT', rate: -0.002966, time: 1551770400000, receivedAt: RX,
    }]);
    // A spot connection never takes futures subjects.
    expect(parser('spot', ['BTC-USDT']).parse(frame('"subject":"funding.rate"'), RX)).toMatchObject([{ type: 'error', kind: 'protocol' }]);
  });

  it('welcome, ack and pong are control (welcome releases the subscribes), not data', () => {
    const p = parser('spot', ['BTC-USDT']);
    expect(p.parse(frame('"type":"welcome"'), RX)).toEqual([{ type: 'control', what: 'welcome' }]);
    expect(p.parse(frame('"subscribe-BTC-USDT","type":"ack"'), RX)).toEqual([{ type: 'control', what: 'ack' }]);
    expect(p.parse(frame('"type":"pong"'), RX)).toEqual([{ type: 'control', what: 'pong' }]);
  });

  it('a venue error names the market with the venue text', () => {
    const p = parser('spot', ['FOO-USDT']);
    expect(p.parse(frame('"type":"error"'), RX)).toEqual([{
      type: 'error', kind: 'venue', message: 'KuCoin error 404: topic /market/match:FOO-USDT is not found', cause: 'topic /market/match:FOO-USDT is not found', symbol: 'FOO-USDT',
    }]);
  });

  it('counts a malformed frame and bad items between good ones, and keeps going', () => {
    const p = parser('spot', ['BTC-USDT']);
    const good = frame('"symbol":"BTC-USDT"');
    const badPrice = good.replace('"price":"0.083"', '"price":"-1"');
    const badSide = good.replace('"side":"buy"', '"side":"b"');
    const out = [good, '{"type":"message","topic"', badPrice, 'proxy restarting', badSide, '{"type":"mystery"}', good].map((f) => p.parse(f, RX));
    expect(out.map((evs) => evs.map((e) => (e.type === 'error' ? `error:${e.kind}` : e.type)))).toEqual([
      ['trade'], ['error:parse'], ['error:parse'], ['notice'], ['error:parse'], ['error:protocol'], ['trade'],
    ]);
  });

  it('reads nanosecond times as strings exactly and as numbers approximately', () => {
    expect(nsToMs('1545914149935808589')).toBe(1545914149935.808589);
    expect(nsToMs(1553846281766256031)).toBeCloseTo(1553846281766.256, 2);
    expect(nsToMs('abc')).toBeNaN();
  });
});

describe('kucoin subscribe messages and symbols', () => {
  it('batches up to 100 symbols per topic, with response true', () => {
    const streams = Array.from({ length: 101 }, (_, i) => ({ native: `C${i}-USDT`, symbol: `C${i}-USDT`, channel: 'trades' as const }));
    const msgs = kucoinAdapter.subscribeMessages(streams, 'spot').map((m) => JSON.parse(m));
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toMatchObject({ id: 'subscribe-C0-USDT', type: 'subscribe', privateChannel: false, response: true });
    expect(msgs[0].topic.split(',')).toHaveLength(100);
    expect(msgs[1].topic).toBe('/market/match:C100-USDT');
    expect(JSON.parse(kucoinAdapter.subscribeMessages([{ native: 'XBTUSDTM', symbol: 'BTC-USDT', channel: 'trades' }], 'perp')[0]!).topic).toBe('/contractMarket/execution:XBTUSDTM');
  });

  it('one topic per channel: trades, quotes and (futures) funding', () => {
    const perp = (['trades', 'quotes', 'funding'] as const).flatMap((channel) => ['XBTUSDTM', 'ETHUSDTM'].map((native) => ({ native, symbol: native, channel })));
    expect(kucoinAdapter.subscribeMessages(perp, 'perp').map((m) => [JSON.parse(m).id, JSON.parse(m).topic])).toEqual([
      ['subscribe-XBTUSDTM', '/contractMarket/execution:XBTUSDTM,ETHUSDTM'],
      ['subscribe-quotes-XBTUSDTM', '/contractMarket/tickerV2:XBTUSDTM,ETHUSDTM'],
      ['subscribe-funding-XBTUSDTM', '/contract/instrument:XBTUSDTM,ETHUSDTM'],
    ]);
    expect(kucoinAdapter.subscribeMessages([{ native: 'BTC-USDT', symbol: 'BTC-USDT', channel: 'quotes' }], 'spot').map((m) => JSON.parse(m).topic)).toEqual(['/market/ticker:BTC-USDT']);
  });

  it('maps names without metadata', () => {
    expect(kucoinAdapter.toNative('BTC-USDT', 'perp')).toBe('XBTUSDTM');
    expect(kucoinAdapter.toNative('ETH-USDC', 'perp')).toBe('ETHUSDCM');
    expect(kucoinAdapter.toCanonical('XBTUSDTM', 'perp')).toBe('BTC-USDT');
    expect(kucoinAdapter.toCanonical('XBTUSDM', 'perp')).toBe('BTC-USD');
    expect(kucoinAdapter.toNative('BTC-USDT', 'spot')).toBe('BTC-USDT');
  });
});

describe('kucoin REST', () => {
  it('the bullet-public answer gives the URL with token and connectId, and the ping interval', () => {
    const body = { code: '200000', data: { token: 'tok+1/=', instanceServers: [{ endpoint: 'wss://ws-api-spot.kucoin.com/', encrypt: true, protocol: 'websocket', pingInterval: 18000, pingTimeout: 10000 }] } };
    expect(kucoinConnectToken.parse(body, { market: 'spot', connectionId: 'f-1' })).toEqual({
      url: 'wss://ws-api-spot.kucoin.com/?token=tok%2B1%2F%3D&connectId=f-1', keepaliveIntervalMs: 18000,
    });
    expect(kucoinConnectToken.parse(body, { market: 'spot', connectionId: 'f-2', endpoint: 'ws://127.0.0.1:9/ws' }).url).toBe('ws://127.0.0.1:9/ws?token=tok%2B1%2F%3D&connectId=f-2');
    expect(kucoinConnectToken.path('perp')).toBe('/api/v1/bullet-public');
    expect(() => kucoinConnectToken.parse({ code: '429000', msg: 'Too Many Requests' }, { market: 'spot', connectionId: 'x' })).toThrow(/429000.*Too Many Requests/);
    expect(() => kucoinConnectToken.parse({ code: '200000', data: { instanceServers: [] } }, { market: 'spot', connectionId: 'x' })).toThrow(/no token/);
  });

  it('spot instruments from /api/v2/symbols', () => {
    const body = { code: '200000', data: [
      { symbol: 'BTC-USDT', name: 'BTC-USDT', baseCurrency: 'BTC', quoteCurrency: 'USDT', enableTrading: true },
      { symbol: 'OLD-USDT', name: 'OLD-USDT', baseCurrency: 'OLD', quoteCurrency: 'USDT', enableTrading: false },
      { symbol: 'ETH-BTC', name: 'ETH-BTC', baseCurrency: 'ETH', quoteCurrency: 'BTC', enableTrading: true },
    ] };
    expect(kucoinAdapter.instruments!.path('spot')).toBe('/api/v2/symbols');
    expect(kucoinAdapter.instruments!.parse(body, 'spot')).toEqual([{ symbol: 'BTC-USDT', native: 'BTC-USDT' }, { symbol: 'ETH-BTC', native: 'ETH-BTC' }]);
  });

  it('futures instruments: linear perpetuals with their multiplier; inverse and dated contracts left out', () => {
    const c = (symbol: string, base: string, quote: string, multiplier: number, isInverse: boolean, type = 'FFWCSX') =>
      ({ symbol, rootSymbol: quote, type, baseCurrency: base, quoteCurrency: quote, settleCurrency: isInverse ? base : quote, multiplier, isInverse, status: 'Open' });
    const body = { code: '200000', data: [c('XBTUSDTM', 'XBT', 'USDT', 0.001, false), c('ETHUSDCM', 'ETH', 'USDC', 0.01, false), c('XBTUSDM', 'XBT', 'USD', -1, true), c('XBTMH25', 'XBT', 'USD', -1, true, 'FFICSX')] };
    expect(kucoinAdapter.instruments!.parse(body, 'perp')).toEqual([
      { symbol: 'BTC-USDT', native: 'XBTUSDTM', contractSize: 0.001 },
      { symbol: 'ETH-USDC', native: 'ETHUSDCM', contractSize: 0.01 },
    ]);
  });

  it('spot candles: rows newest first with open, CLOSE, HIGH, LOW order, returned oldest first', () => {
    const spec = kucoinAdapter.candles!;
    const from = Date.UTC(2024, 0, 1);
    expect(spec.path({ native: 'BTC-USDT', market: 'spot', tf: '1m', from, to: from + 120_000, limit: 1500 }))
      .toBe(`/api/v1/market/candles?type=1min&symbol=BTC-USDT&startAt=${from / 1000}&endAt=${from / 1000 + 119}`);
    const s = String(from / 1000);
    const body = { code: '200000', data: [
      [String(from / 1000 + 60), '101', '103', '104', '100', '2', '204'],
      [s, '100', '101', '102', '99', '1.5', '151.5'],
    ] };
    const bars = spec.parse(body, { exchange: 'kucoin', market: 'spot', symbol: 'BTC-USDT', tf: '1m' });
    expect(bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume])).toEqual([
      [from, 100, 102, 99, 101, 1.5],
      [from + 60_000, 101, 104, 100, 103, 2],
    ]);
    expect(bars[0]!.vwap).toBeCloseTo(101, 10);
    expect(() => spec.parse({ code: '400100', msg: 'bad' }, { exchange: 'kucoin', market: 'spot', symbol: 'BTC-USDT', tf: '1m' })).toThrow(/400100/);
  });

  // GET /api/v1/kline/query (https://www.kucoin.com/docs-new/rest/futures-trading/market-data/get-klines): granularity in
  // minutes, from/to in ms, at most 500 rows of [time ms, open, high, low, close, volume (lots), turnover]; the docs' example rows.
  it('futures candles: ms rows in OHLC order, lots x multiplier as volume; no contract size is an error', () => {
    const spec = kucoinAdapter.candles!;
    expect(spec.intervals('perp')).toEqual(['1m', '5m', '15m', '30m', '1h', '4h', '1d']);
    const from = 1757659080000;
    expect(spec.path({ native: 'XBTUSDTM', market: 'perp', tf: '1h', from, to: from + 86_400_000, limit: 500 }))
      .toBe(`/api/v1/kline/query?symbol=XBTUSDTM&granularity=60&from=${from}&to=${from + 86_400_000 - 1}`);
    const body = { code: '200000', data: [
      [1757659140000, 115273.0, 115273.1, 115273.0, 115273.0, 114, 13141.1236],
      [1757659080000, 115328.4, 115328.4, 115284.2, 115284.2, 602, 69424.9528],
    ] };
    const ctx = { exchange: 'kucoin', market: 'perp' as const, symbol: 'BTC-USDT', tf: '1m', contractSize: 0.001 };
    const bars = spec.parse(body, ctx);
    expect(bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume])).toEqual([
      [from, 115328.4, 115328.4, 115284.2, 115284.2, 0.602],
      [from + 60_000, 115273.0, 115273.1, 115273.0, 115273.0, 0.114],
    ]);
    expect(bars[0]!.vwap).toBeCloseTo(69424.9528 / 0.602, 6);
    const { contractSize: _, ...noSize } = ctx;
    expect(() => spec.parse(body, noSize)).toThrow(/KuCoin futures candles of BTC-USDT count contracts and its contract size is unknown/);
    expect(() => spec.parse({ code: '200000', data: [[from, 1, 2, 0.5, 1.5, 3]] }, ctx)).toThrow(/fewer than 7 fields/);
  });
});
