/**
 * The one REST client of the core: GET + JSON for every venue endpoint we use (instrument lists,
 * candles, trades by id; a POST with a JSON body where the venue has only that: Hyperliquid's
 * /info), paced by the venue's token bucket (venue-buckets.ts), with a deadline
 * per request and the venue's rate-limit answers honoured: HTTP 429 (and Binance's 418 "IP banned
 * until") block every request to that venue for Retry-After (1 s without one; 60 s for a 418),
 * then the request is retried. Bodies are read as streams up to a per-endpoint cap (the request
 * is aborted past it) and refused unparsed when nested deeper than any venue nests.
 * Never throws: the result is the body or a clear reason with its kind.
 */
import { nestingBreach, VENUE_JSON_MAX_DEPTH } from '../../../shared/json-limits';
import { KB, MB } from '../util/byte-size';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import { BodyTooLargeError, discardBody, readBodyCapped } from './read-body';
import { parseRetryAfter } from './retry-after';
import type { TokenBucket } from './token-bucket';

/**
 * Per-endpoint body caps. A page is at most 1000 rows: candles ~100-160 bytes each as the venues
 * write them (Binance klines with 12 fields, Bybit/OKX string arrays) = ~160 KB; aggTrades
 * ~110 bytes each = ~110 KB. 4 MB is 25x the largest real page.
 */
export const CANDLES_PAGE_MAX_BYTES = 4 * MB;
export const TRADES_PAGE_MAX_BYTES = 4 * MB;
/**
 * Largest instrument list accepted. The biggest real ones are a few MB (Binance spot
 * exchangeInfo with every symbol's filters, OKX/Bybit perpetual lists); 16 MB leaves room for
 * growth while a hostile or broken server cannot fill memory.
 */
export const INSTRUMENTS_MAX_BODY_BYTES = 16 * MB;
/** An error answer is read only to quote its start in the reason. */
const ERROR_BODY_MAX_BYTES = 64 * KB;

/** Which endpoint a request is for: names it in errors and picks its body cap. */
export interface RestEndpoint {
  what: string;
  maxBodyBytes: number;
}

export const CANDLES_ENDPOINT: RestEndpoint = { what: 'candles', maxBodyBytes: CANDLES_PAGE_MAX_BYTES };
export const TRADES_ENDPOINT: RestEndpoint = { what: 'trades', maxBodyBytes: TRADES_PAGE_MAX_BYTES };
export const INSTRUMENTS_ENDPOINT: RestEndpoint = { what: 'instruments', maxBodyBytes: INSTRUMENTS_MAX_BODY_BYTES };

export interface RestClientOptions {
  fetchImpl: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  /** Retries after a rate-limit or 5xx answer. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the call fails with the reason. */
  maxWaitMs: number;
}

/**
 * What went wrong, as a feed error kind: `protocol` for a body past its cap, `parse` for one that
 * is not JSON (or nested too deeply), `venue` for an HTTP error status.
 */
export type RestFailureKind = 'rate-limit' | 'network' | 'timeout' | 'venue' | 'protocol' | 'parse';

export type RestResult =
  | { ok: true; body: unknown }
  | { ok: false; kind: RestFailureKind; reason: string };

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
  signal: AbortSignal | undefined,
  endpoint: RestEndpoint,
  /** A JSON request body: the request is a POST (Hyperliquid /info); undefined: a GET. */
  postBody?: unknown,
): Promise<RestResult> {
  const init: RequestInit = postBody === undefined
    ? { headers: { accept: 'application/json' } }
    : { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(postBody) };
  let last: RestResult = { ok: false, kind: 'network', reason: 'no attempt made' };
  for (let attempt = 0; attempt <= o.maxRetries; attempt++) {
    try {
      await bucket.take(signal);
    } catch (err) {
      return { ok: false, kind: 'timeout', reason: `cancelled while waiting for the rate limit: ${describeCause(err)}` };
    }
    counters.requests++;
    let res: Response;
    const aborter = new AbortController();
    try {
      const timeout = AbortSignal.timeout(o.timeoutMs);
      res = await o.fetchImpl(url, { ...init, signal: AbortSignal.any(signal ? [timeout, signal, aborter.signal] : [timeout, aborter.signal]) });
    } catch (err) {
      counters.errors++;
      return requestFailed(url, err, o.timeoutMs);
    }
    if (res.status === 429 || res.status === 418 || res.status >= 500) discardBody(res);
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
      last = { ok: false, kind: 'venue', reason: `${url}: ${httpStatus(res)}` };
      bucket.blockFor(500 * (attempt + 1));
      continue;
    }
    if (!res.ok) {
      counters.errors++;
      const said = await readBodyCapped(res, { limitBytes: ERROR_BODY_MAX_BYTES, what: endpoint.what, abort: () => aborter.abort() }).catch(() => '');
      return { ok: false, kind: 'venue', reason: `${url}: ${httpStatus(res)}${said ? `: ${said.slice(0, 200)}` : ''}` };
    }
    let text: string;
    try {
      text = await readBodyCapped(res, { limitBytes: endpoint.maxBodyBytes, what: endpoint.what, abort: () => aborter.abort() });
    } catch (err) {
      counters.errors++;
      if (err instanceof BodyTooLargeError) return { ok: false, kind: 'protocol', reason: `${url}: ${err.message}` };
      return requestFailed(url, err, o.timeoutMs);
    }
    const deep = nestingBreach(text, VENUE_JSON_MAX_DEPTH);
    if (deep >= 0) {
      counters.errors++;
      return { ok: false, kind: 'parse', reason: `${url}: ${endpoint.what}: body nested deeper than ${VENUE_JSON_MAX_DEPTH} levels (at character ${deep})` };
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

/** `HTTP 503 Service Unavailable` (the reason phrase when the server sent one). */
function httpStatus(res: Response): string {
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

function requestFailed(url: string, err: unknown, timeoutMs: number): RestResult {
  const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  return timedOut
    ? { ok: false, kind: 'timeout', reason: `${url}: timed out after ${timeoutMs} ms` }
    : { ok: false, kind: 'network', reason: `${url}: ${describeCause((err as { cause?: unknown }).cause ?? err)}` };
}
