import { describe, expect, it } from 'vitest';
import { overlayDue, tradeAgeWarning, troubleSince } from '../../../renderer/src/lib/health-ux';

describe('health that does not cry wolf', () => {
  it('shows the overlay only after 1.5 s of continuous trouble (a 0.6 s reconnect never does)', () => {
    let since: number | null = null;
    since = troubleSince(since, true, 1_000);
    expect(overlayDue(since, 1_600)).toBe(false);
    since = troubleSince(since, false, 1_600); // recovered after 0.6 s
    expect(since).toBeNull();
    since = troubleSince(since, true, 5_000);
    since = troubleSince(since, true, 6_000);
    expect(overlayDue(since, 6_000)).toBe(false);
    expect(overlayDue(since, 6_500)).toBe(true);
  });

  it('warns "last trade N s ago" after a third of the stale threshold, never before 1.5 s', () => {
    expect(tradeAgeWarning(1_000, 5_000)).toBeNull();
    expect(tradeAgeWarning(1_700, 5_000)).toBe('last trade 1 s ago');
    expect(tradeAgeWarning(2_400, 5_000)).toBe('last trade 2 s ago');
    // A quiet market (stale after 60 s) does not warn at 5 s.
    expect(tradeAgeWarning(5_000, 60_000)).toBeNull();
    expect(tradeAgeWarning(21_000, 60_000)).toBe('last trade 21 s ago');
    expect(tradeAgeWarning(null, 5_000)).toBeNull();
  });
});
