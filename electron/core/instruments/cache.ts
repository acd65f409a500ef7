/**
 * The on-disk copy of each venue's instrument list (`<data dir>/instruments/<venue>-<market>.json`),
 * so a venue whose REST API is down (or slow) still maps from the last list it gave. Written
 * atomically; a damaged or foreign file is ignored, never trusted.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MarketType } from '../../../shared/domain';
import { isCanonicalSymbol } from '../../../shared/symbols';
import type { Instrument } from '../adapters/adapter';
import { INSTRUMENTS_MAX_BODY_BYTES } from '../rest/client';

export interface CacheFile {
  exchange: string;
  market: MarketType;
  fetchedAt: number;
  instruments: Instrument[];
}

/** Our own cache is never larger than the list it copies; a file that is (damaged, or not ours) is ignored unread. */
const CACHE_MAX_BYTES = INSTRUMENTS_MAX_BODY_BYTES;

export function instrumentCachePath(cacheDir: string, exchange: string, market: MarketType): string {
  return join(cacheDir, 'instruments', `${exchange}-${market}.json`);
}

/** Keeps well-formed entries (of a venue's list or of a cache file). */
export function validList(raw: unknown): Instrument[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (i): i is Instrument =>
      typeof i === 'object' && i !== null &&
      typeof i.native === 'string' && i.native.length > 0 &&
      typeof i.symbol === 'string' && isCanonicalSymbol(i.symbol),
  );
}

export async function readCache(file: string): Promise<CacheFile | null> {
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
export async function writeCache(file: string, content: CacheFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(content));
  await rename(tmp, file);
}
