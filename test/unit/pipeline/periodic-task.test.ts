import { describe, expect, it } from 'vitest';
import { PeriodicTask } from '../../../electron/core/pipeline/periodic-task';
import { ManualClock } from '../../helpers/manual-clock';

describe('PeriodicTask', () => {
  it('runs its body every period on the injected clock', () => {
    const clock = new ManualClock();
    let ticks = 0;
    const task = new PeriodicTask('bar-clock', 250, () => ticks++, clock);
    expect(task.info()).toEqual({ name: 'bar-clock', state: 'idle', restarts: 0, lastError: null });
    task.start();
    clock.advance(249);
    expect(ticks).toBe(0);
    clock.advance(1);
    expect(ticks).toBe(1);
    clock.advance(1000);
    expect(ticks).toBe(5);
    expect(task.info()).toEqual({ name: 'bar-clock', state: 'running', restarts: 0, lastError: null });
  });

  it('a body that throws is counted with its error, and the task keeps ticking', () => {
    const clock = new ManualClock();
    let calls = 0;
    const task = new PeriodicTask('bar-clock', 100, () => {
      calls++;
      if (calls === 2) throw new Error('bad bar');
    }, clock);
    task.start();
    clock.advance(500);
    expect(calls).toBe(5);
    expect(task.info()).toEqual({ name: 'bar-clock', state: 'running', restarts: 1, lastError: 'bad bar' });
  });

  it('cancel() stops it for good, also from inside its own body, and leaves no timer behind', () => {
    const clock = new ManualClock();
    let ticks = 0;
    const task = new PeriodicTask('health', 100, () => {
      ticks++;
      if (ticks === 3) task.cancel();
    }, clock);
    task.start();
    clock.advance(1000);
    expect(ticks).toBe(3);
    expect(clock.pending()).toBe(0);
    expect(task.info().state).toBe('cancelled');
    task.start(); // a cancelled task does not come back
    clock.advance(1000);
    expect(ticks).toBe(3);
  });
});
