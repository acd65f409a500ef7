import { afterEach, expect, it } from 'vitest';
import { FakeWsServer, waitFor } from '../../helpers/fake-ws-server';
import { createEchoAdapter } from '../../helpers/echo-adapter';
import { FeedRunner } from '../../../electron/core/runtime/feed';
import { echoVenue, FAST, feedConfig, RecordingSink, tradeFrame } from './harness';

let server: FakeWsServer | null = null;
let runner: FeedRunner | null = null;
afterEach(async () => {
  await runner?.stop();
  await server?.close();
  runner = null;
  server = null;
});

it('frames still in flight while a stopping feed closes are neither recorded nor delivered', async () => {
  server = await FakeWsServer.start();
  const venue = echoVenue(server);
  const sink = new RecordingSink();
  const recorded: string[] = [];
  runner = new FeedRunner({
    config: feedConfig(server.url), adapter: createEchoAdapter(), sink, tuning: FAST,
    onFrame: (frame) => recorded.push(frame),
  });
  runner.start();
  await waitFor(() => venue.subscribed.has(1), 'subscribe');
  // Stop as soon as the first trade is delivered, with the rest of a burst still on the wire.
  let stopping: Promise<void> | null = null;
  const deliver = sink.data.bind(sink);
  sink.data = (e) => {
    deliver(e);
    stopping ??= runner!.stop();
  };
  for (let i = 1; i <= 2_000; i++) server.broadcast(tradeFrame(i));
  await waitFor(() => stopping !== null, 'the first trade');
  await stopping;
  const recordedIds = recorded
    .map((f) => JSON.parse(f) as { t?: { id: string }[] })
    .flatMap((m) => (m.t ?? []).map((t) => t.id));
  // A recording holds exactly what the pipeline got, so a replay of it gives the same bars.
  expect(recordedIds).toEqual(sink.tradeIds());
  expect(sink.tradeIds().length).toBeLessThan(2_000);
});
