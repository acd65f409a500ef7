/**
 * One simulated market: when trades happen and at what price, size and side.
 *
 * Arrivals are a Poisson process whose intensity follows the symbol's burst state (10x inside a
 * burst), normalised so the long-run mean is the requested rate. Event times are drawn one at a
 * time by integrating the intensity over the fair-value grid, so the sequence (ids, gaps, prices,
 * sizes, sides) is identical however the caller slices time into ticks.
 *
 * Microstructure: bid/ask straddle the market's mid (fair value, plus the premium on a perp) with
 * a spread that widens with volatility; buys print at the ask, sells at the bid; sizes are
 * log-normal around the market's typical size; about 1 trade in 500 is a large print (25-150x)
 * that sweeps a few ticks through the book. Perps also see forced liquidations, mostly in bursts.
 *
 * Quotes are sampled at the caller's cadence from a separate PRNG stream, so how often they are
 * taken never disturbs the trade sequence.
 */
import type { MarketType } from '../../../shared/domain';
import { BURST_INTENSITY, BURST_TIME_SHARE, FairValuePath, GRID_MS } from './fair-value';
import { decimalsOf, formatUnits, type MarketSpec } from './markets';
import { Rng } from './rng';

export type SimSide = 'buy' | 'sell';

export interface SimTrade {
  /** Sequential per market, from 1. */
  id: number;
  /** Simulated time, ms since the simulation started. */
  t: number;
  priceTicks: number;
  sizeLots: number;
  side: SimSide;
}

export interface SimLiquidation {
  t: number;
  priceTicks: number;
  sizeLots: number;
  side: SimSide;
}

export interface SimQuote {
  bidTicks: number;
  bidLots: number;
  askTicks: number;
  askLots: number;
}

const LARGE_PRINT_CHANCE = 0.002;
const SIZE_SIGMA = 0.9;
/** Makes the log-normal size's mean equal the typical size: E[exp(sZ - s^2/2)] = 1. */
const SIZE_MEAN_FIX = -0.5 * SIZE_SIGMA * SIZE_SIGMA;

export class MarketModel {
  readonly spec: MarketSpec;
  readonly market: MarketType;
  readonly symbol: string;
  readonly priceDecimals: number;
  readonly sizeDecimals: number;
  /** Trades and liquidations produced by the last advance(). */
  readonly trades: SimTrade[] = [];
  readonly liquidations: SimLiquidation[] = [];
  private readonly tickUnits: number;
  private readonly lotUnits: number;
  readonly typicalLots: number;
  private readonly path: FairValuePath;
  private readonly rng: Rng;
  private readonly quoteRng: Rng;
  /** Calm intensity, trades per simulated ms. */
  private readonly calmPerMs: number;
  private nextId = 1;
  private nextTime = 0;

  constructor(spec: MarketSpec, path: FairValuePath, seed: number, ratePerSecond: number) {
    this.spec = spec;
    this.market = spec.market;
    this.symbol = spec.symbol;
    this.path = path;
    this.rng = new Rng(seed, `trades:${spec.market}:${spec.symbol}`);
    this.quoteRng = new Rng(seed, `quotes:${spec.market}:${spec.symbol}`);
    this.priceDecimals = decimalsOf(spec.tick);
    this.sizeDecimals = decimalsOf(spec.lot);
    this.tickUnits = Math.round(spec.tick * 10 ** this.priceDecimals);
    this.lotUnits = Math.round(spec.lot * 10 ** this.sizeDecimals);
    this.typicalLots = Math.max(1, spec.typicalSize / spec.lot);
    const burstShare = path.bursts ? BURST_TIME_SHARE : 0;
    this.calmPerMs = ratePerSecond / (1 + (BURST_INTENSITY - 1) * burstShare) / 1000;
    this.nextTime = this.drawArrival(0);
  }

  /** Produces every event with time <= t (simulated ms) into `trades` / `liquidations`. */
  advance(t: number): void {
    this.trades.length = 0;
    this.liquidations.length = 0;
    while (this.nextTime <= t) {
      this.emit(this.nextTime);
      this.nextTime = this.drawArrival(this.nextTime);
    }
  }

  /** Top of book at simulated time t, sizes from the quote stream. */
  quote(t: number): SimQuote {
    this.touch(t);
    const r = this.quoteRng;
    return {
      bidTicks: this.bid,
      bidLots: Math.max(1, Math.round(this.typicalLots * 2 * Math.exp(0.8 * r.normal()))),
      askTicks: this.bid + this.spread,
      askLots: Math.max(1, Math.round(this.typicalLots * 2 * Math.exp(0.8 * r.normal()))),
    };
  }

