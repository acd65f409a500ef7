/**
 * Hyperliquid end to end: FeedRunner + hyperliquidAdapter against the fake Hyperliquid server on
 * loopback (instrument list by POST /info, one subscribe per coin, the subscribe snapshot, pings).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { hyperliquidAdapter } from '../../../electron/core/adapters/hyperliquid/venue';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import { searchInstruments } from '../../../electron/core/pipeline/instrument-search';
import type { FeedSink } from '../../../electron/core/runtime/feed';
import type { Channel, Funding, MarketType, Quote } from '../../../shared/domain';
import { FakeHyperliquid } from '../../fakes/hyperliquid';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3_000 };
const T0 = 1_733_200_000_000;

let fake: FakeHyperliquid;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

beforeEach(async () => {
  fake = await FakeHyperliquid.start();
});
afterEach(tearDown);

interface RunOptions { market?: MarketType; resolver?: SymbolResolver; adapter?: VenueAdapter }
function run(symbols: string[], channels: Channel[], sink: FeedSink, o: RunOptions = {}) {
  return runFeed({
    config: { exchange: 'hyperliquid', market: o.market ?? 'perp', symbols, channels, url: fake.url, restUrl: fake.restUrl },
    adapter: o.adapter ?? hyperliquidAdapter, sink, tuning: TUNING, symbols: o.resolver,
  });
}
const resolve = (market: MarketType) => resolveSymbols({ adapter: hyperliquidAdapter, market, restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });

describe('hyperliquid via FeedRunner', () => {
  it('maps from meta (POST), subscribes once per coin and type, skips the snapshot, streams trades, bbo and funding', async () => {
    // Trades before we connect: the venue sends them back as the subscribe snapshot.
    fake.trades('BTC', [{ coin: 'BTC', side: 'B', px: '97000.0', sz: '0.5', time: T0 - 2_000, tid: 1 }, { coin: 'BTC', side: 'A', px: '96999.0', sz: '1.5', time: T0 - 1_000, tid: 2 }]);
    const resolver = await resolve('perp');
    expect([resolver.source, resolver.toNative('1000PEPE-USDC')]).toEqual(['rest', 'kPEPE']);
    expect(searchInstruments(resolver, null, 'pepe')).toEqual({ symbols: ['1000PEPE-USDC'] });
    expect(fake.infoRequests).toEqual([{ type: 'meta' }]);
    const c = collectFeed();
    const runner = run(['BTC-USDC', '1000PEPE-USDC'], ['trades', 'quotes', 'funding'], c.sink, { resolver });
    await waitFor(() => fake.subscribers('activeAssetCtx', 'kPEPE') === 1, 'six subscriptions');
    expect(fake.received[0]).toEqual([
      '{"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}',
      '{"method":"subscribe","subscription":{"type":"bbo","coin":"BTC"}}',
      '{"method":"subscribe","subscription":{"type":"activeAssetCtx","coin":"BTC"}}',
      '{"method":"subscribe","subscription":{"type":"trades","coin":"kPEPE"}}',
      '{"method":"subscribe","subscription":{"type":"bbo","coin":"kPEPE"}}',
      '{"method":"subscribe","subscription":{"type":"activeAssetCtx","coin":"kPEPE"}}',
    ]);

    fake.trades('BTC', [{ coin: 'BTC', side: 'B', px: '97001.5', sz: '0.25', time: T0, tid: 3 }, { coin: 'BTC', side: 'A', px: '97000.5', sz: '0.1', time: T0 + 1, tid: 4 }]);
    fake.trades('kPEPE', [{ coin: 'kPEPE', side: 'A', px: '0.0191', sz: '12000', time: T0 + 2, tid: 5 }]);
    fake.bbo('BTC', ['97000.0', '2.5'], ['97001.0', '1.75'], T0 + 3);
    fake.assetCtx('BTC', { funding: '0.0000125', markPx: '97000.7', oraclePx: '96990.0', openInterest: '4321.5' });
    await waitFor(() => c.trades().length === 3 && runner.counts().quotes === 1 && runner.counts().funding === 1, 'three trades, a quote, funding');

    expect(c.trades().map((t) => [t.symbol, t.id, t.price, t.size, t.side, t.time])).toEqual([
      ['BTC-USDC', '3', 97001.5, 0.25, 'buy', T0],
      ['BTC-USDC', '4', 97000.5, 0.1, 'sell', T0 + 1],
      ['1000PEPE-USDC', '5', 0.0191, 12000, 'sell', T0 + 2],
    ]);
    const q = c.data.find((d): d is Quote => d.type === 'quote')!;
    expect([q.symbol, q.bid, q.bidSize, q.ask, q.askSize, q.time]).toEqual(['BTC-USDC', 97000, 2.5, 97001, 1.75, T0 + 3]);
    const f = c.data.find((d): d is Funding => d.type === 'funding')!;
    expect([f.symbol, f.rate, f.markPrice, f.indexPrice, f.openInterest]).toEqual(['BTC-USDC', 0.0000125, 97000.7, 96990, 4321.5]);
    expect(runner.counts().trades).toBe(3);
    expect(runner.health()).toMatchObject({ state: 'live', errors: 0 });
    expect(fake.problems).toEqual([]);
  });

  it('reconnects after a drop and resubscribes; the new snapshot (holding trades already shown) is not counted again', async () => {
    const c = collectFeed();
    run(['BTC-USDC'], ['trades'], c.sink);
    await waitFor(() => fake.subscribers('trades', 'BTC') === 1, 'first subscription');
    fake.trades('BTC', [{ coin: 'BTC', side: 'B', px: '97000', sz: '1', time: T0, tid: 10 }]);
    await waitFor(() => c.trades().length === 1, 'first trade');

    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('trades', 'BTC') === 1, 'resubscription');
    fake.trades('BTC', [{ coin: 'BTC', side: 'A', px: '96990', sz: '2', time: T0 + 5_000, tid: 11 }]);
    await waitFor(() => c.trades().length >= 2, 'trade after reconnect');

    expect(c.trades().map((t) => [t.id, t.side, t.size])).toEqual([['10', 'buy', 1], ['11', 'sell', 2]]);
    expect(fake.received[1]).toEqual(['{"method":"subscribe","subscription":{"type":"trades","coin":"BTC"}}']);
    expect(c.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
    expect(fake.problems).toEqual([]);
  });

  it('{"method":"ping"} keeps the connection past the venue silence cut', async () => {
    fake.silenceLimitMs = 400;
    const fast: VenueAdapter = { ...hyperliquidAdapter, keepalive: { kind: 'text', intervalMs: 100, message: '{"method":"ping"}' } };
    const c = collectFeed();
    const runner = run(['BTC-USDC'], ['trades'], c.sink, { adapter: fast });
    await waitFor(() => fake.pings >= 8, 'eight pings (past twice the silence limit)');
    expect([fake.connections, fake.silenceCloses, runner.health().errors, runner.health().reconnects]).toEqual([1, 0, 0, 0]);
  });

  it('without pings the venue closes the connection after its silence limit and the feed reconnects', async () => {
    fake.silenceLimitMs = 200;
    const silent: VenueAdapter = { ...hyperliquidAdapter, keepalive: { kind: 'none' } };
    const c = collectFeed();
    run(['BTC-USDC'], ['trades'], c.sink, { adapter: silent });
    await waitFor(() => fake.silenceCloses >= 1 && fake.connections >= 2, 'a silence close and a reconnect');
  });

  it('shows Hyperliquid\'s error for an unknown coin while the good one streams', async () => {
    const c = collectFeed();
    const runner = run(['BTC-USDC', 'FOO-USDC'], ['trades'], c.sink);
    await waitFor(() => runner.health().lastError !== null, 'the venue error');
    expect(runner.health().lastError).toMatchObject({ kind: 'venue', message: 'Hyperliquid error: Invalid subscription {"type":"trades","coin":"FOO"}' });
    fake.trades('BTC', [{ coin: 'BTC', side: 'B', px: '97000', sz: '1', time: T0, tid: 20 }]);
    await waitFor(() => c.trades().length === 1, 'the good trade');
    expect(runner.counts().errors).toBe(1);
  });

  it('spot: @107 is mapped from spotMeta (POST) and a malformed frame between good ones is counted', async () => {
    const resolver = await resolve('spot');
    expect([resolver.source, resolver.toNative('HYPE-USDC')]).toEqual(['rest', '@107']);
    expect(fake.infoRequests).toEqual([{ type: 'spotMeta' }]);
    // The feed editor's instrument search finds the spot pair by its tokens, not by `@107`.
    expect(searchInstruments(resolver, null, 'hype')).toEqual({ symbols: ['HYPE-USDC'] });
    const c = collectFeed();
    const runner = run(['HYPE-USDC'], ['trades'], c.sink, { market: 'spot', resolver });
    await waitFor(() => fake.subscribers('trades', '@107') === 1, 'subscription');
    fake.trades('@107', [{ coin: '@107', side: 'B', px: '31.2', sz: '3', time: T0, tid: 30 }]);
    fake.sendRaw('{"channel":"trades","data":[{"coin":"@107"');
    fake.trades('@107', [{ coin: '@107', side: 'A', px: '31.1', sz: '4', time: T0 + 1, tid: 31 }]);
    await waitFor(() => c.trades().length === 2, 'two trades');
    expect(c.trades().map((t) => [t.symbol, t.id, t.side])).toEqual([['HYPE-USDC', '30', 'buy'], ['HYPE-USDC', '31', 'sell']]);
    expect([runner.health().errors, runner.health().lastError?.kind]).toEqual([1, 'parse']);
  });

  it('backs off on HTTP 429 and connects; with REST down the fallback mapping still starts the perp feed', async () => {
    fake.rejectUpgrades(1);
    fake.restDown = true;
    const resolver = await resolve('perp');
    expect(resolver.source).toBe('fallback');
    const c = collectFeed();
    const runner = run(['1000PEPE-USDC'], ['trades'], c.sink, { resolver });
    await waitFor(() => fake.subscribers('trades', 'kPEPE') === 1, 'subscribe after 429');
    expect(runner.health().lastError?.kind).toBe('rate-limit');
    fake.trades('kPEPE', [{ coin: 'kPEPE', side: 'B', px: '0.019', sz: '100', time: T0, tid: 40 }]);
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(c.trades()[0]).toMatchObject({ symbol: '1000PEPE-USDC', size: 100 });
  });
});
