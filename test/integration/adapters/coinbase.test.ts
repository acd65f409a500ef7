import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Quote } from '../../../shared/domain';
import { coinbaseAdapter } from '../../../electron/core/adapters/coinbase/venue';
import type { SymbolResolver } from '../../../electron/core/adapters/adapter';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import { feedHarness } from '../../helpers/feed-harness';
import { FakeCoinbase, type FakeTrade } from '../../fakes/coinbase';

const T0 = Date.UTC(2026, 7, 9, 21, 5, 0);
const tuning = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 2_000 };

let fake: FakeCoinbase;
const { runCollectedFeed, waitFor, tearDown } = feedHarness(() => fake);
afterEach(tearDown);

function run(symbols: string[], resolver?: SymbolResolver, channels: ('trades' | 'quotes')[] = ['trades', 'quotes']) {
  return runCollectedFeed({
    config: { exchange: 'coinbase', market: 'spot', symbols, channels, url: fake.url, restUrl: fake.restUrl },
    adapter: coinbaseAdapter, tuning, symbols: resolver,
  });
}

const t = (id: number, price: string, size: string, ms: number, side: 'BUY' | 'SELL', product = 'BTC-USD'): FakeTrade =>
  ({ product_id: product, trade_id: String(id), price, size, time: T0 + ms, side });

