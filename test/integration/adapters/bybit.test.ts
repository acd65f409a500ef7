/**
 * Bybit v5 end to end: FeedRunner + bybitAdapter against the fake Bybit on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import type { FeedRunner, FeedSink, RuntimeTuning } from '../../../electron/core/runtime/feed';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import type { Channel, MarketType } from '../../../shared/domain';
import { FakeBybit, publicTrade } from '../../fakes/bybit';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING: Partial<RuntimeTuning> = { backoffInitialMs: 50, backoffMaxMs: 200, backoffJitter: 0, connectTimeoutMs: 3_000 };

let fake: FakeBybit;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

afterEach(tearDown);

function run(o: { market: MarketType; symbols: string[]; channels: Channel[]; sink: FeedSink; resolver?: SymbolResolver; adapter?: VenueAdapter }): FeedRunner {
  return runFeed({
    config: { exchange: 'bybit', market: o.market, symbols: o.symbols, channels: o.channels, url: fake.url(o.market), restUrl: fake.restUrl },
    adapter: o.adapter ?? bybitAdapter, sink: o.sink, tuning: TUNING, symbols: o.resolver,
  });
}

const T0 = 1_786_310_820_000;

describe('bybit via FeedRunner', () => {
  it('linear: trades, merged tickers (quotes + funding) and liquidations, USDC perp mapped by REST', async () => {
    fake = await FakeBybit.start();
    const resolver = await resolveSymbols({ adapter: bybitAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('rest');
    expect(resolver.symbols()).toEqual(['BTC-USDT', 'BTC-USDC']);
    const c = collectFeed();
    const runner = run({ market: 'perp', symbols: ['BTC-USDT', 'BTC-USDC'], channels: ['trades', 'quotes', 'funding', 'liquidations'], sink: c.sink, resolver });
    await waitFor(() => fake.subscribers('allLiquidation.BTCPERP') === 1, 'subscriptions');
    expect(fake.received[0]).toEqual([
      '{"op":"subscribe","args":["publicTrade.BTCUSDT","tickers.BTCUSDT","allLiquidation.BTCUSDT"],"req_id":"sub-BTCUSDT"}',
      '{"op":"subscribe","args":["publicTrade.BTCPERP","tickers.BTCPERP","allLiquidation.BTCPERP"],"req_id":"sub-BTCPERP"}',
    ]);

    fake.push(publicTrade('BTCUSDT', [
      { T: T0 + 1, s: 'BTCUSDT', S: 'Sell', v: '0.004', p: '65114.20', i: 'a9188a0a-82bc-50de-be60-03eedbe3cdd7' },
      { T: T0 + 2, s: 'BTCUSDT', S: 'Buy', v: '1.250', p: '65114.30', i: '19d7df56-4f10-5290-a969-d9d9f2c74cc3' },
    ]));
    fake.push(publicTrade('BTCPERP', [{ T: T0 + 3, s: 'BTCPERP', S: 'Buy', v: '0.100', p: '65120.0', i: '4d4ad26c-901f-5146-adc0-1db29b6b9ab6' }]));
    fake.push({ topic: 'tickers.BTCUSDT', type: 'snapshot', data: { symbol: 'BTCUSDT', lastPrice: '65114.30', markPrice: '65117.44', indexPrice: '65137.76', nextFundingTime: '1786320000000', fundingRate: '0.0001', bid1Price: '65114.20', bid1Size: '5.954', ask1Price: '65114.30', ask1Size: '10.470' }, cs: 1, ts: T0 + 10 });
    fake.push({ topic: 'tickers.BTCUSDT', type: 'delta', data: { symbol: 'BTCUSDT', bid1Size: '6.054', fundingRate: '0.00012' }, cs: 2, ts: T0 + 20 });
    fake.push({ topic: 'allLiquidation.BTCUSDT', type: 'snapshot', ts: T0 + 31, data: [{ T: T0 + 30, s: 'BTCUSDT', S: 'Buy', v: '0.250', p: '64900.5' }] });
    await waitFor(() => runner.counts().trades === 3 && runner.counts().quotes === 2 && runner.counts().funding === 2 && runner.counts().liquidations === 1, 'linear events');

    expect(c.trades().map((t) => [t.symbol, t.id, t.price, t.size, t.side, t.time])).toEqual([
      ['BTC-USDT', 'a9188a0a-82bc-50de-be60-03eedbe3cdd7', 65114.2, 0.004, 'sell', T0 + 1],
      ['BTC-USDT', '19d7df56-4f10-5290-a969-d9d9f2c74cc3', 65114.3, 1.25, 'buy', T0 + 2],
      ['BTC-USDC', '4d4ad26c-901f-5146-adc0-1db29b6b9ab6', 65120, 0.1, 'buy', T0 + 3],
    ]);
    const quotes = c.data.filter((d) => d.type === 'quote');
    expect(quotes.map((q) => [q.bid, q.bidSize, q.ask, q.askSize, q.time])).toEqual([
      [65114.2, 5.954, 65114.3, 10.47, T0 + 10],
      [65114.2, 6.054, 65114.3, 10.47, T0 + 20],
    ]);
    expect(c.data.filter((d) => d.type === 'funding').at(-1)).toMatchObject({
      symbol: 'BTC-USDT', rate: 0.00012, markPrice: 65117.44, indexPrice: 65137.76, nextFundingTime: 1786320000000, time: T0 + 20,
    });
    expect(c.data.find((d) => d.type === 'liquidation')).toMatchObject({ symbol: 'BTC-USDT', price: 64900.5, size: 0.25, side: 'sell', time: T0 + 30 });
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('spot: trades and orderbook.1 quotes; text pings keep the link past the idle cut', async () => {
    fake = await FakeBybit.start({ idleTimeoutMs: 400 });
    const fastPing: VenueAdapter = { ...bybitAdapter, keepalive: { kind: 'text', intervalMs: 100, message: '{"op":"ping"}' } };
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades', 'quotes'], sink: c.sink, adapter: fastPing });
    await waitFor(() => fake.subscribers('orderbook.1.BTCUSDT') === 1, 'subscription');
    fake.push(publicTrade('BTCUSDT', [{ T: T0 + 5, s: 'BTCUSDT', S: 'Buy', v: '0.002705', p: '65140.5', i: '2290000001189048101' }]));
    fake.push({ topic: 'orderbook.1.BTCUSDT', ts: T0 + 7, type: 'snapshot', data: { s: 'BTCUSDT', b: [['65140.4', '0.885797']], a: [['65140.5', '0.472215']], u: 1, seq: 9 }, cts: T0 + 6 });
    await waitFor(() => runner.counts().trades === 1 && runner.counts().quotes === 1, 'trade and quote');
    expect(c.trades()[0]).toMatchObject({ symbol: 'BTC-USDT', price: 65140.5, size: 0.002705, side: 'buy', time: T0 + 5, id: '2290000001189048101' });
    expect(c.data.find((d) => d.type === 'quote')).toMatchObject({ bid: 65140.4, bidSize: 0.885797, ask: 65140.5, askSize: 0.472215, time: T0 + 6 });

    await waitFor(() => fake.pings >= 8, 'eight pings (800 ms, twice the idle limit)');
    expect(fake.idleCuts).toBe(0);
    expect(fake.connections).toBe(1);
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('shows Bybit\'s own error for an unknown symbol while the good one streams', async () => {
    fake = await FakeBybit.start();
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['FOO-USDT', 'BTC-USDT'], channels: ['trades', 'quotes'], sink: c.sink });
    await waitFor(() => runner.health().lastError !== null && fake.subscribers('publicTrade.BTCUSDT') === 1, 'the venue error and the good subscription');
    expect(runner.health().lastError).toMatchObject({
      kind: 'venue', message: 'Bybit rejected subscribe: Invalid symbol :[publicTrade.FOOUSDT]', cause: 'Invalid symbol :[publicTrade.FOOUSDT]',
    });
    fake.push(publicTrade('BTCUSDT', [{ T: T0, s: 'BTCUSDT', S: 'Sell', v: '1', p: '65000', i: '1' }]));
    await waitFor(() => c.trades().length === 1, 'the good trade');
    expect(runner.counts().errors).toBe(1);
  });

  it('reconnects and resubscribes after the server drops the connection, marking the gap', async () => {
    fake = await FakeBybit.start();
    const c = collectFeed();
    run({ market: 'perp', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('publicTrade.BTCUSDT') === 1, 'first subscription');
    fake.push(publicTrade('BTCUSDT', [{ T: T0, s: 'BTCUSDT', S: 'Buy', v: '1', p: '65000', i: 'u1' }]));
    await waitFor(() => c.trades().length === 1, 'first trade');

    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('publicTrade.BTCUSDT') === 1, 'resubscription');
    fake.push(publicTrade('BTCUSDT', [{ T: T0 + 1, s: 'BTCUSDT', S: 'Sell', v: '2', p: '65001', i: 'u2' }]));
    await waitFor(() => c.trades().length === 2, 'trade after reconnect');

    expect(c.trades().map((t) => t.id)).toEqual(['u1', 'u2']);
    expect(fake.received[1]).toEqual(['{"op":"subscribe","args":["publicTrade.BTCUSDT"],"req_id":"sub-BTCUSDT"}']);
    expect(c.gaps.map((g) => [g.phase, g.symbols])).toEqual([['start', ['BTC-USDT']], ['end', ['BTC-USDT']]]);
  });

  it('backs off on HTTP 429 at the upgrade and then connects', async () => {
    fake = await FakeBybit.start();
    fake.rejectUpgrades(2);
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('publicTrade.BTCUSDT') === 1, 'subscription after two 429s');
    fake.push(publicTrade('BTCUSDT', [{ T: T0, s: 'BTCUSDT', S: 'Buy', v: '1', p: '65000', i: '7' }]));
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(fake.upgrades).toEqual([429, 429, 101]);
    expect(c.statuses.filter((s) => s.state === 'backoff')).toHaveLength(2);
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit', message: 'rate limited: HTTP 429 on WebSocket upgrade' });
  });

  it('starts with the fallback mapping when REST is down (USDC perp still named BTCPERP)', async () => {
    fake = await FakeBybit.start();
    fake.restDown = true;
    const resolver = await resolveSymbols({ adapter: bybitAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('fallback');
    const c = collectFeed();
    run({ market: 'perp', symbols: ['BTC-USDC'], channels: ['trades'], sink: c.sink, resolver });
    await waitFor(() => fake.subscribers('publicTrade.BTCPERP') === 1, 'subscription');
    fake.push(publicTrade('BTCPERP', [{ T: T0, s: 'BTCPERP', S: 'Sell', v: '0.5', p: '65010', i: 'x1' }]));
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(c.trades()[0]).toMatchObject({ symbol: 'BTC-USDC', price: 65010, size: 0.5, side: 'sell', id: 'x1' });
  });

  it('counts a malformed frame between good ones and delivers every good trade', async () => {
    fake = await FakeBybit.start();
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('publicTrade.BTCUSDT') === 1, 'subscription');
    fake.push(publicTrade('BTCUSDT', [{ T: T0, s: 'BTCUSDT', S: 'Buy', v: '1', p: '65000', i: '1' }]));
    fake.sendRaw('publicTrade.BTCUSDT', '{"topic":"publicTrade.BTCUSDT","ts":17863108');
    fake.push(publicTrade('BTCUSDT', [
      { T: T0 + 1, s: 'BTCUSDT', S: 'Buy', v: '1', p: '65000', i: '2' },
      { T: T0 + 2, s: 'BTCUSDT', S: 'Sell', v: '1', p: '64999.9', i: '3' },
    ]));
    await waitFor(() => c.trades().length === 3, 'three trades');
    expect(c.trades().map((t) => t.id)).toEqual(['1', '2', '3']);
    expect(runner.counts().errors).toBe(1);
    expect(runner.health().lastError).toMatchObject({ kind: 'parse', message: 'frame is not JSON' });
  });
});
