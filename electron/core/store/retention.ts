/**
 * How long final bars are kept, per timeframe. Fine timeframes are numerous and mostly useful
 * for recent history; coarse ones are small and kept forever.
 *
 * Default: up to 1s: 2 days; up to 15s: 7 days; up to 1m: 90 days; coarser: forever.
 * A policy entry names a timeframe exactly (`{"5s": 3}` keeps 5s bars 3 days; null = forever);
 * timeframes it does not name fall back to the default rule.
 */
import { timeframeMs } from '../../../shared/timeframes';

const DAY_MS = 86_400_000;

/** Days to keep per timeframe; null keeps forever. */
export type RetentionPolicy = Record<string, number | null>;

export function defaultRetentionDays(tf: string): number | null {
  const ms = timeframeMs(tf);
  if (ms <= 1_000) return 2;
  if (ms <= 15_000) return 7;
  if (ms <= 60_000) return 90;
  return null;
}

/** Milliseconds a timeframe's bars are kept, or null for forever. */
export function retentionMs(tf: string, policy: RetentionPolicy = {}): number | null {
  const days = Object.prototype.hasOwnProperty.call(policy, tf) ? policy[tf]! : defaultRetentionDays(tf);
  return days === null ? null : days * DAY_MS;
}
