/**
 * What the replay server sends on the next subscribed connection, and how it paces it.
 *
 * - `max`: as fast as the socket takes it (the writer waits for 'drain'); exchange time of
 *   trade k is `startTime + k` ms, a busy market's 1000 trades/s, so bar windows move on.
 * - `rate`: a fixed number of frames per second, each stamped with its send time (fractional
 *   epoch ms) so the receiver can measure exchange-to-screen latency.
 * - `pause`: nothing for a while (the receiver settles between latency steps).
 * - `gate`: nothing until the parent says go.
 */
import type { Venue } from './frames';

export type Phase =
  | { kind: 'max'; frames: number }
  | { kind: 'rate'; perSecond: number; ms: number }
  | { kind: 'pause'; ms: number }
  /** Waits for ReplayProcess.go() (the receivers, e.g. a browser page, are ready). */
  | { kind: 'gate' };

export interface Scenario {
  venue: Venue;
  /** Native symbol, `BTCUSDT`. */
  native: string;
  /**
   * Trades per frame: 1 on Binance (aggTrade), ~20 on Bybit (publicTrade batches). For `depth`
   * scenarios, level changes per diff frame.
   */
  tradesPerFrame: number;
  /** `depth`: book diff frames (replay/depth-frames.ts) instead of trades (default `trades`). */
  kind?: 'trades' | 'depth';
  phases: Phase[];
  seed?: number;
}

export interface ReplayDone {
  type: 'done';
  frames: number;
  trades: number;
  /** Wall time of the first and last socket write (ms, performance clock of the server). */
  ms: number;
  /** Per phase: first and last trade id sent. */
  phases: { firstId: number; lastId: number; frames: number }[];
}

/** Frames a rate phase sends in total: exact, so receivers know the trade ids of each phase. */
export function rateFrames(p: { perSecond: number; ms: number }): number {
  return Math.floor((p.perSecond * p.ms) / 1000);
}

export function totalFrames(s: Scenario): number {
  let n = 0;
  for (const p of s.phases) n += p.kind === 'max' ? p.frames : p.kind === 'rate' ? rateFrames(p) : 0;
  return n;
}

export function totalTrades(s: Scenario): number {
  return totalFrames(s) * s.tradesPerFrame;
}

/** Epoch ms with sub-ms resolution, the same clock the browser page uses. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
