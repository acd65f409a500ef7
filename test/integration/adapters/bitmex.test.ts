/**
 * BitMEX end to end: FeedRunner + bitmexAdapter against the fake BitMEX server on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { bitmexAdapter } from '../../../electron/core/adapters/bitmex/venue';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import type { FeedRunner, FeedSink } from '../../../electron/core/runtime/feed';
import type { Channel } from '../../../shared/domain';
import { FakeBitmex } from '../../fakes/bitmex';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3_000 };

let fake: FakeBitmex;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

beforeEach(async () => {
  fake = await FakeBitmex.start();
});
afterEach(tearDown);

function run(opts: { symbols: string[]; channels: Channel[]; sink: FeedSink; symbolsResolver?: SymbolResolver; adapter?: VenueAdapter }): FeedRunner {
  return runFeed({
    config: { exchange: 'bitmex', market: 'perp', symbols: opts.symbols, channels: opts.channels, url: fake.url, restUrl: fake.restUrl },
    adapter: opts.adapter ?? bitmexAdapter, sink: opts.sink, tuning: TUNING, symbols: opts.symbolsResolver,
  });
}

const trade = (symbol: string, id: string, side: string, size: number, price: number, homeNotional: number, timestamp: string) =>
  ({ timestamp, symbol, side, size, price, tickDirection: 'PlusTick', trdMatchID: id, grossValue: 0, homeNotional, foreignNotional: size });

describe('bitmex via FeedRunner', () => {
  it('streams inserted trades only (the subscribe partial is not counted), XBT mapped to BTC via the REST list', async () => {
    const symbols = await resolveSymbols({ adapter: bitmexAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(symbols.source).toBe('rest');
    expect(symbols.symbols()).toEqual(['BTC-USD', 'BTC-USDT', 'ETH-USDT']);
    const c = collectFeed();
    const runner = run({ symbols: ['BTC-USD', 'ETH-USDT'], channels: ['trades'], sink: c.sink, symbolsResolver: symbols });
    await waitFor(() => fake.subscribers('trade:ETHUSDT') === 1, 'subscriptions');
    expect(fake.received[0]).toEqual(['{"op":"subscribe","args":["trade:XBTUSD"]}', '{"op":"subscribe","args":["trade:ETHUSDT"]}']);

    fake.push('trade', 'XBTUSD', 'insert', [
      trade('XBTUSD', 't1', 'Sell', 2100, 8479.5, 0.247653, '2020-01-24T15:30:29.366Z'),
      trade('XBTUSD', 't2', 'Buy', 800, 8480, 0.09433962, '2020-01-24T15:30:29.400Z'),
    ]);
    fake.push('trade', 'ETHUSDT', 'insert', [trade('ETHUSDT', 't3', 'Buy', 30000, 160.5, 3, '2020-01-24T15:30:29.500Z')]);
    await waitFor(() => c.trades().length === 3, 'three trades');
    expect(c.trades().map((t) => [t.symbol, t.id, t.side, t.size, t.price])).toEqual([
      ['BTC-USD', 't1', 'sell', 0.247653, 8479.5],
      ['BTC-USD', 't2', 'buy', 0.09433962, 8480],
      ['ETH-USDT', 't3', 'buy', 3, 160.5],
    ]);
    expect(runner.counts().trades).toBe(3);
    expect(runner.counts().errors).toBe(0);
    expect(runner.health().state).toBe('live');
    expect(fake.problems).toEqual([]);
  });

  it('sizes quotes and liquidations from the instrument row and gives funding and mark', async () => {
    const c = collectFeed();
    const runner = run({ symbols: ['BTC-USD'], channels: ['trades', 'quotes', 'liquidations', 'funding'], sink: c.sink });
    await waitFor(() => fake.subscribers('liquidation:XBTUSD') === 1 && runner.counts().funding === 1, 'subscriptions and the instrument partial');
    expect(fake.received[0]).toEqual(['{"op":"subscribe","args":["instrument:XBTUSD","trade:XBTUSD","quote:XBTUSD","liquidation:XBTUSD"]}']);

    fake.push('quote', 'XBTUSD', 'insert', [{ timestamp: '2020-01-24T15:30:29.400Z', symbol: 'XBTUSD', bidSize: 16000, bidPrice: 8000, askPrice: 8000.5, askSize: 8000.5 }]);
    fake.push('liquidation', 'XBTUSD', 'insert', [{ orderID: 'o1', symbol: 'XBTUSD', side: 'Buy', price: 8100, leavesQty: 4050 }]);
    fake.push('liquidation', 'XBTUSD', 'update', [{ orderID: 'o1', symbol: 'XBTUSD', leavesQty: 2000 }]);
    fake.push('instrument', 'XBTUSD', 'update', [{ symbol: 'XBTUSD', fundingRate: -0.0002, markPrice: 8001, timestamp: '2020-01-24T15:30:31.000Z' }]);
    await waitFor(() => runner.counts().funding === 2 && runner.counts().liquidations === 1 && runner.counts().quotes === 1, 'quote, liquidation, funding');

    expect(c.data.find((d) => d.type === 'quote')).toMatchObject({ symbol: 'BTC-USD', bid: 8000, bidSize: 2, ask: 8000.5, askSize: 1 });
    expect(c.data.filter((d) => d.type === 'liquidation')).toMatchObject([{ symbol: 'BTC-USD', price: 8100, size: 0.5, side: 'buy' }]);
    expect(c.data.filter((d) => d.type === 'funding').at(-1)).toMatchObject({
      symbol: 'BTC-USD', rate: -0.0002, markPrice: 8001, nextFundingTime: Date.parse('2020-01-24T20:00:00.000Z'), time: Date.parse('2020-01-24T15:30:31.000Z'),
    });
    // The trade partial on subscribe (one recent trade) never became a trade.
    expect(runner.counts().trades).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('shows BitMEX\'s own error text for an unknown symbol while the good one streams', async () => {
    const c = collectFeed();
    const runner = run({ symbols: ['BTC-USD', 'FOO-USD'], channels: ['trades'], sink: c.sink });
    await waitFor(() => runner.health().lastError !== null, 'the venue error');
    expect(runner.health().lastError).toMatchObject({ kind: 'venue', message: 'BitMEX error 400: Unknown or expired symbol. (trade:FOOUSD)' });
    await waitFor(() => fake.subscribers('trade:XBTUSD') === 1, 'the good subscription');
    fake.push('trade', 'XBTUSD', 'insert', [trade('XBTUSD', 'g', 'Buy', 100, 8000, 0.0125, '2020-01-24T15:30:29.366Z')]);
    await waitFor(() => c.trades().length === 1, 'the good trade');
    expect(runner.counts().errors).toBe(1);
  });

  it('reconnects and resubscribes after the server drops the connection, marking the gap', async () => {
    const c = collectFeed();
    run({ symbols: ['BTC-USD'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('trade:XBTUSD') === 1, 'first subscription');
    fake.push('trade', 'XBTUSD', 'insert', [trade('XBTUSD', '1', 'Buy', 100, 8000, 0.0125, '2020-01-24T15:30:29.366Z')]);
    await waitFor(() => c.trades().length === 1, 'first trade');

    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('trade:XBTUSD') === 1, 'resubscription');
    fake.push('trade', 'XBTUSD', 'insert', [trade('XBTUSD', '2', 'Sell', 200, 8001, 0.025, '2020-01-24T15:30:30.366Z')]);
    await waitFor(() => c.trades().length === 2, 'trade after reconnect');
    // The second partial (the same recent trade again) is not counted either.
    expect(c.tradeIds()).toEqual(['1', '2']);
    expect(fake.received[1]).toEqual(['{"op":"subscribe","args":["trade:XBTUSD"]}']);
    expect(c.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
  });

  it('keeps the link with text ping / pong, and reconnects when pongs stop', async () => {
    const c = collectFeed();
    const fast: VenueAdapter = { ...bitmexAdapter, keepalive: { kind: 'text', intervalMs: 100, message: 'ping' } };
    const runner = run({ symbols: ['BTC-USD'], channels: ['trades'], sink: c.sink, adapter: fast });
    await waitFor(() => fake.pings >= 5, 'five pings');
    expect(fake.connections).toBe(1);
    expect(runner.counts().errors).toBe(0);

    fake.answerPings = false;
    await waitFor(() => fake.connections === 2, 'a new connection after the silence');
    expect(runner.health().lastError).toMatchObject({ kind: 'timeout' });
    expect(fake.problems).toEqual([]);
  });

  it('backs off on HTTP 429 at the upgrade and then connects', async () => {
    fake.rejectUpgrades(2);
    const c = collectFeed();
    const runner = run({ symbols: ['BTC-USD'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('trade:XBTUSD') === 1, 'subscription after 429s');
    expect(c.statuses.filter((s) => s.state === 'backoff').length).toBe(2);
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit' });
  });

  it('starts with the fallback mapping (XBT for BTC) when REST is down, and counts a malformed frame', async () => {
    fake.restDown = true;
    const symbols = await resolveSymbols({ adapter: bitmexAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(symbols.source).toBe('fallback');
    const c = collectFeed();
    const runner = run({ symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink, symbolsResolver: symbols });
    await waitFor(() => fake.subscribers('trade:XBTUSDT') === 1, 'subscription');
    fake.push('trade', 'XBTUSDT', 'insert', [trade('XBTUSDT', 'a', 'Buy', 1000, 8000, 0.001, '2020-01-24T15:30:29.366Z')]);
    fake.sendRaw('trade:XBTUSDT', '{"table":"trade","action":"insert","data":[{"symbol"');
    fake.push('trade', 'XBTUSDT', 'insert', [trade('XBTUSDT', 'b', 'Sell', 2000, 8000, 0.002, '2020-01-24T15:30:29.367Z')]);
    await waitFor(() => c.trades().length === 2, 'two trades');
    expect(c.trades().map((t) => [t.symbol, t.id, t.size])).toEqual([['BTC-USDT', 'a', 0.001], ['BTC-USDT', 'b', 0.002]]);
    // The unavailable instrument list is counted once for the feed, the malformed frame once.
    expect(runner.counts().errors).toBe(2);
    expect(runner.health().lastError).toMatchObject({ kind: 'parse', message: 'BitMEX: malformed JSON frame' });
  });
});
