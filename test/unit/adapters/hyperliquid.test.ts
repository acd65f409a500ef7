/**
 * Hyperliquid parser and REST parsers on hand-written frames in the documented wire format
 * (test/fixtures/hyperliquid/README.md says where the shapes come from).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, Stream } from '../../../electron/core/adapters/adapter';
import { createHyperliquidParser } from '../../../electron/core/adapters/hyperliquid/stream';
import { hyperliquidAdapter } from '../../../electron/core/adapters/hyperliquid/venue';
import type { MarketType } from '../../../shared/domain';

const RX = 1_733_200_002_000;
const FRAMES = readFileSync(new URL('../../fixtures/hyperliquid/frames.jsonl', import.meta.url), 'utf8').trim().split('\n');
const [ACK, SNAPSHOT, LIVE, , BBO, CTX, PONG, ERROR] = FRAMES as [string, string, string, string, string, string, string, string];

function parser(market: MarketType = 'perp', streams: Stream[] = []) {
  return createHyperliquidParser({ exchange: 'hyperliquid', market, streams, toCanonical: (n) => hyperliquidAdapter.toCanonical(n, market) });
}
const run = (frames: string[], market: MarketType = 'perp') => {
  const p = parser(market);
  return frames.flatMap((f) => p.parse(f, RX));
};
const ofType = <T extends ParsedEvent['type']>(evs: ParsedEvent[], t: T) =>
  evs.filter((e): e is Extract<ParsedEvent, { type: T }> => e.type === t);
const trade = (coin: string, side: string, px: string, sz: string, time: number, tid: number) =>
  JSON.stringify({ channel: 'trades', data: [{ coin, side, px, sz, time, hash: '0x0', tid, users: ['0xa', '0xb'] }] });

describe('hyperliquid parser', () => {
  it('skips the first trades message (the snapshot) and emits live trades with the aggressor side', () => {
    const evs = run([ACK, SNAPSHOT, LIVE, trade('BTC', 'A', '97150', '2', 1_733_200_002_000, 901200000000004)]);
    expect(ofType(evs, 'trade')).toEqual([
      { type: 'trade', exchange: 'hyperliquid', market: 'perp', symbol: 'BTC-USDC', price: 97155.5, size: 0.00123, side: 'buy', time: 1_733_200_001_000, receivedAt: RX, id: '901200000000003' },
      { type: 'trade', exchange: 'hyperliquid', market: 'perp', symbol: 'BTC-USDC', price: 97150, size: 2, side: 'sell', time: 1_733_200_002_000, receivedAt: RX, id: '901200000000004' },
    ]);
    expect(ofType(evs, 'control').map((e) => e.message)).toEqual(['subscribe trades BTC', 'BTC trades snapshot: 2 past trades skipped']);
  });

  it('never emits a snapshot trade or a repeated tid, and each coin has its own snapshot', () => {
    const evs = run([
      SNAPSHOT,
      trade('BTC', 'A', '97150.0', '0.01', 1_733_200_000_000, 901200000000001), // in the snapshot
      trade('ETH', 'B', '3600', '1', 1_733_200_000_500, 77), // ETH's snapshot
      trade('ETH', 'B', '3601', '2', 1_733_200_000_600, 78),
      trade('ETH', 'B', '3601', '2', 1_733_200_000_600, 78), // the same tid again
    ]);
    expect(ofType(evs, 'trade').map((t) => [t.symbol, t.id, t.price, t.size])).toEqual([['ETH-USDC', '78', 3601, 2]]);
  });

  it('a new connection (new parser) skips the snapshot again: nothing is counted twice after a reconnect', () => {
    expect(ofType(run([SNAPSHOT, LIVE]), 'trade')).toHaveLength(1);
    expect(ofType(run([LIVE]), 'trade')).toHaveLength(0); // the live message re-sent as the next connection's snapshot
  });

  it('maps kPEPE to 1000PEPE-USDC with the venue price and size unchanged', () => {
    const evs = run([trade('kPEPE', 'B', '0.0189', '1', 1, 1), trade('kPEPE', 'A', '0.019', '5000', 1_733_200_000_000, 2)]);
    expect(ofType(evs, 'trade').map((t) => [t.symbol, t.price, t.size, t.side])).toEqual([['1000PEPE-USDC', 0.019, 5000, 'sell']]);
    expect(hyperliquidAdapter.toNative('1000PEPE-USDC', 'perp')).toBe('kPEPE');
    expect(hyperliquidAdapter.toNative('BTC-USDC', 'perp')).toBe('BTC');
  });

  it('reads bbo as a quote, skips a one-sided bbo, and activeAssetCtx as hourly funding with mark, oracle and OI', () => {
    const oneSided = JSON.stringify({ channel: 'bbo', data: { coin: 'BTC', time: 1, bbo: [null, { px: '1', sz: '1', n: 1 }] } });
    const evs = run([BBO, oneSided, CTX]);
    expect(ofType(evs, 'quote')).toEqual([{
      type: 'quote', exchange: 'hyperliquid', market: 'perp', symbol: 'BTC-USDC', bid: 97155, bidSize: 3.1, ask: 97156, askSize: 0.8, time: 1_733_200_001_500, receivedAt: RX,
    }]);
    expect(ofType(evs, 'funding')).toEqual([{
      type: 'funding', exchange: 'hyperliquid', market: 'perp', symbol: 'BTC-USDC', rate: 0.0000125, markPrice: 97152, indexPrice: 97120,
      openInterest: 12345.678, nextFundingTime: 1_733_202_000_000, time: RX, receivedAt: RX,
    }]);
    expect(evs).toHaveLength(2);
  });

  it('pong and acks are control events; an error reply is a venue error naming the coin', () => {
    const evs = run([PONG, ACK, ERROR]);
    expect(evs.slice(0, 2).map((e) => e.type === 'control' && e.what)).toEqual(['pong', 'ack']);
    expect(evs[2]).toMatchObject({ type: 'error', kind: 'venue', message: 'Hyperliquid error: Invalid subscription {"type":"trades","coin":"FOO"}', symbol: 'FOO-USDC' });
    expect(run(['Websocket connection established.'])).toEqual([{ type: 'control', what: 'info', message: 'Websocket connection established.' }]);
  });

  it('counts malformed frames and bad items as errors and keeps the good trades around them', () => {
    const p = parser();
    p.parse(SNAPSHOT, RX);
    const mixed = JSON.stringify({ channel: 'trades', data: [
      { coin: 'BTC', side: 'B', px: '97000', sz: '1', time: 1_733_200_000_000, tid: 10 },
      { coin: 'BTC', side: 'X', px: '97000', sz: '1', time: 1_733_200_000_000, tid: 11 },
      { coin: 'BTC', side: 'A', px: '-1', sz: '1', time: 1_733_200_000_000, tid: 12 },
      { coin: 'BTC', side: 'A', px: '97001', sz: '0.5', time: 1_733_200_000_001, tid: 13 },
    ] });
    const evs = ['{"channel":"trades","data":[{"coin"', mixed, '{"channel":"mystery","data":{}}', '[1,2]'].flatMap((f) => p.parse(f, RX));
    expect(evs.map((e) => (e.type === 'error' ? `error:${e.kind}` : e.type))).toEqual(['error:parse', 'trade', 'error:parse', 'error:parse', 'trade', 'error:protocol', 'error:protocol']);
  });

  it('spot: PURR/USDC maps by name; an @index without spotMeta has no symbol and is an error, not a trade', () => {
    const evs = run([trade('PURR/USDC', 'B', '0.2', '1', 1, 1), trade('PURR/USDC', 'B', '0.21', '100', 1_733_200_000_000, 2), trade('@107', 'B', '30', '1', 1, 3), trade('@107', 'B', '30', '1', 1_733_200_000_000, 4)], 'spot');
    expect(ofType(evs, 'trade').map((t) => [t.symbol, t.size])).toEqual([['PURR-USDC', 100]]);
    expect(ofType(evs, 'error')).toHaveLength(1);
    expect(hyperliquidAdapter.toNative('PURR-USDC', 'spot')).toBe('PURR/USDC');
  });
});

describe('hyperliquid subscribe messages', () => {
  it('sends one subscribe per coin and type (no batching); funding only on perps', () => {
    const streams: Stream[] = [
      { symbol: 'BTC-USDC', native: 'BTC', channel: 'trades' },
      { symbol: 'BTC-USDC', native: 'BTC', channel: 'quotes' },
      { symbol: 'BTC-USDC', native: 'BTC', channel: 'funding' },
    ];
    expect(hyperliquidAdapter.subscribeMessages(streams, 'perp')).toEqual([
      '{"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}',
      '{"method":"subscribe","subscription":{"type":"bbo","coin":"BTC"}}',
      '{"method":"subscribe","subscription":{"type":"activeAssetCtx","coin":"BTC"}}',
    ]);
    expect(hyperliquidAdapter.subscribeMessages(streams, 'spot')).toHaveLength(2);
    expect(hyperliquidAdapter.keepalive).toEqual({ kind: 'text', intervalMs: 20_000, message: '{"method":"ping"}' });
  });
});

describe('hyperliquid REST (POST /info)', () => {
  const inst = hyperliquidAdapter.instruments!;
  it('perps from meta (delisted left out, kPEPE named 1000PEPE)', () => {
    expect(inst.body!('perp')).toEqual({ type: 'meta' });
    const meta = { universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }, { name: 'kPEPE', szDecimals: 0, maxLeverage: 10 }, { name: 'OLD', szDecimals: 1, maxLeverage: 3, isDelisted: true }, { foo: 1 }] };
    expect(inst.parse(meta, 'perp')).toEqual([{ symbol: 'BTC-USDC', native: 'BTC' }, { symbol: '1000PEPE-USDC', native: 'kPEPE' }]);
  });

  it('spot from spotMeta: @index pairs named by their tokens', () => {
    expect(inst.body!('spot')).toEqual({ type: 'spotMeta' });
    const spotMeta = {
      tokens: [{ name: 'USDC', index: 0, szDecimals: 8 }, { name: 'PURR', index: 1, szDecimals: 0 }, { name: 'HYPE', index: 150, szDecimals: 2 }],
      universe: [{ name: 'PURR/USDC', tokens: [1, 0], index: 0, isCanonical: true }, { name: '@107', tokens: [150, 0], index: 107, isCanonical: false }, { name: '@9', tokens: [99, 0], index: 9 }],
    };
    expect(inst.parse(spotMeta, 'spot')).toEqual([{ symbol: 'PURR-USDC', native: 'PURR/USDC' }, { symbol: 'HYPE-USDC', native: '@107' }]);
  });

  it('candles: a candleSnapshot request body and its rows as bars with trade counts', () => {
    const c = hyperliquidAdapter.candles!;
    const q = { native: 'BTC', market: 'perp' as const, tf: '1m', from: 1_733_199_960_000, to: 1_733_200_080_000, limit: 2 };
    expect(c.path(q)).toBe('/info');
    expect(c.body!(q)).toEqual({ type: 'candleSnapshot', req: { coin: 'BTC', interval: '1m', startTime: 1_733_199_960_000, endTime: 1_733_200_079_999 } });
    const body = [
      { t: 1_733_199_960_000, T: 1_733_200_019_999, s: 'BTC', i: '1m', o: '97000.0', c: '97010.0', h: '97020.0', l: '96990.0', v: '12.5', n: 340 },
      { t: 1_733_200_020_000, T: 1_733_200_079_999, s: 'BTC', i: '1m', o: '97010.0', c: '97005.0', h: '97015.0', l: '97001.0', v: '1.25', n: 12 },
    ];
    const bars = c.parse(body, { exchange: 'hyperliquid', market: 'perp', symbol: 'BTC-USDC', tf: '1m' });
    expect(bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume, b.trades])).toEqual([
      [1_733_199_960_000, 97000, 97020, 96990, 97010, 12.5, 340],
      [1_733_200_020_000, 97010, 97015, 97001, 97005, 1.25, 12],
    ]);
    expect(() => c.parse({ error: 'x' }, { exchange: 'hyperliquid', market: 'perp', symbol: 'BTC-USDC', tf: '1m' })).toThrow(/not an array/);
  });
});

describe('hyperliquid empty snapshot', () => {
  it('an empty first trades message is the snapshot of the coin acked before it: the next trade is live', () => {
    const ackEth = '{"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"trades","coin":"ETH"}}}';
    const evs = run([ackEth, ACK, '{"channel":"trades","data":[]}', SNAPSHOT, trade('ETH', 'B', '3600', '1', 1_733_200_000_500, 77)]);
    expect(ofType(evs, 'trade').map((t) => [t.symbol, t.id])).toEqual([['ETH-USDC', '77']]);
  });
});
