import { describe, expect, it } from 'vitest';
import type { StatusRecord } from '../../../shared/health';
import { loadStatusLog, mergeStatuses } from '../../../renderer/src/stores/health-store';

const rec = (at: number, state: StatusRecord['state'] = 'live', feedId = 'sim'): StatusRecord => ({
  type: 'status', feedId, exchange: 'simulator', market: 'spot', state, at,
});

describe('the state log', () => {
  it('appends new records in time order and drops ones already listed (a reload + resend)', () => {
    const log = [rec(1, 'connecting'), rec(2, 'live')];
    expect(mergeStatuses(log, [rec(2, 'live'), rec(3, 'backoff')]).map((s) => s.at)).toEqual([1, 2, 3]);
    expect(mergeStatuses(log, [rec(2, 'live')])).toBe(log);
  });

  it('keeps only the newest records (bounded storage)', () => {
    const many = Array.from({ length: 150 }, (_, i) => rec(i));
    const merged = mergeStatuses([], many, 100);
    expect(merged).toHaveLength(100);
    expect(merged[0]!.at).toBe(50);
  });
});

describe('the state log kept across reloads', () => {
  it('reads back the stored records, dropping malformed ones and bad JSON', () => {
    const stored = [rec(2, 'backoff'), { nope: true }, rec(1, 'connecting')];
    const storage = { getItem: () => JSON.stringify(stored) };
    expect(loadStatusLog(storage).map((s) => s.at)).toEqual([1, 2]);
    expect(loadStatusLog({ getItem: () => '{not json' })).toEqual([]);
    expect(loadStatusLog({ getItem: () => null })).toEqual([]);
    expect(loadStatusLog(undefined)).toEqual([]);
  });
});
