import { afterEach, describe, expect, it } from 'vitest';
import { ECHO_PING, echoFeedHarness, tradeFrame } from '../../helpers/feed-harness';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
afterEach(tearDown);

describe('FeedRunner: bad input from the venue', () => {
  it('counts malformed frames, venue errors and notices without losing a good trade or the connection', async () => {
    const { server, subscribed } = await startVenue();
    const { runner, ...feed } = runEcho({ channels: ['trades', 'funding'] });
    await waitFor(() => subscribed.size === 1, 'subscribed');
    // The echo venue has no funding channel: reported once, not subscribed.
    expect(feed.statuses.slice(0, 2)).toMatchObject([
      { state: 'connecting', cause: 'connecting' },
      { state: 'connecting', cause: 'notice: Echo spot has no funding channel; it is not subscribed' },
    ]);
    expect(JSON.parse(server.framesFrom(1)[0]!)).toEqual({ op: 'sub', streams: ['BTC-USDT@trades'] });

    const frames = [
      tradeFrame(1),
      'this is not json',
      tradeFrame(2),
      '{"t":[{"s":"BTC-USDT","p":"abc","q":"1","side":"b","ts":1,"id":"x"}]}', // absurd price
      tradeFrame(3),
      '{"boom":1}', // the parser throws: the runtime must contain it
      tradeFrame(4),
      '{"weird":true}', // unknown message
      tradeFrame(5),
      '{"op":"notice","msg":"maintenance at 02:00 UTC"}',
      '{"op":"error","msg":"unknown symbol FOO-BAR"}',
      tradeFrame(6),
    ];
    for (const f of frames) server.broadcast(f);
    await waitFor(() => feed.trades().length === 6, 'all six good trades');

    expect(feed.tradeIds()).toEqual(['1', '2', '3', '4', '5', '6']);
    const h = runner.health();
    expect(h).toMatchObject({ state: 'live', errors: 5, notices: 2, reconnects: 0, connections: 1 });
    expect(h.lastError).toMatchObject({ kind: 'venue', message: 'venue error', cause: 'unknown symbol FOO-BAR' });
    expect(server.totalConnections).toBe(1);
    expect(feed.gaps).toEqual([]);
    expect(feed.statuses.find((s) => s.cause === 'notice: maintenance at 02:00 UTC')).toMatchObject({ state: 'live' });
    expect(runner.counts()).toMatchObject({ trades: 6, errors: 5, notices: 2 });
  });

  it('a text frame that is not valid UTF-8 is one counted error, not a closed connection', async () => {
    const { server, subscribed } = await startVenue();
    const { runner, ...feed } = runEcho();
    await waitFor(() => subscribed.size === 1, 'subscribed');
    server.broadcast(tradeFrame(1));
    // A trade frame whose price has a byte that is no UTF-8 (0xff): decoded, it reads "6\ufffd".
    const bad = Buffer.from(tradeFrame(2).replace(/"p":"[^"]*"/, '"p":"6X"'));
    bad[bad.indexOf('"p":"6X"') + 6] = 0xff;
    server.broadcastTextBytes(bad);
    server.broadcast(tradeFrame(3));
    await waitFor(() => feed.trades().length === 2, 'the two good trades');
    expect(feed.tradeIds()).toEqual(['1', '3']);
    expect(runner.health()).toMatchObject({ state: 'live', errors: 1, reconnects: 0, connections: 1 });
    expect(server.totalConnections).toBe(1);
    expect(feed.gaps).toEqual([]);
  });

  it('sends the adapter\'s text keepalive and declares a link dead after three silent intervals', async () => {
    const { server, subscribed } = await startVenue();
    let answer = true;
    server.onMessage((c, data) => {
      if (data === ECHO_PING && answer) server.send(c, '{"op":"pong"}');
    });
    const { runner, ...feed } = runEcho({ echo: { keepalive: { kind: 'text', intervalMs: 50, message: ECHO_PING } } });
    await waitFor(() => subscribed.size === 1, 'subscribed');
    server.broadcast(tradeFrame(1));
    await waitFor(() => server.framesFrom(1).filter((f) => f === ECHO_PING).length >= 5, 'five pings answered');
    expect(subscribed.size).toBe(1); // pongs kept the link alive
    answer = false;
    await waitFor(() => subscribed.size === 2, 'reconnected after the link went silent');
    expect(runner.health().lastError).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^no frame or pong for \d+ ms \(keepalive every 50 ms\)$/) });
    expect(feed.gaps.map((g) => g.phase)).toEqual(['start']);
  });
});