  /** Best bid and ask in ticks at simulated time t, drawing nothing (the simulated book, sim-book.ts). */
  touchTicks(t: number): { bidTicks: number; askTicks: number } {
    this.touch(t);
    return { bidTicks: this.bid, askTicks: this.bid + this.spread };
  }

  /** Mid price (market's own, perp premium included) at simulated time t. */
  midAt(t: number): number {
    this.path.ensure(t);
    const k = FairValuePath.step(t);
    const fair = this.path.priceAt(k);
    return this.market === 'perp' ? fair * (1 + this.path.basisOf(k)) : fair;
  }

  /** Fair value (index price) at simulated time t. */
  fairAt(t: number): number {
    this.path.ensure(t);
    return this.path.priceAt(FairValuePath.step(t));
  }

  /** Perp premium (fraction) at simulated time t. */
  basisAt(t: number): number {
    this.path.ensure(t);
    return this.path.basisOf(FairValuePath.step(t));
  }

  price(ticks: number): number {
    return (ticks * this.tickUnits) / 10 ** this.priceDecimals;
  }
  size(lots: number): number {
    return (lots * this.lotUnits) / 10 ** this.sizeDecimals;
  }
  priceText(ticks: number): string {
    return formatUnits(ticks * this.tickUnits, this.priceDecimals);
  }
  sizeText(lots: number): string {
    return formatUnits(lots * this.lotUnits, this.sizeDecimals);
  }

  // Scratch results of touch(), to avoid an allocation per trade on the hot path.
  private bid = 1;
  private spread = 1;

  /** Computes bid and spread (in ticks) at time t into this.bid / this.spread; returns the step. */
  private touch(t: number): number {
    this.path.ensure(t);
    const k = FairValuePath.step(t);
    const fair = this.path.priceAt(k);
    const mid = this.market === 'perp' ? fair * (1 + this.path.basisOf(k)) : fair;
    this.spread = Math.max(1, Math.round(this.path.sigmaAt(k) / this.path.baseSigma));
    this.bid = Math.max(1, Math.floor(mid / this.spec.tick - this.spread / 2));
    return k;
  }

  private emit(t: number): void {
    const k = this.touch(t);
    const r = this.rng;
    const burst = this.path.burstAt(k);
    let buy: boolean;
    if (burst !== 0) {
      buy = r.chance(0.8) === burst > 0; // a cascade: most takers push the same way
    } else {
      const hint = Math.max(-1, Math.min(1, this.path.zReturnAt(k) / 2));
      buy = r.chance(0.5 + 0.2 * hint); // order flow leans with the price move
    }
    let lots = this.typicalLots * Math.exp(SIZE_SIGMA * r.normal() + SIZE_MEAN_FIX) * (burst !== 0 ? 1.5 : 1);
    if (r.chance(LARGE_PRINT_CHANCE)) lots = this.typicalLots * r.uniform(25, 150);
    const sizeLots = Math.max(1, Math.round(lots));
    const sweep = Math.min(20, Math.floor(sizeLots / (this.typicalLots * 20)));
    const priceTicks = buy ? this.bid + this.spread + sweep : Math.max(1, this.bid - sweep);
    const side: SimSide = buy ? 'buy' : 'sell';
    this.trades.push({ id: this.nextId++, t, priceTicks, sizeLots, side });
    if (this.market === 'perp' && r.chance(burst !== 0 ? 0.03 : 0.0003)) {
      const liqSide: SimSide = burst !== 0 ? (burst < 0 ? 'sell' : 'buy') : side;
      this.liquidations.push({ t, priceTicks, sizeLots: Math.max(1, Math.round(sizeLots * r.uniform(2, 8))), side: liqSide });
    }
  }

  /** Next arrival after `from`: integrates the piecewise-constant intensity until it reaches Exp(1). */
  private drawArrival(from: number): number {
    let need = this.rng.exponential(1);
    let t = from;
    for (;;) {
      this.path.ensure(t);
      const k = FairValuePath.step(t);
      const perMs = this.calmPerMs * (this.path.burstAt(k) !== 0 ? BURST_INTENSITY : 1);
      const segEnd = (k + 1) * GRID_MS;
      const mass = perMs * (segEnd - t);
      if (mass >= need) return t + need / perMs;
      need -= mass;
      t = segEnd;
    }
  }
}
