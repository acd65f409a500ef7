import { describe, expect, it } from 'vitest';
import { decimalsOf, formatUnits, marketSpec, parseMarkets } from '../../../electron/core/simulator/markets';
import { resolveOptions, simulatorOptionsFromFeed } from '../../../electron/core/simulator/options';
import { Rng } from '../../../electron/core/simulator/rng';

describe('simulator markets option', () => {
  it('offers BTC, ETH and SOL against USDT as spot and perp by default, with venue-like ticks and lots', () => {
    const specs = parseMarkets();
    expect(specs.map((s) => `${s.market}:${s.symbol}`)).toEqual([
      'spot:BTC-USDT', 'perp:BTC-USDT', 'spot:ETH-USDT', 'perp:ETH-USDT', 'spot:SOL-USDT', 'perp:SOL-USDT',
    ]);
    expect(marketSpec('spot', 'BTC-USDT')).toMatchObject({ startPrice: 64000, tick: 0.01, lot: 0.00001 });
    expect(marketSpec('perp', 'BTC-USDT')).toMatchObject({ tick: 0.1, lot: 0.001 });
  });

  it('reads market-type prefixes and user-typed symbols, and drops duplicates', () => {
    expect(parseMarkets(['perp:eth/usdt', 'spot:BTC-USDT', 'ETH-USDT']).map((s) => `${s.market}:${s.symbol}`)).toEqual([
      'perp:ETH-USDT', 'spot:BTC-USDT', 'spot:ETH-USDT',
    ]);
  });

  it('names the bad entry', () => {
    expect(() => parseMarkets(['BTCUSDT'])).toThrow('markets: "BTCUSDT" is not a canonical symbol');
    expect(() => parseMarkets(['futures:BTC-USDT'])).toThrow('unknown market type "futures"');
    expect(() => parseMarkets([])).toThrow('at least one market');
  });

  it('makes up stable, sane parameters for symbols it does not list', () => {
    const a = marketSpec('spot', 'PEPE-USDT');
    expect(marketSpec('spot', 'PEPE-USDT')).toEqual(a);
    expect(a.startPrice).toBeGreaterThan(0.09);
    expect(a.startPrice).toBeLessThan(1001);
    expect(a.tick).toBeLessThan(a.startPrice / 1000);
    expect(a.typicalSize / a.lot).toBeGreaterThanOrEqual(10);
  });
});

describe('fixed-point text', () => {
  it('writes units with the right decimals', () => {
    expect(formatUnits(6400012, 2)).toBe('64000.12');
    expect(formatUnits(5, 5)).toBe('0.00005');
    expect(formatUnits(150, 3)).toBe('0.150');
    expect(formatUnits(42, 0)).toBe('42');
    expect([decimalsOf(0.01), decimalsOf(0.00001), decimalsOf(1), decimalsOf(0.5), decimalsOf(1e-8)]).toEqual([2, 5, 0, 1, 8]);
  });
});

describe('simulator options', () => {
  it('fills in defaults', () => {
    const o = resolveOptions({ seed: 5 });
    expect(o).toMatchObject({ port: 0, host: '127.0.0.1', seed: 5, rate: 25, tickMs: 20, heartbeatMs: 1000, faults: [] });
    expect(o.markets).toEqual(['BTC-USDT', 'ETH-USDT', 'SOL-USDT']);
    expect(Number.isInteger(resolveOptions().seed)).toBe(true);
  });

  it('rejects bad values naming the field', () => {
    expect(() => resolveOptions({ rate: -1 })).toThrow('rate: must be a positive number');
    expect(() => resolveOptions({ fault: { mode: 'explode' as 'drop' } })).toThrow('fault');
    expect(() => simulatorOptionsFromFeed({ seed: 'x' })).toThrow('seed');
    expect(() => simulatorOptionsFromFeed({ colour: 'red' })).toThrow('colour');
    expect(simulatorOptionsFromFeed({ rate: 100, fault: { mode: 'stall', afterMs: 10, forMs: 50 } })).toEqual({
      rate: 100,
      fault: { mode: 'stall', afterMs: 10, forMs: 50 },
    });
  });
});

describe('seeded PRNG', () => {
  it('repeats per seed and stream and differs across them', () => {
    const draw = (seed: number, stream: string) => {
      const r = new Rng(seed, stream);
      return Array.from({ length: 5 }, () => r.nextU32());
    };
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
  });

  it('has the right mean for uniforms, normals and exponentials', () => {
    const r = new Rng(3);
    let u = 0;
    let n = 0;
    let n2 = 0;
    let e = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      u += r.next();
      const z = r.normal();
      n += z;
      n2 += z * z;
      e += r.exponential(2);
    }
    expect(u / N).toBeCloseTo(0.5, 1);
    expect(n / N).toBeCloseTo(0, 1);
    expect(n2 / N).toBeCloseTo(1, 1);
    expect(e / N).toBeCloseTo(2, 1);
  });
});
