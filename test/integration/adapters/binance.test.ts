/**
 * Binance end to end: FeedRunner + binanceAdapter against the fake Binance on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import type { SymbolResolver } from '../../../electron/core/adapters/adapter';
import type { FeedRunner, FeedSink, RuntimeTuning } from '../../../electron/core/runtime/feed';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import type { Channel, MarketType } from '../../../shared/domain';
import { aggTrade, FakeBinance } from '../../fakes/binance';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING: Partial<RuntimeTuning> = { backoffInitialMs: 50, backoffMaxMs: 200, backoffJitter: 0, connectTimeoutMs: 3_000, rotationOverlapMaxMs: 3_000 };

let fake: FakeBinance;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

afterEach(tearDown);

function run(o: { market: MarketType; symbols: string[]; channels: Channel[]; sink: FeedSink; resolver?: SymbolResolver; tuning?: Partial<RuntimeTuning> }): FeedRunner {
  return runFeed({
    config: { exchange: 'binance', market: o.market, symbols: o.symbols, channels: o.channels, url: fake.url(o.market), restUrl: fake.restUrl },
    adapter: binanceAdapter, sink: o.sink, tuning: { ...TUNING, ...o.tuning }, symbols: o.resolver,
  });
}

const T0 = 1_700_000_000_000;
const btc = (a: number, m = false) => aggTrade({ s: 'BTCUSDT', a, p: `${43000 + a}.50000000`, q: '0.01000000', T: T0 + a, m });

describe('binance via FeedRunner', () => {
  it('streams spot trades and quotes mapped through exchangeInfo, answering the server pings', async () => {
    fake = await FakeBinance.start({ pingIntervalMs: 300 });
    const resolver = await resolveSymbols({ adapter: binanceAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('rest');
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades', 'quotes'], sink: c.sink, resolver });
    await waitFor(() => fake.subscribers('ethusdt@bookTicker') === 1, 'subscription');
    expect(fake.received[0]!.map((r) => r.text)).toEqual([
      '{"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@bookTicker","ethusdt@aggTrade","ethusdt@bookTicker"],"id":1}',
    ]);

    fake.push('btcusdt@aggTrade', btc(1, false));
    fake.push('btcusdt@aggTrade', btc(2, true));
    fake.push('ethusdt@aggTrade', aggTrade({ s: 'ETHUSDT', a: 77, p: '2250.10000000', q: '1.50000000', T: T0 + 5, m: true }));
    fake.push('btcusdt@bookTicker', { u: 400900217, s: 'BTCUSDT', b: '43001.00000000', B: '2.00000000', a: '43001.01000000', A: '0.25000000' });
    await waitFor(() => c.trades().length === 3 && runner.counts().quotes === 1, 'three trades and a quote');

    expect(c.trades().map((t) => [t.symbol, t.id, t.price, t.size, t.side, t.time])).toEqual([
      ['BTC-USDT', '1', 43001.5, 0.01, 'buy', T0 + 1],
      ['BTC-USDT', '2', 43002.5, 0.01, 'sell', T0 + 2],
      ['ETH-USDT', '77', 2250.1, 1.5, 'sell', T0 + 5],
    ]);
    expect(c.data.find((d) => d.type === 'quote')).toMatchObject({ symbol: 'BTC-USDT', bid: 43001, bidSize: 2, ask: 43001.01, askSize: 0.25 });
    await waitFor(() => fake.pongs >= 2, 'pongs to the server pings');
    expect(runner.health().state).toBe('live');
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('paces 1000 streams as 5 SUBSCRIBE messages within the 5 messages/s limit', async () => {
    fake = await FakeBinance.start();
    const symbols = Array.from({ length: 500 }, (_, i) => `C${i}-USDT`);
    const c = collectFeed();
    run({ market: 'spot', symbols, channels: ['trades', 'quotes'], sink: c.sink });
    await waitFor(() => fake.subscribers('c499usdt@bookTicker') === 1, 'all subscriptions');
    const msgs = fake.received[0]!;
    expect(msgs.map((m) => JSON.parse(m.text).params.length)).toEqual([200, 200, 200, 200, 200]);
    expect(msgs.map((m) => JSON.parse(m.text).id)).toEqual([1, 2, 3, 4, 5]);
    // 4 per second: 250 ms apart, leaving room for pongs in the venue's 5/s budget.
    expect(msgs[4]!.at - msgs[0]!.at).toBeGreaterThanOrEqual(900);
    expect(fake.problems).toEqual([]);
    fake.push('c499usdt@aggTrade', aggTrade({ s: 'C499USDT', a: 1, p: '1.00000000', q: '2.00000000', T: T0, m: false }));
    await waitFor(() => c.trades().length === 1, 'a trade on the last stream');
    expect(c.trades()[0]).toMatchObject({ symbol: 'C499-USDT', price: 1, size: 2 });
  });

  it('USD-M: trades, liquidations and funding on /market, quotes on /public', async () => {
    fake = await FakeBinance.start();
    const c = collectFeed();
    const market = run({ market: 'perp', symbols: ['BTC-USDT'], channels: ['trades', 'liquidations', 'funding'], sink: c.sink });
    const quotes = run({ market: 'perp', symbols: ['BTC-USDT'], channels: ['quotes'], sink: c.sink });
    await waitFor(() => fake.subscribers('btcusdt@markPrice@1s') === 1 && fake.subscribers('btcusdt@bookTicker') === 1, 'subscriptions');
    expect(fake.received.map((log) => log.map((r) => `/${r.route} ${r.text}`)).sort()).toEqual([
      '/market {"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@forceOrder","btcusdt@markPrice@1s"],"id":1}',
      '/public {"method":"SUBSCRIBE","params":["btcusdt@bookTicker"],"id":1}',
    ].map((x) => [x]));

    fake.push('btcusdt@aggTrade', btc(9, true));
    fake.push('btcusdt@forceOrder', { e: 'forceOrder', E: T0 + 20, o: { s: 'BTCUSDT', S: 'BUY', o: 'LIMIT', f: 'IOC', q: '0.500', p: '43100.00', ap: '43090.10', X: 'FILLED', l: '0.500', z: '0.500', T: T0 + 19 } });
    fake.push('btcusdt@markPrice@1s', { e: 'markPriceUpdate', E: T0 + 30, s: 'BTCUSDT', p: '43050.12000000', ap: '43049.00000000', i: '43048.70000000', P: '43051.00000000', r: '-0.00012500', T: T0 + 3_600_000 });
    fake.push('btcusdt@bookTicker', { e: 'bookTicker', u: 1, s: 'BTCUSDT', b: '43050.00', B: '3.100', a: '43050.10', A: '0.700', T: T0 + 40, E: T0 + 41 });
    await waitFor(() => market.counts().funding === 1 && market.counts().liquidations === 1 && market.counts().trades === 1 && quotes.counts().quotes === 1, 'perp events');

    expect(c.trades()[0]).toMatchObject({ market: 'perp', symbol: 'BTC-USDT', price: 43009.5, size: 0.01, side: 'sell', id: '9' });
    expect(c.data.find((d) => d.type === 'liquidation')).toEqual({ type: 'liquidation', exchange: 'binance', market: 'perp', symbol: 'BTC-USDT', price: 43090.1, size: 0.5, side: 'buy', time: T0 + 19, receivedAt: expect.any(Number) });
    expect(c.data.find((d) => d.type === 'funding')).toMatchObject({ rate: -0.000125, markPrice: 43050.12, indexPrice: 43048.7, nextFundingTime: T0 + 3_600_000, time: T0 + 30 });
    expect(c.data.find((d) => d.type === 'quote')).toMatchObject({ bid: 43050, bidSize: 3.1, ask: 43050.1, askSize: 0.7, time: T0 + 40 });
    expect(fake.misrouted).toEqual([]);
    expect(fake.problems).toEqual([]);
  });

  it('shows the venue\'s error reply; an unknown symbol is acked silently and goes stale', async () => {
    fake = await FakeBinance.start();
    fake.failNextSubscribe(2, 'Invalid request: request ID must be an unsigned integer');
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => runner.health().lastError !== null, 'the venue error');
    expect(runner.health().lastError).toMatchObject({
      kind: 'venue',
      message: 'Binance rejected request 1: Invalid request: request ID must be an unsigned integer (code 2)',
      cause: 'Invalid request: request ID must be an unsigned integer',
    });
    expect(runner.counts().errors).toBe(1);

    const c2 = collectFeed();
    const tuning = { watchdogFloorMs: 400, watchdogCeilingMs: 400 };
    const r2 = run({ market: 'spot', symbols: ['BTC-USDT', 'FOO-USDT'], channels: ['trades'], sink: c2.sink, tuning });
    await waitFor(() => fake.subscribers('foousdt@aggTrade') === 1, 'subscription with the unknown symbol');
    let a = 100;
    const feeder = setInterval(() => fake.push('btcusdt@aggTrade', btc(a++)), 50);
    try {
      await waitFor(() => r2.health().state === 'stale', 'the feed marked stale');
    } finally {
      clearInterval(feeder);
    }
    const health = r2.health();
    expect(health.markets.find((m) => m.symbol === 'FOO-USDT')).toMatchObject({ lastDataAt: null, stale: true });
    expect(health.markets.find((m) => m.symbol === 'BTC-USDT')!.lastDataAt).not.toBeNull();
    expect(c2.trades().length).toBeGreaterThan(0);
  });

  it('reconnects and resubscribes after the server drops the connection, marking the gap', async () => {
    fake = await FakeBinance.start();
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('btcusdt@aggTrade') === 1, 'first subscription');
    fake.push('btcusdt@aggTrade', btc(1));
    await waitFor(() => c.trades().length === 1, 'first trade');

    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('btcusdt@aggTrade') === 1, 'resubscription');
    fake.push('btcusdt@aggTrade', btc(2));
    await waitFor(() => c.trades().length === 2, 'trade after reconnect');

    expect(c.trades().map((t) => t.id)).toEqual(['1', '2']);
    expect(fake.received[1]!.map((r) => r.text)).toEqual(['{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":1}']);
    expect(c.gaps.map((g) => [g.phase, g.symbols])).toEqual([['start', ['BTC-USDT']], ['end', ['BTC-USDT']]]);
    expect(runner.health().reconnects).toBe(1);
  });

  it('backs off on HTTP 429 at the upgrade and then connects', async () => {
    fake = await FakeBinance.start();
    fake.rejectUpgrades(2);
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('btcusdt@aggTrade') === 1, 'subscription after two 429s');
    fake.push('btcusdt@aggTrade', btc(7));
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(fake.upgrades).toEqual([429, 429, 101]);
    expect(c.statuses.filter((s) => s.state === 'backoff')).toHaveLength(2);
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit', message: 'rate limited: HTTP 429 on WebSocket upgrade' });
  });

  it('starts with the fallback mapping when REST is down', async () => {
    fake = await FakeBinance.start();
    fake.restDown = true;
    const resolver = await resolveSymbols({ adapter: binanceAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('fallback');
    expect(resolver.reason).toContain('HTTP 503');
    const c = collectFeed();
    run({ market: 'perp', symbols: ['ETH-USDT'], channels: ['trades'], sink: c.sink, resolver });
    await waitFor(() => fake.subscribers('ethusdt@aggTrade') === 1, 'subscription');
    fake.push('ethusdt@aggTrade', aggTrade({ s: 'ETHUSDT', a: 5, p: '2250.00', q: '3.000', T: T0, m: false }));
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(c.trades()[0]).toMatchObject({ symbol: 'ETH-USDT', price: 2250, size: 3, side: 'buy', id: '5' });
  });

  it('counts a malformed frame between good ones and delivers every good trade', async () => {
    fake = await FakeBinance.start();
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('btcusdt@aggTrade') === 1, 'subscription');
    fake.push('btcusdt@aggTrade', btc(1));
    fake.sendRaw('btcusdt@aggTrade', '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":17');
    fake.push('btcusdt@aggTrade', btc(2));
    fake.push('btcusdt@aggTrade', btc(3, true));
    await waitFor(() => c.trades().length === 3, 'three trades');
    expect(c.trades().map((t) => t.id)).toEqual(['1', '2', '3']);
    expect(runner.counts().errors).toBe(1);
    expect(runner.health().lastError).toMatchObject({ kind: 'parse', message: 'frame is not JSON' });
  });

  it('serverShutdown: a notice, then a make-before-break rotation with no trade lost or repeated', async () => {
    fake = await FakeBinance.start();
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('btcusdt@aggTrade') === 1, 'subscription');
    let a = 1;
    fake.push('btcusdt@aggTrade', btc(a++));
    await waitFor(() => c.trades().length === 1, 'first trade');

    fake.serverShutdown();
    await waitFor(() => fake.subscribers('btcusdt@aggTrade') === 2, 'the replacement connection subscribed');
    // Both connections carry the same trades while they overlap, as the venue would.
    const feeder = setInterval(() => fake.push('btcusdt@aggTrade', btc(a++)), 20);
    try {
      await waitFor(() => fake.openConnections === 1 && c.trades().length >= 10, 'rotation finished');
    } finally {
      clearInterval(feeder);
    }
    const last = a - 1;
    await waitFor(() => c.trades().length === last, 'every pushed trade');
    expect(c.trades().map((t) => Number(t.id))).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(c.statuses.some((s) => s.cause === 'notice: Binance server shutting down (maintenance); reconnecting')).toBe(true);
    expect(fake.connections).toBe(2);
    expect(c.gaps).toEqual([]);
    expect(runner.health().state).toBe('live');
  });
});
