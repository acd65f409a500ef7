/**
 * Deribit end to end: FeedRunner + deribitAdapter against the fake Deribit (JSON-RPC) on loopback:
 * set_heartbeat and the test_request answers, inverse sizes, the liquidation flag, reconnects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import { deribitAdapter } from '../../../electron/core/adapters/deribit/venue';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import { searchInstruments } from '../../../electron/core/pipeline/instrument-search';
import type { FeedSink } from '../../../electron/core/runtime/feed';
import type { Channel, Funding, Liquidation, Quote } from '../../../shared/domain';
import { FakeDeribit } from '../../fakes/deribit';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3_000 };
const T0 = 1_733_200_000_000;

let fake: FakeDeribit;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

beforeEach(async () => {
  fake = await FakeDeribit.start();
});
afterEach(tearDown);

function run(symbols: string[], channels: Channel[], sink: FeedSink, o: { resolver?: SymbolResolver; adapter?: VenueAdapter } = {}) {
  return runFeed({
    config: { exchange: 'deribit', market: 'perp', symbols, channels, url: fake.url, restUrl: fake.restUrl },
    adapter: o.adapter ?? deribitAdapter, sink, tuning: TUNING, symbols: o.resolver,
  });
}
const trade = (id: string, price: number, amount: number, direction: string, extra: Record<string, unknown> = {}) =>
  ({ trade_id: id, trade_seq: Number(id), timestamp: T0 + Number(id), price, amount, direction, mark_price: price, index_price: price, ...extra });

describe('deribit via FeedRunner', () => {
  it('maps from get_instruments, subscribes after set_heartbeat, converts inverse sizes, feeds liquidations, quotes and funding', async () => {
    const resolver = await resolveSymbols({ adapter: deribitAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect([resolver.source, resolver.toNative('ETH27DEC24-USD'), resolver.toNative('BTC-USDC')]).toEqual(['rest', 'ETH-27DEC24', 'BTC_USDC-PERPETUAL']);
    // The feed editor's instrument search over the list: perpetuals and the dated future.
    expect(searchInstruments(resolver, null, 'btc')).toEqual({ symbols: ['BTC-USD', 'BTC-USDC'] });
    expect(searchInstruments(resolver, null, 'eth')).toEqual({ symbols: ['ETH27DEC24-USD'] });
    const c = collectFeed();
    const runner = run(['BTC-USD', 'BTC-USDC'], ['trades', 'quotes', 'liquidations', 'funding'], c.sink, { resolver });
    await waitFor(() => fake.subscribers('ticker.BTC_USDC-PERPETUAL.100ms') === 1, 'four channels');
    expect(fake.received[0]).toEqual([
      '{"jsonrpc":"2.0","id":1,"method":"public/set_heartbeat","params":{"interval":30}}',
      '{"jsonrpc":"2.0","id":100,"method":"public/subscribe","params":{"channels":["trades.BTC-PERPETUAL.100ms","ticker.BTC-PERPETUAL.100ms","trades.BTC_USDC-PERPETUAL.100ms","ticker.BTC_USDC-PERPETUAL.100ms"]}}',
    ]);

    fake.trades('BTC-PERPETUAL', [trade('1', 100_000, 25_000, 'buy'), trade('2', 99_990, 9_999, 'sell', { liquidation: 'T' })]);
    fake.trades('BTC_USDC-PERPETUAL', [trade('3', 100_010, 0.125, 'buy', { liquidation: 'M' })]);
    fake.ticker('BTC-PERPETUAL', { timestamp: T0 + 10, best_bid_price: 99_990, best_bid_amount: 49_995, best_ask_price: 100_000, best_ask_amount: 10_000, mark_price: 100_000, index_price: 99_980, funding_8h: 0.0001, current_funding: 0.00001, open_interest: 500_000_000 });
    await waitFor(() => c.trades().length === 3 && runner.counts().liquidations === 2 && runner.counts().quotes === 1 && runner.counts().funding === 1, 'trades, liquidations, a quote and funding');

    expect(c.trades().map((t) => [t.symbol, t.id, t.price, t.size, t.side])).toEqual([
      ['BTC-USD', '1', 100_000, 0.25, 'buy'],
      ['BTC-USD', '2', 99_990, 0.1, 'sell'],
      ['BTC-USDC', '3', 100_010, 0.125, 'buy'],
    ]);
    const liq = c.data.filter((d): d is Liquidation => d.type === 'liquidation');
    expect(liq.map((l) => [l.symbol, l.price, l.size, l.side])).toEqual([['BTC-USD', 99_990, 0.1, 'sell'], ['BTC-USDC', 100_010, 0.125, 'sell']]);
    const q = c.data.find((d): d is Quote => d.type === 'quote')!;
    expect([q.symbol, q.bid, q.bidSize, q.ask, q.askSize]).toEqual(['BTC-USD', 99_990, 0.5, 100_000, 0.1]);
    const f = c.data.find((d): d is Funding => d.type === 'funding')!;
    expect([f.symbol, f.rate, f.markPrice, f.indexPrice, f.openInterest]).toEqual(['BTC-USD', 0.0001, 100_000, 99_980, 5_000]);
    expect(runner.health()).toMatchObject({ state: 'live', errors: 0 });
    expect(fake.problems).toEqual([]);
  });

  it('answers every test_request with public/test, so the venue keeps the connection', async () => {
    fake.heartbeatMs = 100;
    // No keepalive of our own: only the answers to test_request may keep the connection.
    const answerOnly: VenueAdapter = { ...deribitAdapter, keepalive: { kind: 'none' } };
    const c = collectFeed();
    const runner = run(['BTC-USD'], ['trades'], c.sink, { adapter: answerOnly });
    await waitFor(() => fake.testRequestsSent >= 5, 'five test_requests');
    await waitFor(() => fake.tests >= 4, 'answers');
    expect([fake.unansweredCloses, fake.connections, runner.health().errors]).toEqual([0, 1, 0]);
    expect(fake.received[0]!.filter((m) => m.includes('public/test'))[0]).toBe('{"jsonrpc":"2.0","id":2,"method":"public/test","params":{}}');
    expect(fake.problems).toEqual([]);
  });

  it('reconnects and resubscribes (set_heartbeat again) after the server drops the connection', async () => {
    const c = collectFeed();
    run(['BTC-USD'], ['trades'], c.sink);
    await waitFor(() => fake.subscribers('trades.BTC-PERPETUAL.100ms') === 1, 'first subscription');
    fake.trades('BTC-PERPETUAL', [trade('1', 100_000, 10_000, 'buy')]);
    await waitFor(() => c.trades().length === 1, 'first trade');
    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('trades.BTC-PERPETUAL.100ms') === 1, 'resubscription');
    fake.trades('BTC-PERPETUAL', [trade('2', 100_100, 20_020, 'sell')]);
    await waitFor(() => c.trades().length === 2, 'trade after reconnect');
    expect(c.trades().map((t) => [t.id, t.side, t.size])).toEqual([['1', 'buy', 0.1], ['2', 'sell', 0.2]]);
    expect(fake.received[1]![0]).toContain('public/set_heartbeat');
    expect(c.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
  });

  it('an instrument Deribit does not subscribe is a venue error naming it, while the good one streams', async () => {
    const c = collectFeed();
    const runner = run(['BTC-USD', 'FOO-USD'], ['trades'], c.sink);
    await waitFor(() => runner.health().lastError !== null, 'the venue error');
    expect(runner.health().lastError).toMatchObject({ kind: 'venue', message: 'Deribit did not subscribe trades.FOO-PERPETUAL.100ms (unknown or expired instrument?)' });
    fake.trades('BTC-PERPETUAL', [trade('5', 100_000, 1_000, 'buy')]);
    await waitFor(() => c.trades().length === 1, 'the good trade');
    expect(runner.counts().errors).toBe(1);
  });

  it('backs off on 429, starts from the fallback mapping with REST down, and counts a malformed frame', async () => {
    fake.rejectUpgrades(1);
    fake.restDown = true;
    const resolver = await resolveSymbols({ adapter: deribitAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(resolver.source).toBe('fallback');
    const c = collectFeed();
    const runner = run(['ETH27DEC24-USD'], ['trades'], c.sink, { resolver });
    await waitFor(() => fake.subscribers('trades.ETH-27DEC24.100ms') === 1, 'subscribe after 429');
    expect(runner.health().lastError?.kind).toBe('rate-limit');
    fake.trades('ETH-27DEC24', [trade('7', 4_000, 400, 'sell')]);
    fake.sendRaw('{"jsonrpc":"2.0","method":"subscription","params":{"channel":"trades.ETH-27DEC24.100ms","data":[{"pr');
    fake.trades('ETH-27DEC24', [trade('8', 4_000, 800, 'buy')]);
    await waitFor(() => c.trades().length === 2, 'two trades');
    expect(c.trades().map((t) => [t.symbol, t.size, t.side])).toEqual([['ETH27DEC24-USD', 0.1, 'sell'], ['ETH27DEC24-USD', 0.2, 'buy']]);
    expect(runner.health().lastError?.kind).toBe('parse');
  });
});
