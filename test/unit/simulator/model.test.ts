import { describe, expect, it } from 'vitest';
import type { MarketModel, SimTrade } from '../../../electron/core/simulator/market-model';
import { parseMarkets } from '../../../electron/core/simulator/markets';
import { Simulation } from '../../../electron/core/simulator/simulation';

type Row = [number, number, number, number, string];

/** Runs a simulation with the given time steps and returns one market's trades. */
function run(opts: { seed: number; rate: number; markets?: string[] }, steps: Iterable<number>, market = 'spot', symbol = 'BTC-USDT'): { model: MarketModel; trades: SimTrade[] } {
  const sim = new Simulation({ seed: opts.seed, rate: opts.rate, markets: parseMarkets(opts.markets) });
  const model = sim.find(market as 'spot' | 'perp', symbol)!;
  const trades: SimTrade[] = [];
  for (const t of steps) {
    sim.advance(t);
    trades.push(...model.trades);
  }
  return { model, trades };
}

function* regular(stepMs: number, endMs: number): Iterable<number> {
  for (let t = stepMs; t <= endMs; t += stepMs) yield t;
}

function* irregular(endMs: number): Iterable<number> {
  const pattern = [7, 333, 1, 49, 1000, 3, 250];
  let t = 0;
  for (let i = 0; t < endMs; i++) yield (t = Math.min(endMs, t + pattern[i % pattern.length]!));
}

const rows = (trades: SimTrade[], n: number): Row[] =>
  trades.slice(0, n).map((x, i) => [x.id, i === 0 ? x.t : x.t - trades[i - 1]!.t, x.priceTicks, x.sizeLots, x.side]);

describe('simulator determinism', () => {
  it('gives the same trade sequence (ids, gaps, prices, sizes, sides) for the same seed, however time is sliced', () => {
    const a = run({ seed: 42, rate: 200 }, regular(20, 10_000)).trades;
    const b = run({ seed: 42, rate: 200 }, irregular(10_000)).trades;
    expect(a.length).toBeGreaterThan(1000);
    expect(rows(b, 1000)).toEqual(rows(a, 1000));
    expect(b.length).toBe(a.length);
  });

  it('gives a different sequence for a different seed', () => {
    const a = rows(run({ seed: 42, rate: 200 }, regular(20, 5_000)).trades, 500);
    const b = rows(run({ seed: 43, rate: 200 }, regular(20, 5_000)).trades, 500);
    const samePrice = a.filter((r, i) => b[i] && r[2] === b[i]![2]).length;
    const sameGap = a.filter((r, i) => b[i] && r[1] === b[i]![1]).length;
    expect(samePrice).toBeLessThan(50);
    expect(sameGap).toBe(0);
  });

  it("does not change a market's sequence when other markets are added", () => {
    const alone = run({ seed: 9, rate: 100, markets: ['spot:BTC-USDT'] }, regular(50, 5_000)).trades;
    const withOthers = run({ seed: 9, rate: 100, markets: ['ETH-USDT', 'BTC-USDT', 'DOGE-USDT'] }, regular(50, 5_000)).trades;
    expect(rows(withOthers, 300)).toEqual(rows(alone, 300));
  });

  it('numbers trades 1, 2, 3... per market with non-decreasing times', () => {
    const { trades } = run({ seed: 1, rate: 500 }, regular(20, 2_000), 'perp', 'ETH-USDT');
    trades.forEach((t, i) => expect(t.id).toBe(i + 1));
    for (let i = 1; i < trades.length; i++) expect(trades[i]!.t).toBeGreaterThanOrEqual(trades[i - 1]!.t);
  });
});

describe('simulator without bursts (benchmark load)', () => {
  it('trades at a steady rate: every simulated second within 25 % of the rate, the mean within 2 %', () => {
    const RATE = 2000;
    const sim = new Simulation({ seed: 5, rate: RATE, markets: parseMarkets(['spot:BTC-USDT']), bursts: false });
    const perSecond: number[] = [];
    for (let s = 1; s <= 120; s++) {
      sim.advance(s * 1000);
      perSecond.push(sim.markets[0]!.trades.length);
    }
    expect(Math.min(...perSecond)).toBeGreaterThan(RATE * 0.75);
    expect(Math.max(...perSecond)).toBeLessThan(RATE * 1.25);
    const mean = perSecond.reduce((a, b) => a + b, 0) / perSecond.length;
    expect(Math.abs(mean / RATE - 1)).toBeLessThan(0.02);
  });
});

