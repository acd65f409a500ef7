/**
 * Retry-After (RFC 9110 section 10.2.3): either delay-seconds or an HTTP date. Venues send it with
 * 429 (too many requests) and Binance with 418 (IP banned until...).
 */

/** Longest wait honoured; a larger value is treated as this (a day), never as forever. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export function parseRetryAfter(header: string | string[] | undefined, now: number): number | null {
  const raw = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!raw) return null;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(raw)) ms = Number(raw) * 1000;
  else {
    const at = Date.parse(raw);
    if (Number.isNaN(at)) return null;
    ms = Math.max(0, at - now);
  }
  return Math.min(Math.round(ms), MAX_RETRY_AFTER_MS);
}
