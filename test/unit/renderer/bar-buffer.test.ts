import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { BarBuffer } from '../../../renderer/src/lib/bar-buffer';

function bar(start: number, close: number, extra: Partial<Bar> = {}): Bar {
  return {
    type: 'bar', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', tf: '1s', start,
    open: close, high: close, low: close, close, volume: 1, buyVolume: 0.5, sellVolume: 0.5,
    trades: 1, vwap: close, final: false, incomplete: false, ...extra,
  };
}

describe('BarBuffer', () => {
  it('coalesces many changes of the open bar into one update per frame, with the latest state', () => {
    const b = new BarBuffer();
    b.merge(bar(1000, 10));
    b.merge(bar(1000, 11));
    b.merge(bar(1000, 12));
    expect(b.takeFrame()).toEqual({ kind: 'update', bar: bar(1000, 12), historical: false });
    expect(b.takeFrame()).toEqual({ kind: 'none' });
    expect(b.size).toBe(1);
  });

  it('paints a just-final bar before the bar that opened after it, one per frame', () => {
    const b = new BarBuffer();
    b.merge(bar(1000, 10, { final: true }));
    b.merge(bar(2000, 11));
    const f1 = b.takeFrame();
    const f2 = b.takeFrame();
    expect(f1.kind === 'update' && f1.bar.start).toBe(1000);
    expect(f2.kind === 'update' && f2.bar.start).toBe(2000);
    expect(b.takeFrame().kind).toBe('none');
    expect(b.bars.map((x) => x.start)).toEqual([1000, 2000]);
  });

  it('marks a late change to an older, already painted bar as a historical update', () => {
    const b = new BarBuffer();
    b.merge(bar(1000, 10));
    b.merge(bar(2000, 11));
    b.takeFrame();
    b.takeFrame();
    b.merge(bar(1000, 9));
    expect(b.takeFrame()).toEqual({ kind: 'update', bar: bar(1000, 9), historical: true });
    expect(b.bars[0]!.close).toBe(9);
  });

  it('load() merges history with live bars (live wins) and repaints once with setData', () => {
    const b = new BarBuffer();
    b.merge(bar(3000, 99));
    b.load([bar(1000, 1), bar(2000, 2), bar(3000, 3)]);
    const f = b.takeFrame();
    expect(f.kind).toBe('reset');
    expect(f.kind === 'reset' && f.bars.map((x) => [x.start, x.close])).toEqual([[1000, 1], [2000, 2], [3000, 99]]);
    expect(b.takeFrame().kind).toBe('none');
  });

  it('a backlog larger than maxBacklog (hidden tab) repaints with one setData instead of many updates', () => {
    const b = new BarBuffer({ maxBars: 100, keepBars: 50, maxBacklog: 3 });
    for (let i = 1; i <= 5; i++) b.merge(bar(i * 1000, i));
    const f = b.takeFrame();
    expect(f.kind === 'reset' && f.bars.length).toBe(5);
    b.merge(bar(6000, 6));
    expect(b.takeFrame()).toMatchObject({ kind: 'update', historical: false });
  });

  it('trims to the newest keepBars once it grows past maxBars, and resets the series', () => {
    const b = new BarBuffer({ maxBars: 10, keepBars: 6, maxBacklog: 100 });
    for (let i = 1; i <= 10; i++) b.merge(bar(i * 1000, i));
    expect(b.size).toBe(10);
    b.takeFrame();
    b.merge(bar(11_000, 11));
    expect(b.size).toBe(6);
    expect(b.bars[0]!.start).toBe(6000);
    const f = b.takeFrame();
    expect(f.kind === 'reset' && f.bars.map((x) => x.start)).toEqual([6000, 7000, 8000, 9000, 10_000, 11_000]);
  });

  it('inserting a bar between held bars repaints (the chart cannot insert mid-series)', () => {
    const b = new BarBuffer();
    b.merge(bar(1000, 1));
    b.merge(bar(3000, 3));
    b.takeFrame();
    b.takeFrame();
    b.merge(bar(2000, 2));
    const f = b.takeFrame();
    expect(f.kind === 'reset' && f.bars.map((x) => x.start)).toEqual([1000, 2000, 3000]);
    expect(b.atTime(2000)?.close).toBe(2);
    expect(b.atTime(2500)).toBeUndefined();
  });
});
