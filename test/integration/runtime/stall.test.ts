import { afterEach, describe, expect, it } from 'vitest';
import { ECHO_PING, echoFeedHarness, tradeFrame } from '../../helpers/feed-harness';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
let feeder: NodeJS.Timeout | null = null;
afterEach(async () => {
  if (feeder) clearInterval(feeder);
  feeder = null;
  await tearDown();
});

describe('FeedRunner: a connection that stays open but stops delivering data', () => {
  it('is marked stale once silent past the adaptive threshold, then reconnected, although pings and heartbeats still flow', async () => {
    const { server, subscribed } = await startVenue();
    let id = 0;
    let heartbeats = 0;
    feeder = setInterval(() => {
      server.broadcast(tradeFrame(++id));
      if (server.broadcast('{"op":"hb"}') > 0) heartbeats++;
    }, 20);
    const { runner, ...sink } = runEcho({
      tuning: { watchdogFloorMs: 200, watchdogCeilingMs: 2_000, watchdogFactor: 5 },
      echo: { keepalive: { kind: 'ws-ping', intervalMs: 50 } },
    });
    await waitFor(() => sink.trades().length >= 15, '15 trades');
    // ~20 ms between trades x factor 5 is below the floor: the floor applies.
    expect(runner.health().markets[0]).toMatchObject({ symbol: 'BTC-USDT', staleAfterMs: 200, stale: false });

    const hbBefore = heartbeats;
    server.stall(true, (frame) => frame.includes('"hb"'));
    // The venue keeps talking: heartbeats at once (a busy machine may hold the 20 ms feeder back
    // past the 200 ms threshold), then every 20 ms.
    for (let i = 0; i < 4; i++) if (server.broadcast('{"op":"hb"}') > 0) heartbeats++;
    const delivered = sink.trades().length;
    await waitFor(() => subscribed.size === 2, 'a second subscription after the stall');
    expect(heartbeats - hbBefore).toBeGreaterThan(3); // the venue kept talking, just not data

    const lastTrade = sink.trades()[delivered - 1]!;
    const stale = sink.statuses.find((s) => s.state === 'stale')!;
    expect(stale.cause).toMatch(/^no market data for \d+ ms on BTC-USDT \(threshold 200 ms\); connection open but silent$/);
    expect(stale.at - lastTrade.receivedAt).toBeGreaterThan(200);
    expect(sink.gaps[0]).toMatchObject({ phase: 'start', at: lastTrade.receivedAt });
    expect(runner.health().lastError).toMatchObject({ kind: 'timeout', message: stale.cause });

    server.stall(false);
    await waitFor(() => sink.gaps.length === 2, 'gap end once data flows again');
    expect(sink.states().slice(0, 7)).toEqual(['connecting', 'subscribing', 'live', 'stale', 'backoff', 'connecting', 'subscribing']);
    expect(sink.states().at(-1)).toBe('live');
    expect(runner.health()).toMatchObject({ state: 'live', reconnects: 1, connections: 1 });
  });

  it('flags one silent market stale in health while the others keep the connection', async () => {
    const { server } = await startVenue();
    let id = 0;
    let ethFlows = true;
    feeder = setInterval(() => {
      server.broadcast(tradeFrame(++id));
      if (ethFlows) server.broadcast(tradeFrame(++id, 'ETH-USDT'));
    }, 20);
    const { runner, ...sink } = runEcho({ symbols: ['BTC-USDT', 'ETH-USDT'], tuning: { watchdogFloorMs: 200, watchdogCeilingMs: 2_000, watchdogFactor: 5 } });
    await waitFor(() => sink.trades().filter((t) => t.symbol === 'ETH-USDT').length >= 10, 'ETH trades');
    ethFlows = false;
    await waitFor(() => runner.health().state === 'stale', 'feed stale');
    const h = runner.health();
    expect(h.markets.map((m) => [m.symbol, m.stale])).toEqual([['BTC-USDT', false], ['ETH-USDT', true]]);
    expect(sink.statuses.at(-1)!.cause).toMatch(/^no data for \d+ ms on ETH-USDT \(threshold 200 ms\)$/);
    ethFlows = true;
    await waitFor(() => runner.health().state === 'live', 'live again');
    expect(server.totalConnections).toBe(1);
    expect(sink.gaps).toEqual([]);
  });

  it('pausing for backpressure stops reading without counting the silence as a stall, and loses nothing', async () => {
    const { server, subscribed } = await startVenue({ pong: true });
    let id = 0;
    feeder = setInterval(() => server.broadcast(tradeFrame(++id)), 10);
    // The feed's text keepalive (every 50 ms) goes on while it is paused: the pings the venue
    // receives are the clock that proves time passed.
    const { runner, ...sink } = runEcho({
      tuning: { watchdogFloorMs: 200, watchdogCeilingMs: 400, watchdogFactor: 5 },
      echo: { keepalive: { kind: 'text', intervalMs: 50, message: ECHO_PING } },
    });
    const pings = () => server.framesFrom(1).filter((f) => f === ECHO_PING).length;
    await waitFor(() => sink.trades().length >= 10, 'trades');
    runner.setPaused(true);
    const pingsAtPause = pings();
    // Frames already in flight may still land during the first ping interval.
    await waitFor(() => pings() >= pingsAtPause + 2, 'two pings after the pause');
    const atPause = sink.trades().length;
    await waitFor(() => pings() >= pingsAtPause + 16, 'pings for 700 ms more: well past the 400 ms ceiling');
    expect(sink.trades().length).toBe(atPause);
    expect(runner.health().markets[0]!.stale).toBe(false);
    runner.setPaused(false);
    clearInterval(feeder);
    feeder = null;
    const last = id;
    await waitFor(() => sink.trades().length > 0 && sink.trades().at(-1)!.id === String(last), 'every trade sent during the pause');
    const ids = sink.tradeIds().map(Number);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i)); // in order, none lost
    expect(subscribed.size).toBe(1);
    expect(sink.gaps).toEqual([]);
    expect(runner.health()).toMatchObject({ state: 'live', reconnects: 0 });
  });
});
