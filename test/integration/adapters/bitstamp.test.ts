import { afterEach, describe, expect, it } from 'vitest';
import type { Quote } from '../../../shared/domain';
import { bitstampAdapter } from '../../../electron/core/adapters/bitstamp/venue';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import { feedHarness } from '../../helpers/feed-harness';
import { FakeBitstamp } from '../../fakes/bitstamp';

const tuning = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 2_000 };

let fake: FakeBitstamp;
const { runCollectedFeed, waitFor, tearDown } = feedHarness(() => fake);
afterEach(tearDown);

function run(symbols: string[], opts: { resolver?: SymbolResolver; channels?: ('trades' | 'quotes')[]; adapter?: VenueAdapter } = {}) {
  return runCollectedFeed({
    config: { exchange: 'bitstamp', market: 'spot', symbols, channels: opts.channels ?? ['trades'], url: fake.url, restUrl: fake.restUrl },
    adapter: opts.adapter ?? bitstampAdapter, tuning, symbols: opts.resolver,
  });
}

describe('bitstamp against a fake v2 server', () => {
  it('subscribes one channel per message and delivers exact trades and top-of-book quotes', async () => {
    fake = await FakeBitstamp.start();
    const resolver = await resolveSymbols({ adapter: bitstampAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null });
    expect(resolver.source).toBe('rest');
    const feed = run(['BTC-USD', 'ETH-EUR'], { resolver, channels: ['trades', 'quotes'] });
    await waitFor(() => fake.subscribers('order_book_etheur') === 1, 'subscriptions');
    expect(fake.received[0]).toEqual([
      '{"event":"bts:subscribe","data":{"channel":"live_trades_btcusd"}}',
      '{"event":"bts:subscribe","data":{"channel":"order_book_btcusd"}}',
      '{"event":"bts:subscribe","data":{"channel":"live_trades_etheur"}}',
      '{"event":"bts:subscribe","data":{"channel":"order_book_etheur"}}',
    ]);
    fake.pushTrade('btcusd', { id: 216000477, microtimestamp: '1641343699596123', amount_str: '0.07920000', price_str: '46805.44', type: 0 });
    fake.pushTrade('etheur', { id: 216000484, microtimestamp: '1641343709599000', amount_str: '0.93100000', price_str: '3302.9', type: 1 });
    fake.pushBook('btcusd', '1641343691244908', [['46805.00', '0.50000000'], ['46804.00', '2.00000000']], [['46806.00', '1.25000000']]);
    // Only a deeper level changed: no new quote.
    fake.pushBook('btcusd', '1641343691300000', [['46805.00', '0.50000000'], ['46803.00', '9.00000000']], [['46806.00', '1.25000000']]);
    fake.pushBook('btcusd', '1641343691400000', [['46805.00', '0.40000000']], [['46806.00', '1.25000000']]);
    await waitFor(() => feed.trades().length === 2 && feed.data.filter((d) => d.type === 'quote').length === 2, 'data');

    expect(feed.trades().map(({ receivedAt: _r, ...rest }) => rest)).toEqual([
      { type: 'trade', exchange: 'bitstamp', market: 'spot', symbol: 'BTC-USD', price: 46805.44, size: 0.0792, side: 'buy', time: 1641343699596.123, id: '216000477' },
      { type: 'trade', exchange: 'bitstamp', market: 'spot', symbol: 'ETH-EUR', price: 3302.9, size: 0.931, side: 'sell', time: 1641343709599, id: '216000484' },
    ]);
    const quotes = feed.data.filter((d): d is Quote => d.type === 'quote');
    expect(quotes.map((q) => [q.symbol, q.bid, q.bidSize, q.ask, q.askSize, q.time])).toEqual([
      ['BTC-USD', 46805, 0.5, 46806, 1.25, 1641343691244.908],
      ['BTC-USD', 46805, 0.4, 46806, 1.25, 1641343691400],
    ]);
    expect(feed.runner.health()).toMatchObject({ state: 'live', errors: 0 });
    expect(fake.problems).toEqual([]);
  });

  it('keeps the connection alive with client bts:heartbeat', async () => {
    fake = await FakeBitstamp.start();
    const fast: VenueAdapter = { ...bitstampAdapter, keepalive: { kind: 'text', intervalMs: 100, message: '{"event":"bts:heartbeat"}' } };
    const feed = run(['BTC-USD'], { adapter: fast });
    await waitFor(() => fake.heartbeats >= 3, 'three heartbeats');
    expect(feed.runner.health().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('shows Bitstamp’s error for an unknown pair in the feed health', async () => {
    fake = await FakeBitstamp.start();
    const feed = run(['FOO-USD']);
    await waitFor(() => feed.runner.health().lastError !== null, 'an error');
    expect(feed.runner.health().lastError).toMatchObject({ kind: 'venue', message: 'Bitstamp error: Invalid channel provided.', cause: 'Invalid channel provided.' });
  });

  it('on bts:request_reconnect opens a new connection first and delivers each trade once', async () => {
    fake = await FakeBitstamp.start();
    const feed = run(['BTC-USD']);
    await waitFor(() => fake.subscribers('live_trades_btcusd') === 1, 'subscribe');
    fake.requestReconnect();
    await waitFor(() => fake.subscribers('live_trades_btcusd') === 2, 'second connection subscribed');
    // Both connections carry this trade; the feed must show it once.
    fake.pushTrade('btcusd', { id: 7, microtimestamp: '1641343699000001', amount_str: '1.00000000', price_str: '46800.00', type: 1 });
    await waitFor(() => feed.trades().length === 1 && fake.openConnections === 1, 'rotation done');
    fake.pushTrade('btcusd', { id: 8, microtimestamp: '1641343699000002', amount_str: '2.00000000', price_str: '46801.00', type: 0 });
    await waitFor(() => feed.trades().length === 2, 'trade on the new connection');
    expect(feed.trades().map((t) => [t.id, t.side])).toEqual([['7', 'sell'], ['8', 'buy']]);
    const h = feed.runner.health();
    expect([h.notices, h.errors]).toEqual([1, 0]);
    expect(feed.gaps).toEqual([]);
  });

  it('reconnects and resubscribes after the server drops the connection', async () => {
    fake = await FakeBitstamp.start();
    const feed = run(['BTC-USD']);
    await waitFor(() => fake.subscribers('live_trades_btcusd') === 1, 'subscribe');
    fake.pushTrade('btcusd', { id: 1, microtimestamp: '1641343699000001', amount_str: '1', price_str: '46800', type: 0 });
    await waitFor(() => feed.trades().length === 1, 'first trade');
    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('live_trades_btcusd') === 1, 'resubscribe');
    expect(fake.received[1]).toEqual(fake.received[0]);
    fake.pushTrade('btcusd', { id: 2, microtimestamp: '1641343699000002', amount_str: '1', price_str: '46801', type: 1 });
    await waitFor(() => feed.trades().length === 2, 'second trade');
    expect(feed.runner.health().reconnects).toBe(1);
  });

  it('backs off on HTTP 429 and then connects', async () => {
    fake = await FakeBitstamp.start();
    fake.rejectUpgrades(1);
    const feed = run(['BTC-USD']);
    await waitFor(() => fake.subscribers('live_trades_btcusd') === 1, 'subscribe after 429');
    expect(feed.runner.health().lastError?.kind).toBe('rate-limit');
  });

  it('starts from the fallback mapping when REST is down', async () => {
    fake = await FakeBitstamp.start();
    fake.restDown = true;
    const resolver = await resolveSymbols({ adapter: bitstampAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('fallback');
    const feed = run(['ETH-EUR'], { resolver });
    await waitFor(() => fake.subscribers('live_trades_etheur') === 1, 'subscribe');
    fake.pushTrade('etheur', { id: 3, microtimestamp: '1641343699000003', amount_str: '0.5', price_str: '3300.1', type: 0 });
    await waitFor(() => feed.trades().length === 1, 'trade');
    expect(feed.trades()[0]).toMatchObject({ symbol: 'ETH-EUR', price: 3300.1, size: 0.5, side: 'buy', id: '3' });
  });

  it('counts a malformed frame and delivers the good trades around it', async () => {
    fake = await FakeBitstamp.start();
    const feed = run(['BTC-USD']);
    await waitFor(() => fake.subscribers('live_trades_btcusd') === 1, 'subscribe');
    fake.pushTrade('btcusd', { id: 1, microtimestamp: '1641343699000001', amount_str: '1', price_str: '46800', type: 0 });
    fake.sendRaw('{"data":{"id":2,"amount_str":"1.0"');
    fake.pushTrade('btcusd', { id: 3, microtimestamp: '1641343699000003', amount_str: '2', price_str: '46802', type: 1 });
    await waitFor(() => feed.trades().length === 2, 'two trades');
    expect(feed.trades().map((t) => t.id)).toEqual(['1', '3']);
    expect([feed.runner.health().errors, feed.runner.health().lastError?.kind]).toEqual([1, 'parse']);
  });
});
