/**
 * Timing knobs of the connection runtime. Defaults follow docs/architecture.md, Reliability; tests shorten
 * them (backoff in tens of ms, rotation after a second) to exercise the same code quickly.
 */
export interface RuntimeTuning {
  /** Socket open + WebSocket upgrade must finish within this. */
  connectTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** +/- fraction applied to every backoff delay. */
  backoffJitter: number;
  /** A market is never declared stale sooner than this after its last data... */
  watchdogFloorMs: number;
  /** ...nor later than this. */
  watchdogCeilingMs: number;
  /** threshold = clamp(factor * typical inter-arrival, floor, ceiling). */
  watchdogFactor: number;
  /** Overrides adapter.rotateAfterMs; null keeps the adapter's (or no rotation). */
  rotateAfterMs: number | null;
  /** Longest time both connections stay open during a make-before-break rotation. */
  rotationOverlapMaxMs: number;
  /**
   * Overrides the venue's frame cap (adapter.maxFrameBytes, else 1 MB; see frame-guard.ts); null
   * keeps the venue's. Larger frames are dropped and counted as protocol errors.
   */
  maxFrameBytes: number | null;
  /**
   * After the last subscribe message, the venue must answer (an ack, a rejection, or market data)
   * within this; otherwise the connection fails with that cause and is retried with backoff.
   */
  subscribeAckTimeoutMs: number;
  /** Jitter source, uniform in [0, 1). */
  random: () => number;
}

export const DEFAULT_TUNING: Readonly<RuntimeTuning> = Object.freeze({
  connectTimeoutMs: 10_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  backoffJitter: 0.25,
  watchdogFloorMs: 5_000,
  watchdogCeilingMs: 60_000,
  watchdogFactor: 10,
  rotateAfterMs: null,
  rotationOverlapMaxMs: 10_000,
  maxFrameBytes: null,
  subscribeAckTimeoutMs: 10_000,
  random: Math.random,
});

/** Fills the defaults and rejects values that would make the runtime spin or never fire. */
export function resolveTuning(partial: Partial<RuntimeTuning> | undefined): RuntimeTuning {
  const t: RuntimeTuning = { ...DEFAULT_TUNING, ...stripUndefined(partial ?? {}) };
  const positive: (keyof RuntimeTuning)[] = [
    'connectTimeoutMs', 'backoffInitialMs', 'backoffMaxMs', 'watchdogFloorMs', 'watchdogCeilingMs',
    'watchdogFactor', 'rotationOverlapMaxMs', 'subscribeAckTimeoutMs',
  ];
  for (const k of positive) {
    const v = t[k];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new RangeError(`runtime tuning: ${k} must be a positive number (got ${String(v)})`);
  }
  if (t.watchdogCeilingMs < t.watchdogFloorMs) throw new RangeError('runtime tuning: watchdogCeilingMs must be >= watchdogFloorMs');
  if (t.backoffMaxMs < t.backoffInitialMs) throw new RangeError('runtime tuning: backoffMaxMs must be >= backoffInitialMs');
  if (t.rotateAfterMs !== null && !(t.rotateAfterMs > 0)) throw new RangeError('runtime tuning: rotateAfterMs must be positive or null');
  if (t.maxFrameBytes !== null && !(t.maxFrameBytes > 0 && Number.isFinite(t.maxFrameBytes))) {
    throw new RangeError(`runtime tuning: maxFrameBytes must be a positive number or null (got ${String(t.maxFrameBytes)})`);
  }
  return t;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
