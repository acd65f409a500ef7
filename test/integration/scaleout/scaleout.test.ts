/**
 * Issue 13: one ingest node publishes to NATS JetStream, desktops subscribe with a `nats` feed.
 * A real nats-server (nats-server.ts) and the built-in simulator as the venue; trades are compared
 * field by field (ids, prices, sizes, sides, times) and final bars OHLCV by OHLCV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatorServer } from '../../../electron/core/simulator/server';
import { waitFor } from '../../helpers/wait-for';
import { barKey, startDesktop, startIngestNode, stopIngestNode, tradeKeys, type Node } from './harness';
import { NatsTestServer } from './nats-server';

let nats: NatsTestServer;
let sim: SimulatorServer;
const open: Node[] = [];

beforeAll(async () => {
  nats = await NatsTestServer.start();
  sim = await SimulatorServer.start({ seed: 13, rate: 200, markets: ['BTC-USDT', 'ETH-USDT'] });
});

afterAll(async () => {
  for (const n of open) await n.pipeline.stop();
  await sim?.close();
  await nats?.close();
});

function desktop(...args: Parameters<typeof startDesktop>): Promise<Node> {
  return startDesktop(...args).then((n) => (open.push(n), n));
}

const until = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a shared ingest node through NATS JetStream', () => {
  it('two desktops get the same trades and final bars as the ingest node', async () => {
    const stream = 'TS_SAME';
    const node = await startIngestNode(nats.url, sim.url, stream);
    const a = await desktop(nats.url, 'same-a', { stream });
    await until(2_500);
    const b = await desktop(nats.url, 'same-b', { stream }); // joins late: replays from the stream
    await until(1_000);
    await stopIngestNode(node);
    const published = tradeKeys(node.trades);
    expect(published.length).toBeGreaterThan(300);
    expect(node.publisher.stats().droppedRecords).toBe(0);
    for (const d of [a, b]) {
      await waitFor(() => d.trades.length >= published.length, 'every trade at the desktop', { explain: () => `${d.trades.length}/${published.length}` });
    }
    expect(tradeKeys(a.trades)).toEqual(published);
    expect(tradeKeys(b.trades)).toEqual(published);
    // Every bar the ingest node closed closes identically at both desktops.
    const nodeBars = node.bars.map(barKey);
    expect(nodeBars.length).toBeGreaterThan(4);
    for (const d of [a, b]) {
      await waitFor(() => nodeBars.every((k) => d.bars.some((x) => barKey(x) === k)), 'the same final bars', {
        explain: () => `${d.bars.length} bars at the desktop, ${nodeBars.length} at the node`,
      });
    }
    expect(node.publisher.stats().batchSize).toBeGreaterThan(1);
  }, 60_000);
});
