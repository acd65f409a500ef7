import { afterEach, describe, expect, it } from 'vitest';
import type { Quote } from '../../../shared/domain';
import { krakenAdapter } from '../../../electron/core/adapters/kraken/venue';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import { feedHarness } from '../../helpers/feed-harness';
import { FakeKraken, type KrakenTradeRow } from '../../fakes/kraken';

const tuning = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 2_000 };
const T0 = Date.UTC(2024, 6, 27, 21, 16, 0);

let fake: FakeKraken;
const { runCollectedFeed, waitFor, tearDown } = feedHarness(() => fake);
afterEach(tearDown);

function run(symbols: string[], opts: { resolver?: SymbolResolver; channels?: ('trades' | 'quotes')[]; adapter?: VenueAdapter } = {}) {
  return runCollectedFeed({
    config: { exchange: 'kraken', market: 'spot', symbols, channels: opts.channels ?? ['trades'], url: fake.url, restUrl: fake.restUrl },
    adapter: opts.adapter ?? krakenAdapter, tuning, symbols: opts.resolver,
  });
}

const row = (id: number, symbol: string, side: 'buy' | 'sell', price: number, qty: number, us: string): KrakenTradeRow =>
  ({ symbol, side, price, qty, trade_id: id, timestamp: `2024-07-27T21:16:${us}Z` });

