/**
 * Simulator options: types, defaults and validation. The same schema (shared/venue-options.ts)
 * checks options passed in code (SimulatorServer.start) and the `options` of a simulator
 * FeedConfig, so a bad value is reported naming the field (`rate: must be a positive number ...`).
 */
import { randomInt } from 'node:crypto';
import { formatIssues } from '../../../shared/config';
import { simulatorOptionsSchema } from '../../../shared/venue-options';
import { DEFAULT_SYMBOLS } from './markets';
import { BOOK_DEPTH } from './sim-book';

export type FaultMode = 'drop' | 'stall' | 'malformed' | 'drop-diff';

/**
 * A fault the server injects by itself, `afterMs` after start, then every `everyMs` if given.
 * drop: every client socket is terminated (no close frame: the client sees 1006).
 * stall: market data stops for `forMs` while heartbeats, pongs and acks continue.
 * malformed: every connected client gets `count` broken frames, one per tick among good ones.
 */
export interface FaultSpec {
  mode: FaultMode;
  afterMs?: number;
  /** stall: how long, ms (default 5000). */
  forMs?: number;
  /** malformed: frames per client (default 5). */
  count?: number;
  /** Repeat the fault with this period, ms. */
  everyMs?: number;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** 127.0.0.1 (default) or ::1: the simulator is never reachable from the network. */
  host?: '127.0.0.1' | '::1';
  /** PRNG seed; default random (read it back from SimulatorServer.seed to reproduce a run). */
  seed?: number;
  /** Mean trades per second per market (default 25). */
  rate?: number;
  /** 10x bursts (default true); false gives a steady load at `rate`, for benchmarks. */
  bursts?: boolean;
  /** Canonical symbols; bare = spot and perp, or `spot:SYM` / `perp:SYM` (default BTC, ETH, SOL vs USDT). */
  markets?: string[];
  /** Market data is generated and sent in batches every tickMs (default 20). */
  tickMs?: number;
  /** Server heartbeat period, ms (default 1000). */
  heartbeatMs?: number;
  /** Minimum time between two quotes of one market, ms (default 100); unchanged quotes repeat every 1 s. */
  quoteIntervalMs?: number;
  /** A client whose unsent data exceeds this many bytes misses data frames until it catches up (default 8 MiB). */
  maxBufferedBytes?: number;
  /**
   * Levels a side of each market's book, one tick apart (default BOOK_DEPTH, 25): deeper books
   * (up to 1000) for the depth heatmap's tests and bench, whose price moves more than 25 ticks.
   */
  bookDepth?: number;
  fault?: FaultSpec | FaultSpec[];
}

export const DEFAULT_RATE = 25;
export const DEFAULT_TICK_MS = 20;
export const DEFAULT_HEARTBEAT_MS = 1000;
export const DEFAULT_QUOTE_INTERVAL_MS = 100;
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
export const DEFAULT_STALL_MS = 5000;
export const DEFAULT_MALFORMED_COUNT = 5;

/**
 * One schema for both: the feed's `options` (validated with the feed, shared/venue-options.ts)
 * and options passed in code. It keeps `host` on loopback, so no caller can make the simulator
 * listen on the network.
 */
const optionsSchema = simulatorOptionsSchema;

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'fault'>> & { faults: FaultSpec[] };

/** Validates options (throws an Error naming the bad field) and fills in the defaults. */
export function resolveOptions(opts: SimulatorOptions = {}): ResolvedOptions {
  const r = optionsSchema.safeParse(opts);
  if (!r.success) throw new Error(`invalid simulator options: ${formatIssues(r.error)}`);
  const o = r.data;
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    seed: o.seed ?? randomInt(1, 2 ** 31),
    rate: o.rate ?? DEFAULT_RATE,
    bursts: o.bursts ?? true,
    markets: o.markets ?? [...DEFAULT_SYMBOLS],
    tickMs: o.tickMs ?? DEFAULT_TICK_MS,
    heartbeatMs: o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    quoteIntervalMs: o.quoteIntervalMs ?? DEFAULT_QUOTE_INTERVAL_MS,
    maxBufferedBytes: o.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    bookDepth: o.bookDepth ?? BOOK_DEPTH,
    faults: o.fault === undefined ? [] : Array.isArray(o.fault) ? o.fault : [o.fault],
  };
}

/**
 * Reads the venue options of a simulator FeedConfig (`options: { rate, seed, fault, ... }`);
 * `undefined` gives {}. Throws an Error naming the bad field.
 */
export function simulatorOptionsFromFeed(options: Record<string, unknown> | undefined): SimulatorOptions {
  if (options === undefined) return {};
  const r = optionsSchema.safeParse(options);
  if (!r.success) throw new Error(`invalid simulator options: ${formatIssues(r.error)}`);
  return r.data;
}
