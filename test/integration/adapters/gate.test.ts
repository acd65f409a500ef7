/**
 * Gate end to end: FeedRunner + gateAdapter against the fake Gate server on loopback (spot and
 * USDT futures endpoints).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { gateAdapter } from '../../../electron/core/adapters/gate/venue';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import type { FeedRunner, FeedSink } from '../../../electron/core/runtime/feed';
import type { Channel, MarketType } from '../../../shared/domain';
import { FakeGate } from '../../fakes/gate';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3_000 };

let fake: FakeGate;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

beforeEach(async () => {
  fake = await FakeGate.start();
});
afterEach(tearDown);

function run(opts: { market: MarketType; symbols: string[]; channels: Channel[]; sink: FeedSink; symbolsResolver?: SymbolResolver; adapter?: VenueAdapter }): FeedRunner {
  const url = opts.market === 'perp' ? fake.futuresUrl : fake.spotUrl;
  return runFeed({
    config: { exchange: 'gate', market: opts.market, symbols: opts.symbols, channels: opts.channels, url, restUrl: fake.restUrl },
    adapter: opts.adapter ?? gateAdapter, sink: opts.sink, tuning: TUNING, symbols: opts.symbolsResolver,
  });
}
const resolve = (market: MarketType) => resolveSymbols({ adapter: gateAdapter, market, restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });

const spotTrade = (pair: string, id: number, side: string, amount: string, price: string, ms: string) =>
  ({ id, create_time: Math.floor(Number(ms) / 1000), create_time_ms: ms, side, currency_pair: pair, amount, price, range: `${id}-${id}` });
const futTrade = (contract: string, id: number, size: number, price: string, ms: number) =>
  ({ size, id, create_time: Math.floor(ms / 1000), create_time_ms: ms, price, contract });

describe('gate via FeedRunner', () => {
  it('streams spot trades (one object per update) and quotes, mapped through the REST pair list', async () => {
    const symbols = await resolve('spot');
    expect(symbols.symbols()).toEqual(['BTC-USDT', 'ETH-USDT']);
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades', 'quotes'], sink: c.sink, symbolsResolver: symbols });
    await waitFor(() => fake.subscribers('spot.book_ticker', 'ETH_USDT') === 1, 'subscriptions');
    expect(fake.received[0]!.map((m) => `${JSON.parse(m).channel} ${JSON.parse(m).payload[0]}`)).toEqual([
      'spot.trades BTC_USDT', 'spot.book_ticker BTC_USDT', 'spot.trades ETH_USDT', 'spot.book_ticker ETH_USDT',
    ]);
    expect(fake.badTimes).toBe(0);

    fake.push('spot.trades', 'BTC_USDT', spotTrade('BTC_USDT', 1, 'sell', '0.0125', '19177.8', '1606292218213.4578'));
    fake.push('spot.trades', 'ETH_USDT', spotTrade('ETH_USDT', 2, 'buy', '1.5', '600.1', '1606292218300.25'));
    fake.push('spot.book_ticker', 'BTC_USDT', { t: 1606293275123, u: 48733182, s: 'BTC_USDT', b: '19177.79', B: '0.5', a: '19179.38', A: '0.09' });
    await waitFor(() => c.trades().length === 2 && runner.counts().quotes === 1, 'two trades and a quote');
    expect(c.trades().map((t) => [t.symbol, t.id, t.side, t.size, t.price, t.time])).toEqual([
      ['BTC-USDT', '1', 'sell', 0.0125, 19177.8, 1606292218213.4578],
      ['ETH-USDT', '2', 'buy', 1.5, 600.1, 1606292218300.25],
    ]);
    expect(c.data.find((d) => d.type === 'quote')).toMatchObject({ symbol: 'BTC-USDT', bid: 19177.79, bidSize: 0.5, ask: 19179.38, askSize: 0.09 });
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('converts futures contracts with the REST quanto_multiplier: trades, liquidations, quotes, funding', async () => {
    fake.contractInfo = false; // sizes must come from the REST list alone
    const symbols = await resolve('perp');
    const c = collectFeed();
    const runner = run({ market: 'perp', symbols: ['BTC-USDT'], channels: ['trades', 'quotes', 'liquidations', 'funding'], sink: c.sink, symbolsResolver: symbols });
    await waitFor(() => fake.subscribers('futures.tickers', 'BTC_USDT') === 1, 'subscriptions');
    expect(fake.received[0]!.map((m) => JSON.parse(m).channel)).toEqual([
      'futures.contract_info', 'futures.trades', 'futures.book_ticker', 'futures.public_liquidates', 'futures.tickers',
    ]);

    fake.push('futures.trades', 'BTC_USDT', [futTrade('BTC_USDT', 10, -108, '96000.4', 1545136464123), futTrade('BTC_USDT', 11, 2500, '96000.5', 1545136464125)]);
    fake.push('futures.public_liquidates', 'BTC_USDT', [{ price: '95000', size: -1240, time: 1545136465000, contract: 'BTC_USDT' }]);
    fake.push('futures.book_ticker', 'BTC_USDT', { t: 1545136465100, u: 1, s: 'BTC_USDT', b: '96000.4', B: 37000, a: '96000.5', A: 100 });
    fake.push('futures.tickers', 'BTC_USDT', [{ contract: 'BTC_USDT', last: '96000.5', funding_rate: '0.0001', mark_price: '96001', index_price: '96002', total_size: '1000000' }]);
    await waitFor(() => runner.counts().trades === 2 && runner.counts().liquidations === 1 && runner.counts().quotes === 1 && runner.counts().funding === 1, 'futures events');

    expect(c.trades().map((t) => [t.symbol, t.id, t.side, t.size])).toEqual([['BTC-USDT', '10', 'sell', 0.0108], ['BTC-USDT', '11', 'buy', 0.25]]);
    expect(c.data.find((d) => d.type === 'liquidation')).toMatchObject({ symbol: 'BTC-USDT', price: 95000, size: 0.124, side: 'sell', time: 1545136465000 });
    expect(c.data.find((d) => d.type === 'quote')).toMatchObject({ bidSize: 3.7, askSize: 0.01 });
    expect(c.data.find((d) => d.type === 'funding')).toMatchObject({ rate: 0.0001, markPrice: 96001, indexPrice: 96002, openInterest: 100 });
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('sizes futures from futures.contract_info when REST is down (fallback mapping)', async () => {
    fake.restDown = true;
    const symbols = await resolve('perp');
    expect(symbols.source).toBe('fallback');
    const c = collectFeed();
    run({ market: 'perp', symbols: ['ETH-USDT'], channels: ['trades'], sink: c.sink, symbolsResolver: symbols });
    await waitFor(() => fake.subscribers('futures.trades', 'ETH_USDT') === 1, 'subscription');
    fake.push('futures.trades', 'ETH_USDT', [futTrade('ETH_USDT', 5, -30, '3000', 1545136464123)]);
    await waitFor(() => c.trades().length === 1, 'the trade');
    expect(c.trades()[0]).toMatchObject({ symbol: 'ETH-USDT', side: 'sell', size: 0.3 });
  });

  it('shows Gate\'s own error text for an unknown pair while the good one streams', async () => {
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT', 'FOO-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => runner.health().lastError !== null, 'the venue error');
    expect(runner.health().lastError).toMatchObject({ kind: 'venue', message: 'Gate error 2 on spot.trades subscribe: unknown currency pair FOO_USDT' });
    fake.push('spot.trades', 'BTC_USDT', spotTrade('BTC_USDT', 7, 'buy', '1', '19000', '1606292218213.5'));
    await waitFor(() => c.trades().length === 1, 'the good trade');
    expect(runner.counts().errors).toBe(1);
  });

  it('reconnects and resubscribes after a drop; a malformed frame between good ones is counted', async () => {
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('spot.trades', 'BTC_USDT') === 1, 'first subscription');
    fake.push('spot.trades', 'BTC_USDT', spotTrade('BTC_USDT', 1, 'buy', '1', '19000', '1606292218213.5'));
    fake.sendRaw('spot.trades', 'BTC_USDT', '{"channel":"spot.trades","event":"update","result":{"id"');
    await waitFor(() => c.trades().length === 1 && runner.counts().errors === 1, 'first trade and the bad frame');
    expect(runner.health().lastError).toMatchObject({ kind: 'parse', message: 'Gate: malformed JSON frame' });

    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('spot.trades', 'BTC_USDT') === 1, 'resubscription');
    fake.push('spot.trades', 'BTC_USDT', spotTrade('BTC_USDT', 2, 'sell', '2', '19001', '1606292219213.5'));
    await waitFor(() => c.trades().length === 2, 'trade after reconnect');
    expect(c.tradeIds()).toEqual(['1', '2']);
    expect(c.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
  });

  it('pings with futures.ping on the futures endpoint and is answered by futures.pong', async () => {
    const c = collectFeed();
    const ka = gateAdapter.keepalive;
    const fast: VenueAdapter = { ...gateAdapter, keepalive: { ...ka, intervalMs: 100 } as typeof ka };
    const runner = run({ market: 'perp', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink, adapter: fast });
    await waitFor(() => fake.pings >= 5, 'five pings');
    expect(fake.received[0]!.filter((m) => m.includes('"channel":"futures.ping"')).length).toBeGreaterThanOrEqual(5);
    expect(fake.badTimes).toBe(0);
    expect(fake.connections).toBe(1);
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('backs off on HTTP 429 at the upgrade and then connects', async () => {
    fake.rejectUpgrades(2);
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('spot.trades', 'BTC_USDT') === 1, 'subscription after 429s');
    expect(c.statuses.filter((s) => s.state === 'backoff').length).toBe(2);
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit' });
  });
});
