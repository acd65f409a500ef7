import { afterEach, describe, expect, it } from 'vitest';
import { FakeWsServer, waitFor } from '../../helpers/fake-ws-server';
import type { FeedRunner } from '../../../electron/core/runtime/feed';
import { FeedRunner as Runner } from '../../../electron/core/runtime/feed';
import { createEchoAdapter } from '../../helpers/echo-adapter';
import { FAST, RecordingSink, echoVenue, feedConfig, makeRunner } from './harness';

let server: FakeWsServer | null = null;
let runner: FeedRunner | null = null;
afterEach(async () => {
  await runner?.stop();
  await server?.close();
  runner = null;
  server = null;
});

describe('FeedRunner: rate-limit answers on the WebSocket upgrade', () => {
  it('waits the Retry-After of an HTTP 429 before trying again, and records a rate-limit error', async () => {
    server = await FakeWsServer.start();
    const venue = echoVenue(server);
    server.refuseUpgrades(1, 429, { 'Retry-After': '1' });
    const made = makeRunner(server);
    runner = made.runner;
    const sink = made.sink;
    runner.start();
    await waitFor(() => sink.states().includes('backoff'), 'backoff after the 429');
    expect(runner.health().lastError).toMatchObject({ kind: 'rate-limit', message: 'rate limited: HTTP 429 on WebSocket upgrade', cause: 'Retry-After 1 s' });
    const backoff = sink.statuses.find((s) => s.state === 'backoff')!;
    expect(backoff.nextRetryAt! - backoff.at).toBe(1_000);
    expect(runner.health().nextRetryAt).toBe(backoff.nextRetryAt);

    await waitFor(() => venue.subscribed.size === 1, 'subscribed on the second attempt', 5_000);
    expect(server.attempts.map((a) => a.status)).toEqual([429, 101]);
    expect(server.attempts[1]!.at - server.attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(runner.health()).toMatchObject({ errors: 1, reconnects: 1, state: 'subscribing' });
  });

  it('waits the full backoff cap after an HTTP 418 without Retry-After', async () => {
    server = await FakeWsServer.start();
    const venue = echoVenue(server);
    server.refuseUpgrades(1, 418);
    const made = makeRunner(server, { tuning: { backoffMaxMs: 400 } });
    runner = made.runner;
    const sink = made.sink;
    runner.start();
    await waitFor(() => venue.subscribed.size === 1, 'subscribed on the second attempt');
    const backoff = sink.statuses.find((s) => s.state === 'backoff')!;
    expect(backoff.nextRetryAt! - backoff.at).toBe(400);
    expect(backoff.cause).toBe('rate limited: HTTP 418 on WebSocket upgrade: 418 I\'m a Teapot; retry 1 in 400 ms');
    expect(server.attempts[1]!.at - server.attempts[0]!.at).toBeGreaterThanOrEqual(380);
  });

  it('does not retry an unusable URL: the feed is in error with the reason', async () => {
    const sink = new RecordingSink();
    runner = new Runner({ config: feedConfig('ws://127.0.0.1:99999/'), adapter: createEchoAdapter(), sink, tuning: FAST });
    runner.start();
    await waitFor(() => sink.states().includes('error'), 'error state');
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.states()).toEqual(['connecting', 'error']);
    expect(runner.health()).toMatchObject({ state: 'error', nextRetryAt: null, reconnects: 0 });
    expect(runner.health().lastError).toMatchObject({ kind: 'config', message: 'invalid WebSocket URL ws://127.0.0.1:99999/' });
  });
});
