import { describe, expect, it } from 'vitest';
import { computeCvd } from '../../../../renderer/src/chart/studies/cvd';
import { qualityColor, STUDY_COLORS, toLine } from '../../../../renderer/src/chart/studies/lines';
import { bar, DAY0, MIN } from './bars';

describe('study lines', () => {
  it('no segment joins two UTC days; incomplete bars are grey; a null value is a gap', () => {
    const bars = [
      bar(DAY0 - MIN, { buyVolume: 1, volume: 1 }),
      bar(DAY0, { buyVolume: 2, volume: 2, incomplete: true }),
      bar(DAY0 + MIN, { sellVolume: 1, volume: 1 }),
    ];
    const cvd = computeCvd(bars);
    const starts = bars.map((b) => b.start);
    const line = toLine(cvd, starts, (p) => p.value, (p) => qualityColor(p.quality), true);
    expect(line).toEqual([
      // The last point of a day is transparent: the segment to the next day is not drawn.
      { time: (DAY0 - MIN) / 1000, value: 1, color: STUDY_COLORS.gap },
      { time: DAY0 / 1000, value: 2, color: STUDY_COLORS.incomplete },
      { time: (DAY0 + MIN) / 1000, value: 1, color: STUDY_COLORS.cvd },
    ]);
    expect(toLine(cvd, starts, () => null, () => undefined, false)[0]).toEqual({ time: (DAY0 - MIN) / 1000 });
  });
});
