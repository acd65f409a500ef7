/**
 * Canonical <-> native symbol mapping per venue and market type, from the venue's REST instrument
 * list (fetched through rest/client.ts, in the venue's token bucket), cached on disk (cache.ts) so
 * a venue whose REST API is down (or slow) still maps from yesterday's list, and from the
 * adapter's metadata-free fallback when neither is available.
 *
 * Order: a cached list younger than maxAgeMs is used as is (no REST call at every start; Binance's
 * exchangeInfo costs 20 request weight); otherwise REST (with a timeout) and, on success, the cache
 * is rewritten atomically; on failure any cached list, however old (the reason says it is stale);
 * else the fallback. It never throws for network or data reasons: a feed can always start.
 * Symbols a list does not name still map through the adapter's fallback.
 */
import type { MarketType } from '../../../shared/domain';
import type { ErrorKind } from '../../../shared/health';
import type { Instrument, SymbolResolver, VenueAdapter } from '../adapters/adapter';
import { INSTRUMENTS_ENDPOINT, restGetJson } from '../rest/client';
import { VenueBuckets } from '../rest/venue-buckets';
import { systemClock, type Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import { instrumentCachePath, readCache, validList, writeCache, type CacheFile } from './cache';

export interface ResolveSymbolsOptions {
  adapter: VenueAdapter;
  market: MarketType;
  restUrl?: string;
  /** Folder holding `instruments/<exchange>-<market>.json`; null/undefined: no disk cache. */
  cacheDir?: string | null;
  /** Whole REST request (connect, headers, body), default 5000 ms. */
  timeoutMs?: number;
  /** A cached list younger than this is used without asking REST; default 24 h. 0 forces REST. */
  maxAgeMs?: number;
  /** Body cap, default INSTRUMENTS_MAX_BODY_BYTES (rest/client.ts; tests lower it). */
  maxBodyBytes?: number;
  /**
   * The venues' REST token buckets, shared with history so one limit (and one Retry-After)
   * covers every request to a venue. Default: a bucket of its own for this call.
   */
  buckets?: VenueBuckets;
  fetchImpl?: typeof fetch;
  clock?: Clock;
}

/** Why the REST list could not be used, as a feed error (each feed using the mapping counts it). */
export interface InstrumentsRestError {
  kind: ErrorKind;
  message: string;
}

/**
 * A SymbolResolver plus, when the REST list was not used, why: `reason` (shown to the user and
 * logged) and `restError` (counted in the health of every feed that maps with it).
 */
export type ResolvedSymbols = SymbolResolver & { reason?: string; restError?: InstrumentsRestError };

const DAY_MS = 24 * 60 * 60 * 1000;

export function fallbackResolver(adapter: VenueAdapter, market: MarketType): SymbolResolver {
  return {
    toNative: (symbol) => adapter.toNative(symbol, market),
    toCanonical: (native) => adapter.toCanonical(native, market),
    source: 'fallback',
    ageMs: null,
    symbols: () => null,
  };
}

function listResolver(
  adapter: VenueAdapter,
  market: MarketType,
  list: Instrument[],
  source: 'rest' | 'cache',
  ageMs: number,
  reason?: string,
): ResolvedSymbols {
  const toNative = new Map<string, string>();
  const toCanonical = new Map<string, string>();
  const contractSizes = new Map<string, number>();
  for (const i of list) {
    if (!toNative.has(i.symbol)) toNative.set(i.symbol, i.native);
    toCanonical.set(i.native, i.symbol);
    // A cached file is read back unchecked beyond symbol/native: only a usable size counts.
    const size: unknown = i.contractSize;
    if (typeof size === 'number' && size > 0 && size < Infinity) contractSizes.set(i.native, size);
  }
  const symbols = [...toNative.keys()];
  const r: ResolvedSymbols = {
    toNative: (symbol) => toNative.get(symbol) ?? adapter.toNative(symbol, market),
    toCanonical: (native) => toCanonical.get(native) ?? adapter.toCanonical(native, market),
    source,
    ageMs,
    symbols: () => symbols.slice(),
    contractSize: (native) => contractSizes.get(native),
  };
  if (reason) r.reason = reason;
  return r;
}

function formatAge(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * One GET through the REST client: no retry (a feed is starting; the cache or the fallback
 * serves at once), the whole request within timeoutMs, including any wait for the venue's bucket
 * (a Retry-After another caller received holds this request back too).
 */
async function fetchList(opts: ResolveSymbolsOptions, clock: Clock, url: string, timeoutMs: number, postBody?: unknown): Promise<Instrument[]> {
  const bucket = (opts.buckets ?? new VenueBuckets(clock)).of(opts.adapter);
  const client = { fetchImpl: opts.fetchImpl ?? fetch, clock, timeoutMs, maxRetries: 0, maxWaitMs: 0 };
  const endpoint = opts.maxBodyBytes === undefined ? INSTRUMENTS_ENDPOINT : { ...INSTRUMENTS_ENDPOINT, maxBodyBytes: opts.maxBodyBytes };
  const counters = { requests: 0, rateLimited: 0, errors: 0 };
  const r = await restGetJson(url, bucket, client, counters, AbortSignal.timeout(timeoutMs), endpoint, postBody);
  if (!r.ok) throw r.kind === 'parse' ? new MalformedList(r.reason) : new FetchFailure(r.reason, r.kind);
  let parsed: unknown;
  try {
    parsed = opts.adapter.instruments!.parse(r.body, opts.market);
  } catch (err) {
    throw new MalformedList(describeCause(err));
  }
  const list = validList(parsed);
  if (list.length === 0) throw new MalformedList('no instruments in the list');
  return list;
}

/** The list came, but not as a list of instruments (not JSON, wrong shape, empty). */
class MalformedList extends Error {}
/** The request failed, with the feed-error kind of its cause. */
class FetchFailure extends Error {
  constructor(message: string, readonly kind: ErrorKind) {
    super(message);
  }
}

export async function resolveSymbols(opts: ResolveSymbolsOptions): Promise<ResolvedSymbols> {
  const { adapter, market } = opts;
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const maxAgeMs = opts.maxAgeMs ?? DAY_MS;
  const file = opts.cacheDir ? instrumentCachePath(opts.cacheDir, adapter.id, market) : null;
  const cached = file ? await readCache(file) : null;
  const ageOf = (c: CacheFile) => Math.max(0, clock.now() - c.fetchedAt);

  if (cached && ageOf(cached) < maxAgeMs) return listResolver(adapter, market, cached.instruments, 'cache', ageOf(cached));

  const base = opts.restUrl ?? adapter.defaultRestUrl?.(market);
  let failure: string;
  let restError: InstrumentsRestError | undefined;
  if (!adapter.instruments || !base) {
    failure = `${adapter.displayName} has no REST instrument list`;
  } else {
    try {
      const list = await fetchList(opts, clock, `${base.replace(/\/+$/, '')}${adapter.instruments.path(market)}`, timeoutMs, adapter.instruments.body?.(market));
      if (file) {
        await writeCache(file, { exchange: adapter.id, market, fetchedAt: clock.now(), instruments: list }).catch(() => {
          // A read-only or full disk costs us the cache, not the mapping.
        });
      }
      return listResolver(adapter, market, list, 'rest', 0);
    } catch (err) {
      failure = err instanceof MalformedList
        ? `malformed ${adapter.displayName} instrument list: ${err.message}`
        : `${adapter.displayName} instrument list unavailable: ${describeCause(err)}`;
      restError = { kind: err instanceof FetchFailure ? err.kind : err instanceof MalformedList ? 'parse' : 'network', message: failure };
    }
  }

  let resolved: ResolvedSymbols;
  if (cached) {
    const age = ageOf(cached);
    const stale = age >= maxAgeMs ? ` (stale: older than ${formatAge(maxAgeMs)})` : '';
    resolved = listResolver(adapter, market, cached.instruments, 'cache', age, `${failure}; using the cached list from ${formatAge(age)} ago${stale}`);
  } else {
    resolved = { ...fallbackResolver(adapter, market), reason: `${failure}; mapping symbols without metadata` };
  }
  if (restError) resolved.restError = restError;
  return resolved;
}
