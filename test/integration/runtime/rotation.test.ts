import { afterEach, describe, expect, it } from 'vitest';
import { tradesFrame } from '../../helpers/echo-adapter';
import { echoFeedHarness, trade } from '../../helpers/feed-harness';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
let feeder: NodeJS.Timeout | null = null;
afterEach(async () => {
  if (feeder) clearInterval(feeder);
  feeder = null;
  await tearDown();
});

describe('FeedRunner: make-before-break rotation', () => {
  it('rotates every ~1 s while the venue streams sequential ids to every connection: each id reaches the sink exactly once, no gap', async () => {
    const { server, subscribed } = await startVenue();
    let next = 0;
    let firstSent: number | null = null;
    // Every subscribed connection gets the same trades at the same moment, as from a real venue.
    feeder = setInterval(() => {
      for (let k = 0; k < 3; k++) {
        const id = ++next;
        const symbol = id % 2 ? 'BTC-USDT' : 'ETH-USDT';
        const n = server.broadcast(tradesFrame([trade(id, symbol)]), (c) => subscribed.has(c.id));
        if (n > 0 && firstSent === null) firstSent = id;
        if (n === 0 && firstSent !== null) throw new Error(`trade ${id} reached no connection`);
      }
    }, 5);
    const { runner, ...sink } = runEcho({ symbols: ['BTC-USDT', 'ETH-USDT'], tuning: { rotateAfterMs: 1_000 } });
    await waitFor(() => server.totalConnections === 3 && server.connectionCount() === 1, 'two rotations completed');
    clearInterval(feeder);
    feeder = null;
    const lastSent = next;
    await waitFor(() => sink.trades().some((t) => t.id === String(lastSent)), 'the last trade');

    const ids = sink.trades().map((t) => Number(t.id));
    const expected = Array.from({ length: lastSent - firstSent! + 1 }, (_, i) => firstSent! + i);
    expect([...ids].sort((a, b) => a - b)).toEqual(expected);
    expect(sink.gaps).toEqual([]);
    expect(runner.health()).toMatchObject({ state: 'live', connections: 1, reconnects: 0, errors: 0 });
    const rotations = sink.statuses.filter((s) => s.cause?.startsWith('rotated'));
    expect(rotations.map((s) => s.cause)).toEqual([
      'rotated (the new connection delivers every market)',
      'rotated (the new connection delivers every market)',
    ]);
    // Overlaps were short: both sockets open only until the new one proved itself.
    const [c1, c2, c3] = server.attempts;
    expect(c2!.at - c1!.at).toBeGreaterThanOrEqual(1_000);
    expect(c3!.at - c2!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('a venue notice asking to reconnect rotates cleanly, without a gap', async () => {
    const { server, subscribed } = await startVenue();
    let next = 0;
    feeder = setInterval(() => {
      server.broadcast(tradesFrame([trade(++next)]), (c) => subscribed.has(c.id));
    }, 5);
    const { runner, ...sink } = runEcho();
    await waitFor(() => sink.trades().length > 10, 'trades');
    server.send(1, '{"op":"notice","msg":"server shutdown soon","reconnect":true}');
    await waitFor(() => server.totalConnections === 2 && server.connectionCount() === 1, 'rotated to a new connection');
    clearInterval(feeder);
    feeder = null;
    const last = next;
    await waitFor(() => sink.trades().some((t) => t.id === String(last)), 'the last trade');
    const ids = sink.trades().map((t) => Number(t.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...ids) - Math.min(...ids) + 1).toBe(ids.length);
    expect(sink.gaps).toEqual([]);
    expect(runner.health()).toMatchObject({ notices: 1, reconnects: 0, state: 'live' });
  });
});
