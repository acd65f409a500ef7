/**
 * Gate parser and REST parsers on frames in the documented wire format
 * (test/fixtures/gate/README.md says where they come from).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, Stream } from '../../../electron/core/adapters/adapter';
import { createGateParser } from '../../../electron/core/adapters/gate/stream';
import { gateAdapter } from '../../../electron/core/adapters/gate/venue';
import type { Channel, MarketType } from '../../../shared/domain';

const RX = 1_700_000_000_000;
const FRAMES = readFileSync(new URL('../../fixtures/gate/frames.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean);
const frame = (channel: string, event = 'update') => FRAMES.find((f) => f.includes(`"channel":"${channel}","event":"${event}"`))!;

function parser(market: MarketType, channels: Channel[], natives = ['BTC_USDT'], contractSize?: (n: string) => number | undefined) {
  const streams: Stream[] = natives.flatMap((native) => channels.map((channel) => ({ native, symbol: gateAdapter.toCanonical(native, market), channel })));
  return createGateParser({ exchange: 'gate', market, streams, toCanonical: (n) => gateAdapter.toCanonical(n, market), ...(contractSize ? { contractSize } : {}) });
}
const ofType = <T extends ParsedEvent['type']>(evs: ParsedEvent[], t: T) => evs.filter((e): e is Extract<ParsedEvent, { type: T }> => e.type === t);
const PERP: Channel[] = ['trades', 'quotes', 'liquidations', 'funding'];
const REST_SIZES = (n: string) => ({ BTC_USDT: 0.0001, ETH_USDT: 0.01 } as Record<string, number>)[n];

describe('gate spot parser', () => {
  it('reads a spot.trades update (one object): taker side, base amount, fractional ms time kept', () => {
    expect(parser('spot', ['trades'], ['GT_USDT']).parse(frame('spot.trades'), RX)).toEqual([{
      type: 'trade', exchange: 'gate', market: 'spot', symbol: 'GT-USDT', price: 0.4705, size: 16.47, side: 'sell',
      time: 1606292218213.4578, receivedAt: RX, id: '309143071',
    }]);
  });

  it('maps spot.book_ticker to a quote', () => {
    expect(parser('spot', ['quotes']).parse(frame('spot.book_ticker'), RX)).toEqual([{
      type: 'quote', exchange: 'gate', market: 'spot', symbol: 'BTC-USDT', bid: 19177.79, bidSize: 0.0003341504, ask: 19179.38, askSize: 0.09, time: 1606293275123, receivedAt: RX,
    }]);
  });

  it('treats acks and pongs as control, and a refused subscribe as a venue error naming the market', () => {
    const p = parser('spot', ['trades']);
    expect(p.parse(frame('spot.trades', 'subscribe'), RX)).toEqual([{ type: 'control', what: 'ack', message: 'subscribe spot.trades' }]);
    expect(p.parse(frame('spot.pong', ''), RX)).toEqual([{ type: 'control', what: 'pong' }]);
    const err = FRAMES.find((f) => f.includes('"error":{'))!;
    expect(p.parse(err, RX)).toEqual([{
      type: 'error', kind: 'venue', message: 'Gate error 2 on spot.trades subscribe: unknown currency pair FOO_USDT', cause: 'unknown currency pair FOO_USDT', symbol: 'FOO-USDT',
    }]);
  });

  it('counts a malformed frame and a bad trade, keeping the good ones', () => {
    const p = parser('spot', ['trades']);
    const out = [frame('spot.trades'), '{"channel":"spot.trades","event":"update","result":{', frame('spot.trades')].map((f) => p.parse(f, RX));
    expect(out.map((evs) => evs.map((e) => e.type))).toEqual([['trade'], ['error'], ['trade']]);
    expect(out[1]![0]).toMatchObject({ kind: 'parse', message: 'Gate: malformed JSON frame' });
    const negative = JSON.stringify({ channel: 'spot.trades', event: 'update', result: { id: 1, create_time_ms: '1606292218213.1', side: 'buy', currency_pair: 'BTC_USDT', amount: '-1', price: '1' } });
    expect(p.parse(negative, RX)).toMatchObject([{ type: 'error', kind: 'parse' }]);
  });

  it('subscribes one market per request with the time in seconds, and pings per market', () => {
    const streams: Stream[] = [{ symbol: 'BTC-USDT', native: 'BTC_USDT', channel: 'trades' }, { symbol: 'BTC-USDT', native: 'BTC_USDT', channel: 'quotes' }];
    const msgs = gateAdapter.subscribeMessages(streams, 'spot').map((m) => JSON.parse(m));
    expect(msgs.map(({ channel, event, payload }) => ({ channel, event, payload }))).toEqual([
      { channel: 'spot.trades', event: 'subscribe', payload: ['BTC_USDT'] },
      { channel: 'spot.book_ticker', event: 'subscribe', payload: ['BTC_USDT'] },
    ]);
    expect(Math.abs(msgs[0].time - Date.now() / 1000)).toBeLessThan(5);
    const ka = gateAdapter.keepalive;
    if (ka.kind !== 'text' || typeof ka.message === 'string') throw new Error('Gate pings with a per-market message');
    expect(ka.message('spot', 1_606_292_218_999)).toBe('{"time":1606292218,"channel":"spot.ping"}');
    expect(ka.message('perp', 1_606_292_218_999)).toBe('{"time":1606292218,"channel":"futures.ping"}');
  });
});

describe('gate futures parser', () => {
  it('reads a futures.trades array: signed contracts -> side and base units (REST quanto_multiplier)', () => {
    const trades = ofType(parser('perp', PERP, ['BTC_USDT'], REST_SIZES).parse(frame('futures.trades'), RX), 'trade');
    expect(trades).toEqual([
      { type: 'trade', exchange: 'gate', market: 'perp', symbol: 'BTC-USDT', price: 96.4, size: 0.0108, side: 'sell', time: 1545136464123, receivedAt: RX, id: '27753479' },
      { type: 'trade', exchange: 'gate', market: 'perp', symbol: 'BTC-USDT', price: 96.5, size: 0.25, side: 'buy', time: 1545136464125, receivedAt: RX, id: '27753480' },
    ]);
  });

  it('holds futures events without a contract size until futures.contract_info gives one', () => {
    const p = parser('perp', PERP);
    expect(p.parse(frame('futures.trades'), RX)).toEqual([]);
    const released = p.parse(frame('futures.contract_info', 'all'), RX + 1);
    expect(ofType(released, 'trade').map((t) => [t.side, t.size])).toEqual([['sell', 0.0108], ['buy', 0.25]]);
    expect(ofType(released, 'control')).toEqual([{ type: 'control', what: 'info', message: 'contract size BTC_USDT: 0.0001' }]);
  });

  it('lets contract_info override the REST size (a changed multiplier)', () => {
    const p = parser('perp', PERP, ['BTC_USDT'], () => 0.001);
    p.parse(frame('futures.contract_info', 'all'), RX);
    expect(ofType(p.parse(frame('futures.trades'), RX), 'trade')[1]!.size).toBe(0.25);
  });

  it('reports events whose size never arrives instead of guessing', () => {
    const p = parser('perp', ['trades']);
    const one = JSON.stringify({ channel: 'futures.trades', event: 'update', result: [{ size: 1, id: 1, create_time_ms: 1545136464123, price: '96.4', contract: 'BTC_USDT' }] });
    let errors: ParsedEvent[] = [];
    for (let i = 0; i < 300; i++) errors = errors.concat(p.parse(one, RX));
    // Once for the contract, not once per dropped event.
    expect(errors).toMatchObject([{ type: 'error', kind: 'protocol', message: 'Gate: contract size of BTC_USDT unknown (no REST contract list, no futures.contract_info); its events are dropped until one arrives' }]);
    // The held (most recent 200) trades go out once the size comes.
    expect(ofType(p.parse(frame('futures.contract_info', 'all'), RX), 'trade')).toHaveLength(200);
  });

  it('skips internal trades (insurance fund / ADL takeovers)', () => {
    const f = JSON.stringify({ channel: 'futures.trades', event: 'update', result: [
      { size: 5, id: 1, create_time_ms: 1545136464123, price: '96.4', contract: 'BTC_USDT', is_internal: true },
      { size: -5, id: 2, create_time_ms: 1545136464124, price: '96.4', contract: 'BTC_USDT' },
    ] });
    expect(ofType(parser('perp', ['trades'], ['BTC_USDT'], REST_SIZES).parse(f, RX), 'trade').map((t) => t.id)).toEqual(['2']);
  });

  it('reads public liquidations: the order size sign is the side, contracts to base', () => {
    const liqs = ofType(parser('perp', PERP, ['BTC_USDT'], REST_SIZES).parse(frame('futures.public_liquidates'), RX), 'liquidation');
    expect(liqs).toEqual([
      { type: 'liquidation', exchange: 'gate', market: 'perp', symbol: 'BTC-USDT', price: 215.1, size: 0.0124, side: 'sell', time: 1541486601123, receivedAt: RX },
      { type: 'liquidation', exchange: 'gate', market: 'perp', symbol: 'BTC-USDT', price: 215.2, size: 0.001, side: 'buy', time: 1541486601456, receivedAt: RX },
    ]);
  });

  it('gives funding, mark, index and open interest (base units) from futures.tickers; quotes from futures.book_ticker', () => {
    const p = parser('perp', PERP, ['BTC_USDT'], REST_SIZES);
    expect(p.parse(frame('futures.tickers'), RX)).toEqual([{
      type: 'funding', exchange: 'gate', market: 'perp', symbol: 'BTC-USDT', rate: -0.000114, markPrice: 118.35, indexPrice: 118.36, openInterest: 7.3648, time: 1541659086123, receivedAt: RX,
    }]);
    expect(p.parse(frame('futures.book_ticker'), RX)).toEqual([{
      type: 'quote', exchange: 'gate', market: 'perp', symbol: 'BTC-USDT', bid: 54696.6, bidSize: 3.7, ask: 54696.7, askSize: 4.7061, time: 1615366379123, receivedAt: RX,
    }]);
  });

  it('subscribes contract_info first, then each channel per contract', () => {
    const streams: Stream[] = PERP.map((channel) => ({ symbol: 'BTC-USDT', native: 'BTC_USDT', channel }));
    expect(gateAdapter.subscribeMessages(streams, 'perp').map((m) => JSON.parse(m).channel)).toEqual([
      'futures.contract_info', 'futures.trades', 'futures.book_ticker', 'futures.public_liquidates', 'futures.tickers',
    ]);
    // An unsubscribe keeps contract_info: the contract's other channels still need its size.
    expect(gateAdapter.unsubscribeMessages!(streams.slice(0, 1), 'perp').map((m) => JSON.parse(m).channel)).toEqual(['futures.trades']);
  });
});

describe('gate symbols and REST', () => {
  it('maps BTC_USDT both ways', () => {
    expect(gateAdapter.toCanonical('BTC_USDT', 'spot')).toBe('BTC-USDT');
    expect(gateAdapter.toNative('ETH-USDT', 'perp')).toBe('ETH_USDT');
  });

  it('lists tradable spot pairs, and futures contracts with their quanto_multiplier', () => {
    const spot = [{ id: 'BTC_USDT', base: 'BTC', quote: 'USDT', trade_status: 'tradable' }, { id: 'X_USDT', base: 'X', quote: 'USDT', trade_status: 'untradable' }];
    expect(gateAdapter.instruments!.path('spot')).toBe('/api/v4/spot/currency_pairs');
    expect(gateAdapter.instruments!.parse(spot, 'spot')).toEqual([{ symbol: 'BTC-USDT', native: 'BTC_USDT' }]);
    const futures = [{ name: 'BTC_USDT', quanto_multiplier: '0.0001' }, { name: 'ETH_USDT', quanto_multiplier: 'x' }, { name: 'LUNA_USDT', quanto_multiplier: '1', status: 'delisted' }];
    expect(gateAdapter.instruments!.path('perp')).toBe('/api/v4/futures/usdt/contracts');
    expect(gateAdapter.instruments!.parse(futures, 'perp')).toEqual([{ symbol: 'BTC-USDT', native: 'BTC_USDT', contractSize: 0.0001 }, { symbol: 'ETH-USDT', native: 'ETH_USDT' }]);
  });

  it('reads spot candlesticks (seconds, quote volume first, open at index 5)', () => {
    const c = gateAdapter.candles!;
    const from = 1_606_292_160_000;
    expect(c.path({ native: 'BTC_USDT', market: 'spot', tf: '1m', from, to: from + 120_000, limit: 2 })).toBe(
      '/api/v4/spot/candlesticks?currency_pair=BTC_USDT&interval=1m&from=1606292160&to=1606292279',
    );
    const body = [['1606292160', '3835.5', '19180', '19185', '19170', '19175', '0.2', 'true'], ['1606292220', '1918', '19181', '19182', '19179', '19180', '0.1', 'false']];
    const bars = c.parse(body, { exchange: 'gate', market: 'spot', symbol: 'BTC-USDT', tf: '1m' });
    expect(bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.vwap, b.final])).toEqual([
      [from, 19175, 19185, 19170, 19180, 0.2, 19177.5, true],
      [from + 60_000, 19180, 19182, 19179, 19181, 0.1, 19180, false],
    ]);
    expect(() => c.parse({ label: 'INVALID_PARAM_VALUE' }, { exchange: 'gate', market: 'spot', symbol: 'BTC-USDT', tf: '1m' })).toThrow(/not an array/);
  });

  // Row shape of GET /futures/usdt/candlesticks (FuturesCandlestick, https://www.gate.io/docs/developers/apiv4/en/#get-futures-candlesticks):
  // {t: seconds, v: size volume in contracts, c, h, l, o, sum: trading volume in quote currency}.
  it('reads futures candlesticks: volume in contracts x quanto_multiplier, VWAP from sum; no contract size is an error', () => {
    const c = gateAdapter.candles!;
    expect(c.intervals('perp')).toEqual(c.intervals('spot'));
    const from = 1_606_292_160_000;
    expect(c.path({ native: 'BTC_USDT', market: 'perp', tf: '5m', from, to: from + 600_000, limit: 2 })).toBe(
      '/api/v4/futures/usdt/candlesticks?contract=BTC_USDT&interval=5m&from=1606292160&to=1606292759',
    );
    const body = [
      { t: 1606292160, v: 4300, c: '19180', h: '19185', l: '19170', o: '19175', sum: '8246.7' },
      { t: 1606292220, v: 7, c: '19181', h: '19182', l: '19179', o: '19180', sum: '13.4266' },
    ];
    const ctx = { exchange: 'gate', market: 'perp' as const, symbol: 'BTC-USDT', tf: '1m', contractSize: 0.0001 };
    const bars = c.parse(body, ctx);
    expect(bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.final])).toEqual([
      [from, 19175, 19185, 19170, 19180, 0.43, true],
      [from + 60_000, 19180, 19182, 19179, 19181, 0.0007, true],
    ]);
    expect(bars.map((b) => b.vwap)).toEqual([expect.closeTo(8246.7 / 0.43, 6), expect.closeTo(13.4266 / 0.0007, 6)]);
    const { contractSize: _, ...noSize } = ctx;
    expect(() => c.parse(body, noSize)).toThrow(/Gate futures candles of BTC-USDT count contracts and its contract size is unknown/);
    expect(() => c.parse([['1606292160', '1', '2']], ctx)).toThrow(/is not an object/);
  });
});
