import { describe, expect, it, vi } from 'vitest';
import { AckWindow, DEFAULT_MAX_UNACKED, parseAck } from '../../../electron/main/ack-window';

// The ack window must not need Electron; if anything reaches for it, fail loudly.
vi.mock('electron', () => {
  throw new Error('electron must not be imported by the ack window');
});

describe('AckWindow (MessagePort backpressure)', () => {
  it('is ready until maxUnacked batches are in flight, and ready again once they are acked', () => {
    const w = new AckWindow(4);
    const readiness: boolean[] = [];
    for (const seq of [1, 2, 3, 4]) {
      readiness.push(w.ready());
      w.sent(seq);
    }
    expect(readiness).toEqual([true, true, true, true]);
    expect(w.ready()).toBe(false);
    expect(w.unacked).toBe(4);
    expect(w.ack(1)).toBe(true);
    expect([w.ready(), w.unacked]).toEqual([true, 3]);
  });

  it('treats an ack as cumulative: acking seq 7 clears every batch up to 7', () => {
    const w = new AckWindow(4);
    [5, 6, 7, 9].forEach((s) => w.sent(s));
    expect(w.ack(7)).toBe(true);
    expect(w.unacked).toBe(1);
    expect(w.ack(9)).toBe(true);
    expect(w.unacked).toBe(0);
  });

  it('accepts a repeated or stale ack and changes nothing', () => {
    const w = new AckWindow(2);
    [1, 2].forEach((s) => w.sent(s));
    expect(w.ack(2)).toBe(true);
    w.sent(3);
    expect(w.ack(2)).toBe(true);
    expect(w.ack(0)).toBe(true);
    expect(w.unacked).toBe(1);
  });

  it('refuses an ack for a batch never sent, so a page cannot switch its backpressure off', () => {
    const w = new AckWindow(2);
    [1, 2].forEach((s) => w.sent(s));
    expect(w.ack(3)).toBe(false);
    expect(w.ack(Number.MAX_SAFE_INTEGER)).toBe(false);
    expect([w.ready(), w.unacked]).toEqual([false, 2]);
    expect(new AckWindow().ack(1)).toBe(false);
  });

  it('rejects a window size that would never or always be ready', () => {
    expect(() => new AckWindow(0)).toThrow(/maxUnacked/);
    expect(() => new AckWindow(1.5)).toThrow(/maxUnacked/);
    expect(new AckWindow().maxUnacked).toBe(DEFAULT_MAX_UNACKED);
  });
});

describe('parseAck (schema of the one non-command message main accepts)', () => {
  it('accepts exactly {type:"ack", seq:<non-negative integer>}', () => {
    expect(parseAck({ type: 'ack', seq: 12 })).toBe(12);
    expect(parseAck({ type: 'ack', seq: 0 })).toBe(0);
  });

  it.each([
    [{ type: 'ack' }],
    [{ type: 'ack', seq: '12' }],
    [{ type: 'ack', seq: -1 }],
    [{ type: 'ack', seq: 1.5 }],
    [{ type: 'ack', seq: Number.NaN }],
    [{ type: 'ack', seq: Number.POSITIVE_INFINITY }],
    [{ type: 'ack', seq: 2 ** 60 }],
    [{ type: 'ack', seq: 1, extra: true }],
    [{ type: 'command', id: 1, name: 'listFeeds' }],
    [null],
    ['ack'],
    [[{ type: 'ack', seq: 1 }]],
  ])('returns null for %j (it goes to the command handler, which rejects it)', (raw) => {
    expect(parseAck(raw)).toBeNull();
  });
});
