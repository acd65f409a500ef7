import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimulatorServer } from '../../../electron/core/simulator/server';
import { waitFor } from '../../helpers/wait-for';
import { TestClient } from './client';

const servers: SimulatorServer[] = [];
const clients: TestClient[] = [];

async function start(opts: Parameters<typeof SimulatorServer.start>[0]): Promise<SimulatorServer> {
  const s = await SimulatorServer.start(opts);
  servers.push(s);
  return s;
}
async function connect(s: SimulatorServer): Promise<TestClient> {
  const c = await TestClient.connect(s.url);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('simulator server over loopback', () => {
  it('listens on 127.0.0.1 with a random port and greets with the markets it offers', async () => {
    const sim = await start({ seed: 1, markets: ['BTC-USDT', 'spot:ETH-USDT'] });
    expect(sim.url).toBe(`ws://127.0.0.1:${sim.port}`);
    expect(sim.port).toBeGreaterThan(0);
    const c = await connect(sim);
    await waitFor(() => c.ofType('info').length === 1, 'info');
    expect(c.ofType('info')[0]).toMatchObject({
      server: 'tickscope-simulator',
      protocol: 1,
      markets: { spot: ['BTC-USDT', 'ETH-USDT'], perp: ['BTC-USDT'] },
    });
    await waitFor(() => sim.clients() === 1, 'client count');
  });

  it('acks a subscription, then sends trades and quotes for exactly the subscribed markets', async () => {
    const sim = await start({ seed: 2, rate: 300 });
    const c = await connect(sim);
    c.subscribe(['trades'], ['BTC-USDT', 'ETH-USDT']);
    c.subscribe(['quotes'], ['SOL-USDT']);
    await waitFor(() => {
      const syms = new Set(c.trades().map((t) => t.symbol));
      return syms.has('BTC-USDT') && syms.has('ETH-USDT') && c.ofType('quote').length >= 2;
    }, 'trades of both symbols and a SOL quote');
    expect(c.ofType('ack')).toEqual([
      { type: 'ack', id: 1, op: 'subscribe', market: 'spot', channels: ['trades'], symbols: ['BTC-USDT', 'ETH-USDT'] },
      { type: 'ack', id: 2, op: 'subscribe', market: 'spot', channels: ['quotes'], symbols: ['SOL-USDT'] },
    ]);
    const trades = c.trades();
    expect(new Set(trades.map((t) => `${t.market}:${t.symbol}`))).toEqual(new Set(['spot:BTC-USDT', 'spot:ETH-USDT']));
    expect(new Set(c.ofType('quote').map((q) => `${q.market}:${q.symbol}`))).toEqual(new Set(['spot:SOL-USDT']));
    // Per market, ids follow one another with no gap, and times are the real clock.
    const btc = trades.filter((t) => t.symbol === 'BTC-USDT');
    btc.forEach((t, i) => i > 0 && expect(t.id).toBe(btc[i - 1]!.id + 1));
    expect(Math.abs(btc[0]!.time - Date.now())).toBeLessThan(5_000);
    expect(btc[0]!.price).toMatch(/^\d+\.\d{2}$/);
    expect(btc[0]!.size).toMatch(/^\d+\.\d{5}$/);
    expect(['buy', 'sell']).toContain(btc[0]!.side);
    const q = c.ofType('quote')[0]!;
    expect(Number(q.bid)).toBeLessThan(Number(q.ask));
  });

  it('answers an unknown symbol with an error naming it and subscribes the rest', async () => {
    const sim = await start({ seed: 3, rate: 200 });
    const c = await connect(sim);
    c.subscribe(['trades'], ['DOGE-USDT', 'BTC-USDT'], 'perp');
    await waitFor(() => c.ofType('error').length === 1 && c.ofType('ack').length === 1, 'error and ack');
    expect(c.ofType('error')[0]).toEqual({
      type: 'error', id: 1, code: 'unknown_symbol', symbol: 'DOGE-USDT',
      message: 'unknown symbol "DOGE-USDT" on the simulator\'s perp market (available: BTC-USDT, ETH-USDT, SOL-USDT)',
    });
    expect(c.ofType('ack')[0]).toMatchObject({ id: 1, market: 'perp', symbols: ['BTC-USDT'] });
    await waitFor(() => c.trades().length > 0, 'perp trades');
    expect(new Set(c.trades().map((t) => `${t.market}:${t.symbol}`))).toEqual(new Set(['perp:BTC-USDT']));
  });

  it('rejects bad requests with a clear error and keeps the connection', async () => {
    const sim = await start({ seed: 4 });
    const c = await connect(sim);
    c.ws.send('not json');
    c.request({ op: 'dance' });
    c.subscribe(['funding'], ['BTC-USDT'], 'spot');
    c.subscribe(['trades'], [], 'spot');
    c.request({ op: 'ping' });
    await waitFor(() => c.ofType('error').length === 4 && c.ofType('pong').length === 1, 'four errors and a pong');
    expect(c.ofType('error').map((e) => [e.id, e.code, e.message])).toEqual([
      [null, 'bad_request', 'invalid JSON: not json'],
      [1, 'bad_request', 'unknown op "dance" (subscribe, unsubscribe or ping)'],
      [2, 'unknown_channel', 'unknown channel "funding" for spot (trades, quotes, book)'],
      [3, 'bad_request', '"symbols" must be an array of 1 to 1000 strings'],
    ]);
    expect(c.ofType('ack')).toEqual([]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('answers app pings with pongs carrying the id, WebSocket pings with pongs, and heartbeats every heartbeatMs', async () => {
    const sim = await start({ seed: 5, heartbeatMs: 100 });
    const c = await connect(sim);
    const id = c.request({ op: 'ping' });
    let wsPong = false;
    c.ws.once('pong', () => (wsPong = true));
    c.ws.ping();
    await waitFor(() => c.ofType('pong').length === 1 && wsPong && c.ofType('heartbeat').length >= 3, 'pong, ws pong and 3 heartbeats');
    expect(c.ofType('pong')[0]).toMatchObject({ type: 'pong', id });
    const hb = c.ofType('heartbeat').map((h) => h.time as number);
    expect(hb[2]! - hb[0]!).toBeGreaterThanOrEqual(150);
  });

  it('serves several clients with their own subscriptions from one generated stream', async () => {
    const sim = await start({ seed: 6, rate: 300 });
    const a = await connect(sim);
    const b = await connect(sim);
    a.subscribe(['trades'], ['BTC-USDT']);
    b.subscribe(['trades'], ['BTC-USDT', 'ETH-USDT']);
    await waitFor(() => {
      const bIds = new Set(b.trades().filter((t) => t.symbol === 'BTC-USDT').map((t) => t.id));
      return a.trades().filter((t) => bIds.has(t.id)).length >= 20 && b.trades().some((t) => t.symbol === 'ETH-USDT');
    }, 'shared trades');
    expect(new Set(a.trades().map((t) => t.symbol))).toEqual(new Set(['BTC-USDT']));
    const bById = new Map(b.trades().filter((t) => t.symbol === 'BTC-USDT').map((t) => [t.id, t]));
    for (const t of a.trades()) if (bById.has(t.id)) expect(bById.get(t.id)).toEqual(t);
    expect(sim.clients()).toBe(2);
  });

  it('sends the same trades for the same seed, and different ones for another seed', async () => {
    const [s1, s2, s3] = await Promise.all([start({ seed: 77, rate: 200 }), start({ seed: 77, rate: 200 }), start({ seed: 78, rate: 200 })]);
    const [c1, c2, c3] = await Promise.all([connect(s1!), connect(s2!), connect(s3!)]);
    for (const c of [c1!, c2!, c3!]) c.subscribe(['trades'], ['ETH-USDT']);
    const overlap = (x: TestClient, y: TestClient) => {
      const ys = new Map(y.trades().map((t) => [t.id, t]));
      return x.trades().filter((t) => ys.has(t.id)).map((t) => [t, ys.get(t.id)!] as const);
    };
    await waitFor(() => overlap(c1!, c2!).length >= 50 && overlap(c1!, c3!).length >= 50, 'overlapping ids');
    for (const [x, y] of overlap(c1!, c2!)) expect([y.price, y.size, y.side]).toEqual([x.price, x.size, x.side]);
    const pairs = overlap(c1!, c3!);
    expect(pairs.filter(([x, y]) => x.price === y.price && x.size === y.size).length).toBeLessThan(pairs.length / 4);
  });

  it('stops sending a market after unsubscribe', async () => {
    const sim = await start({ seed: 8, rate: 300 });
    const c = await connect(sim);
    c.subscribe(['trades'], ['BTC-USDT', 'SOL-USDT']);
    await waitFor(() => c.trades().some((t) => t.symbol === 'SOL-USDT'), 'SOL trades');
    c.request({ op: 'unsubscribe', market: 'spot', channels: ['trades'], symbols: ['SOL-USDT'] });
    await waitFor(() => c.ofType('ack').length === 2, 'unsubscribe ack');
    const solBefore = c.trades().filter((t) => t.symbol === 'SOL-USDT').length;
    const btcBefore = c.trades().filter((t) => t.symbol === 'BTC-USDT').length;
    await waitFor(() => c.trades().filter((t) => t.symbol === 'BTC-USDT').length > btcBefore + 30, 'more BTC trades');
    expect(c.trades().filter((t) => t.symbol === 'SOL-USDT').length).toBe(solBefore);
  });

  it('counts the trades and frames it delivered', async () => {
    const sim = await start({ seed: 9, rate: 300, heartbeatMs: 60_000 });
    const c = await connect(sim);
    c.subscribe(['trades'], ['BTC-USDT']);
    await waitFor(() => c.trades().length >= 50, 'trades');
    sim.fault('stall', 60_000);
    const sent = sim.stats();
    await waitFor(() => c.frames.length >= sent.framesSent, 'everything sent has arrived');
    expect(c.trades().length).toBe(sent.tradesSent);
    expect(c.frames.length).toBe(sent.framesSent);
  });

  it('close() closes clients with 1001, stops listening and leaves no timers', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const sim = await SimulatorServer.start({ seed: 10, rate: 500, tickMs: 10, fault: { mode: 'malformed', afterMs: 60_000, everyMs: 1000 } });
    const c = await connect(sim);
    c.subscribe(['trades', 'quotes'], ['BTC-USDT']);
    await waitFor(() => c.trades().length > 0, 'trades');
    await sim.close();
    await c.waitClosed();
    expect(c.closeCode).toBe(1001);
    expect(sim.clients()).toBe(0);
    await expect(TestClient.connect(sim.url)).rejects.toThrow(/ECONNREFUSED/);
    await waitFor(() => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length <= before, 'no timers left behind');
    await sim.close(); // twice is harmless
  });

  it('rejects bad options and a taken port with a clear message', async () => {
    await expect(SimulatorServer.start({ rate: 0 })).rejects.toThrow('invalid simulator options: rate');
    await expect(SimulatorServer.start({ markets: ['nope'] })).rejects.toThrow('markets: "nope" is not a canonical symbol');
    const sim = await start({ seed: 1 });
    await expect(SimulatorServer.start({ port: sim.port })).rejects.toThrow(`simulator could not listen on 127.0.0.1:${sim.port}`);
  });
});
