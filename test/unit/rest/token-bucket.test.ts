/** Per-venue REST pacing: burst, steady rate, and a Retry-After block, on a manual clock. */
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../electron/core/rest/token-bucket';
import { ManualClock } from '../../helpers/manual-clock';

/** Lets resolved takes run their continuations (which read the clock) before time moves on. */
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('TokenBucket', () => {
  it('lets a burst through, then paces at the rate, and waits out a Retry-After block', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ requestsPerSecond: 2, burst: 3 }, clock);
    const sent: number[] = [];
    const go = () => bucket.take().then(() => sent.push(clock.now()));
    const all = Promise.all([go(), go(), go(), go(), go()]);
    await flush();
    expect(sent).toEqual([0, 0, 0]);
    clock.advance(499);
    await flush();
    expect(sent).toHaveLength(3);
    clock.advance(1);
    await flush();
    clock.advance(500);
    await all;
    expect(sent).toEqual([0, 0, 0, 500, 1000]);

    bucket.blockFor(5_000);
    expect(bucket.waitMs()).toBe(5_000);
    const after = bucket.take().then(() => clock.now());
    clock.advance(4_999);
    await flush();
    clock.advance(1);
    expect(await after).toBe(6_000); // the block began at 1 000: one request right at its end
    const next = bucket.take().then(() => clock.now());
    await flush();
    clock.advance(499);
    await flush();
    clock.advance(1);
    expect(await next).toBe(6_500); // then the steady rate, no burst
  });

  it('rejects a waiting caller whose signal aborts', async () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 1 }, clock);
    await bucket.take();
    const ac = new AbortController();
    const waiting = bucket.take(ac.signal);
    ac.abort(new Error('chart closed'));
    await expect(waiting).rejects.toThrow('chart closed');
  });
});
