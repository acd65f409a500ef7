/**
 * GET + JSON for the history endpoints, paced by the venue's token bucket, with a deadline per
 * request and the venue's rate-limit answers honoured: HTTP 429 (and Binance's 418 "IP banned
 * until") block every request to that venue for Retry-After (1 s without one; 60 s for a 418),
 * then the request is retried. Never throws: the result is the body or a clear reason.
 */
import { parseRetryAfter } from '../runtime/retry-after';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import type { TokenBucket } from './token-bucket';

export interface RestClientOptions {
  fetchImpl: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  /** Retries after a rate-limit or 5xx answer. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the call fails with the reason. */
  maxWaitMs: number;
}

export type RestResult =
  | { ok: true; body: unknown }
  | { ok: false; kind: 'rate-limit' | 'network' | 'timeout' | 'venue' | 'parse'; reason: string };

export interface RestCounters {
  requests: number;
  rateLimited: number;
  errors: number;
}

export async function restGetJson(
  url: string,
  bucket: TokenBucket,
  o: RestClientOptions,
  counters: RestCounters,
  signal?: AbortSignal,
): Promise<RestResult> {
  let last: RestResult = { ok: false, kind: 'network', reason: 'no attempt made' };
  for (let attempt = 0; attempt <= o.maxRetries; attempt++) {
    try {
      await bucket.take(signal);
    } catch (err) {
      return { ok: false, kind: 'timeout', reason: `cancelled while waiting for the rate limit: ${describeCause(err)}` };
    }
    counters.requests++;
    let res: Response;
    let text: string;
    try {
      const timeout = AbortSignal.timeout(o.timeoutMs);
      res = await o.fetchImpl(url, { signal: signal ? AbortSignal.any([timeout, signal]) : timeout, headers: { accept: 'application/json' } });
      text = await res.text();
    } catch (err) {
      counters.errors++;
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return timedOut
        ? { ok: false, kind: 'timeout', reason: `${url}: timed out after ${o.timeoutMs} ms` }
        : { ok: false, kind: 'network', reason: `${url}: ${describeCause((err as { cause?: unknown }).cause ?? err)}` };
    }
    if (res.status === 429 || res.status === 418) {
      counters.rateLimited++;
      const said = parseRetryAfter(res.headers.get('retry-after') ?? undefined, o.clock.now());
      const wait = said ?? (res.status === 418 ? 60_000 : 1_000);
      bucket.blockFor(wait);
      last = { ok: false, kind: 'rate-limit', reason: `HTTP ${res.status} from ${new URL(url).host} (Retry-After ${said === null ? 'not given' : `${wait / 1000} s`})` };
      if (wait > o.maxWaitMs) break;
      continue;
    }
    if (res.status >= 500) {
      counters.errors++;
      last = { ok: false, kind: 'venue', reason: `HTTP ${res.status} from ${url}` };
      bucket.blockFor(500 * (attempt + 1));
      continue;
    }
    if (!res.ok) {
      counters.errors++;
      return { ok: false, kind: 'venue', reason: `HTTP ${res.status} from ${url}: ${text.slice(0, 200)}` };
    }
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      counters.errors++;
      return { ok: false, kind: 'parse', reason: `${url}: body is not JSON: ${text.slice(0, 120)}` };
    }
  }
  if (last.ok === false && last.kind === 'rate-limit') counters.errors++;
  return last;
}
