import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { OverlapDeduper } from '../../../electron/core/runtime/dedup';

function t(id: string | undefined, symbol = 'BTC-USDT', time = 1): Trade {
  return { type: 'trade', exchange: 'x', market: 'spot', symbol, price: 10, size: 1, side: 'buy', time, receivedAt: 2, ...(id ? { id } : {}) };
}

describe('OverlapDeduper', () => {
  it('passes everything through when no rotation is in progress', () => {
    const d = new OverlapDeduper();
    expect([d.admit(t('1'), 1), d.admit(t('1'), 2), d.admit(t('1'), 1)]).toEqual([true, true, true]);
  });

  it('drops a trade already delivered by the other connection and marks the market joined', () => {
    const d = new OverlapDeduper();
    d.beginOverlap();
    expect(d.admit(t('1'), 1)).toBe(true);
    expect(d.admit(t('2'), 1)).toBe(true);
    expect(d.joined.has('BTC-USDT')).toBe(false);
    expect(d.admit(t('2'), 2)).toBe(false);
    expect(d.admit(t('3'), 2)).toBe(true);
    expect(d.admit(t('3'), 1)).toBe(false);
    expect(d.joined.has('BTC-USDT')).toBe(true);
    expect(d.dropped).toBe(2);
  });

  it('keeps equal id-less trades from one connection, and cancels only as many copies from the other', () => {
    const d = new OverlapDeduper();
    d.beginOverlap();
    expect([d.admit(t(undefined), 1), d.admit(t(undefined), 1)]).toEqual([true, true]);
    expect([d.admit(t(undefined), 2), d.admit(t(undefined), 2), d.admit(t(undefined), 2)]).toEqual([false, false, true]);
  });

  it('after the old socket closes, still drops its copies but records nothing new, then switches off', () => {
    const d = new OverlapDeduper();
    d.beginOverlap();
    d.admit(t('5'), 1);
    d.drain();
    expect(d.admit(t('6'), 2)).toBe(true);
    expect(d.admit(t('5'), 2)).toBe(false);
    expect(d.admit(t('6'), 2)).toBe(true); // not recorded while draining
    d.stop();
    expect(d.active).toBe(false);
  });
});