describe('kraken against a fake WS v2 server', () => {
  it('maps XBT via AssetPairs, subscribes without snapshot, delivers exact trades and quotes', async () => {
    fake = await FakeKraken.start();
    fake.history = [row(72166030, 'BTC/USD', 'sell', 68579.9, 0.5, '00.000001')];
    const resolver = await resolveSymbols({ adapter: krakenAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null });
    expect([resolver.source, resolver.toNative('BTC-USD'), resolver.toCanonical('DOGE/USD')]).toEqual(['rest', 'BTC/USD', 'DOGE-USD']);
    const feed = run(['BTC-USD', 'DOGE-USD'], { resolver, channels: ['trades', 'quotes'] });
    await waitFor(() => fake.subscribers('ticker', 'DOGE/USD') === 1, 'subscriptions');
    expect(fake.received[0]).toEqual([
      '{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD","DOGE/USD"],"snapshot":false},"req_id":1}',
      '{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD","DOGE/USD"],"event_trigger":"bbo"},"req_id":2}',
    ]);
    fake.pushTrades([
      row(72166031, 'BTC/USD', 'buy', 68580, 0.14225864, '00.512060'),
      row(72166032, 'BTC/USD', 'buy', 68580.1, 0.01, '00.512060'),
      row(9622656, 'DOGE/USD', 'sell', 0.1234567, 1000, '01.5'),
    ]);
    fake.pushTicker('BTC/USD', 68580, 1.5, 68580.1, 0.25, '2024-07-27T21:16:02.000100Z');
    await waitFor(() => feed.trades().length === 3 && feed.data.filter((d) => d.type === 'quote').length === 3, 'data');

    expect(feed.trades().map(({ receivedAt: _r, ...rest }) => rest)).toEqual([
      { type: 'trade', exchange: 'kraken', market: 'spot', symbol: 'BTC-USD', price: 68580, size: 0.14225864, side: 'buy', time: T0 + 512.06, id: '72166031' },
      { type: 'trade', exchange: 'kraken', market: 'spot', symbol: 'BTC-USD', price: 68580.1, size: 0.01, side: 'buy', time: T0 + 512.06, id: '72166032' },
      { type: 'trade', exchange: 'kraken', market: 'spot', symbol: 'DOGE-USD', price: 0.1234567, size: 1000, side: 'sell', time: T0 + 1500, id: '9622656' },
    ]);
    // Two ticker snapshots on subscribe, then the update.
    const quotes = feed.data.filter((d): d is Quote => d.type === 'quote');
    expect(quotes.map((q) => [q.symbol, q.bid, q.bidSize, q.ask, q.askSize])).toEqual([
      ['BTC-USD', 65972.8, 0.1, 65972.9, 39.67506683],
      ['DOGE-USD', 65972.8, 0.1, 65972.9, 39.67506683],
      ['BTC-USD', 68580, 1.5, 68580.1, 0.25],
    ]);
    expect(quotes[2]!.time).toBe(T0 + 2000.1);
    expect(feed.runner.health()).toMatchObject({ state: 'live', errors: 0, notices: 0 });
    expect(fake.problems).toEqual([]);
  });

  it('keeps the connection alive with {"method":"ping"} answered by pongs', async () => {
    fake = await FakeKraken.start();
    const fastPing: VenueAdapter = { ...krakenAdapter, keepalive: { kind: 'text', intervalMs: 100, message: '{"method":"ping"}' } };
    const feed = run(['BTC-USD'], { adapter: fastPing });
    await waitFor(() => fake.pings >= 3, 'three pings');
    expect(fake.received[0]!.filter((m) => m === '{"method":"ping"}').length).toBe(fake.pings);
    expect(feed.runner.health().errors).toBe(0);
  });

  it('puts Kraken’s own message for an unknown pair into health, other pairs still trade', async () => {
    fake = await FakeKraken.start();
    const feed = run(['FOO-USD', 'BTC-USD']);
    await waitFor(() => feed.runner.health().lastError !== null && fake.subscribers('trade', 'BTC/USD') === 1, 'error ack');
    expect(feed.runner.health().lastError).toMatchObject({
      kind: 'venue',
      message: 'Kraken subscribe trade failed: Currency pair not supported FOO/USD',
      cause: 'Currency pair not supported FOO/USD',
    });
    fake.pushTrades([row(1, 'BTC/USD', 'sell', 68000, 1, '03.000001')]);
    await waitFor(() => feed.trades().length === 1, 'trade');
    expect(feed.runner.health().errors).toBe(1);
  });

  it('reconnects and resubscribes after the server drops the connection', async () => {
    fake = await FakeKraken.start();
    const feed = run(['BTC-USD']);
    await waitFor(() => fake.subscribers('trade', 'BTC/USD') === 1, 'subscribe');
    fake.pushTrades([row(1, 'BTC/USD', 'buy', 68000, 1, '01')]);
    await waitFor(() => feed.trades().length === 1, 'first trade');
    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('trade', 'BTC/USD') === 1, 'resubscribe');
    expect(fake.received[1]).toEqual(fake.received[0]);
    fake.pushTrades([row(2, 'BTC/USD', 'sell', 68001, 2, '02')]);
    await waitFor(() => feed.trades().length === 2, 'second trade');
    expect(feed.trades().map((x) => [x.id, x.side, x.time])).toEqual([['1', 'buy', T0 + 1000], ['2', 'sell', T0 + 2000]]);
    expect(feed.runner.health().reconnects).toBe(1);
  });

  it('backs off on HTTP 429 and then connects', async () => {
    fake = await FakeKraken.start();
    fake.rejectUpgrades(1);
    const feed = run(['BTC-USD']);
    await waitFor(() => fake.subscribers('trade', 'BTC/USD') === 1, 'subscribe after 429');
    expect(feed.runner.health().lastError?.kind).toBe('rate-limit');
    expect(fake.connections).toBe(1);
  });

  it('starts from the fallback mapping when REST is down', async () => {
    fake = await FakeKraken.start();
    fake.restDown = true;
    const resolver = await resolveSymbols({ adapter: krakenAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('fallback');
    const feed = run(['ETH-USD'], { resolver });
    await waitFor(() => fake.subscribers('trade', 'ETH/USD') === 1, 'subscribe');
    fake.pushTrades([row(5, 'ETH/USD', 'buy', 3400.5, 2, '05.25')]);
    await waitFor(() => feed.trades().length === 1, 'trade');
    expect(feed.trades()[0]).toMatchObject({ symbol: 'ETH-USD', price: 3400.5, size: 2, time: T0 + 5250 });
  });

  it('counts a malformed frame, shows the Cloudflare notice, and delivers the good trades', async () => {
    fake = await FakeKraken.start();
    const feed = run(['BTC-USD']);
    await waitFor(() => fake.subscribers('trade', 'BTC/USD') === 1, 'subscribe');
    fake.pushTrades([row(1, 'BTC/USD', 'buy', 68000, 1, '01')]);
    fake.sendRaw('{"channel":"trade","type":"update","data":[{"symbol"');
    fake.sendRaw('CloudFlare WebSocket proxy restarting');
    fake.pushTrades([row(2, 'BTC/USD', 'buy', 68000.5, 1, '02'), row(3, 'BTC/USD', 'sell', 67999, 0.5, '02')]);
    await waitFor(() => feed.trades().length === 3, 'three trades');
    expect(feed.trades().map((x) => x.id)).toEqual(['1', '2', '3']);
    const h = feed.runner.health();
    expect([h.errors, h.notices, h.lastError?.kind]).toEqual([1, 1, 'parse']);
    expect(feed.statuses.some((s) => s.cause === 'notice: Kraken: CloudFlare WebSocket proxy restarting')).toBe(true);
  });
});
