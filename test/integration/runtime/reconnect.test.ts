import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../electron/core/util/clock';
import { echoFeedHarness, tradeFrame } from '../../helpers/feed-harness';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
afterEach(tearDown);

/** The real clock, counting timers still pending (set, neither fired nor cleared). */
function countingClock(): Clock & { pending: Set<unknown> } {
  const pending = new Set<unknown>();
  return {
    pending,
    now: () => systemClock.now(),
    setTimeout(fn, ms) {
      const h: unknown = systemClock.setTimeout(() => {
        pending.delete(h);
        fn();
      }, ms);
      pending.add(h);
      return h;
    },
    clearTimeout(h) {
      pending.delete(h);
      systemClock.clearTimeout(h);
    },
  };
}

describe('FeedRunner against a loopback venue: reconnects', () => {
  it('subscribes, goes live on data, and after a dropped connection reconnects, resubscribes and reports the gap', async () => {
    const { server, subscribed } = await startVenue();
    const { runner, ...sink } = runEcho({ symbols: ['BTC-USDT', 'ETH-USDT'] });

    await waitFor(() => subscribed.has(1), 'first subscribe');
    expect(JSON.parse(server.framesFrom(1)[0]!)).toEqual({ op: 'sub', streams: ['BTC-USDT@trades', 'ETH-USDT@trades'] });
    expect(runner.health().state).toBe('subscribing');
    server.broadcast(tradeFrame(1));
    server.broadcast(tradeFrame(2, 'ETH-USDT'));
    await waitFor(() => sink.trades().length === 2, 'two trades on the first connection');
    expect(runner.health().state).toBe('live');
    expect(sink.gaps).toEqual([]);

    server.dropAll();
    await waitFor(() => subscribed.has(2), 'resubscribe on a second connection');
    expect(JSON.parse(server.framesFrom(2)[0]!)).toEqual({ op: 'sub', streams: ['BTC-USDT@trades', 'ETH-USDT@trades'] });
    expect(sink.gaps.map((g) => g.phase)).toEqual(['start']);
    expect(sink.gaps[0]).toMatchObject({ feedId: 'echo-spot', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT', 'ETH-USDT'] });

    server.broadcast(tradeFrame(3));
    await waitFor(() => sink.trades().length === 3, 'a trade on the new connection');
    expect(sink.tradeIds()).toEqual(['1', '2', '3']);
    expect(sink.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
    expect(sink.gaps[1]!.at).toBe(sink.trades()[2]!.receivedAt);
    expect(sink.states()).toEqual(['connecting', 'subscribing', 'live', 'backoff', 'connecting', 'subscribing', 'live']);
    const backoff = sink.statuses[3]!;
    expect(backoff.nextRetryAt! - backoff.at).toBe(50);
    const now = Date.now();
    const h = runner.health(now);
    expect(h).toMatchObject({ state: 'live', reconnects: 1, errors: 1, connections: 1, nextRetryAt: null });
    expect(h.lastError?.kind).toBe('network');
    expect(runner.counts().trades).toBe(3);
    const last = sink.trades()[2]!;
    // Too few gaps seen on one connection to know the pace (the reconnect's is not learned): the ceiling applies.
    expect(h.markets).toEqual([
      { symbol: 'BTC-USDT', lastDataAt: last.receivedAt, staleAfterMs: 10_000, stale: false },
      { symbol: 'ETH-USDT', lastDataAt: sink.trades()[1]!.receivedAt, staleAfterMs: 10_000, stale: false },
    ]);
    // Five frames (two acks, three trade frames) for three trades, over the same window.
    expect(h.tradesPerSec).toBeGreaterThan(0);
    expect(h.messagesPerSec / h.tradesPerSec).toBeCloseTo(5 / 3, 1);
    expect(h.bytesPerSec).toBeGreaterThan(h.messagesPerSec * 10);
    expect(h.latencyP50Ms).not.toBeNull();
    expect(h.latencyP99Ms!).toBeGreaterThanOrEqual(h.latencyP50Ms!);
    expect(h.lastDataAgeMs).toBe(now - last.receivedAt);
  });

  it('keeps doubling the backoff while connections open but deliver nothing, and resets it only after data', async () => {
    const { server, subscribed } = await startVenue();
    let deliver = false;
    // The venue accepts, acks, then cuts the socket: no data, so no reset.
    server.onMessage((c, data) => {
      if (!data.includes('"op":"sub"')) return;
      if (deliver) server.send(c, tradeFrame(c.id));
      setTimeout(() => c.socket.terminate(), 20);
    });
    const { runner, ...sink } = runEcho();
    await waitFor(() => sink.statuses.filter((s) => s.state === 'backoff').length === 4, 'four backoffs');
    deliver = true;
    await waitFor(() => sink.statuses.filter((s) => s.state === 'backoff').length === 6, 'two more backoffs after data');
    await runner.stop();
    const delays = sink.statuses.filter((s) => s.state === 'backoff').map((s) => s.nextRetryAt! - s.at);
    // 50, 100, 200, 400 without data; then the 5th connection delivers a trade (reset), so 50 again.
    expect(delays).toEqual([50, 100, 200, 400, 50, 50]);
    expect(subscribed.size).toBe(6);
    // No gap while nothing was ever delivered; the 5th connection's loss opens one, the 6th's data closes it.
    expect(sink.gaps.map((g) => g.phase)).toEqual(['start', 'end', 'start']);
  });

  it('stop() closes every socket and timer and stays stopped', async () => {
    const { server, subscribed } = await startVenue();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const clock = countingClock();
    const { runner, ...sink } = runEcho({
      clock,
      symbols: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'],
      echo: { maxStreamsPerConnection: 1, keepalive: { kind: 'ws-ping', intervalMs: 100 } },
      tuning: { rotateAfterMs: 60_000 },
    });
    await waitFor(() => subscribed.size === 3, 'three connections subscribed');
    expect(runner.health().connections).toBe(3);
    expect(clock.pending.size).toBeGreaterThanOrEqual(9); // per shard: watchdog tick, keepalive, rotation
    await runner.stop();
    expect(clock.pending.size).toBe(0);
    await runner.stop(); // idempotent
    expect(runner.health()).toMatchObject({ state: 'stopped', connections: 0 });
    expect(sink.statuses.at(-1)!.state).toBe('stopped');
    await waitFor(() => server.connectionCount() === 0, 'server sees every socket closed');
    await waitFor(
      () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length === before,
      'no client sockets left in this process',
    );
    const statusCount = sink.statuses.length;

    // Time passes: a live feed with the same tuning loses its connection, backs off and
    // reconnects (more than the stopped feed's first retry would take); the stopped one stays put.
    const probe = runEcho();
    await waitFor(() => subscribed.size === 4, 'the probe feed subscribed');
    server.dropAll();
    await waitFor(() => subscribed.size === 5 && probe.states().at(-1) === 'subscribing', 'the probe feed back after a backoff');
    expect(probe.states()).toContain('backoff');
    expect(server.totalConnections).toBe(5);
    expect(sink.statuses.length).toBe(statusCount);
  });
});

describe('FeedRunner against a loopback venue: stop', () => {
  it('frames still in flight while a stopping feed closes are neither recorded nor delivered', async () => {
    const { server, subscribed } = await startVenue();
    const recorded: string[] = [];
    const { runner, ...feed } = runEcho({ onFrame: (frame) => recorded.push(frame) });
    await waitFor(() => subscribed.has(1), 'subscribe');
    // Stop as soon as the first trade is delivered, with the rest of a burst still on the wire.
    let stopping: Promise<void> | null = null;
    const deliver = feed.sink.data;
    feed.sink.data = (e) => {
      deliver(e);
      stopping ??= runner.stop();
    };
    for (let i = 1; i <= 2_000; i++) server.broadcast(tradeFrame(i));
    await waitFor(() => stopping !== null, 'the first trade');
    await stopping;
    const recordedIds = recorded
      .map((f) => JSON.parse(f) as { t?: { id: string }[] })
      .flatMap((m) => (m.t ?? []).map((t) => t.id));
    // A recording holds exactly what the pipeline got, so a replay of it gives the same bars.
    expect(recordedIds).toEqual(feed.tradeIds());
    expect(feed.tradeIds().length).toBeLessThan(2_000);
  });
});
