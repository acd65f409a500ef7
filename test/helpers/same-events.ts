/** Comparison for the fast-path differential tests (a hand-written scanner against JSON.parse). */
import type { ParsedEvent } from '../../electron/core/adapters/adapter';

/** Same keys in the same order, values compared with Object.is (so -0 differs from 0). */
export function sameEvents(a: readonly ParsedEvent[], b: readonly ParsedEvent[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as unknown as Record<string, unknown>;
    const y = b[i] as unknown as Record<string, unknown>;
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.join() !== ky.join()) return false;
    for (const k of kx) if (!Object.is(x[k], y[k])) return false;
  }
  return true;
}
