/**
 * All simulated markets of one server, advanced together in simulated time (ms since start).
 * Pure and synchronous, no clock and no sockets: the server maps wall time onto it, tests drive it
 * directly. Same seed + same markets + same rate => the same trade sequence per market.
 */
import type { MarketType } from '../../../shared/domain';
import { FairValuePath } from './fair-value';
import { MarketModel } from './market-model';
import type { MarketSpec } from './markets';

export interface SimulationOptions {
  seed: number;
  /** Mean trades per second per market. */
  rate: number;
  markets: readonly MarketSpec[];
  /** Default true; false gives a steady Poisson load at exactly `rate` (benchmarks). */
  bursts?: boolean;
}

export class Simulation {
  readonly markets: readonly MarketModel[];
  private readonly paths: FairValuePath[];
  private readonly byKey = new Map<string, MarketModel>();
  private now = 0;

  constructor(opts: SimulationOptions) {
    const paths = new Map<string, FairValuePath>();
    const markets: MarketModel[] = [];
    for (const spec of opts.markets) {
      let path = paths.get(spec.symbol);
      if (!path) {
        path = new FairValuePath(opts.seed, spec.symbol, spec.startPrice, spec.annualVol, opts.bursts ?? true);
        paths.set(spec.symbol, path);
      }
      const model = new MarketModel(spec, path, opts.seed, opts.rate);
      markets.push(model);
      this.byKey.set(`${spec.market}:${spec.symbol}`, model);
    }
    this.markets = markets;
    this.paths = [...paths.values()];
  }

  /** Simulated time reached by the last advance, ms. */
  time(): number {
    return this.now;
  }

  find(market: MarketType, symbol: string): MarketModel | undefined {
    return this.byKey.get(`${market}:${symbol}`);
  }

  /**
   * Moves simulated time to t; each market's `trades` / `liquidations` then hold what happened
   * in (previous t, t]. Going backwards is a no-op.
   */
  advance(t: number): void {
    if (t < this.now) t = this.now;
    for (const m of this.markets) m.advance(t);
    this.now = t;
    // Every market's next event lies after t and quotes are taken at t or later.
    for (const p of this.paths) p.trimBefore(t);
  }
}
