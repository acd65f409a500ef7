import { describe, expect, it } from 'vitest';
import {
  RIGHT_OFFSET_BARS,
  initialRange,
  latestOffscreen,
  panRange,
  restoreRange,
  saveView,
  zoomRange,
} from '../../../renderer/src/chart/chart-view';

describe('the first view of a loaded chart', () => {
  it('puts a handful of bars from the left edge at readable spacing (not in the right third)', () => {
    // 13 bars on an 800 px chart: from the oldest bar, 800/40 = 20 slots.
    expect(initialRange(13, 800)).toEqual({ from: -0.5, to: 19.5 });
  });

  it('shows the newest 150 bars of a long history with the right offset', () => {
    expect(initialRange(1000, 800)).toEqual({ from: 849.5, to: 999 + RIGHT_OFFSET_BARS });
  });

  it('has nothing to show without bars', () => {
    expect(initialRange(0, 800)).toBeNull();
  });
});

describe('navigation', () => {
  it('knows when the latest bar is off-screen: scrolled back, or into the future', () => {
    const r = { from: 0, to: 50 };
    expect(latestOffscreen(r, 4)).toBe(false);
    expect(latestOffscreen(r, 0)).toBe(false);
    expect(latestOffscreen(r, -3)).toBe(true);
    expect(latestOffscreen(r, 60)).toBe(true);
  });

  it('zooms keeping the right edge and within limits; pans by 15%', () => {
    expect(zoomRange({ from: 0, to: 100 }, 2)).toEqual({ from: 50, to: 100 });
    // The latest bar (index 80, 80% across) stays 80% across.
    expect(zoomRange({ from: 0, to: 100 }, 2, 80)).toEqual({ from: 40, to: 90 });
    // Off-screen latest bar: the right edge stays.
    expect(zoomRange({ from: 0, to: 100 }, 2, 300)).toEqual({ from: 50, to: 100 });
    expect(zoomRange({ from: 90, to: 100 }, 4).to - zoomRange({ from: 90, to: 100 }, 4).from).toBe(8);
    expect(panRange({ from: 0, to: 100 }, -1)).toEqual({ from: -15, to: 85 });
    expect(panRange({ from: 0, to: 4 }, 1)).toEqual({ from: 1, to: 5 });
  });
});

describe('a view kept across a re-mount', () => {
  const starts = Array.from({ length: 100 }, (_, i) => 1_000 * i);
  const at = (i: number) => starts[i];
  const indexAtOrBefore = (t: number) => Math.min(starts.length - 1, Math.floor(t / 1_000));

  it('at live: the same width at the same distance from the newest bar, which may have moved on', () => {
    const saved = saveView('k', { from: 60, to: 103 }, 4, at, 100);
    expect(saved.atLive).toBe(true);
    // Two bars arrived meanwhile: the view follows them.
    expect(restoreRange(saved, 102, indexAtOrBefore)).toEqual({ from: 62, to: 105 });
  });

  it('scrolled back: the same bars at the right edge', () => {
    const saved = saveView('k', { from: 20.5, to: 40.5 }, -58.5, at, 100);
    expect(saved.atLive).toBe(false);
    expect(saved.rightStart).toBe(40_000);
    expect(restoreRange(saved, 100, indexAtOrBefore)).toEqual({ from: 20.5, to: 40.5 });
  });
});
