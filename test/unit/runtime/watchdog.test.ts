import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock';
import { MarketWatchdog } from '../../../electron/core/runtime/watchdog';

const limits = { floorMs: 5_000, ceilingMs: 60_000, factor: 10 };

/** Feeds `count` arrivals `gapMs` apart, advancing the manual clock between them. */
function arrivals(clock: ManualClock, wd: MarketWatchdog, gapMs: number, count: number): void {
  for (let i = 0; i < count; i++) {
    clock.advance(gapMs);
    wd.observe(clock.now());
  }
}

describe('MarketWatchdog', () => {
  it('uses the ceiling until it has seen the market’s pace', () => {
    const wd = new MarketWatchdog(limits);
    expect(wd.thresholdMs()).toBe(60_000);
    wd.observe(1_000);
    expect(wd.thresholdMs()).toBe(60_000);
  });

  it('adapts the threshold to 10x the typical gap, clamped to floor and ceiling', () => {
    const clock = new ManualClock(0);
    const wd = new MarketWatchdog(limits);
    wd.observe(0);
    arrivals(clock, wd, 100, 20); // busy: 10 x 100 ms is below the floor
    expect(wd.thresholdMs()).toBe(5_000);

    const quiet = new MarketWatchdog(limits);
    quiet.observe(clock.now());
    arrivals(clock, quiet, 2_000, 5);
    expect(quiet.thresholdMs()).toBe(20_000);
    arrivals(clock, quiet, 20_000, 100); // very quiet: capped
    expect(quiet.thresholdMs()).toBe(60_000);
  });

  it('moves gradually when the pace changes, so one burst or lull does not swing it', () => {
    const clock = new ManualClock(0);
    const wd = new MarketWatchdog(limits);
    wd.observe(0);
    arrivals(clock, wd, 1_000, 10);
    expect(wd.thresholdMs()).toBe(10_000);
    arrivals(clock, wd, 3_000, 1); // one lull: 1000 + 0.05 x 2000
    expect(wd.thresholdMs()).toBe(11_000);
    arrivals(clock, wd, 3_000, 400); // a lasting new pace is learned
    expect(wd.thresholdMs()).toBe(30_000);
  });

  it('counts several events of one frame (same receive time) once', () => {
    const wd = new MarketWatchdog(limits);
    wd.observe(0);
    wd.observe(1_000);
    for (let i = 0; i < 50; i++) wd.observe(1_000);
    expect(wd.typicalGap).toBe(1_000);
  });

  it('flags the market stale only once silent for longer than the threshold', () => {
    const clock = new ManualClock(0);
    const wd = new MarketWatchdog(limits);
    wd.observe(0);
    arrivals(clock, wd, 1_000, 10); // threshold 10 s
    const last = clock.now();
    clock.advance(10_000);
    expect(wd.isStale(clock.now())).toBe(false);
    clock.advance(1);
    expect(wd.isStale(clock.now())).toBe(true);
    expect(wd.silentForMs(clock.now())).toBe(10_001);
    // Watching restarted (new connection) 5 s ago: silence is measured from then.
    expect(wd.isStale(clock.now(), clock.now() - 5_000)).toBe(false);
    wd.observe(clock.now());
    expect(wd.isStale(clock.now())).toBe(false);
    expect(wd.lastDataAt).toBe(last + 10_001);
  });

  it('does not learn the downtime of a reconnect as the market’s pace', () => {
    const clock = new ManualClock(0);
    const wd = new MarketWatchdog(limits);
    wd.observe(0);
    arrivals(clock, wd, 500, 10);
    wd.breakContinuity();
    clock.advance(45_000);
    wd.observe(clock.now());
    arrivals(clock, wd, 500, 1);
    expect(wd.typicalGap).toBe(500);
    expect(wd.thresholdMs()).toBe(5_000);
  });
});
