/**
 * Deribit parser and REST parsers on hand-written frames in the documented JSON-RPC wire format
 * (test/fixtures/deribit/README.md says where the shapes come from).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, Stream } from '../../../electron/core/adapters/adapter';
import { createDeribitParser } from '../../../electron/core/adapters/deribit/stream';
import { deribitAdapter } from '../../../electron/core/adapters/deribit/venue';
import type { Channel } from '../../../shared/domain';

const RX = 1_733_200_001_000;
const FRAMES = readFileSync(new URL('../../fixtures/deribit/frames.jsonl', import.meta.url), 'utf8').trim().split('\n');
const [HB_ACK, SUB_ACK, TRADES, TICKER, HEARTBEAT, TEST_REQUEST, TEST_ANSWER, ERROR] = FRAMES as [string, string, string, string, string, string, string, string];

const streamsOf = (native: string, channels: Channel[]): Stream[] => channels.map((channel) => ({ native, symbol: deribitAdapter.toCanonical(native, 'perp'), channel }));
const ALL: Channel[] = ['trades', 'quotes', 'liquidations', 'funding'];
function run(frames: string[], streams: Stream[] = streamsOf('BTC-PERPETUAL', ALL)) {
  const p = createDeribitParser({ exchange: 'deribit', market: 'perp', streams, toCanonical: (n) => deribitAdapter.toCanonical(n, 'perp') });
  return frames.flatMap((f) => p.parse(f, RX));
}
const ofType = <T extends ParsedEvent['type']>(evs: ParsedEvent[], t: T) =>
  evs.filter((e): e is Extract<ParsedEvent, { type: T }> => e.type === t);
const tradeFrame = (instrument: string, trades: Record<string, unknown>[]) =>
  JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: `trades.${instrument}.100ms`, data: trades } });

describe('deribit parser', () => {
  it('trades: direction is the taker side; inverse USD amounts become base units (amount / price)', () => {
    const evs = run([TRADES], streamsOf('BTC-PERPETUAL', ['trades']));
    expect(ofType(evs, 'trade')).toEqual([
      { type: 'trade', exchange: 'deribit', market: 'perp', symbol: 'BTC-USD', price: 97000, size: 0.1, side: 'buy', time: 1_733_200_000_123, receivedAt: RX, id: '48079254' },
      { type: 'trade', exchange: 'deribit', market: 'perp', symbol: 'BTC-USD', price: 96999.5, size: 0.5, side: 'sell', time: 1_733_200_000_124, receivedAt: RX, id: '48079255' },
    ]);
    expect(evs).toHaveLength(2); // no liquidation without the liquidations channel
  });

  it('linear instruments (BTC_USDC-PERPETUAL) count the base coin already', () => {
    const evs = run([tradeFrame('BTC_USDC-PERPETUAL', [{ trade_id: 'USDC-1', timestamp: 1, price: 97000, amount: 0.25, direction: 'sell' }])], streamsOf('BTC_USDC-PERPETUAL', ['trades']));
    expect(ofType(evs, 'trade').map((t) => [t.symbol, t.size, t.side])).toEqual([['BTC-USDC', 0.25, 'sell']]);
  });

  it('liquidation flags feed the liquidation channel: T = the taker, M = the maker, MT = both', () => {
    const t = (liquidation: string, direction: string) => ({ trade_id: liquidation, timestamp: 5, price: 100_000, amount: 10_000, direction, liquidation });
    const evs = run([TRADES, tradeFrame('BTC-PERPETUAL', [t('M', 'buy'), t('MT', 'sell')])]);
    expect(ofType(evs, 'trade')).toHaveLength(4);
    expect(ofType(evs, 'liquidation').map((l) => [l.symbol, l.price, l.size, l.side])).toEqual([
      ['BTC-USD', 96999.5, 0.5, 'sell'], // T on a taker sell: the taker's (liquidated) order sold
      ['BTC-USD', 100_000, 0.1, 'sell'], // M on a taker buy: the maker's liquidation order sold
      ['BTC-USD', 100_000, 0.1, 'sell'], // MT on a taker sell: the taker sold...
      ['BTC-USD', 100_000, 0.1, 'buy'], // ...and the maker bought
    ]);
    // Liquidations alone (no trades channel): the same trades channel, no trade records.
    const only = run([TRADES], streamsOf('BTC-PERPETUAL', ['liquidations']));
    expect(only.map((e) => e.type)).toEqual(['liquidation']);
  });

  it('ticker: a quote with inverse sizes and funding (8 h rate, mark, index, open interest in base units)', () => {
    const evs = run([TICKER]);
    expect(ofType(evs, 'quote')).toEqual([{
      type: 'quote', exchange: 'deribit', market: 'perp', symbol: 'BTC-USD', bid: 96999.5, bidSize: 194000 / 96999.5, ask: 97000, askSize: 0.5, time: 1_733_200_000_200, receivedAt: RX,
    }]);
    expect(ofType(evs, 'funding')).toEqual([{
      type: 'funding', exchange: 'deribit', market: 'perp', symbol: 'BTC-USD', rate: 0.0000813, markPrice: 97000, indexPrice: 96990.12, openInterest: 10_000, time: 1_733_200_000_200, receivedAt: RX,
    }]);
  });

  it('an empty book side (price 0 or null) gives no quote and no error', () => {
    const ticker = (bid: unknown) => JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: 'ticker.BTC-PERPETUAL.100ms', data: { timestamp: 1, best_bid_price: bid, best_bid_amount: 0, best_ask_price: 97000, best_ask_amount: 10, mark_price: 97000 } } });
    expect(run([ticker(0), ticker(null)], streamsOf('BTC-PERPETUAL', ['quotes']))).toEqual([]);
  });

  it('a test_request heartbeat is answered with public/test (the reply the runtime sends); acks, heartbeats and the test answer are control events', () => {
    const evs = run([HB_ACK, SUB_ACK, HEARTBEAT, TEST_REQUEST, TEST_ANSWER]);
    expect(evs).toEqual([
      { type: 'control', what: 'ack', message: 'set_heartbeat ok' },
      { type: 'control', what: 'ack', message: '2 channels' },
      { type: 'control', what: 'heartbeat' },
      { type: 'control', what: 'heartbeat', message: 'test_request', reply: '{"jsonrpc":"2.0","id":2,"method":"public/test","params":{}}' },
      { type: 'control', what: 'pong', message: 'version 1.2.26' },
    ]);
  });

  it('a channel left out of the subscribe answer is a venue error naming the market; an error answer shows Deribit\'s text', () => {
    const streams = [...streamsOf('BTC-PERPETUAL', ['trades']), ...streamsOf('FOO-PERPETUAL', ['trades'])];
    const evs = run(['{"jsonrpc":"2.0","id":100,"result":["trades.BTC-PERPETUAL.100ms"]}', ERROR], streams);
    expect(evs[1]).toMatchObject({ type: 'error', kind: 'venue', message: 'Deribit did not subscribe trades.FOO-PERPETUAL.100ms (unknown or expired instrument?)', symbol: 'FOO-USD' });
    expect(evs[2]).toMatchObject({ type: 'error', kind: 'venue', message: 'Deribit error: Invalid params (code -32602)' });
  });

  it('counts malformed frames and bad trades as errors and keeps the good ones', () => {
    const good = { trade_id: '1', timestamp: 5, price: 100_000, amount: 100, direction: 'buy' };
    const evs = run(['{"jsonrpc":"2.0","method":"subscr', tradeFrame('BTC-PERPETUAL', [good, { ...good, price: -1 }, { ...good, direction: 'up' }, { ...good, amount: '100' }, { ...good, trade_id: '2' }]), '{"jsonrpc":"2.0"}', 'Service Unavailable']);
    expect(evs.map((e) => (e.type === 'error' ? `error:${e.kind}` : e.type))).toEqual(['error:parse', 'trade', 'error:parse', 'error:parse', 'error:parse', 'trade', 'error:protocol', 'notice']);
  });
});

describe('deribit subscribe messages and symbols', () => {
  it('set_heartbeat first, then one subscribe for trades (also liquidations) and ticker (quotes, funding)', () => {
    expect(deribitAdapter.subscribeMessages([...streamsOf('BTC-PERPETUAL', ALL), ...streamsOf('ETH-27DEC24', ['trades'])], 'perp')).toEqual([
      '{"jsonrpc":"2.0","id":1,"method":"public/set_heartbeat","params":{"interval":30}}',
      '{"jsonrpc":"2.0","id":100,"method":"public/subscribe","params":{"channels":["trades.BTC-PERPETUAL.100ms","ticker.BTC-PERPETUAL.100ms","trades.ETH-27DEC24.100ms"]}}',
    ]);
  });

  it('maps perpetuals, linear perpetuals and dated futures both ways', () => {
    const cases: [string, string][] = [['BTC-PERPETUAL', 'BTC-USD'], ['BTC_USDC-PERPETUAL', 'BTC-USDC'], ['ETH-27DEC24', 'ETH27DEC24-USD'], ['XRP_USDC-7MAR25', 'XRP7MAR25-USDC']];
    for (const [native, symbol] of cases) {
      expect(deribitAdapter.toCanonical(native, 'perp')).toBe(symbol);
      expect(deribitAdapter.toNative(symbol, 'perp')).toBe(native);
    }
    expect(deribitAdapter.toCanonical('BTC-27DEC24-100000-C', 'perp')).toBe(''); // an option
  });
});

describe('deribit REST', () => {
  it('instruments: kind future (perpetual and dated), inactive and other kinds left out', () => {
    const body = { jsonrpc: '2.0', result: [
      { instrument_name: 'BTC-PERPETUAL', kind: 'future', settlement_period: 'perpetual', instrument_type: 'reversed', is_active: true },
      { instrument_name: 'BTC_USDC-PERPETUAL', kind: 'future', settlement_period: 'perpetual', instrument_type: 'linear', is_active: true },
      { instrument_name: 'BTC-27DEC24', kind: 'future', settlement_period: 'quarter', is_active: true },
      { instrument_name: 'BTC-29NOV24', kind: 'future', settlement_period: 'month', is_active: false },
      { instrument_name: 'BTC-FS-27DEC24_PERP', kind: 'future_combo', is_active: true },
    ] };
    expect(deribitAdapter.instruments!.path('perp')).toBe('/api/v2/public/get_instruments?currency=any&kind=future');
    expect(deribitAdapter.instruments!.parse(body, 'perp')).toEqual([
      { symbol: 'BTC-USD', native: 'BTC-PERPETUAL' }, { symbol: 'BTC-USDC', native: 'BTC_USDC-PERPETUAL' }, { symbol: 'BTC27DEC24-USD', native: 'BTC-27DEC24' },
    ]);
    expect(() => deribitAdapter.instruments!.parse({ jsonrpc: '2.0', error: { code: 10_000, message: 'bad' } }, 'perp')).toThrow(/bad \(code 10000\)/);
  });

  it('candles: get_tradingview_chart_data columns as bars, VWAP from cost; no_data is empty', () => {
    const c = deribitAdapter.candles!;
    const q = { native: 'BTC-PERPETUAL', market: 'perp' as const, tf: '1m', from: 1_733_199_960_000, to: 1_733_200_080_000, limit: 2 };
    expect(c.path(q)).toBe('/api/v2/public/get_tradingview_chart_data?instrument_name=BTC-PERPETUAL&start_timestamp=1733199960000&end_timestamp=1733200079999&resolution=1');
    const ctx = { exchange: 'deribit', market: 'perp' as const, symbol: 'BTC-USD', tf: '1m' };
    const body = { jsonrpc: '2.0', result: { status: 'ok', ticks: [1_733_199_960_000, 1_733_200_020_000], open: [97000, 97010], high: [97020, 97015], low: [96990, 97001], close: [97010, 97005], volume: [2, 0.5], cost: [194020, 48504] } };
    expect(c.parse(body, ctx).map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.vwap])).toEqual([
      [1_733_199_960_000, 97000, 97020, 96990, 97010, 2, 97010],
      [1_733_200_020_000, 97010, 97015, 97001, 97005, 0.5, 97008],
    ]);
    expect(c.parse({ jsonrpc: '2.0', result: { status: 'no_data' } }, ctx)).toEqual([]);
  });
});
