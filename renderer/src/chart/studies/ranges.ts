/**
 * Which bars a study looks at: the bars in view (a logical range of bar indexes, which runs past
 * the newest bar by the chart's right offset) or the UTC day of the newest bar in view. Pure.
 */
import type { Bar } from '../../../../shared/domain';
import type { LogicalRange } from '../chart-view';
import { utcDay } from './session';

/** Inclusive indexes of the bars in view; null when none is. */
export function visibleIndexes(count: number, range: LogicalRange | null): { from: number; to: number } | null {
  if (!range || count === 0) return null;
  const from = Math.max(0, Math.ceil(range.from));
  const to = Math.min(count - 1, Math.floor(range.to));
  return to >= from ? { from, to } : null;
}

/**
 * The bars a profile covers: those in view, or (`session`) every bar held of the UTC day of the
 * newest bar in view. `to` is the index of the last one (the live path checks it is the newest).
 */
export function profileSlice(bars: readonly Bar[], range: LogicalRange | null, mode: 'visible' | 'session'): { bars: readonly Bar[]; to: number } {
  const v = visibleIndexes(bars.length, range);
  if (!v) return { bars: [], to: -1 };
  if (mode === 'visible') return { bars: bars.slice(v.from, v.to + 1), to: v.to };
  const day = utcDay(bars[v.to]!.start);
  let from = v.to;
  while (from > 0 && utcDay(bars[from - 1]!.start) === day) from--;
  let to = v.to;
  while (to < bars.length - 1 && utcDay(bars[to + 1]!.start) === day) to++;
  return { bars: bars.slice(from, to + 1), to };
}
