/**
 * OKX end to end: FeedRunner + okxAdapter against the fake OKX server on loopback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { okxAdapter } from '../../../electron/core/adapters/okx/venue';
import type { FeedRunner, FeedSink } from '../../../electron/core/runtime/feed';
import { resolveSymbols } from '../../../electron/core/instruments/resolve';
import type { SymbolResolver, VenueAdapter } from '../../../electron/core/adapters/adapter';
import type { Channel } from '../../../shared/domain';
import { FakeOkx } from '../../fakes/okx';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const TUNING = { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3_000 };

let fake: FakeOkx;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);

beforeEach(async () => {
  fake = await FakeOkx.start();
});
afterEach(tearDown);

function run(opts: {
  market: 'spot' | 'perp'; symbols: string[]; channels: Channel[]; sink: FeedSink;
  symbolsResolver?: SymbolResolver; adapter?: VenueAdapter;
}): FeedRunner {
  return runFeed({
    config: { exchange: 'okx', market: opts.market, symbols: opts.symbols, channels: opts.channels, url: fake.url, restUrl: fake.restUrl },
    adapter: opts.adapter ?? okxAdapter, sink: opts.sink, tuning: TUNING, symbols: opts.symbolsResolver,
  });
}

const trade = (instId: string, tradeId: string, px: string, sz: string, side: string, ts: string) =>
  ({ instId, tradeId, px, sz, side, ts });

describe('okx via FeedRunner', () => {
  it('streams spot trades and quotes, mapped through the REST instrument list', async () => {
    const symbols = await resolveSymbols({ adapter: okxAdapter, market: 'spot', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(symbols.source).toBe('rest');
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades', 'quotes'], sink: c.sink, symbolsResolver: symbols });
    await waitFor(() => fake.subscribers('tickers', 'ETH-USDT') === 1, 'subscriptions');
    expect(fake.received[0]).toEqual([JSON.stringify({ op: 'subscribe', args: [
      { channel: 'trades', instId: 'BTC-USDT' }, { channel: 'tickers', instId: 'BTC-USDT' },
      { channel: 'trades', instId: 'ETH-USDT' }, { channel: 'tickers', instId: 'ETH-USDT' },
    ] })]);

    fake.push('trades', 'BTC-USDT', [
      trade('BTC-USDT', '338476316', '30250.1', '0.00066996', 'sell', '1652459226753'),
      trade('BTC-USDT', '338476317', '30250.2', '0.5', 'buy', '1652459226765'),
    ]);
    fake.push('trades', 'ETH-USDT', [trade('ETH-USDT', '9001', '2000.5', '1.25', 'buy', '1652459226800')]);
    fake.push('tickers', 'BTC-USDT', [{ instType: 'SPOT', instId: 'BTC-USDT', last: '30250.2', askPx: '30250.3', askSz: '1.5', bidPx: '30250.1', bidSz: '0.25', ts: '1652459226900' }]);
    await waitFor(() => c.trades().length === 3 && runner.counts().quotes === 1, 'three trades and a quote');

    expect(c.trades().map((t) => [t.symbol, t.id, t.price, t.size, t.side, t.time])).toEqual([
      ['BTC-USDT', '338476316', 30250.1, 0.00066996, 'sell', 1652459226753],
      ['BTC-USDT', '338476317', 30250.2, 0.5, 'buy', 1652459226765],
      ['ETH-USDT', '9001', 2000.5, 1.25, 'buy', 1652459226800],
    ]);
    expect(c.data.find((d) => d.type === 'quote')).toMatchObject({ symbol: 'BTC-USDT', bid: 30250.1, bidSize: 0.25, ask: 30250.3, askSize: 1.5 });
    expect(runner.health().state).toBe('live');
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('converts perp contracts to base units for trades and liquidations, and merges funding, mark and open interest', async () => {
    const c = collectFeed();
    const runner = run({ market: 'perp', symbols: ['BTC-USDT'], channels: ['trades', 'liquidations', 'funding'], sink: c.sink });
    await waitFor(() => fake.subscribers('mark-price', 'BTC-USDT-SWAP') === 1, 'perp subscriptions');
    expect(fake.subscribers('instruments', 'SWAP')).toBe(1);
    expect(fake.subscribers('liquidation-orders', 'SWAP')).toBe(1);

    fake.push('trades', 'BTC-USDT-SWAP', [trade('BTC-USDT-SWAP', '555', '30000', '30', 'sell', '1652459230000')]);
    fake.push('liquidation-orders', 'SWAP', [
      { details: [{ bkLoss: '0', bkPx: '29500.5', ccy: '', posSide: 'long', side: 'sell', sz: '13', ts: '1652459230100' }], instFamily: 'BTC-USDT', instId: 'BTC-USDT-SWAP', instType: 'SWAP', uly: 'BTC-USDT' },
      { details: [{ bkLoss: '0', bkPx: '2.5', ccy: '', posSide: 'short', side: 'buy', sz: '4', ts: '1652459230100' }], instFamily: 'DOGE-USDT', instId: 'DOGE-USDT-SWAP', instType: 'SWAP', uly: 'DOGE-USDT' },
    ]);
    fake.push('funding-rate', 'BTC-USDT-SWAP', [{ instId: 'BTC-USDT-SWAP', instType: 'SWAP', fundingRate: '0.0001', fundingTime: '1652486400000', nextFundingTime: '1652515200000', ts: '1652459230200' }]);
    fake.push('mark-price', 'BTC-USDT-SWAP', [{ instId: 'BTC-USDT-SWAP', instType: 'SWAP', markPx: '30001.5', ts: '1652459230300' }]);
    expect(fake.subscribers('open-interest', 'BTC-USDT-SWAP')).toBe(1);
    fake.push('open-interest', 'BTC-USDT-SWAP', [{ instId: 'BTC-USDT-SWAP', instType: 'SWAP', oi: '2216113', oiCcy: '22161.13', oiUsd: '1939251795.5', ts: '1652459230300' }]);
    await waitFor(() => runner.counts().funding === 3 && runner.counts().liquidations === 1 && runner.counts().trades === 1, 'perp events');

    expect(c.trades()[0]).toMatchObject({ market: 'perp', symbol: 'BTC-USDT', price: 30000, size: 0.3, side: 'sell', id: '555' });
    expect(c.data.find((d) => d.type === 'liquidation')).toMatchObject({ symbol: 'BTC-USDT', price: 29500.5, size: 0.13, side: 'sell', time: 1652459230100 });
    expect(c.data.filter((d) => d.type === 'funding').at(-1)).toMatchObject({
      symbol: 'BTC-USDT', rate: 0.0001, nextFundingTime: 1652486400000, markPrice: 30001.5, openInterest: 22161.13, time: 1652459230300,
    });
    expect(fake.problems).toEqual([]);
  });

  it('shows OKX\'s own error text for an unknown instrument while the good one streams', async () => {
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT', 'FOO-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => runner.health().lastError !== null, 'the venue error');
    expect(runner.health().lastError).toMatchObject({
      kind: 'venue',
      message: "OKX error 60018: Wrong URL or channel:trades,instId:FOO-USDT doesn't exist. Please use the correct URL, channel and parameters referring to API document.",
    });
    fake.push('trades', 'BTC-USDT', [trade('BTC-USDT', '1', '30000', '1', 'buy', '1652459230000')]);
    await waitFor(() => c.trades().length === 1, 'the good trade');
    expect(runner.counts().errors).toBe(1);
  });

  it('reconnects and resubscribes after the server drops the connection, marking the gap', async () => {
    const c = collectFeed();
    run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('trades', 'BTC-USDT') === 1, 'first subscription');
    fake.push('trades', 'BTC-USDT', [trade('BTC-USDT', '1', '30000', '1', 'buy', '1652459230000')]);
    await waitFor(() => c.trades().length === 1, 'first trade');

    fake.dropAll();
    await waitFor(() => fake.connections === 2 && fake.subscribers('trades', 'BTC-USDT') === 1, 'resubscription');
    fake.push('trades', 'BTC-USDT', [trade('BTC-USDT', '2', '30001', '2', 'sell', '1652459231000')]);
    await waitFor(() => c.trades().length === 2, 'trade after reconnect');

    expect(c.trades().map((t) => t.id)).toEqual(['1', '2']);
    expect(fake.received[1]).toEqual(['{"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"}]}']);
    expect(c.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
    expect(c.gaps[0]!.symbols).toEqual(['BTC-USDT']);
  });

  it('backs off on HTTP 429 at the upgrade and then connects', async () => {
    fake.rejectUpgrades(2);
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('trades', 'BTC-USDT') === 1, 'subscription after 429s');
    fake.push('trades', 'BTC-USDT', [trade('BTC-USDT', '7', '30000', '1', 'buy', '1652459230000')]);
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(c.statuses.filter((s) => s.state === 'backoff').length).toBe(2);
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit', message: 'rate limited: HTTP 429 on WebSocket upgrade' });
    expect(fake.connections).toBe(1);
  });

  it('starts with the fallback mapping when REST is down', async () => {
    fake.restDown = true;
    const symbols = await resolveSymbols({ adapter: okxAdapter, market: 'perp', restUrl: fake.restUrl, cacheDir: null, timeoutMs: 2_000 });
    expect(symbols.source).toBe('fallback');
    const c = collectFeed();
    run({ market: 'perp', symbols: ['BTC-USD'], channels: ['trades'], sink: c.sink, symbolsResolver: symbols });
    await waitFor(() => fake.subscribers('trades', 'BTC-USD-SWAP') === 1, 'subscription');
    // Inverse swap: 15 contracts of 100 USD at 30000 = 0.05 BTC.
    fake.push('trades', 'BTC-USD-SWAP', [trade('BTC-USD-SWAP', '42', '30000', '15', 'buy', '1652459230000')]);
    await waitFor(() => c.trades().length === 1, 'trade');
    expect(c.trades()[0]).toMatchObject({ symbol: 'BTC-USD', size: 0.05, side: 'buy', id: '42' });
  });

  it('counts a malformed frame between good ones and delivers every good trade', async () => {
    const c = collectFeed();
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink });
    await waitFor(() => fake.subscribers('trades', 'BTC-USDT') === 1, 'subscription');
    fake.push('trades', 'BTC-USDT', [trade('BTC-USDT', '1', '30000', '1', 'buy', '1652459230000')]);
    fake.sendRaw('trades', 'BTC-USDT', '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId"');
    fake.push('trades', 'BTC-USDT', [trade('BTC-USDT', '2', '30000', '1', 'buy', '1652459230001'), trade('BTC-USDT', '3', '30000', '1', 'sell', '1652459230002')]);
    await waitFor(() => c.trades().length === 3, 'three trades');
    expect(c.trades().map((t) => t.id)).toEqual(['1', '2', '3']);
    expect(runner.counts().errors).toBe(1);
    expect(runner.health().lastError).toMatchObject({ kind: 'parse', message: 'OKX: malformed JSON frame' });
  });

  it('keeps the link alive with text ping / pong', async () => {
    const c = collectFeed();
    const fast: VenueAdapter = { ...okxAdapter, keepalive: { kind: 'text', intervalMs: 40, message: 'ping' } };
    const runner = run({ market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], sink: c.sink, adapter: fast });
    await waitFor(() => fake.pings >= 5, 'five pings');
    expect(runner.counts().errors).toBe(0);
    expect(fake.connections).toBe(1);
    expect(fake.problems).toEqual([]);
  });

  it('paces subscribe requests of a large connection', async () => {
    const bases = Array.from({ length: 30 }, (_, i) => `C${i}`);
    for (const b of bases) fake.instruments.push({ instType: 'SPOT', instId: `${b}-USDT`, baseCcy: b, quoteCcy: 'USDT', state: 'live' });
    const c = collectFeed();
    run({ market: 'spot', symbols: bases.map((b) => `${b}-USDT`), channels: ['trades', 'quotes'], sink: c.sink });
    await waitFor(() => fake.subscribers('tickers', 'C29-USDT') === 1, 'all 60 subscriptions');
    expect(fake.received[0]!.map((m) => JSON.parse(m).args.length)).toEqual([50, 10]);
    expect(fake.problems).toEqual([]);
  });
});
