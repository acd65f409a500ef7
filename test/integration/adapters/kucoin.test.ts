/**
 * KuCoin end to end: FeedRunner + kucoinAdapter against the fake KuCoin (test/fakes/kucoin.ts):
 * a connect token before every connection, subscribes only after the welcome, the token's ping
 * interval, futures contracts sized by the REST multiplier, token expiry -> rotation with a fresh
 * token, reconnects, venue errors and malformed frames.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SymbolResolver } from '../../../electron/core/adapters/adapter';
import { kucoinAdapter } from '../../../electron/core/adapters/kucoin/venue';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import type { RuntimeTuning } from '../../../electron/core/runtime/feed';
import type { Channel, MarketType } from '../../../shared/domain';
import { FakeKucoin } from '../../fakes/kucoin';
import { feedHarness } from '../../helpers/feed-harness';

const TUNING: Partial<RuntimeTuning> = { backoffInitialMs: 50, backoffMaxMs: 200, backoffJitter: 0, connectTimeoutMs: 3_000, rotationOverlapMaxMs: 3_000 };

let fake: FakeKucoin | undefined;
const { runCollectedFeed, waitFor, tearDown } = feedHarness(() => fake);
afterEach(async () => {
  await tearDown();
  fake = undefined;
});

async function start(market: MarketType): Promise<FakeKucoin> {
  fake = await FakeKucoin.start(market);
  return fake;
}

/** A feed whose only configuration is the REST URL: the WebSocket endpoint comes from the token. */
function run(f: FakeKucoin, symbols: string[], o: { tuning?: Partial<RuntimeTuning>; resolver?: SymbolResolver; channels?: Channel[] } = {}) {
  return runCollectedFeed({
    adapter: kucoinAdapter,
    config: { exchange: 'kucoin', market: f.market, symbols, channels: o.channels ?? ['trades'], restUrl: f.restUrl },
    tuning: { ...TUNING, ...o.tuning },
    ...(o.resolver ? { symbols: o.resolver } : {}),
  });
}

let seq = 0;
const trade = (side: 'buy' | 'sell', price: number, size: number) => ({ tradeId: `t${++seq}`, side, price, size, ns: `${1_700_000_000_000 + seq}123456` });

