/**
 * longTimeout waits as long as it is asked to, past setTimeout's 2^31-1 ms limit. The test clock
 * behaves like Node's timers there: a longer delay fires after 1 ms (which is how
 * `--duration 3000000` used to end the headless run at once).
 */
import { describe, expect, it } from 'vitest';
import { longTimeout, MAX_TIMER_MS } from '../../../electron/core/util/long-timeout';
import { ManualClock } from '../../helpers/manual-clock';

class NodeLikeClock extends ManualClock {
  longest = 0;
  override setTimeout(fn: () => void, ms: number): unknown {
    this.longest = Math.max(this.longest, ms);
    return super.setTimeout(fn, ms > MAX_TIMER_MS ? 1 : ms);
  }
}

async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('longTimeout', () => {
  it('3,000,000 s (~35 days) is not over after 1 ms, nor a millisecond early, and is over on time', async () => {
    const clock = new NodeLikeClock(1_700_000_000_000);
    const ms = 3_000_000 * 1000;
    const t = longTimeout(ms, clock);
    clock.advance(1);
    expect(await settled(t.done)).toBe(false);
    clock.advance(ms - 2);
    expect(await settled(t.done)).toBe(false);
    clock.advance(1);
    expect(await settled(t.done)).toBe(true);
    expect(clock.longest).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  it('short waits are one plain timer', async () => {
    const clock = new NodeLikeClock();
    const t = longTimeout(1500, clock);
    clock.advance(1499);
    expect(await settled(t.done)).toBe(false);
    clock.advance(1);
    expect(await settled(t.done)).toBe(true);
  });

  it('cancel stops the chain: nothing left pending, never resolves', async () => {
    const clock = new NodeLikeClock();
    const t = longTimeout(10 * MAX_TIMER_MS, clock);
    clock.advance(3 * MAX_TIMER_MS);
    t.cancel();
    expect(clock.pending()).toBe(0);
    clock.advance(20 * MAX_TIMER_MS);
    expect(await settled(t.done)).toBe(false);
  });
});
