/**
 * Study points to lightweight-charts line points. A line series joins consecutive points, so a
 * session's last point is drawn transparent (lightweight-charts colours the segment after a
 * point with that point's colour): no line runs from one UTC day's CVD or VWAP to the next's.
 */
import type { LineData, UTCTimestamp, WhitespaceData } from 'lightweight-charts';
import { chartTime } from '../series-data';
import type { PointQuality } from './cvd';
import { utcDay } from './session';

export const STUDY_COLORS = {
  cvd: '#5b9cf5',
  cvdEstimated: 'rgba(91, 156, 245, 0.45)',
  incomplete: '#8d8d8d',
  vwap: '#e8a33d',
  vwapBand1: 'rgba(232, 163, 61, 0.55)',
  vwapBand2: 'rgba(232, 163, 61, 0.3)',
  anchored: '#c77dff',
  oi: '#7fd1b9',
  oiUp: 'rgba(38, 166, 154, 0.5)',
  oiDown: 'rgba(239, 83, 80, 0.5)',
  poc: '#f2c94c',
  valueArea: '#9aa4b5',
  gap: 'rgba(0, 0, 0, 0)',
} as const;

export type LinePoint = LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;

export function qualityColor(q: PointQuality): string {
  return q === 'incomplete' ? STUDY_COLORS.incomplete : q === 'estimated' ? STUDY_COLORS.cvdEstimated : STUDY_COLORS.cvd;
}

/** True when the bar after `start` (at `nextStart`) starts another UTC day. */
export function endsSession(start: number, nextStart: number | undefined): boolean {
  return nextStart !== undefined && utcDay(nextStart) !== utcDay(start);
}

/**
 * One line point per study point: `value` null gives a gap (whitespace). `color` picks the
 * point's colour; with `breakSessions` a session's last point is transparent.
 */
export function toLine<P>(
  points: readonly P[],
  starts: readonly number[],
  value: (p: P) => number | null,
  color: (p: P) => string | undefined,
  breakSessions: boolean,
): LinePoint[] {
  const out: LinePoint[] = new Array<LinePoint>(points.length);
  for (let i = 0; i < points.length; i++) {
    out[i] = linePoint(points[i]!, starts[i]!, value, color, breakSessions && endsSession(starts[i]!, starts[i + 1]));
  }
  return out;
}

export function linePoint<P>(p: P, start: number, value: (p: P) => number | null, color: (p: P) => string | undefined, last: boolean): LinePoint {
  const v = value(p);
  const time = chartTime(start);
  if (v === null) return { time };
  const c = last ? STUDY_COLORS.gap : color(p);
  return c === undefined ? { time, value: v } : { time, value: v, color: c };
}