describe('coinbase against a fake Advanced Trade server', () => {
  it('subscribes per channel, skips the snapshot, and delivers exact trades and quotes', async () => {
    fake = await FakeCoinbase.start();
    fake.snapshotTrades = [t(1068572090, '65083.67', '0.002186', 42_514.318, 'SELL'), t(1068572089, '65083.67', '0.00064389', 41_139.922, 'SELL')];
    const resolver = await resolveSymbols({ adapter: coinbaseAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null });
    expect(resolver.source).toBe('rest');
    const feed = run(['BTC-USD', 'ETH-USD'], resolver);
    await waitFor(() => fake.subscribers('heartbeats', 'ETH-USD') === 1, 'subscriptions');
    expect(fake.received[0]).toEqual([
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"market_trades"}',
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"ticker"}',
      '{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"heartbeats"}',
    ]);

    // One update repeating the newest snapshot trade plus two new ones, another for ETH.
    fake.pushTrades([
      t(1068572090, '65083.67', '0.002186', 42_514.318, 'SELL'),
      t(1068572091, '65083.67', '0.01034361', 48_167.634, 'SELL'),
      t(1068572092, '65083.66', '0.00007299', 48_504.36, 'BUY'),
    ]);
    fake.pushTrades([t(833140779, '1919.41', '0.5', 49_000.001, 'BUY', 'ETH-USD')]);
    fake.pushTicker('BTC-USD', '65083.66', '0.20371215', '65083.67', '0.15556334');
    await waitFor(() => feed.trades().length >= 3 && feed.data.some((d) => d.type === 'quote'), 'data');

    expect(feed.trades().map(({ receivedAt: _r, ...rest }) => rest)).toEqual([
      { type: 'trade', exchange: 'coinbase', market: 'spot', symbol: 'BTC-USD', price: 65083.67, size: 0.01034361, side: 'buy', time: T0 + 48_167.634, id: '1068572091' },
      { type: 'trade', exchange: 'coinbase', market: 'spot', symbol: 'BTC-USD', price: 65083.66, size: 0.00007299, side: 'sell', time: T0 + 48_504.36, id: '1068572092' },
      { type: 'trade', exchange: 'coinbase', market: 'spot', symbol: 'ETH-USD', price: 1919.41, size: 0.5, side: 'sell', time: T0 + 49_000.001, id: '833140779' },
    ]);
    const quote = feed.data.find((d): d is Quote => d.type === 'quote')!;
    expect([quote.symbol, quote.bid, quote.bidSize, quote.ask, quote.askSize]).toEqual(['BTC-USD', 65083.66, 0.20371215, 65083.67, 0.15556334]);
    const h = feed.runner.health();
    expect([h.state, h.errors, h.connections]).toEqual(['live', 0, 1]);
    expect(fake.problems).toEqual([]);
    expect(fake.deadlineCloses).toBe(0);
  });

  it('fake venue: closes a connection that does not subscribe in time', async () => {
    fake = await FakeCoinbase.start();
    fake.subscribeDeadlineMs = 150;
    const ws = new WebSocket(fake.url);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1008);
    expect(fake.deadlineCloses).toBe(1);
  });

  it('shows the venue error for an unknown product in the feed health', async () => {
    fake = await FakeCoinbase.start();
    const feed = run(['FOO-USD'], undefined, ['trades']);
    await waitFor(() => feed.runner.health().lastError !== null, 'an error');
    expect(feed.runner.health().lastError).toMatchObject({ kind: 'venue', message: 'Coinbase error: failure to subscribe', cause: 'failure to subscribe' });
  });

  it('reconnects and resubscribes after the server drops the connection', async () => {
    fake = await FakeCoinbase.start();
    const feed = run(['BTC-USD'], undefined, ['trades']);
    await waitFor(() => fake.subscribers('market_trades', 'BTC-USD') === 1, 'subscribe');
    fake.pushTrades([t(1, '100', '1', 1, 'SELL')]);
    await waitFor(() => feed.trades().length === 1, 'first trade');
    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('market_trades', 'BTC-USD') === 1, 'resubscribe');
    expect(fake.received[1]).toEqual(fake.received[0]);
    fake.pushTrades([t(2, '101', '2', 2, 'BUY')]);
    await waitFor(() => feed.trades().length === 2, 'second trade');
    expect(feed.trades().map((x) => [x.id, x.price, x.side])).toEqual([['1', 100, 'buy'], ['2', 101, 'sell']]);
    expect(feed.runner.health().reconnects).toBe(1);
    await waitFor(() => feed.gaps.length === 2, 'gap end');
    expect(feed.gaps.map((g) => [g.phase, g.symbols])).toEqual([['start', ['BTC-USD']], ['end', ['BTC-USD']]]);
  });

  it('backs off on HTTP 429 and then connects', async () => {
    fake = await FakeCoinbase.start();
    fake.rejectUpgrades(2);
    const feed = run(['BTC-USD'], undefined, ['trades']);
    await waitFor(() => fake.subscribers('market_trades', 'BTC-USD') === 1, 'subscribe after 429s');
    expect(feed.statuses.some((s) => s.state === 'backoff' && /429/.test(s.cause ?? ''))).toBe(true);
    expect(feed.runner.health().errors).toBe(2);
    expect(feed.runner.health().lastError?.kind).toBe('rate-limit');
    fake.pushTrades([t(7, '100.5', '0.25', 3, 'SELL')]);
    await waitFor(() => feed.trades().length === 1, 'trade');
  });

  it('starts from the fallback mapping when REST is down', async () => {
    fake = await FakeCoinbase.start();
    fake.restDown = true;
    const resolver = await resolveSymbols({ adapter: coinbaseAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('fallback');
    const feed = run(['ETH-USD'], resolver, ['trades']);
    await waitFor(() => fake.subscribers('market_trades', 'ETH-USD') === 1, 'subscribe');
    fake.pushTrades([t(9, '1919.5', '3', 4, 'BUY', 'ETH-USD')]);
    await waitFor(() => feed.trades().length === 1, 'trade');
    expect(feed.trades()[0]).toMatchObject({ symbol: 'ETH-USD', price: 1919.5, size: 3, side: 'sell', id: '9' });
  });

  it('counts a malformed frame and delivers the good trades around it', async () => {
    fake = await FakeCoinbase.start();
    const feed = run(['BTC-USD'], undefined, ['trades']);
    await waitFor(() => fake.subscribers('market_trades', 'BTC-USD') === 1, 'subscribe');
    fake.pushTrades([t(1, '100', '1', 1, 'SELL')]);
    fake.sendRaw('{"channel":"market_trades","events":[{"type":"upd');
    fake.pushTrades([t(2, '100.5', '1', 2, 'SELL'), t(3, '101', '1', 3, 'BUY')]);
    await waitFor(() => feed.trades().length === 3, 'three trades');
    expect(feed.trades().map((x) => x.id)).toEqual(['1', '2', '3']);
    // The malformed frame consumed no sequence number, so it is the only error.
    expect(feed.runner.health().errors).toBe(1);
    expect(feed.runner.health().lastError).toMatchObject({ kind: 'parse' });
  });
});