describe('kucoin spot via FeedRunner', () => {
  it('fetches a token, waits for the welcome, subscribes in one topic and streams taker-side trades', async () => {
    const f = await start('spot');
    const feed = run(f, ['BTC-USDT', 'ETH-USDT']);
    await waitFor(() => f.subscribers('ETH-USDT') === 1, 'subscribed');
    expect(f.tokens).toEqual(['tok-1']);
    expect(f.connectTokens).toEqual(['tok-1']);
    expect(f.received[0]!.map((m) => JSON.parse(m))).toEqual([
      { id: 'subscribe-BTC-USDT', type: 'subscribe', topic: '/market/match:BTC-USDT,ETH-USDT', privateChannel: false, response: true },
    ]);
    const t1 = trade('buy', 43000.5, 0.25), t2 = trade('sell', 2200.1, 1.5);
    f.pushTrade('BTC-USDT', t1);
    f.pushTrade('ETH-USDT', t2);
    await waitFor(() => feed.trades().length === 2, 'two trades');
    expect(feed.trades().map((t) => [t.symbol, t.id, t.side, t.size, t.price, t.time])).toEqual([
      ['BTC-USDT', t1.tradeId, 'buy', 0.25, 43000.5, Number(t1.ns.slice(0, -6)) + 0.123456],
      ['ETH-USDT', t2.tradeId, 'sell', 1.5, 2200.1, Number(t2.ns.slice(0, -6)) + 0.123456],
    ]);
    expect(feed.runner.health().state).toBe('live');
    expect(feed.runner.counts().errors).toBe(0);
    // The fake logs any message sent before its welcome (it comes 30 ms after the upgrade).
    expect(f.problems).toEqual([]);
  });

  it('pings at the interval of the token answer, not the default 18 s', async () => {
    const f = await start('spot');
    f.pingIntervalMs = 100;
    run(f, ['BTC-USDT']);
    await waitFor(() => f.pingTimes.length >= 3, 'three pings');
    const gaps = f.pingTimes.slice(1).map((t, i) => t - f.pingTimes[i]!);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(80);
    expect(f.received[0]!.filter((m) => m.includes('"type":"ping"'))[0]).toBe('{"id":"ping","type":"ping"}');
    expect(f.problems).toEqual([]);
  });

  it('rotates before the token expires: a fresh token, make-before-break, no trade lost or repeated', async () => {
    const f = await start('spot');
    const feed = run(f, ['BTC-USDT'], { tuning: { rotateAfterMs: 400 } });
    await waitFor(() => f.subscribers('BTC-USDT') === 1, 'subscribed');
    f.pushTrade('BTC-USDT', trade('buy', 100, 1));
    // The replacement connects with a new token while the old connection still delivers.
    await waitFor(() => f.subscribers('BTC-USDT') === 2, 'replacement subscribed');
    expect(f.tokens).toEqual(['tok-1', 'tok-2']);
    expect(f.connectTokens).toEqual(['tok-1', 'tok-2']);
    f.pushTrade('BTC-USDT', trade('sell', 101, 2)); // on both sockets: the overlap proof
    await waitFor(() => f.openConnections === 1 && f.subscribers('BTC-USDT') === 1, 'old connection closed');
    f.pushTrade('BTC-USDT', trade('buy', 102, 3));
    await waitFor(() => feed.trades().length >= 3, 'three trades');
    expect(feed.trades().map((t) => t.size)).toEqual([1, 2, 3]);
    expect(feed.runner.counts().reconnects).toBe(0);
    expect(feed.gaps).toEqual([]);
    // The old token is now expired at the venue: the live connection is on the new one.
    f.expireToken('tok-1');
    f.pushTrade('BTC-USDT', trade('sell', 103, 4));
    await waitFor(() => feed.trades().length === 4, 'a trade after the old token expired');
    expect(f.problems).toEqual([]);
  });

  it('token expiry closes the connection: it reconnects with a new token and resubscribes', async () => {
    const f = await start('spot');
    const feed = run(f, ['BTC-USDT']);
    await waitFor(() => f.subscribers('BTC-USDT') === 1, 'subscribed');
    f.pushTrade('BTC-USDT', trade('buy', 100, 1));
    await waitFor(() => feed.trades().length === 1, 'first trade');
    f.expireToken('tok-1');
    await waitFor(() => f.connectTokens.length === 2 && f.subscribers('BTC-USDT') === 1, 'reconnected');
    expect(f.connectTokens).toEqual(['tok-1', 'tok-2']);
    f.pushTrade('BTC-USDT', trade('sell', 99, 2));
    await waitFor(() => feed.trades().length === 2, 'trade after the reconnect');
    expect(feed.runner.counts().reconnects).toBe(1);
    expect(feed.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
    expect(f.problems).toEqual([]);
  });

  it('token endpoint down: the failure is the feed error, it backs off and connects once REST is back', async () => {
    const f = await start('spot');
    f.restDown = true;
    const feed = run(f, ['BTC-USDT']);
    await waitFor(() => feed.runner.health().errors >= 2, 'two failed token requests');
    expect(feed.runner.health().lastError).toMatchObject({ kind: 'venue', message: 'KuCoin connect token request failed', cause: expect.stringContaining('HTTP 503') });
    expect(f.connections).toBe(0);
    f.restDown = false;
    await waitFor(() => f.subscribers('BTC-USDT') === 1, 'subscribed after REST came back');
    f.pushTrade('BTC-USDT', trade('buy', 100, 1));
    await waitFor(() => feed.runner.health().state === 'live', 'live');
  });

  it('a venue error reaches the health with its text; a malformed frame between good ones is counted', async () => {
    const f = await start('spot');
    const feed = run(f, ['BTC-USDT', 'FOO-USDT']);
    await waitFor(() => feed.runner.health().lastError?.kind === 'venue', 'venue error');
    expect(feed.runner.health().lastError).toMatchObject({ message: 'KuCoin error 404: topic /market/match:FOO-USDT is not found' });
    const g = fake!;
    expect(g.subscribers('BTC-USDT')).toBe(0); // KuCoin refuses the whole topic
    await feed.runner.stop();
    const ok = run(g, ['BTC-USDT']);
    await waitFor(() => g.subscribers('BTC-USDT') === 1, 'subscribed');
    g.pushTrade('BTC-USDT', trade('buy', 100, 1));
    g.sendRaw('BTC-USDT', '{"type":"message","topic":"/market/match:BTC-USDT","subj');
    g.pushTrade('BTC-USDT', trade('sell', 100, 2));
    await waitFor(() => ok.trades().length === 2, 'two trades');
    expect(ok.runner.counts().errors).toBe(1);
    expect(ok.runner.health().lastError).toMatchObject({ kind: 'parse', message: 'KuCoin: malformed JSON frame' });
  });
});

describe('kucoin futures via FeedRunner', () => {
  it('sizes executions as contracts x the REST multiplier, XBTUSDTM as BTC-USDT', async () => {
    const f = await start('perp');
    const symbols = await resolveSymbols({ adapter: kucoinAdapter, market: 'perp', restUrl: f.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(symbols.source).toBe('rest');
    expect(symbols.symbols()).toEqual(['BTC-USDT', 'ETH-USDT']);
    const feed = run(f, ['BTC-USDT', 'ETH-USDT'], { resolver: symbols });
    await waitFor(() => f.subscribers('ETHUSDTM') === 1, 'subscribed');
    expect(JSON.parse(f.received[0]![0]!).topic).toBe('/contractMarket/execution:XBTUSDTM,ETHUSDTM');
    f.pushTrade('XBTUSDTM', trade('sell', 43000, 25));
    f.pushTrade('ETHUSDTM', trade('buy', 2200, 3));
    await waitFor(() => feed.trades().length === 2, 'two trades');
    expect(feed.trades().map((t) => [t.symbol, t.side, t.size, t.price])).toEqual([
      ['BTC-USDT', 'sell', 0.025, 43000],
      ['ETH-USDT', 'buy', 0.03, 2200],
    ]);
    expect(f.problems).toEqual([]);
  });

  it('quotes from tickerV2 in base units, funding and mark from /contract/instrument', async () => {
    const f = await start('perp');
    const symbols = await resolveSymbols({ adapter: kucoinAdapter, market: 'perp', restUrl: f.restUrl, cacheDir: null, timeoutMs: 2_000 });
    const feed = run(f, ['BTC-USDT'], { resolver: symbols, channels: ['trades', 'quotes', 'funding'] });
    await waitFor(() => f.subscribers('XBTUSDTM', '/contract/instrument') === 1, 'subscribed to the three topics');
    expect(f.received[0]!.map((m) => JSON.parse(m).topic)).toEqual(['/contractMarket/execution:XBTUSDTM', '/contractMarket/tickerV2:XBTUSDTM', '/contract/instrument:XBTUSDTM']);
    f.pushTopic('/contractMarket/tickerV2', 'XBTUSDTM', 'tickerV2', { symbol: 'XBTUSDTM', sequence: 1, bestBidSize: 795, bestBidPrice: '43000.0', bestAskPrice: '43000.5', bestAskSize: 284, ts: 1553846081210004941 });
    f.pushTopic('/contract/instrument', 'XBTUSDTM', 'mark.index.price', { granularity: 1000, indexPrice: 43001.5, markPrice: 43002.25, timestamp: 1551770400000 });
    f.pushTopic('/contract/instrument', 'XBTUSDTM', 'funding.rate', { granularity: 60000, fundingRate: 0.0001, timestamp: 1551770460000 });
    await waitFor(() => feed.runner.counts().quotes === 1 && feed.runner.counts().funding === 2, 'a quote and two funding records');
    expect(feed.data.find((d) => d.type === 'quote')).toMatchObject({ symbol: 'BTC-USDT', bid: 43000, bidSize: 0.795, ask: 43000.5, askSize: 0.284 });
    expect(feed.data.filter((d) => d.type === 'funding')).toMatchObject([
      { symbol: 'BTC-USDT', markPrice: 43002.25, indexPrice: 43001.5, time: 1551770400000 },
      { symbol: 'BTC-USDT', rate: 0.0001, time: 1551770460000 },
    ]);
    expect(feed.runner.counts().errors).toBe(0);
    expect(f.problems).toEqual([]);
  });

  it('without the contract list (REST down) trades are reported, not guessed, and the feed still runs', async () => {
    const f = await start('perp');
    const feed = run(f, ['BTC-USDT']);
    await waitFor(() => f.subscribers('XBTUSDTM') === 1, 'subscribed on the fallback name');
    f.pushTrade('XBTUSDTM', trade('buy', 43000, 25));
    await waitFor(() => feed.runner.counts().errors === 1, 'the unsized trade reported');
    expect(feed.trades()).toEqual([]);
    expect(feed.runner.health().lastError?.message).toContain('no contract multiplier for XBTUSDTM');
  });
});
