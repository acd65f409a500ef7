import { describe, expect, it } from 'vitest';
import { arrangementFor, chartRows, currentPreset } from '../../../renderer/src/lib/chart-layout';

describe('chart layout', () => {
  it('maps presets to arrangements and back', () => {
    expect(currentPreset('grid', 4)?.label).toBe('2x2');
    expect(currentPreset('rows', 2)?.label).toBe('2 stacked');
    expect(currentPreset('grid', 3)).toBeNull();
  });

  it('adding or removing charts keeps stacked charts stacked and puts 3-4 in the grid', () => {
    expect(arrangementFor(2, 'rows')).toBe('rows');
    expect(arrangementFor(2, 'single')).toBe('cols');
    expect(arrangementFor(2, 'grid')).toBe('cols');
    expect(arrangementFor(3, 'cols')).toBe('grid');
    expect(arrangementFor(1, 'grid')).toBe('single');
  });

  it('lays the grid out as two rows, three charts as two on top and one below', () => {
    expect(chartRows('grid', 4)).toEqual([[0, 1], [2, 3]]);
    expect(chartRows('grid', 3)).toEqual([[0, 1], [2]]);
    expect(chartRows('rows', 2)).toEqual([[0], [1]]);
    expect(chartRows('cols', 2)).toEqual([[0, 1]]);
  });
});
