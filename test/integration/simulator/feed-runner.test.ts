/**
 * The connection runtime (FeedRunner) with the simulator adapter against a real SimulatorServer:
 * the path a new user's default feed takes, including recovery from the simulator's faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { Gap, MarketData, Quote, Trade } from '../../../shared/domain';
import type { StatusRecord } from '../../../shared/health';
import { simulatorAdapter } from '../../../electron/core/adapters/simulator';
import { FeedRunner, type FeedSink } from '../../../electron/core/runtime/feed';
import { SimulatorServer } from '../../../electron/core/simulator/server';
import { waitFor as wait } from './client';

class Sink implements FeedSink {
  readonly events: MarketData[] = [];
  readonly gaps: Gap[] = [];
  readonly statuses: StatusRecord[] = [];
  data(e: MarketData): void {
    this.events.push(e);
  }
  gap(g: Gap): void {
    this.gaps.push(g);
  }
  status(s: StatusRecord): void {
    this.statuses.push(s);
  }
  trades = () => this.events.filter((e): e is Trade => e.type === 'trade');
  quotes = () => this.events.filter((e): e is Quote => e.type === 'quote');
}

let sim: SimulatorServer | null = null;
let runner: FeedRunner | null = null;

afterEach(async () => {
  await runner?.stop();
  await sim?.close();
  runner = null;
  sim = null;
});

function startRunner(url: string, market: 'spot' | 'perp', symbols: string[], channels: FeedConfig['channels']): Sink {
  const sink = new Sink();
  const config: FeedConfig = { id: `simulator-${market}`, exchange: 'simulator', market, symbols, channels, url, enabled: true };
  runner = new FeedRunner({
    config,
    adapter: simulatorAdapter,
    sink,
    tuning: { connectTimeoutMs: 3_000, backoffInitialMs: 50, backoffMaxMs: 500, backoffJitter: 0, random: () => 0.5 },
  });
  runner.start();
  return sink;
}


describe('FeedRunner + simulator adapter + SimulatorServer', () => {
  it('receives normalised trades and quotes for the configured spot markets and goes live', async () => {
    sim = await SimulatorServer.start({ seed: 21, rate: 300 });
    const sink = startRunner(sim.url, 'spot', ['BTC-USDT', 'ETH-USDT'], ['trades', 'quotes']);
    await wait('trades of both markets and quotes', () => {
      const syms = new Set(sink.trades().map((t) => t.symbol));
      return syms.size === 2 && sink.quotes().length > 0;
    });
    const t = sink.trades()[0]!;
    expect(t).toMatchObject({ type: 'trade', exchange: 'simulator', market: 'spot' });
    expect(t.price).toBeGreaterThan(1000);
    expect(new Set(sink.trades().map((x) => x.symbol))).toEqual(new Set(['BTC-USDT', 'ETH-USDT']));
    await wait('live state', () => runner!.health().state === 'live');
    expect(runner!.health().errors).toBe(0);
  });

  it('recovers from a dropped connection with a gap, and counts malformed frames as errors', async () => {
    sim = await SimulatorServer.start({ seed: 22, rate: 300 });
    const sink = startRunner(sim.url, 'perp', ['BTC-USDT'], ['trades', 'funding']);
    await wait('perp trades', () => sink.trades().length > 10);
    sim.fault('drop');
    await wait('gap start and end, then more trades', () => sink.gaps.some((g) => g.phase === 'end') && sink.trades().length > 0);
    const n = sink.trades().length;
    await wait('trades after reconnect', () => sink.trades().length > n + 10);
    expect(runner!.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(sink.gaps.map((g) => g.phase).slice(0, 2)).toEqual(['start', 'end']);
    sim.fault('malformed', 3);
    await wait('3 parse errors', () => runner!.health().errors >= 3);
    expect(runner!.health().lastError).toMatchObject({ kind: 'parse' });
    expect(sink.events.some((e) => e.type === 'funding')).toBe(true);
  });
});
