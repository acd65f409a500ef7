/**
 * A subscribe the venue never answers (no ack, no rejection, no data) fails the connection after
 * subscribeAckTimeoutMs with that cause in the health view, and the feed retries with backoff;
 * before, only the 60 s market watchdog noticed. Data or a rejection counts as an answer, and a
 * paused feed (not reading) is never blamed for the silence.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeWsServer } from '../../helpers/fake-ws-server';
import { ECHO_PING, echoFeedHarness, tradeFrame } from '../../helpers/feed-harness';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
let feeder: NodeJS.Timeout | null = null;
afterEach(async () => {
  if (feeder) clearInterval(feeder);
  feeder = null;
  await tearDown();
});

const ACK_MS = 300;
/** A text keepalive every 50 ms: the count of pings the fake received is a clock we can poll. */
const pinging = { keepalive: { kind: 'text' as const, intervalMs: 50, message: ECHO_PING } };

/** Subscribe requests the fake received, one per connection here. */
const subscribes = (s: FakeWsServer): number => s.received.filter((f) => f.data.includes('"op":"sub"')).length;
const pings = (s: FakeWsServer, client: number): number => s.framesFrom(client).filter((f) => f === ECHO_PING).length;

describe('FeedRunner: the venue must answer a subscribe', () => {
  it('fails a subscribe left unanswered past the deadline with the cause in health, then retries with growing backoff', async () => {
    // A venue that answers pings (the link is alive) and nothing else.
    const { server } = await startVenue({ ack: false, pong: true });
    const { runner, ...sink } = runEcho({ tuning: { subscribeAckTimeoutMs: ACK_MS }, echo: pinging, symbols: ['BTC-USDT', 'ETH-USDT'] });
    await waitFor(() => subscribes(server) >= 3, 'three subscribe attempts on three connections');

    const h = runner.health();
    expect(h.lastError).toMatchObject({
      kind: 'timeout',
      message: 'subscribe not acknowledged within 0.3 s',
      cause: 'no ack, rejection or market data after 1 subscribe message for BTC-USDT trades, ETH-USDT trades',
    });
    expect(h.errors).toBeGreaterThanOrEqual(2);
    const backoffs = sink.statuses.filter((s) => s.state === 'backoff');
    expect(backoffs[0]!.cause).toBe('subscribe not acknowledged within 0.3 s: no ack, rejection or market data after 1 subscribe message for BTC-USDT trades, ETH-USDT trades; retry 1 in 50 ms');
    // Nothing proved the venue accepted us, so the backoff keeps doubling (FAST: 50 ms, no jitter).
    expect(backoffs.slice(0, 2).map((s) => s.nextRetryAt! - s.at)).toEqual([50, 100]);
    // The pings kept flowing: it was the subscribe that went unanswered, not the link.
    expect(pings(server, 1)).toBeGreaterThanOrEqual(3);
    // Each connection gave up once its own deadline passed, not before.
    const opened = server.received.filter((f) => f.data.includes('"op":"sub"')).map((f) => f.at);
    expect(opened[1]! - opened[0]!).toBeGreaterThanOrEqual(ACK_MS + 50 - 20);
    expect(sink.gaps).toEqual([]); // no data was ever flowing, so no gap
  });

  it('counts data on the streams as the answer (a venue that never acks)', async () => {
    const { server } = await startVenue({ ack: false });
    let id = 0;
    feeder = setInterval(() => server.broadcast(tradeFrame(++id)), 20);
    const { runner, ...sink } = runEcho({ tuning: { subscribeAckTimeoutMs: ACK_MS } });
    // Trades for four deadlines' worth of time on one connection.
    await waitFor(() => sink.trades().length > 0 && Date.now() - sink.trades()[0]!.receivedAt > 4 * ACK_MS, 'trades for 4 deadlines');
    expect(server.totalConnections).toBe(1);
    expect(runner.health()).toMatchObject({ state: 'live', errors: 0, reconnects: 0 });
  });

  it('counts an ack or a rejection as the answer, with no data at all', async () => {
    const { server } = await startVenue({ ack: false, pong: true });
    // Client 1 is acked, client 2 rejected (a venue error names the stream it refuses).
    server.onMessage((c, data) => {
      if (!data.includes('"op":"sub"')) return;
      server.send(c, c.id === 1 ? '{"op":"ack"}' : '{"op":"error","msg":"unknown symbol BTC-USDT"}');
    });
    const { runner } = runEcho({ tuning: { subscribeAckTimeoutMs: ACK_MS }, echo: pinging });
    await waitFor(() => subscribes(server) === 1, 'first feed subscribed');
    const rejected = runEcho({ tuning: { subscribeAckTimeoutMs: ACK_MS }, echo: pinging });
    await waitFor(() => pings(server, 1) >= 20 && pings(server, 2) >= 20, 'a second of pings on both (3 deadlines)');
    expect(server.totalConnections).toBe(2);
    expect(runner.health()).toMatchObject({ state: 'subscribing', errors: 0, reconnects: 0 });
    expect(rejected.runner.health()).toMatchObject({ state: 'subscribing', errors: 1, reconnects: 0 });
    expect(rejected.runner.health().lastError).toMatchObject({ kind: 'venue', cause: 'unknown symbol BTC-USDT' });
  });

  it('does not blame the venue while the feed is paused; the deadline runs again after resume', async () => {
    const { server } = await startVenue({ ack: false, pong: true });
    const { runner } = runEcho({ tuning: { subscribeAckTimeoutMs: ACK_MS }, echo: pinging });
    await waitFor(() => subscribes(server) === 1, 'subscribed');
    runner.setPaused(true);
    const pingsAtPause = pings(server, 1);
    // Keepalive frames still go out while paused: 20 of them is a second, three deadlines.
    await waitFor(() => pings(server, 1) >= pingsAtPause + 20, 'a second of pings while paused');
    expect(server.totalConnections).toBe(1);
    expect(runner.health().errors).toBe(0);

    const resumedAt = Date.now();
    runner.setPaused(false);
    await waitFor(() => subscribes(server) === 2, 'a new connection once the deadline passed after resume');
    expect(Date.now() - resumedAt).toBeGreaterThanOrEqual(ACK_MS - 20);
    expect(runner.health().lastError).toMatchObject({ kind: 'timeout', message: 'subscribe not acknowledged within 0.3 s' });
  });
});
