/**
 * How the charts are arranged: one chart, two side by side, two stacked, or a 2x2 grid. Pure
 * functions, so the presets and what adding/removing a chart does are testable without React.
 */

export type Arrangement = 'single' | 'cols' | 'rows' | 'grid';

export interface LayoutPreset {
  id: string;
  /** The accessible name of the preset's control. */
  label: string;
  arrangement: Arrangement;
  count: number;
}

export const LAYOUT_PRESETS: readonly LayoutPreset[] = [
  { id: '1', label: '1 chart', arrangement: 'single', count: 1 },
  { id: '2-cols', label: '2 side by side', arrangement: 'cols', count: 2 },
  { id: '2-rows', label: '2 stacked', arrangement: 'rows', count: 2 },
  { id: '2x2', label: '2x2', arrangement: 'grid', count: 4 },
];

/** The preset the current arrangement matches, or null (e.g. three charts in the grid). */
export function currentPreset(arrangement: Arrangement, count: number): LayoutPreset | null {
  return LAYOUT_PRESETS.find((p) => p.arrangement === arrangement && p.count === count) ?? null;
}

/**
 * The arrangement for `count` charts, keeping the user's choice where it still fits: two charts
 * stay stacked if they were, three or four always go into the grid, one is one.
 */
export function arrangementFor(count: number, current: Arrangement): Arrangement {
  if (count <= 1) return 'single';
  if (count >= 3) return 'grid';
  return current === 'rows' ? 'rows' : 'cols';
}

/** Rows of chart indexes for an arrangement: the grid puts charts 1-2 on top, 3-4 below. */
export function chartRows(arrangement: Arrangement, count: number): number[][] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (arrangement === 'rows') return all.map((i) => [i]);
  if (arrangement === 'grid' && count > 2) return [all.slice(0, 2), all.slice(2)];
  return [all];
}
