import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TickscopeError, TimeoutError as TypedTimeoutError, errorKindOf } from '../../../electron/core/util/errors';
import { TimeoutError, withTimeout } from '../../../electron/core/util/timeout';

/** Work that only ends when its signal aborts (like a connect that never answers). */
function hangUntilAborted(seen: { signal: AbortSignal | null }) {
  return (signal: AbortSignal) => {
    seen.signal = signal;
    return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  };
}

describe('withTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves with the value of work that finishes in time and leaves no timer behind', async () => {
    const p = withTimeout(async () => 42, 1000, 'quick work');
    await expect(p).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with a TimeoutError naming what timed out, and aborts the inner work', async () => {
    const seen: { signal: AbortSignal | null } = { signal: null };
    const p = withTimeout(hangUntilAborted(seen), 5000, 'connect to ws://127.0.0.1:1');
    const caught = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4999);
    expect(seen.signal!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await caught;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).kind).toBe('timeout');
    expect((err as TimeoutError).message).toBe('connect to ws://127.0.0.1:1 timed out after 5000 ms');
    expect(seen.signal!.aborted).toBe(true);
    expect(seen.signal!.reason).toBe(err);
    // The core's one typed TimeoutError: the health view reads its kind like any other.
    expect(err).toBeInstanceOf(TypedTimeoutError);
    expect(err).toBeInstanceOf(TickscopeError);
    expect((err as Error).name).toBe('TimeoutError');
    expect(errorKindOf(err)).toBe('timeout');
  });

  it('honours an outer signal: rejects with its reason and aborts the inner work', async () => {
    const seen: { signal: AbortSignal | null } = { signal: null };
    const outer = new AbortController();
    const p = withTimeout(hangUntilAborted(seen), 5000, 'subscribe', outer.signal);
    const caught = p.catch((e: unknown) => e);
    const reason = new Error('feed removed');
    outer.abort(reason);
    expect(await caught).toBe(reason);
    expect(seen.signal!.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start the work when the outer signal is already aborted', async () => {
    const outer = new AbortController();
    outer.abort(new Error('shutting down'));
    const work = vi.fn(async () => 1);
    await expect(withTimeout(work, 100, 'x', outer.signal)).rejects.toThrow('shutting down');
    expect(work).not.toHaveBeenCalled();
  });

  it("passes the work's own failure through unchanged (sync throw included)", async () => {
    await expect(withTimeout(async () => Promise.reject(new Error('ECONNREFUSED')), 100, 'c')).rejects.toThrow(
      'ECONNREFUSED',
    );
    await expect(
      withTimeout(() => {
        throw new Error('sync boom');
      }, 100, 'c'),
    ).rejects.toThrow('sync boom');
    expect(vi.getTimerCount()).toBe(0);
  });
});
