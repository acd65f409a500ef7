/**
 * Binance USD-M open interest end to end: the feed runtime polls `/fapi/v1/openInterest` of each
 * perp market on the funding channel (VenueRest.polls, runtime/rest-poller.ts) against the fake
 * Binance, merges it with the markPrice stream's Funding, backs off on a 429's Retry-After through
 * the venue's REST bucket, and stops polling with the feed. The poll interval is shortened here
 * (15 s / 1 s gap in the adapter).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import type { FeedRunner, FeedSink } from '../../../electron/core/runtime/feed';
import type { Funding } from '../../../shared/domain';
import { FakeBinance } from '../../fakes/binance';
import { collectFeed, feedHarness } from '../../helpers/feed-harness';

const INTERVAL_MS = 400;
const GAP_MS = 100;
const adapter = { ...binanceAdapter, polls: binanceAdapter.polls!.map((p) => ({ ...p, intervalMs: INTERVAL_MS, minGapMs: GAP_MS })) };
const T0 = 1_700_000_000_000;

let fake: FakeBinance;
const { runFeed, waitFor, tearDown } = feedHarness(() => fake);
afterEach(tearDown);

function run(symbols: string[], sink: FeedSink, channels: ('funding' | 'trades')[] = ['funding']): FeedRunner {
  return runFeed({
    config: { exchange: 'binance', market: 'perp', symbols, channels, url: fake.url('perp'), restUrl: fake.restUrl },
    adapter, sink, tuning: { backoffInitialMs: 50, backoffMaxMs: 200, connectTimeoutMs: 3_000 },
  });
}

const fundings = (data: readonly { type: string }[]) => data.filter((d): d is Funding => d.type === 'funding');
const markPrice = (s: string, E: number, p: string, r: string) => ({ e: 'markPriceUpdate', E, s, p, i: p, P: p, r, T: T0 + 3_600_000 });

describe('binance open interest (REST poll)', () => {
  it('polls each perp market in turn and merges open interest with the markPrice funding', async () => {
    fake = await FakeBinance.start();
    fake.openInterest.set('BTCUSDT', '10659.509');
    fake.openInterest.set('ETHUSDT', '250000.5');
    const c = collectFeed();
    const runner = run(['BTC-USDT', 'ETH-USDT'], c.sink);
    await waitFor(() => fake.subscribers('btcusdt@markPrice@1s') === 1, 'markPrice subscription');
    await waitFor(() => fundings(c.data).some((f) => f.symbol === 'ETH-USDT'), 'open interest of both markets');
    expect(fundings(c.data).slice(0, 2).map((f) => [f.symbol, f.openInterest, f.rate])).toEqual([
      ['BTC-USDT', 10659.509, undefined], ['ETH-USDT', 250000.5, undefined],
    ]);

    // A stream record carries the polled open interest; the next poll carries the stream's rate.
    fake.push('btcusdt@markPrice@1s', markPrice('BTCUSDT', T0 + 30, '43050.12', '-0.000125'));
    await waitFor(() => fundings(c.data).some((f) => f.time === T0 + 30), 'markPrice funding');
    expect(fundings(c.data).find((f) => f.time === T0 + 30)).toMatchObject({ symbol: 'BTC-USDT', rate: -0.000125, markPrice: 43050.12, openInterest: 10659.509 });
    fake.openInterest.set('BTCUSDT', '10700.001');
    await waitFor(() => fundings(c.data).some((f) => f.openInterest === 10700.001), 'the new open interest');
    expect(fundings(c.data).find((f) => f.openInterest === 10700.001)).toMatchObject({ symbol: 'BTC-USDT', rate: -0.000125, markPrice: 43050.12 });

    // Two markets: one request every INTERVAL_MS / 2 per feed, each market every INTERVAL_MS.
    const btc = fake.openInterestRequests.filter((r) => r.symbol === 'BTCUSDT').map((r) => r.at);
    for (let i = 1; i < btc.length; i++) expect(btc[i]! - btc[i - 1]!).toBeGreaterThanOrEqual(INTERVAL_MS - 50);
    expect(runner.counts().errors).toBe(0);
    expect(fake.problems).toEqual([]);
  });

  it('waits out a 429 Retry-After through the REST bucket, counting it in the feed health', async () => {
    fake = await FakeBinance.start();
    fake.openInterest.set('BTCUSDT', '10659.509');
    fake.refuseRest('/fapi/v1/openInterest', 1, 1);
    const c = collectFeed();
    const started = Date.now();
    const runner = run(['BTC-USDT'], c.sink);
    await waitFor(() => fundings(c.data).length === 1, 'open interest after the refusal', { timeoutMs: 5_000 });
    // The refused request went at once; without the Retry-After the next would follow INTERVAL_MS later.
    expect(fake.openInterestRequests[0]!.at - started).toBeGreaterThanOrEqual(950);
    expect(runner.counts().errors).toBe(1);
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit', message: 'Binance open interest of BTC-USDT failed' });
    expect(runner.health().lastError?.cause).toContain('HTTP 429');
  });

  it('counts a bad answer and stops polling when the feed stops', async () => {
    fake = await FakeBinance.start();
    fake.openInterest.set('BTCUSDT', 'lots');
    const c = collectFeed();
    const runner = run(['BTC-USDT'], c.sink);
    await waitFor(() => runner.counts().errors >= 2, 'two bad answers');
    expect(runner.health().lastError).toMatchObject({ kind: 'parse', message: 'Binance open interest of BTC-USDT: unexpected answer' });
    expect(fundings(c.data)).toEqual([]);

    await runner.stop();
    const asked = fake.openInterestRequests.length;
    // Nothing to wait for but the absence of requests: three poll intervals.
    await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
    expect(fake.openInterestRequests.length).toBe(asked);
  });

  it('does not poll a perp feed without the funding channel', async () => {
    fake = await FakeBinance.start();
    fake.openInterest.set('BTCUSDT', '1');
    const c = collectFeed();
    run(['BTC-USDT'], c.sink, ['trades']);
    await waitFor(() => fake.subscribers('btcusdt@aggTrade') === 1, 'trades subscription');
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
    expect(fake.openInterestRequests).toEqual([]);
  });
});
