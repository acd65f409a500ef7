/**
 * getBars: stored bars merged with the aggregator's in-memory ones. The two overlap for recent
 * windows (a bar is in memory and, once flushed, in the store); at the seam the in-memory version
 * wins for the same start, so the open bar is never doubled and a bar finalised a moment ago
 * but not yet flushed is not lost.
 */
import type { Bar } from '../../../shared/domain';

/** Both inputs oldest first; result oldest first, unique starts, the newest `limit`. */
export function mergeBars(stored: readonly Bar[], memory: readonly Bar[], limit: number): Bar[] {
  const byStart = new Map<number, Bar>();
  for (const b of stored) byStart.set(b.start, b);
  for (const b of memory) byStart.set(b.start, b);
  const out = [...byStart.values()].sort((a, b) => a.start - b.start);
  return out.length > limit ? out.slice(out.length - limit) : out;
}
