/**
 * Bitfinex end to end: FeedRunner + bitfinexAdapter against the fake Bitfinex server on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bitfinexAdapter } from '../../../electron/core/adapters/bitfinex/venue';
import type { FeedRunner, FeedSink } from '../../../electron/core/runtime/feed';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import type { SymbolResolver } from '../../../electron/core/adapters/adapter';
import type { Channel, Quote } from '../../../shared/domain';
import { FakeBitfinex } from '../../fakes/bitfinex';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3_000 };

let fake: FakeBitfinex;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

beforeEach(async () => {
  fake = await FakeBitfinex.start();
});
afterEach(tearDown);

function run(symbols: string[], channels: Channel[], sink: FeedSink, resolver?: SymbolResolver): FeedRunner {
  return runFeed({
    config: { exchange: 'bitfinex', market: 'spot', symbols, channels, url: fake.url, restUrl: fake.restUrl },
    adapter: bitfinexAdapter, sink, tuning: TUNING, symbols: resolver,
  });
}

describe('bitfinex via FeedRunner', () => {
  it('skips the snapshot, emits each te/tu trade once, maps UST and the colon form, and quotes', async () => {
    const resolver = await resolveSymbols({ adapter: bitfinexAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('rest');
    const c = collectFeed();
    const runner = run(['BTC-USD', 'BTC-USDT', 'TESTBTC-TESTUSD'], ['trades', 'quotes'], c.sink, resolver);
    await waitFor(() => fake.subscribers('ticker', 'tTESTBTC:TESTUSD') === 1, 'six subscriptions');
    expect(fake.received[0]).toEqual([
      '{"event":"subscribe","channel":"trades","symbol":"tBTCUSD"}',
      '{"event":"subscribe","channel":"ticker","symbol":"tBTCUSD"}',
      '{"event":"subscribe","channel":"trades","symbol":"tBTCUST"}',
      '{"event":"subscribe","channel":"ticker","symbol":"tBTCUST"}',
      '{"event":"subscribe","channel":"trades","symbol":"tTESTBTC:TESTUSD"}',
      '{"event":"subscribe","channel":"ticker","symbol":"tTESTBTC:TESTUSD"}',
    ]);

    fake.heartbeat();
    fake.trade('tBTCUSD', [401, 1_700_000_000_001, 0.5, 37_000.5]);
    fake.trade('tBTCUST', [402, 1_700_000_000_002, -1.25, 37_010]);
    fake.trade('tTESTBTC:TESTUSD', [403, 1_700_000_000_003, 0.001, 60_400]);
    fake.ticker('tBTCUSD', 37_000, 2.5, 37_001, 1.75);
    await waitFor(() => c.trades().length === 3 && runner.counts().quotes === 1, 'three trades and a quote');

    expect(c.trades().map((t) => [t.symbol, t.id, t.price, t.size, t.side, t.time])).toEqual([
      ['BTC-USD', '401', 37_000.5, 0.5, 'buy', 1_700_000_000_001],
      ['BTC-USDT', '402', 37_010, 1.25, 'sell', 1_700_000_000_002],
      ['TESTBTC-TESTUSD', '403', 60_400, 0.001, 'buy', 1_700_000_000_003],
    ]);
    const q = c.data.find((d): d is Quote => d.type === 'quote')!;
    expect([q.symbol, q.bid, q.bidSize, q.ask, q.askSize]).toEqual(['BTC-USD', 37_000, 2.5, 37_001, 1.75]);
    // The te and tu of each trade arrived, plus three snapshots: still three trades, no errors.
    expect(runner.counts().trades).toBe(3);
    expect(runner.counts().errors).toBe(0);
    expect(runner.health().state).toBe('live');
    expect(fake.problems).toEqual([]);
  });

  it('shows Bitfinex\'s own error text for an unknown symbol while the good one streams', async () => {
    const c = collectFeed();
    const runner = run(['BTC-USD', 'FOO-USD'], ['trades'], c.sink);
    await waitFor(() => runner.health().lastError !== null, 'the venue error');
    expect(runner.health().lastError).toMatchObject({ kind: 'venue', message: 'Bitfinex error 10300: symbol: invalid' });
    fake.trade('tBTCUSD', [1, 1_700_000_000_000, 1, 37_000]);
    await waitFor(() => c.trades().length === 1, 'the good trade');
    expect(runner.counts().errors).toBe(1);
  });

  it('reconnects and resubscribes after the server drops the connection, with a fresh chanId map', async () => {
    const c = collectFeed();
    run(['BTC-USD'], ['trades'], c.sink);
    await waitFor(() => fake.subscribers('trades', 'tBTCUSD') === 1, 'first subscription');
    fake.trade('tBTCUSD', [1, 1_700_000_000_000, 1, 37_000]);
    await waitFor(() => c.trades().length === 1, 'first trade');

    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('trades', 'tBTCUSD') === 1, 'resubscription');
    fake.trade('tBTCUSD', [2, 1_700_000_001_000, -3, 36_999]);
    await waitFor(() => c.trades().length === 2, 'trade after reconnect');

    expect(c.trades().map((t) => [t.id, t.side, t.size])).toEqual([['1', 'buy', 1], ['2', 'sell', 3]]);
    expect(fake.received[1]).toEqual(['{"event":"subscribe","channel":"trades","symbol":"tBTCUSD"}']);
    expect(c.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
  });

  it('reconnects on info 20051 without losing or repeating trades', async () => {
    const c = collectFeed();
    const runner = run(['BTC-USD'], ['trades'], c.sink);
    await waitFor(() => fake.subscribers('trades', 'tBTCUSD') === 1, 'subscription');
    fake.event({ event: 'info', code: 20051, msg: 'Stopping. Please try to reconnect' });
    // The new connection's own subscription, not the old socket's (which may be closing and no
    // longer delivering): only then is a trade sure to reach a live connection.
    await waitFor(() => fake.connections === 2 && fake.subscriptionsAccepted === 2, 'the second connection subscribed');
    await waitFor(() => runner.counts().notices >= 1, 'the notice');
    expect(c.statuses.some((s) => s.cause?.includes('Bitfinex 20051: Stopping. Please try to reconnect'))).toBe(true);
    fake.trade('tBTCUSD', [9, 1_700_000_000_000, 1, 37_000]);
    await waitFor(() => c.trades().length >= 1, 'a trade');
    await waitFor(() => fake.subscribers('trades', 'tBTCUSD') === 1, 'the old connection closed');
    fake.trade('tBTCUSD', [10, 1_700_000_000_100, 1, 37_000]);
    await waitFor(() => c.trades().length >= 2, 'a second trade');
    expect(c.trades().map((t) => t.id)).toEqual(['9', '10']);
  });

  it('backs off on HTTP 429 at the upgrade and then connects', async () => {
    fake.rejectUpgrades(1);
    const c = collectFeed();
    const runner = run(['BTC-USD'], ['trades'], c.sink);
    await waitFor(() => fake.subscribers('trades', 'tBTCUSD') === 1, 'subscription after 429');
    fake.trade('tBTCUSD', [5, 1_700_000_000_000, 1, 37_000]);
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit', message: 'rate limited: HTTP 429 on WebSocket upgrade' });
    expect(c.statuses.filter((s) => s.state === 'backoff').length).toBe(1);
  });

  it('starts with the fallback mapping when REST is down (USDT still maps to UST)', async () => {
    fake.restDown = true;
    const resolver = await resolveSymbols({ adapter: bitfinexAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('fallback');
    const c = collectFeed();
    run(['BTC-USDT'], ['trades'], c.sink, resolver);
    await waitFor(() => fake.subscribers('trades', 'tBTCUST') === 1, 'subscription');
    fake.trade('tBTCUST', [6, 1_700_000_000_000, -0.1, 37_000]);
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(c.trades()[0]).toMatchObject({ symbol: 'BTC-USDT', size: 0.1, side: 'sell', id: '6' });
  });

  it('counts a malformed frame between good ones and delivers every good trade', async () => {
    const c = collectFeed();
    const runner = run(['BTC-USD'], ['trades'], c.sink);
    await waitFor(() => fake.subscribers('trades', 'tBTCUSD') === 1, 'subscription');
    fake.trade('tBTCUSD', [1, 1_700_000_000_000, 1, 37_000]);
    fake.raw('trades', 'tBTCUSD', '[%ID%,"te",[2,17000');
    fake.trade('tBTCUSD', [3, 1_700_000_000_002, -1, 37_001]);
    await waitFor(() => c.trades().length === 2, 'two trades');
    expect(c.trades().map((t) => t.id)).toEqual(['1', '3']);
    expect(runner.counts().errors).toBe(1);
    expect(runner.health().lastError).toMatchObject({ kind: 'parse', message: 'Bitfinex: malformed JSON frame' });
  });

  it('spreads more than 30 channels over several connections', async () => {
    const bases = Array.from({ length: 20 }, (_, i) => `A${String(i).padStart(2, '0')}`);
    for (const b of bases) fake.pairs.push(`${b}USD`);
    const c = collectFeed();
    const runner = run(bases.map((b) => `${b}-USD`), ['trades', 'quotes'], c.sink);
    await waitFor(() => bases.every((b) => fake.subscribers('ticker', `t${b}USD`) === 1), 'all 40 subscriptions');
    expect(runner.health().connections).toBe(2);
    expect(fake.received.map((r) => r.length).sort()).toEqual([10, 30]);
    expect(fake.problems).toEqual([]);
  });
});
