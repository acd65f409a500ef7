import { afterEach, describe, expect, it } from 'vitest';
import { simulatorAdapter } from '../../../electron/core/adapters/simulator/venue';
import { SimulatorServer } from '../../../electron/core/simulator/server';
import { waitFor } from '../../helpers/wait-for';
import { TestClient } from './client';

const servers: SimulatorServer[] = [];
const clients: TestClient[] = [];

async function live(opts: Parameters<typeof SimulatorServer.start>[0], symbols = ['BTC-USDT']): Promise<{ sim: SimulatorServer; c: TestClient }> {
  const sim = await SimulatorServer.start({ rate: 300, ...opts });
  servers.push(sim);
  const c = await TestClient.connect(sim.url);
  clients.push(c);
  c.subscribe(['trades'], symbols);
  return { sim, c };
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('simulator faults at run time', () => {
  it('drop: terminates every client without a close frame, and accepts new connections', async () => {
    const { sim, c } = await live({ seed: 1 });
    const other = await TestClient.connect(sim.url);
    clients.push(other);
    await waitFor(() => c.trades().length > 0, 'trades');
    sim.fault('drop');
    await c.waitClosed();
    await other.waitClosed();
    expect(c.closeCode).toBe(1006);
    expect(other.closeCode).toBe(1006);
    await waitFor(() => sim.clients() === 0, 'server to forget them');
    const again = await TestClient.connect(sim.url);
    clients.push(again);
    again.subscribe(['trades'], ['BTC-USDT']);
    await waitFor(() => again.trades().length > 0, 'trades after reconnect');
  });

  it('stall: stops market data while heartbeats and pongs go on, then resumes with an id gap', async () => {
    const { sim, c } = await live({ seed: 2, heartbeatMs: 100 });
    await waitFor(() => c.trades().length > 20, 'trades');
    sim.fault('stall', 60_000);
    expect(sim.stalled()).toBe(true);
    await c.roundTrip(); // every trade sent before the stall has arrived
    const tradesAtStart = c.trades().length;
    const beatsAtStart = c.ofType('heartbeat').length;
    const lastId = c.trades().at(-1)!.id;
    await waitFor(() => c.ofType('heartbeat').length >= beatsAtStart + 5, '5 heartbeats during the stall');
    await c.roundTrip();
    expect(c.trades().length).toBe(tradesAtStart);
    sim.fault('stall', 0); // ends the stall early
    expect(sim.stalled()).toBe(false);
    await waitFor(() => c.trades().length > tradesAtStart, 'trades after the stall');
    // The market kept trading during the stall: the client sees the ids it missed as a jump.
    expect(c.trades()[tradesAtStart]!.id).toBeGreaterThan(lastId + 1);
  });

  it('stall: ends by itself after its duration', async () => {
    const { sim, c } = await live({ seed: 3 });
    await waitFor(() => c.trades().length > 0, 'trades');
    const at = Date.now();
    sim.fault('stall', 400);
    await c.roundTrip(); // every trade sent before the stall has arrived
    const n = c.frames.length;
    await waitFor(() => c.frames.slice(n).some((f) => f.json?.type === 'trades'), 'trades again');
    expect(c.frames.slice(n).find((f) => f.json?.type === 'trades')!.at - at).toBeGreaterThanOrEqual(390);
  });

  it('malformed: sends exactly `count` unparseable frames among good ones', async () => {
    const { sim, c } = await live({ seed: 4 });
    await waitFor(() => c.trades().length > 0, 'trades');
    const from = c.frames.length;
    sim.fault('malformed', 6);
    const parser = simulatorAdapter.createParser({ exchange: 'simulator', market: 'spot', toCanonical: (s) => s, streams: [] });
    const kinds = () => c.frames.slice(from).map((f) => (parser.parse(f.text, 0).some((e) => e.type === 'error' && e.kind === 'parse') ? 'bad' : 'good'));
    await waitFor(() => {
      const k = kinds();
      return k.filter((x) => x === 'bad').length === 6 && k.lastIndexOf('good') > k.lastIndexOf('bad');
    }, '6 bad frames and good ones after them');
    const k = kinds();
    // Interleaved: good frames arrive between the broken ones.
    expect(k.slice(k.indexOf('bad'), k.lastIndexOf('bad')).filter((x) => x === 'good').length).toBeGreaterThan(0);
    expect(sim.stats().malformedSent).toBe(6);
    // The stream goes on: 5 more good frames, and still exactly 6 bad ones.
    const seen = k.length;
    await waitFor(() => kinds().slice(seen).filter((x) => x === 'good').length >= 5, '5 more good frames');
    expect(kinds().filter((x) => x === 'bad').length).toBe(6);
  });
});

describe('simulator faults as start options', () => {
  it('drops clients afterMs after start', async () => {
    const { c } = await live({ seed: 5, fault: { mode: 'drop', afterMs: 300 } });
    await c.waitClosed();
    expect(c.closeCode).toBe(1006);
  });

  it('repeats a fault everyMs', async () => {
    const { sim, c } = await live({ seed: 6, fault: { mode: 'malformed', afterMs: 0, count: 1, everyMs: 100 } });
    await waitFor(() => c.frames.filter((f) => f.json === undefined || (f.json.type === 'trades' && (f.json.data as unknown[][])[0]?.[1] === 'not-a-price')).length >= 3, '3 malformed frames');
    expect(sim.stats().malformedSent).toBeGreaterThanOrEqual(3);
  });

  it('stalls from the start for forMs: heartbeats but no market data', async () => {
    const { c } = await live({ seed: 7, heartbeatMs: 100, fault: { mode: 'stall', afterMs: 0, forMs: 60_000 } });
    await waitFor(() => c.ofType('ack').length === 1 && c.ofType('heartbeat').length >= 3, 'ack and 3 heartbeats');
    expect(c.trades()).toEqual([]);
  });
});
