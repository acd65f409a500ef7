import { describe, expect, it } from 'vitest';
import { Supervisor, type SupervisorEvent } from '../../../electron/core/pipeline/supervisor';
import { ManualClock } from '../../../electron/core/util/clock';

/** Lets pending promise callbacks run (the supervisor's bookkeeping is promise-driven). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

/** A well-behaved task: runs until its signal aborts, then cleans up. */
function untilAborted(onCleanup?: () => void) {
  return (signal: AbortSignal) =>
    new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => {
        onCleanup?.();
        resolve();
      }),
    );
}

function recorder() {
  const events: string[] = [];
  return { events, onEvent: (e: SupervisorEvent) => events.push(`${e.task}:${e.kind}`) };
}

describe('Supervisor', () => {
  it('one failing task does not stop another', async () => {
    const { events, onEvent } = recorder();
    const sup = new Supervisor({ clock: new ManualClock(), onEvent });
    let ticks = 0;
    sup.spawn('good', async (signal) => {
      while (!signal.aborted) {
        ticks++;
        await new Promise<void>((r) => setImmediate(r));
      }
    });
    sup.spawn('bad', async () => {
      throw new Error('boom: venue said no');
    });
    await settle();
    const before = ticks;
    await settle();
    expect(ticks).toBeGreaterThan(before); // still running after its neighbour failed
    expect(sup.tasks()).toEqual([
      { name: 'good', state: 'running', restarts: 0, lastError: null },
      { name: 'bad', state: 'failed', restarts: 0, lastError: 'boom: venue said no' },
    ]);
    expect(events).toEqual(['good:started', 'bad:started', 'bad:failed']);
    await sup.shutdown(1000);
  });

  it('a synchronous throw in run is a failure like any other', async () => {
    const sup = new Supervisor({ clock: new ManualClock() });
    sup.spawn('sync', (() => {
      throw new Error('sync');
    }) as unknown as (s: AbortSignal) => Promise<void>);
    await settle();
    expect(sup.tasks()[0]).toMatchObject({ state: 'failed', lastError: 'sync' });
  });

  it('restarts on failure after the delay, up to maxRestarts, then gives up', async () => {
    const clock = new ManualClock();
    const { events, onEvent } = recorder();
    const sup = new Supervisor({ clock, onEvent });
    let runs = 0;
    sup.spawn(
      'feed',
      async () => {
        runs++;
        throw new Error(`attempt ${runs} failed`);
      },
      { restart: 'on-failure', maxRestarts: 2, restartDelayMs: 100 },
    );
    await settle();
    expect(runs).toBe(1);
    expect(sup.tasks()[0]).toEqual({ name: 'feed', state: 'restarting', restarts: 0, lastError: 'attempt 1 failed' });
    clock.advance(99);
    await settle();
    expect(runs).toBe(1); // the delay is honoured
    clock.advance(1);
    await settle();
    expect(runs).toBe(2);
    clock.advance(100);
    await settle();
    expect(runs).toBe(3);
    clock.advance(1000);
    await settle();
    expect(runs).toBe(3);
    expect(sup.tasks()[0]).toEqual({ name: 'feed', state: 'failed', restarts: 2, lastError: 'attempt 3 failed' });
    expect(events).toEqual([
      'feed:started', 'feed:failed', 'feed:restarting',
      'feed:started', 'feed:failed', 'feed:restarting',
      'feed:started', 'feed:failed', 'feed:gave-up',
    ]);
  });

  it("'on-failure' does not restart a task that returns normally; 'always' does", async () => {
    const clock = new ManualClock();
    const sup = new Supervisor({ clock });
    let a = 0;
    let b = 0;
    sup.spawn('once', async () => void a++, { restart: 'on-failure', restartDelayMs: 10 });
    sup.spawn('loop', async () => void b++, { restart: 'always', maxRestarts: 3, restartDelayMs: 10 });
    for (let i = 0; i < 6; i++) {
      await settle();
      clock.advance(10);
    }
    await settle();
    expect(a).toBe(1);
    expect(b).toBe(4);
    expect(sup.tasks().map((t) => [t.name, t.state, t.restarts])).toEqual([
      ['once', 'done', 0],
      ['loop', 'done', 3],
    ]);
  });

  it('cancel aborts one task, awaits its cleanup, and leaves the others running', async () => {
    const { events, onEvent } = recorder();
    const sup = new Supervisor({ clock: new ManualClock(), onEvent });
    let cleaned = false;
    sup.spawn('a', untilAborted(() => (cleaned = true)));
    sup.spawn('b', untilAborted());
    await settle();
    await sup.cancel('a');
    expect(cleaned).toBe(true);
    expect(sup.tasks().map((t) => `${t.name}:${t.state}`)).toEqual(['a:cancelled', 'b:running']);
    expect(events).toEqual(['a:started', 'b:started', 'a:cancelled']);
    await sup.cancel('nope'); // unknown names are a no-op
    await sup.shutdown(1000);
  });

  it('an AbortError thrown on the way out of a cancelled task is not a failure', async () => {
    const sup = new Supervisor({ clock: new ManualClock() });
    sup.spawn('x', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), {
      restart: 'on-failure',
    });
    await settle();
    await sup.cancel('x');
    expect(sup.tasks()[0]).toEqual({ name: 'x', state: 'cancelled', restarts: 0, lastError: null });
  });

  it('cancelling during a restart delay ends the task without another run', async () => {
    const clock = new ManualClock();
    const sup = new Supervisor({ clock });
    let runs = 0;
    sup.spawn('f', async () => {
      runs++;
      throw new Error('x');
    }, { restart: 'on-failure', restartDelayMs: 60_000 });
    await settle();
    await sup.cancel('f');
    clock.advance(120_000);
    await settle();
    expect(runs).toBe(1);
    expect(sup.tasks()[0]!.state).toBe('cancelled');
    expect(clock.pending()).toBe(0);
  });

  it('refuses a duplicate live name but lets an ended name be reused', async () => {
    const sup = new Supervisor({ clock: new ManualClock() });
    sup.spawn('feed', untilAborted());
    expect(() => sup.spawn('feed', untilAborted())).toThrow('a task named "feed" is already running');
    await sup.cancel('feed');
    sup.spawn('feed', untilAborted());
    expect(sup.tasks()).toEqual([{ name: 'feed', state: 'running', restarts: 0, lastError: null }]);
    await sup.shutdown(1000);
  });

  it('shutdown aborts everything and reports a task that ignores abort past the deadline', async () => {
    // Real clock: the deadline is a real 50 ms wait.
    const sup = new Supervisor();
    let cleaned = false;
    sup.spawn('polite', untilAborted(() => (cleaned = true)));
    sup.spawn('stubborn', () => new Promise<void>(() => {})); // never returns
    await settle();
    const t0 = Date.now();
    const { unfinished } = await sup.shutdown(50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(unfinished).toEqual(['stubborn']);
    expect(cleaned).toBe(true);
    expect(sup.tasks().map((t) => `${t.name}:${t.state}`)).toEqual(['polite:cancelled', 'stubborn:running']);
    expect(() => sup.spawn('late', untilAborted())).toThrow(/shutting down/);
  });

  it('shutdown returns as soon as every task has finished, well before the deadline', async () => {
    const clock = new ManualClock();
    const sup = new Supervisor({ clock });
    sup.spawn('a', untilAborted());
    sup.spawn('b', untilAborted());
    await settle();
    // The ManualClock never advances: only the tasks' own ends can settle this.
    expect(await sup.shutdown(60_000)).toEqual({ unfinished: [] });
    expect(clock.pending()).toBe(0);
  });

  it('an observer that throws does not break supervision', async () => {
    const sup = new Supervisor({
      clock: new ManualClock(),
      onEvent: () => {
        throw new Error('observer bug');
      },
    });
    sup.spawn('t', async () => {});
    await settle();
    expect(sup.tasks()[0]!.state).toBe('done');
  });
});
