import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for';

describe('waitFor (the tests\' one way to wait)', () => {
  it('resolves with the first value that is not false, null or undefined', async () => {
    let n = 0;
    const values: unknown[] = [undefined, null, false, 0];
    await expect(waitFor(() => values[n++], 'a value', { intervalMs: 1 })).resolves.toBe(0);
    await expect(waitFor(() => true, 'true')).resolves.toBe(true);
  });

  it('fails after the deadline naming what was awaited and, when given, where it got stuck', async () => {
    await expect(waitFor(() => false, 'the impossible', { timeoutMs: 30, explain: () => 'state idle' })).rejects.toThrow(
      'timed out after 30 ms waiting for the impossible (state idle)',
    );
  });

  it('rejects at once with what the condition throws', async () => {
    const started = Date.now();
    await expect(waitFor(() => { throw new Error('the process exited'); }, 'x')).rejects.toThrow('the process exited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
