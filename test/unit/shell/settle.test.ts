import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../../electron/main/settle';

describe('settleWithin (the shell never waits on the core for ever)', () => {
  it('reports a promise that resolves in time', async () => {
    await expect(settleWithin(Promise.resolve('done'), 1000)).resolves.toEqual({ ok: true });
  });

  it('turns a rejection into a reason instead of rejecting', async () => {
    await expect(settleWithin(Promise.reject(new Error('disk gone')), 1000)).resolves.toEqual({ ok: false, why: 'disk gone' });
    await expect(settleWithin(Promise.reject('plain string'), 1000)).resolves.toEqual({ ok: false, why: 'plain string' });
  });

  it('gives up on a promise that never settles', async () => {
    const started = Date.now();
    const r = await settleWithin(new Promise(() => undefined), 50);
    expect(r).toEqual({ ok: false, why: 'did not finish within 50 ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('names an error without a message by its class', async () => {
    await expect(settleWithin(Promise.reject(new TypeError()), 1000)).resolves.toEqual({ ok: false, why: 'TypeError' });
    await expect(settleWithin(Promise.reject(42), 1000)).resolves.toEqual({ ok: false, why: '42' });
  });
});
