import { afterEach, describe, expect, it } from 'vitest';
import { echoFeedHarness } from '../../helpers/feed-harness';
import { ManualClock } from '../../helpers/manual-clock';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
afterEach(tearDown);

describe('FeedRunner: rate-limit answers on the WebSocket upgrade', () => {
  it('waits the Retry-After of an HTTP 429 before trying again, and records a rate-limit error', async () => {
    const { server, subscribed } = await startVenue();
    server.refuseUpgrades(1, 429, { 'Retry-After': '1' });
    const { runner, ...sink } = runEcho();
    await waitFor(() => sink.states().includes('backoff'), 'backoff after the 429');
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit', message: 'rate limited: HTTP 429 on WebSocket upgrade', cause: 'Retry-After 1 s' });
    const backoff = sink.statuses.find((s) => s.state === 'backoff')!;
    expect(backoff.nextRetryAt! - backoff.at).toBe(1_000);
    expect(runner.health().nextRetryAt).toBe(backoff.nextRetryAt);

    await waitFor(() => subscribed.size === 1, 'subscribed on the second attempt');
    expect(server.attempts.map((a) => a.status)).toEqual([429, 101]);
    expect(server.attempts[1]!.at - server.attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(runner.health()).toMatchObject({ errors: 1, reconnects: 1, state: 'subscribing' });
  });

  it('waits the full backoff cap after an HTTP 418 without Retry-After', async () => {
    const { server, subscribed } = await startVenue();
    server.refuseUpgrades(1, 418);
    const sink = runEcho({ tuning: { backoffMaxMs: 400 } });
    await waitFor(() => subscribed.size === 1, 'subscribed on the second attempt');
    const backoff = sink.statuses.find((s) => s.state === 'backoff')!;
    expect(backoff.nextRetryAt! - backoff.at).toBe(400);
    expect(backoff.cause).toBe('rate limited: HTTP 418 on WebSocket upgrade: 418 I\'m a Teapot; retry 1 in 400 ms');
    expect(server.attempts[1]!.at - server.attempts[0]!.at).toBeGreaterThanOrEqual(380);
  });

  it('does not retry an unusable URL: the feed is in error with the reason', async () => {
    const clock = new ManualClock(Date.now());
    const { runner, ...sink } = runEcho({ url: 'ws://127.0.0.1:99999/', clock });
    clock.advance(0); // the connection reports its failure on the clock's next turn
    expect(sink.states()).toEqual(['connecting', 'error']);
    // A minute past every backoff and watchdog: no retry was scheduled, nothing moves.
    clock.advance(60_000);
    expect(sink.states()).toEqual(['connecting', 'error']);
    expect(runner.health()).toMatchObject({ state: 'error', nextRetryAt: null, reconnects: 0 });
    expect(runner.health().lastError).toMatchObject({ kind: 'config', message: 'invalid WebSocket URL ws://127.0.0.1:99999/' });
  });
});
