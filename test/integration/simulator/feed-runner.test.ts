/**
 * The connection runtime (FeedRunner) with the simulator adapter against a real SimulatorServer:
 * the path a new user's default feed takes, including recovery from the simulator's faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { Quote } from '../../../shared/domain';
import { simulatorAdapter } from '../../../electron/core/adapters/simulator/venue';
import { SimulatorServer } from '../../../electron/core/simulator/server';
import { feedHarness } from '../../helpers/feed-harness';

let sim: SimulatorServer | undefined;
const { runCollectedFeed, waitFor, tearDown } = feedHarness(() => sim && { connections: sim.clients(), close: () => sim!.close() });
afterEach(async () => {
  await tearDown();
  sim = undefined;
});

function startRunner(url: string, market: 'spot' | 'perp', symbols: string[], channels: FeedConfig['channels']) {
  const feed = runCollectedFeed({
    config: { id: `simulator-${market}`, exchange: 'simulator', market, symbols, channels, url },
    adapter: simulatorAdapter,
    tuning: { connectTimeoutMs: 3_000, backoffInitialMs: 50, backoffMaxMs: 500, backoffJitter: 0, random: () => 0.5 },
  });
  return { ...feed, quotes: () => feed.data.filter((e): e is Quote => e.type === 'quote') };
}

describe('FeedRunner + simulator adapter + SimulatorServer', () => {
  it('receives normalised trades and quotes for the configured spot markets and goes live', async () => {
    sim = await SimulatorServer.start({ seed: 21, rate: 300 });
    const { runner, ...sink } = startRunner(sim.url, 'spot', ['BTC-USDT', 'ETH-USDT'], ['trades', 'quotes']);
    await waitFor(() => new Set(sink.trades().map((t) => t.symbol)).size === 2 && sink.quotes().length > 0, 'trades of both markets and quotes');
    const t = sink.trades()[0]!;
    expect(t).toMatchObject({ type: 'trade', exchange: 'simulator', market: 'spot' });
    expect(t.price).toBeGreaterThan(1000);
    expect(new Set(sink.trades().map((x) => x.symbol))).toEqual(new Set(['BTC-USDT', 'ETH-USDT']));
    await waitFor(() => runner.health().state === 'live', 'live state');
    expect(runner.health().errors).toBe(0);
  });

  it('recovers from a dropped connection with a gap, and counts malformed frames as errors', async () => {
    sim = await SimulatorServer.start({ seed: 22, rate: 300 });
    const { runner, ...sink } = startRunner(sim.url, 'perp', ['BTC-USDT'], ['trades', 'funding']);
    await waitFor(() => sink.trades().length > 10, 'perp trades');
    sim.fault('drop');
    await waitFor(() => sink.gaps.some((g) => g.phase === 'end') && sink.trades().length > 0, 'gap start and end, then more trades');
    const n = sink.trades().length;
    await waitFor(() => sink.trades().length > n + 10, 'trades after reconnect');
    expect(runner.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(sink.gaps.map((g) => g.phase).slice(0, 2)).toEqual(['start', 'end']);
    sim.fault('malformed', 3);
    await waitFor(() => runner.health().errors >= 3, '3 parse errors');
    expect(runner.health().lastError).toMatchObject({ kind: 'parse' });
    // The simulator sends funding once a second of its run time: wait for it, do not assume it came.
    await waitFor(() => sink.data.some((e) => e.type === 'funding'), 'a funding event');
  });
});
