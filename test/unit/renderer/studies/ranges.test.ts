import { describe, expect, it } from 'vitest';
import { computeCvd, cvdRunner } from '../../../../renderer/src/chart/studies/cvd';
import { profileSlice, visibleIndexes } from '../../../../renderer/src/chart/studies/ranges';
import { normalizeStudies } from '../../../../renderer/src/chart/studies/settings';
import { bar, DAY0, MIN } from './bars';

const H = 60 * MIN;

describe('study ranges', () => {
  it('the bars in view: a logical range past the newest bar is clamped to it', () => {
    expect(visibleIndexes(10, { from: 2.5, to: 13.5 })).toEqual({ from: 3, to: 9 });
    expect(visibleIndexes(10, { from: -4, to: 1.2 })).toEqual({ from: 0, to: 1 });
    expect(visibleIndexes(10, { from: 10.5, to: 14 })).toBeNull();
    expect(visibleIndexes(0, { from: 0, to: 5 })).toBeNull();
  });

  it('a session profile takes every bar of the UTC day of the newest bar in view', () => {
    const bars = [bar(DAY0 - 2 * H), bar(DAY0 - H), bar(DAY0), bar(DAY0 + H), bar(DAY0 + 2 * H)];
    // In view: indexes 1..3 (yesterday 23:00 to today 01:00): the session is today's 3 bars.
    const s = profileSlice(bars, { from: 1, to: 3 }, 'session');
    expect(s.bars.map((b) => b.start)).toEqual([DAY0, DAY0 + H, DAY0 + 2 * H]);
    expect(s.to).toBe(4);
    expect(profileSlice(bars, { from: 1, to: 3 }, 'visible').bars.map((b) => b.start)).toEqual([DAY0 - H, DAY0, DAY0 + H]);
    expect(profileSlice(bars, null, 'visible')).toEqual({ bars: [], to: -1 });
  });

  it('CVD from the first bar in view: no restart at midnight, nothing before it', () => {
    const bars = [
      bar(DAY0 - 2 * MIN, { buyVolume: 5, volume: 5 }),
      bar(DAY0 - MIN, { buyVolume: 1, sellVolume: 3, volume: 4 }),
      bar(DAY0, { buyVolume: 2, volume: 2 }),
    ];
    const r = cvdRunner();
    r.setAnchor({ kind: 'bar', start: DAY0 - MIN });
    r.reset(bars);
    expect(r.points.map((p) => p.value)).toEqual([-2, 0]);
    // By day, the same bars restart at midnight.
    expect(computeCvd(bars).map((p) => p.value)).toEqual([5, 3, 2]);
  });

  it('settings from an older or hand-edited layout are filled in and checked', () => {
    expect(normalizeStudies(undefined)).toMatchObject({ cvd: false, cvdReset: 'day', profileRange: 'visible', profileStep: null });
    expect(normalizeStudies({ cvd: true, profileStep: -3, cvdReset: 'bogus' as 'day' })).toMatchObject({ cvd: true, cvdReset: 'day', profileStep: null });
  });
});
