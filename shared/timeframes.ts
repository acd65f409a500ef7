/** Timeframe strings (`1s`, `15m`, `1h`, `1d`) to milliseconds and back. */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const TF_RE = /^([1-9][0-9]*)([smhd])$/;

export function isTimeframe(tf: string): boolean {
  return TF_RE.test(tf);
}

export function timeframeMs(tf: string): number {
  const m = TF_RE.exec(tf);
  if (!m) throw new Error(`invalid timeframe "${tf}" (expected e.g. 1s, 5m, 1h)`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** Start of the window containing `time` (UTC-aligned). */
export function windowStart(time: number, tfMs: number): number {
  return Math.floor(time / tfMs) * tfMs;
}