describe('simulator statistics over a simulated hour (seed 7, 50 trades/s per market)', () => {
  const HOUR = 3_600_000;
  const RATE = 50;
  const sim = new Simulation({ seed: 7, rate: RATE, markets: parseMarkets() });
  const all = new Map<MarketModel, SimTrade[]>(sim.markets.map((m) => [m, []]));
  const mids = new Map<MarketModel, number[]>(sim.markets.map((m) => [m, []]));
  for (let t = 1000; t <= HOUR; t += 1000) {
    sim.advance(t);
    for (const m of sim.markets) {
      all.get(m)!.push(...m.trades);
      mids.get(m)!.push(m.midAt(t));
    }
  }
  const btc = sim.find('spot', 'BTC-USDT')!;
  const btcTrades = all.get(btc)!;

  it('has a mean rate within 10 % of the requested rate on every market', () => {
    for (const [m, trades] of all) {
      const perSecond = trades.length / (HOUR / 1000);
      expect(perSecond, `${m.market} ${m.symbol}`).toBeGreaterThan(RATE * 0.9);
      expect(perSecond, `${m.market} ${m.symbol}`).toBeLessThan(RATE * 1.1);
    }
  });

  it('keeps prices positive and within a plausible band around the start price', () => {
    for (const [m, trades] of all) {
      const start = m.spec.startPrice;
      let lo = Infinity;
      let hi = 0;
      for (const t of trades) {
        const p = m.price(t.priceTicks);
        lo = Math.min(lo, p);
        hi = Math.max(hi, p);
      }
      expect(lo, `${m.market} ${m.symbol}`).toBeGreaterThan(start * 0.8);
      expect(hi, `${m.market} ${m.symbol}`).toBeLessThan(start * 1.25);
    }
  });

  it('keeps the perp within a few basis points of the spot', () => {
    const spot = mids.get(btc)!;
    const perp = mids.get(sim.find('perp', 'BTC-USDT')!)!;
    const premiums = perp.map((p, i) => p / spot[i]! - 1);
    expect(Math.min(...premiums)).toBeGreaterThan(-0.002);
    expect(Math.max(...premiums)).toBeLessThan(0.003);
  });

  it('has both taker sides in roughly equal share', () => {
    const buys = btcTrades.filter((t) => t.side === 'buy').length / btcTrades.length;
    expect(buys).toBeGreaterThan(0.4);
    expect(buys).toBeLessThan(0.6);
  });

  it('has 10x bursts: many seconds with at least 5x the mean rate, while the median second is calm', () => {
    const perSecond = new Array<number>(HOUR / 1000).fill(0);
    for (const t of btcTrades) perSecond[Math.floor(t.t / 1000)]!++;
    const busy = perSecond.filter((n) => n >= 5 * RATE).length;
    expect(busy).toBeGreaterThan(20);
    const sorted = [...perSecond].sort((a, b) => a - b);
    expect(sorted[sorted.length >> 1]).toBeLessThan(RATE);
  });

  it('has occasional large prints of at least 20x the typical size (about 1 in 500)', () => {
    const typicalLots = btc.spec.typicalSize / btc.spec.lot;
    const large = btcTrades.filter((t) => t.sizeLots >= 20 * typicalLots).length;
    expect(large / btcTrades.length).toBeGreaterThan(0.001);
    expect(large / btcTrades.length).toBeLessThan(0.005);
  });

  it('clusters volatility: big one-second moves tend to follow big ones', () => {
    const m = mids.get(btc)!;
    const abs = m.slice(1).map((p, i) => Math.abs(Math.log(p / m[i]!)));
    const mean = abs.reduce((a, b) => a + b, 0) / abs.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < abs.length; i++) {
      den += (abs[i]! - mean) ** 2;
      if (i > 0) num += (abs[i]! - mean) * (abs[i - 1]! - mean);
    }
    // Independent returns would give about 0 (|noise| < 0.04 over 3600 samples).
    expect(num / den).toBeGreaterThan(0.15);
  });

  it('prices on the tick grid and sizes in whole lots, buys at or above sells nearby', () => {
    for (const t of btcTrades.slice(0, 2000)) {
      expect(Number.isInteger(t.priceTicks) && t.priceTicks > 0).toBe(true);
      expect(Number.isInteger(t.sizeLots) && t.sizeLots >= 1).toBe(true);
    }
    expect(btc.priceText(6400012)).toBe('64000.12');
    expect(btc.sizeText(1500)).toBe('0.01500');
  });
});
