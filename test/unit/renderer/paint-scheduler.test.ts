import { describe, expect, it } from 'vitest';
import { PaintScheduler, type PaintTarget } from '../../../renderer/src/chart/paint-scheduler';

/** A chart stand-in: `queued` steps of bar work, a log of when it painted. */
class FakeChart implements PaintTarget {
  painted: number[] = [];
  frames = 0;
  constructor(public queued = 0) {}
  wantsPaint(): boolean {
    return this.queued > 0;
  }
  paint(now: number): boolean {
    this.painted.push(now);
    this.queued--;
    return this.queued > 0;
  }
  everyFrame(): void {
    this.frames++;
  }
}

describe('PaintScheduler', () => {
  it('paints one chart per frame, the one waiting longest first, so four draws land in four frames', () => {
    const s = new PaintScheduler({ minIntervalMs: 100, perFrame: 1 });
    const charts = [1, 2, 3, 4].map(() => new FakeChart(1));
    charts.forEach((c) => s.add(c));
    const painted = [0, 16, 32, 48, 64].map((t) => s.frame(t));
    expect(painted).toEqual([1, 1, 1, 1, 0]);
    expect(charts.map((c) => c.painted)).toEqual([[0], [16], [32], [48]]);
    // The crosshair legend hook runs every frame for every chart, painted or not.
    expect(charts.map((c) => c.frames)).toEqual([5, 5, 5, 5]);
  });

  it('repaints a chart at most every minIntervalMs while new bars trickle in', () => {
    const s = new PaintScheduler({ minIntervalMs: 100, perFrame: 1 });
    const c = new FakeChart();
    s.add(c);
    for (let t = 0; t <= 300; t += 16) {
      c.queued = 1; // a new batch every frame, painted in one step
      s.frame(t);
    }
    expect(c.painted).toEqual([0, 112, 224]);
  });

  it('a chart with more queued after a paint goes again next frame, ahead of the interval', () => {
    const s = new PaintScheduler({ minIntervalMs: 100, perFrame: 1 });
    const c = new FakeChart(3); // a bar closed and the next opened: several steps
    s.add(c);
    [0, 16, 32, 48].forEach((t) => s.frame(t));
    expect(c.painted).toEqual([0, 16, 32]);
  });

  it('a removed chart is never painted again', () => {
    const s = new PaintScheduler();
    const c = new FakeChart(5);
    const remove = s.add(c);
    s.frame(0);
    remove();
    s.frame(500);
    expect(c.painted).toEqual([0]);
    expect(s.size).toBe(0);
  });
});
