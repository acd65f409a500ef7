/**
 * The hidden "fair value" of one symbol, shared by its spot and perp markets so the two stay
 * together like real ones do (the perp trades at a small, wandering premium).
 *
 * It moves on a fixed grid of simulated time (GRID_MS), with its own PRNG stream, so its path
 * depends only on the seed and never on who asks for it or when:
 *  - log-price random walk whose volatility clusters: log-volatility is an Ornstein-Uhlenbeck
 *    process (half-life about a minute), so calm and busy stretches alternate;
 *  - bursts: every ~45 s on average a 0.5-8 s episode starts in which trading is 10x as intense,
 *    volatility triples and the price runs in one direction (a cascade);
 *  - a weak pull back to the start price (half-life 6 h) so an app left running all day stays in a
 *    plausible band;
 *  - the perp premium (basis): an OU process around +2 bp.
 */
import { Rng } from './rng';

export const GRID_MS = 10;
const DT = GRID_MS / 1000;
const SQRT_DT = Math.sqrt(DT);
const SECONDS_PER_YEAR = 365 * 86400;

/** Trading intensity inside a burst, as a multiple of the calm intensity. */
export const BURST_INTENSITY = 10;
/** Mean calm time between bursts, s. */
export const BURST_MEAN_GAP_S = 45;
const BURST_MIN_S = 0.5;
const BURST_EXTRA_MEAN_S = 1.5;
const BURST_MAX_S = 8;
/** Long-run share of time spent in a burst: mean duration / (mean gap + mean duration). */
export const BURST_TIME_SHARE = (BURST_MIN_S + BURST_EXTRA_MEAN_S) / (BURST_MEAN_GAP_S + BURST_MIN_S + BURST_EXTRA_MEAN_S);

const VOL_KAPPA = Math.LN2 / 60; // log-vol half-life 60 s
const VOL_STATIONARY_SD = 0.4;
const VOL_ETA = VOL_STATIONARY_SD * Math.sqrt(2 * VOL_KAPPA);
/** Log-vol jump at the start of a burst: the market stays nervous for a while after it. */
const VOL_BURST_KICK = 0.2;
/** OU target, below 0 so that with the kicks the average volatility is about the calm level. */
const VOL_TARGET = -VOL_BURST_KICK / (VOL_KAPPA * BURST_MEAN_GAP_S);
const PRICE_KAPPA = Math.LN2 / (6 * 3600);
const BASIS_MEAN = 0.0002;
const BASIS_KAPPA = Math.LN2 / 30;
const BASIS_ETA = 0.0003 * Math.sqrt(2 * BASIS_KAPPA);

export class FairValuePath {
  /** Calm volatility per sqrt(second). */
  readonly baseSigma: number;
  private readonly rng: Rng;
  private readonly logStart: number;
  // State after the newest generated step.
  private logPrice: number;
  private logVolDev = VOL_TARGET;
  private basis = BASIS_MEAN;
  private burstLeftSteps = 0;
  private burstDir = 0;
  // History of steps [first, first + length): kept only as far back as a market still needs.
  private first = 0;
  private readonly price: number[] = [];
  private readonly sigma: number[] = [];
  private readonly burst: number[] = [];
  private readonly basisAt: number[] = [];
  private readonly ret: number[] = [];

  /** False for a steady load (benchmarks): no bursts at all. */
  readonly bursts: boolean;

  constructor(seed: number, symbol: string, startPrice: number, annualVol: number, bursts = true) {
    this.rng = new Rng(seed, `fair:${symbol}`);
    this.bursts = bursts;
    this.baseSigma = annualVol / Math.sqrt(SECONDS_PER_YEAR);
    this.logStart = Math.log(startPrice);
    this.logPrice = this.logStart;
    this.push(0);
  }

  /** Grid step holding simulated time t (ms). */
  static step(t: number): number {
    return Math.floor(t / GRID_MS);
  }

  /** Makes sure steps up to the one holding t exist. */
  ensure(t: number): void {
    const want = Math.floor(t / GRID_MS);
    while (this.first + this.price.length <= want) this.generate();
  }

  /** Forgets steps before the one holding t (no market will ask for them again). */
  trimBefore(t: number): void {
    const drop = Math.floor(t / GRID_MS) - this.first;
    // Splicing is O(n): do it in chunks, not every tick.
    if (drop < 512 || drop >= this.price.length) return;
    this.price.splice(0, drop);
    this.sigma.splice(0, drop);
    this.burst.splice(0, drop);
    this.basisAt.splice(0, drop);
    this.ret.splice(0, drop);
    this.first += drop;
  }

  private index(k: number): number {
    const i = k - this.first;
    if (i < 0 || i >= this.price.length) throw new Error(`fair value step ${k} not available`);
    return i;
  }

  /** Fair price in step k (call ensure first). */
  priceAt(k: number): number {
    return this.price[this.index(k)]!;
  }
  /** Volatility per sqrt(second) in step k. */
  sigmaAt(k: number): number {
    return this.sigma[this.index(k)]!;
  }
  /** 0 when calm, +1 / -1 in an up / down burst. */
  burstAt(k: number): number {
    return this.burst[this.index(k)]!;
  }
  /** Perp premium over fair value, as a fraction. */
  basisOf(k: number): number {
    return this.basisAt[this.index(k)]!;
  }
  /** Log return of step k, in units of that step's standard deviation (order-flow hint). */
  zReturnAt(k: number): number {
    return this.ret[this.index(k)]!;
  }

  private generate(): void {
    const r = this.rng;
    if (this.burstLeftSteps > 0) {
      this.burstLeftSteps--;
      if (this.burstLeftSteps === 0) this.burstDir = 0;
    } else if (r.chance(DT / BURST_MEAN_GAP_S) && this.bursts) {
      const seconds = Math.min(BURST_MAX_S, BURST_MIN_S + r.exponential(BURST_EXTRA_MEAN_S));
      this.burstLeftSteps = Math.max(1, Math.round(seconds / DT));
      this.burstDir = r.chance(0.5) ? 1 : -1;
      this.logVolDev += VOL_BURST_KICK;
    }
    this.logVolDev += -VOL_KAPPA * (this.logVolDev - VOL_TARGET) * DT + VOL_ETA * SQRT_DT * r.normal();
    this.logVolDev = Math.min(2, Math.max(-1.5, this.logVolDev));
    const sigma = this.baseSigma * Math.exp(this.logVolDev) * (this.burstDir !== 0 ? 3 : 1);
    const z = r.normal();
    const drift = this.burstDir * 3 * this.baseSigma - PRICE_KAPPA * (this.logPrice - this.logStart);
    this.logPrice += sigma * SQRT_DT * z + (drift - 0.5 * sigma * sigma) * DT;
    this.basis += -BASIS_KAPPA * (this.basis - BASIS_MEAN) * DT + BASIS_ETA * SQRT_DT * r.normal();
    this.push(z, sigma);
  }

  private push(z: number, sigma = this.baseSigma): void {
    this.price.push(Math.exp(this.logPrice));
    this.sigma.push(sigma);
    this.burst.push(this.burstDir);
    this.basisAt.push(this.basis);
    this.ret.push(z);
  }
}
