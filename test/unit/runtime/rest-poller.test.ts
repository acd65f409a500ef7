/**
 * RestPoller on a manual clock: how often it asks (the least gap wins over interval / markets),
 * that a paused feed skips turns without losing its place, and that stop() ends it.
 */
import { describe, expect, it } from 'vitest';
import type { RestPollSpec } from '../../../electron/core/adapters/adapter';
import { TokenBucket } from '../../../electron/core/rest/token-bucket';
import { RestPoller } from '../../../electron/core/runtime/rest-poller';
import type { MarketData } from '../../../shared/domain';
import type { FeedError } from '../../../shared/health';
import { ManualClock } from '../../helpers/manual-clock';
import { waitFor } from '../../helpers/wait-for';

const spec: RestPollSpec = {
  what: 'open interest', market: 'perp', channel: 'funding', intervalMs: 15_000, minGapMs: 1_000,
  path: (native) => `/oi?symbol=${native}`,
  parse: (body, ctx, receivedAt) => [{ type: 'funding', ...ctx, openInterest: Number((body as { oi: string }).oi), time: receivedAt, receivedAt }],
};

function setup(markets: number) {
  const clock = new ManualClock(0);
  const asked: [string, number][] = [];
  const delivered: MarketData[] = [];
  const errors: Omit<FeedError, 'at'>[] = [];
  let paused = false;
  const fetchImpl = (async (url: string) => {
    asked.push([url.replace('http://rest', ''), clock.now()]);
    return new Response(JSON.stringify({ oi: '5' }), { status: 200 });
  }) as unknown as typeof fetch;
  const poller = new RestPoller({
    spec, exchange: 'binance', venueName: 'Binance', market: 'perp',
    markets: Array.from({ length: markets }, (_, i) => ({ symbol: `C${i}-USDT`, native: `C${i}USDT` })),
    restBase: 'http://rest', bucket: new TokenBucket({ requestsPerSecond: 2, burst: 10 }, clock), clock, timeoutMs: 5_000, fetchImpl,
    deliver: (ev) => delivered.push(ev), error: (e) => errors.push(e), paused: () => paused,
  });
  return { clock, asked, delivered, errors, poller, pause: (p: boolean) => (paused = p) };
}

/** Lets the poller's promise chain run to its next timer (a skipped turn schedules the next one asynchronously). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RestPoller', () => {
  it('asks 30 markets one a second (the least gap), each every 30 s, and skips turns while paused', async () => {
    const t = setup(30);
    t.poller.start();
    t.clock.advance(0);
    await waitFor(() => t.delivered.length === 1, 'first answer');
    t.clock.advance(999);
    expect(t.asked).toHaveLength(1);
    t.clock.advance(1);
    await waitFor(() => t.delivered.length === 2, 'second answer');
    expect(t.asked).toEqual([['/oi?symbol=C0USDT', 0], ['/oi?symbol=C1USDT', 1_000]]);
    expect(t.delivered[1]).toMatchObject({ type: 'funding', exchange: 'binance', market: 'perp', symbol: 'C1-USDT', openInterest: 5 });

    t.pause(true);
    t.clock.advance(1_000);
    await settle();
    expect(t.asked).toHaveLength(2);
    t.pause(false);
    t.clock.advance(1_000);
    await waitFor(() => t.delivered.length === 3, 'answer after the pause');
    expect(t.asked[2]).toEqual(['/oi?symbol=C2USDT', 3_000]);

    t.poller.stop();
    t.clock.advance(60_000);
    await settle();
    expect(t.asked).toHaveLength(3);
    expect(t.errors).toEqual([]);
  });

  it('spreads a few markets over the interval: 3 markets, one every 5 s', async () => {
    const t = setup(3);
    t.poller.start();
    for (let i = 0; i < 4; i++) {
      t.clock.advance(i === 0 ? 0 : 5_000);
      await waitFor(() => t.delivered.length === i + 1, `answer ${i + 1}`);
    }
    expect(t.asked.map(([url, at]) => `${at} ${url}`)).toEqual([
      '0 /oi?symbol=C0USDT', '5000 /oi?symbol=C1USDT', '10000 /oi?symbol=C2USDT', '15000 /oi?symbol=C0USDT',
    ]);
    t.poller.stop();
  });
});
