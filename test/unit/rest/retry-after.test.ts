import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../electron/core/rest/retry-after';

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('1', 0)).toBe(1_000);
    expect(parseRetryAfter(' 2.5 ', 0)).toBe(2_500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('99999999', 0)).toBe(24 * 60 * 60 * 1000);
  });
});
