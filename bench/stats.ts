/** Small numeric helpers shared by the benchmark sections. */

export interface Throughput {
  frames: number;
  trades: number;
  /** From the first data frame received to the last one counted. */
  ms: number;
  framesPerSec: number;
  tradesPerSec: number;
  /**
   * CPU time the measured process used per trade over the same stretch (µs, all its threads: the
   * JS thread, GC helpers, I/O). Less disturbed by other load on the machine than a rate: a
   * diagnostic for comparing code states, not a headline number.
   */
  cpuUsPerTrade?: number;
}

/** CPU ms of this process so far (user + system, all threads). */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function cpuPerTrade(cpuMs: number | null, trades: number): { cpuUsPerTrade?: number } {
  return cpuMs === null || !(cpuMs >= 0) || trades <= 0 ? {} : { cpuUsPerTrade: round((cpuMs * 1000) / trades, 2) };
}

export function throughput(frames: number, trades: number, ms: number): Throughput {
  const s = Math.max(ms, 1e-3) / 1000;
  return { frames, trades, ms: round(ms, 1), framesPerSec: Math.round(frames / s), tradesPerSec: Math.round(trades / s) };
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50), 2),
    p95: round(percentile(sorted, 95), 2),
    p99: round(percentile(sorted, 99), 2),
    max: round(sorted.length ? sorted[sorted.length - 1]! : NaN, 2),
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves when `cond()` holds; rejects after `timeoutMs`, or after `stallMs` without `progress()` changing. */
export async function waitFor(cond: () => boolean, opts: { timeoutMs: number; stallMs?: number; progress?: () => number }): Promise<void> {
  const start = performance.now();
  let lastProgress = opts.progress?.() ?? 0;
  let lastChange = start;
  while (!cond()) {
    await sleep(5);
    const now = performance.now();
    const p = opts.progress?.() ?? 0;
    if (p !== lastProgress) {
      lastProgress = p;
      lastChange = now;
    }
    if (now - start > opts.timeoutMs) throw new Error(`timed out after ${opts.timeoutMs} ms`);
    if (opts.stallMs !== undefined && now - lastChange > opts.stallMs) throw new Error(`no progress for ${opts.stallMs} ms`);
  }
}

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
