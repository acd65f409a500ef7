/**
 * Canonical <-> native symbol mapping per venue and market type, from the venue's REST instrument
 * list, cached on disk so a venue whose REST API is down (or slow) still maps from yesterday's
 * list, and from the adapter's metadata-free fallback when neither is available.
 *
 * Order: a cached list younger than maxAgeMs is used as is (no REST call at every start; Binance's
 * exchangeInfo costs 20 request weight); otherwise REST (with a timeout) and, on success, the cache
 * is rewritten atomically; on failure any cached list, however old (the reason says it is stale);
 * else the fallback. It never throws for network or data reasons: a feed can always start.
 * Symbols a list does not name still map through the adapter's fallback.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MarketType } from '../../../shared/domain';
import type { ErrorKind } from '../../../shared/health';
import { isCanonicalSymbol } from '../../../shared/symbols';
import type { Instrument, SymbolResolver, VenueAdapter } from '../adapters/adapter';
import { MB } from '../util/byte-size';
import { systemClock, type Clock } from '../util/clock';
import { MAX_JSON_DEPTH, nestingBreach } from '../util/json-depth';
import { BodyTooLargeError, discardBody, readBodyCapped } from '../util/read-body';

/**
 * Largest instrument list accepted. The biggest real ones are a few MB (Binance spot
 * exchangeInfo with every symbol's filters and permission sets, OKX/Bybit perpetual lists);
 * 16 MB leaves room for growth while a hostile or broken server cannot fill memory.
 */
export const INSTRUMENTS_MAX_BODY_BYTES = 16 * MB;

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
  /** Body cap, default INSTRUMENTS_MAX_BODY_BYTES (tests lower it). */
  maxBodyBytes?: number;
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

interface CacheFile {
  exchange: string;
  market: MarketType;
  fetchedAt: number;
  instruments: Instrument[];
}

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
  for (const i of list) {
    if (!toNative.has(i.symbol)) toNative.set(i.symbol, i.native);
    toCanonical.set(i.native, i.symbol);
  }
  const symbols = [...toNative.keys()];
  const r: ResolvedSymbols = {
    toNative: (symbol) => toNative.get(symbol) ?? adapter.toNative(symbol, market),
    toCanonical: (native) => toCanonical.get(native) ?? adapter.toCanonical(native, market),
    source,
    ageMs,
    symbols: () => symbols.slice(),
  };
  if (reason) r.reason = reason;
  return r;
}

/** Keeps well-formed entries; the venue's parse may throw on a body of the wrong shape. */
function validList(raw: unknown): Instrument[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (i): i is Instrument =>
      typeof i === 'object' && i !== null &&
      typeof i.native === 'string' && i.native.length > 0 &&
      typeof i.symbol === 'string' && isCanonicalSymbol(i.symbol),
  );
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
    const cause = (err as { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String((cause as { code: unknown }).code)})` : '';
    return `${err.message}${code}`;
  }
  return String(err);
}

function formatAge(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

async function fetchList(opts: ResolveSymbolsOptions, url: string, timeoutMs: number): Promise<Instrument[]> {
  const doFetch = opts.fetchImpl ?? fetch;
  const aborter = new AbortController();
  let body: unknown;
  try {
    const res = await doFetch(url, { signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), aborter.signal]), headers: { accept: 'application/json' } });
    if (!res.ok) {
      discardBody(res);
      throw new HttpError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    const text = await readBodyCapped(res, { limitBytes: opts.maxBodyBytes ?? INSTRUMENTS_MAX_BODY_BYTES, what: 'instruments', abort: () => aborter.abort() });
    const deep = nestingBreach(text, MAX_JSON_DEPTH);
    if (deep >= 0) throw new MalformedList(`body nested deeper than ${MAX_JSON_DEPTH} levels (at character ${deep})`);
    try {
      body = JSON.parse(text);
    } catch {
      throw new MalformedList('body is not JSON');
    }
  } catch (err) {
    if (err instanceof MalformedList) throw err;
    const why = err instanceof Error && err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : describe(err);
    throw new FetchFailure(`${url}: ${why}`, restErrorKind(err));
  }
  let parsed: unknown;
  try {
    parsed = opts.adapter.instruments!.parse(body, opts.market);
  } catch (err) {
    throw new MalformedList(describe(err));
  }
  const list = validList(parsed);
  if (list.length === 0) throw new MalformedList('no instruments in the list');
  return list;
}

class MalformedList extends Error {}
class HttpError extends Error {}
/** A request that failed, with the feed-error kind of its cause. */
class FetchFailure extends Error {
  constructor(message: string, readonly kind: ErrorKind) {
    super(message);
  }
}

function restErrorKind(err: unknown): ErrorKind {
  if (err instanceof MalformedList) return 'parse';
  if (err instanceof BodyTooLargeError) return 'protocol';
  if (err instanceof HttpError) return 'venue';
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timeout';
  return 'network';
}

/** Our own cache is never this large; a file that is (damaged, or not ours) is ignored unread. */
const CACHE_MAX_BYTES = INSTRUMENTS_MAX_BODY_BYTES;

async function readCache(file: string): Promise<CacheFile | null> {
  try {
    if ((await stat(file)).size > CACHE_MAX_BYTES) return null;
    const c = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFile>;
    const instruments = validList(c.instruments);
    if (typeof c.fetchedAt !== 'number' || instruments.length === 0) return null;
    return { exchange: String(c.exchange), market: c.market as MarketType, fetchedAt: c.fetchedAt, instruments };
  } catch {
    return null;
  }
}

/** Temp file + rename: a reader (another feed, a crash mid-write) never sees half a list. */
async function writeCache(file: string, content: CacheFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(content));
  await rename(tmp, file);
}

export function instrumentCachePath(cacheDir: string, exchange: string, market: MarketType): string {
  return join(cacheDir, 'instruments', `${exchange}-${market}.json`);
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
      const list = await fetchList(opts, `${base.replace(/\/+$/, '')}${adapter.instruments.path(market)}`, timeoutMs);
      if (file) {
        await writeCache(file, { exchange: adapter.id, market, fetchedAt: clock.now(), instruments: list }).catch(() => {
          // A read-only or full disk costs us the cache, not the mapping.
        });
      }
      return listResolver(adapter, market, list, 'rest', 0);
    } catch (err) {
      failure = err instanceof MalformedList
        ? `malformed ${adapter.displayName} instrument list: ${err.message}`
        : `${adapter.displayName} instrument list unavailable: ${describe(err)}`;
      restError = { kind: err instanceof FetchFailure ? err.kind : restErrorKind(err), message: failure };
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
