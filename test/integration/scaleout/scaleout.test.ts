/**
 * Issue 13: one ingest node publishes to NATS JetStream, desktops subscribe with a `nats` feed.
 * A real nats-server (nats-server.ts) and the built-in simulator as the venue; trades are compared
 * field by field (ids, prices, sizes, sides, times) and final bars OHLCV by OHLCV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatorServer } from '../../../electron/core/simulator/server';
import { waitFor as waitForOnce, type WaitOptions } from '../../helpers/wait-for';
import { barKey, deskState, startDesktop, startIngestNode, stopIngestNode, tradeKeys, useNatsSuite, type Node } from './harness';
import type { NatsTestServer } from './nats-server';

const suite = useNatsSuite();
let nats: NatsTestServer;
let sim: SimulatorServer;

beforeAll(async () => {
  nats = suite.nats();
  sim = await SimulatorServer.start({ seed: 13, rate: 200, markets: ['BTC-USDT', 'ETH-USDT'] });
});

afterAll(async () => {
  await sim?.close();
});

async function desktop(...args: Parameters<typeof startDesktop>): Promise<Node> {
  return suite.track(await startDesktop(...args));
}

/** Three processes and a nats-server share 2 cores with the rest of the suite: waits get 30 s. */
function waitFor<T>(condition: () => T, what: string, o: WaitOptions = {}) {
  return waitForOnce(condition, what, { ...o, timeoutMs: Math.max(o.timeoutMs ?? 0, 30_000) });
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
      await waitFor(() => d.trades.length >= published.length, 'every trade at the desktop', { explain: () => `${d.trades.length}/${published.length} ${deskState(d)}` });
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
  }, 120_000);
});

/** Each trade id once, per market. */
function duplicateIds(trades: readonly { symbol: string; id?: string }[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const t of trades) {
    const k = `${t.symbol}:${t.id}`;
    if (seen.has(k)) dups.push(k);
    seen.add(k);
  }
  return dups;
}

describe('what survives what', () => {
  it('a desktop restarted midway resumes where it stopped: no trade lost, none twice', async () => {
    const stream = 'TS_DESK_RESTART';
    const node = await startIngestNode(nats.url, sim.url, stream);
    const first = await desktop(nats.url, 'resume', { stream });
    await waitFor(() => first.trades.length > 100, 'trades at the first run');
    await first.pipeline.stop();
    await until(1_000); // the node publishes on while the desktop is closed
    const second = await desktop(nats.url, 'resume', { stream });
    await until(500);
    await stopIngestNode(node);
    const published = tradeKeys(node.trades);
    await waitFor(() => first.trades.length + second.trades.length >= published.length, 'every trade over both runs', {
      explain: () => `${first.trades.length} + ${second.trades.length} of ${published.length} ${deskState(second)}`,
    });
    await until(300); // a duplicate would arrive right behind
    expect(duplicateIds([...first.trades, ...second.trades])).toEqual([]);
    expect(tradeKeys([...first.trades, ...second.trades])).toEqual(published);
    expect(second.trades.length).toBeGreaterThan(0);
  }, 120_000);

  it('an ingest node restarted midway: everything it published arrives once', async () => {
    const stream = 'TS_NODE_RESTART';
    const d = await desktop(nats.url, 'node-restart', { stream });
    const run1 = await startIngestNode(nats.url, sim.url, stream);
    await until(1_200);
    await stopIngestNode(run1);
    const run2 = await startIngestNode(nats.url, sim.url, stream);
    await until(1_200);
    await stopIngestNode(run2);
    const acked = run1.publisher.stats().publishedRecords + run2.publisher.stats().publishedRecords;
    expect(acked).toBeGreaterThan(0);
    const published = tradeKeys([...run1.trades, ...run2.trades]);
    await waitFor(() => d.trades.length >= published.length, 'both runs\' trades', { explain: () => `${d.trades.length}/${published.length} ${deskState(d)}` });
    await until(300);
    expect(duplicateIds(d.trades)).toEqual([]);
    expect(tradeKeys(d.trades)).toEqual(published);
  }, 120_000);

  it('a NATS server restarted midway: the node buffers and re-sends, the desktop resumes; nothing lost, nothing twice', async () => {
    const stream = 'TS_NATS_RESTART';
    const node = await startIngestNode(nats.url, sim.url, stream);
    const d = await desktop(nats.url, 'nats-restart', { stream });
    await waitFor(() => d.trades.length > 100, 'trades before the restart');
    await nats.stop();
    // The venue goes on: the node notices the loss and holds what it cannot send.
    await waitFor(() => !node.publisher.stats().connected && node.publisher.stats().bufferedRecords > 20, 'the node buffering', {
      explain: () => JSON.stringify(node.publisher.stats()),
    });
    await nats.restart();
    await waitFor(() => node.publisher.stats().connected && node.publisher.stats().bufferedRecords < 50, 'the node re-sent its buffer', {
      timeoutMs: 15_000, explain: () => JSON.stringify(node.publisher.stats()),
    });
    await until(500);
    await stopIngestNode(node);
    const s = node.publisher.stats();
    expect(s.droppedRecords).toBe(0);
    const published = tradeKeys(node.trades);
    await waitFor(() => d.trades.length >= published.length, 'every trade after the restart', { explain: () => `${d.trades.length}/${published.length} ${deskState(d)}` });
    await until(300);
    expect(duplicateIds(d.trades)).toEqual([]);
    expect(tradeKeys(d.trades)).toEqual(published);
  }, 120_000);

  it('a hot-standby ingest node on the same venue does not double the data', async () => {
    const stream = 'TS_STANDBY';
    const a = await startIngestNode(nats.url, sim.url, stream);
    const b = await startIngestNode(nats.url, sim.url, stream);
    const d = await desktop(nats.url, 'standby', { stream });
    await until(2_000);
    await stopIngestNode(a);
    await stopIngestNode(b);
    // Both nodes saw the simulator's trades from when each connected: the union, once each.
    const union = new Map<string, (typeof a.trades)[number]>();
    for (const t of [...a.trades, ...b.trades]) union.set(`${t.symbol}:${t.id}`, t);
    await waitFor(() => d.trades.length >= union.size, 'the union of both nodes\' trades', { explain: () => `${d.trades.length}/${union.size} ${deskState(d)}` });
    await until(300);
    expect(duplicateIds(d.trades)).toEqual([]);
    expect(d.trades.length).toBe(union.size);
    expect(a.publisher.stats().duplicates + b.publisher.stats().duplicates).toBeGreaterThan(0);
  }, 120_000);
});
