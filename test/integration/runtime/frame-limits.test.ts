/**
 * Hostile frames from a venue: larger than the venue's frame cap, or nested millions deep. Each
 * is a counted protocol error naming the cause, the frames around it all arrive, and the event
 * loop keeps turning (a 10 MB `[[[[...` frame used to block it ~2 s inside JSON.parse).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { VenueAdapter } from '../../../electron/core/adapters/adapter';
import { MB } from '../../../electron/core/util/byte-size';
import { createEchoAdapter } from '../../helpers/echo-adapter';
import { echoFeedHarness, tradeFrame, type EchoFeedOptions } from '../../helpers/feed-harness';

const { startVenue, runEcho, waitFor, tearDown } = echoFeedHarness();
afterEach(tearDown);

/** The echo venue and a feed on it, once subscribed. */
async function start(adapter: VenueAdapter, o: EchoFeedOptions = {}) {
  const venue = await startVenue();
  const feed = runEcho({ adapter, ...o });
  await waitFor(() => venue.subscribed.size === 1, 'subscribed');
  return { ...venue, ...feed };
}

/** `[[[[...]]]]`, `bytes` long: valid JSON nested bytes/2 deep. */
function nestedArrays(bytes: number): string {
  return '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);
}

/** `{"a":{"a":...1...}}` of about `bytes`, the nesting at the END (a scan must read it all). */
function nestedObjectsAtTheEnd(bytes: number): string {
  const levels = Math.floor(bytes / 2 / 6);
  return `{"pad":"${'x'.repeat(bytes / 2)}","deep":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
}

describe('FeedRunner: frame size and nesting limits', () => {
  it('drops a 10 MB deeply nested frame and a 2 MB one from a venue allowing 16 MB frames: counted, named, every trade around them arrives, the loop is not blocked', async () => {
    const { server, runner, ...sink } = await start({ ...createEchoAdapter(), maxFrameBytes: 16 * MB });
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const sent = [
      tradeFrame(1), tradeFrame(2), nestedArrays(10 * MB), tradeFrame(3), tradeFrame(4),
      nestedObjectsAtTheEnd(2 * MB), tradeFrame(5), tradeFrame(6),
    ];
    for (const f of sent) server.broadcast(f);
    await waitFor(() => sink.trades().length === 6, 'all six trades');
    loop.disable();

    expect(sink.tradeIds()).toEqual(['1', '2', '3', '4', '5', '6']);
    const h = runner.health();
    expect(h).toMatchObject({ state: 'live', errors: 2, reconnects: 0, connections: 1 });
    expect(h.lastError).toMatchObject({ kind: 'protocol', message: 'frame nested deeper than 64 levels; dropped unparsed' });
    expect(h.lastError!.cause).toMatch(/^2 MB frame, level 65 opens at character \d+: \{"pad":"xxx/);
    expect(server.totalConnections).toBe(1);
    expect(sink.gaps).toEqual([]);
    // Parsing the 10 MB frame took ~2 s of one uninterrupted turn; refusing it takes milliseconds.
    expect(loop.max / 1e6).toBeLessThan(1_000);
  });

  it('drops a frame over the default 1 MB cap and keeps the connection; past 4x the cap ws closes it and the feed reconnects with the cause shown', async () => {
    const { server, runner, subscribed, ...sink } = await start(createEchoAdapter());
    server.broadcast(tradeFrame(1));
    server.broadcast(`{"t":[],"pad":"${'x'.repeat(2 * MB)}"}`);
    server.broadcast(tradeFrame(2));
    await waitFor(() => sink.trades().length === 2, 'the trades around the 2 MB frame');
    let h = runner.health();
    expect(h).toMatchObject({ state: 'live', errors: 1, reconnects: 0, connections: 1 });
    expect(h.lastError).toMatchObject({ kind: 'protocol', message: 'frame of 2 MB exceeds the 1 MB frame limit for Echo; dropped', cause: expect.stringMatching(/^\{"t":\[\],"pad":"xxx/) });
    expect(server.totalConnections).toBe(1);

    // 10 MB: beyond what ws may buffer for this venue (4 MB); the socket is closed.
    server.broadcast(nestedArrays(10 * MB));
    await waitFor(() => subscribed.size === 2, 'resubscribed after the refused frame');
    server.broadcast(tradeFrame(3));
    await waitFor(() => sink.trades().length === 3, 'a trade after the reconnect');
    h = runner.health();
    expect(h).toMatchObject({ state: 'live', errors: 2, reconnects: 1 });
    expect(h.lastError).toMatchObject({ kind: 'protocol', message: 'frame larger than 4 MB refused; connection closed', cause: expect.stringMatching(/^Echo's frame limit is 1 MB/) });
    const backoff = sink.statuses.find((s) => s.state === 'backoff')!;
    expect(backoff.cause).toMatch(/^frame larger than 4 MB refused; connection closed: Echo's frame limit is 1 MB/);
    expect(sink.gaps.map((g) => g.phase)).toEqual(['start', 'end']);
  });

  it('a tuning override replaces the venue cap', async () => {
    const { server, runner, ...sink } = await start({ ...createEchoAdapter(), maxFrameBytes: 16 * MB }, { tuning: { maxFrameBytes: 1024 } });
    server.broadcast(`{"t":[],"pad":"${'x'.repeat(2_000)}"}`);
    server.broadcast(tradeFrame(1));
    await waitFor(() => sink.trades().length === 1, 'the trade after the refused frame');
    expect(runner.health().lastError).toMatchObject({ message: 'frame of 2 KB exceeds the 1 KB frame limit for Echo; dropped' });
  });
});
