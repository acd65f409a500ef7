/**
 * The feed editor's instrument search over what the instrument resolver found: the venue's list
 * (REST or its disk cache), or, when it fell back to mapping without metadata (offline, REST down,
 * no cached copy), only what the app knows without it, and a note saying the list is unavailable
 * so the UI can say so and tell the user what to type instead of a bare "no match".
 */
import type { InstrumentSearchResult } from '../../../shared/market-stats';
import type { SymbolResolver } from '../adapters/adapter';

/** Most results one search returns. */
export const SEARCH_LIMIT = 50;

export function searchInstruments(
  resolved: (SymbolResolver & { reason?: string }) | undefined,
  known: readonly string[] | null,
  query: string,
): InstrumentSearchResult {
  const listed = resolved?.symbols() ?? null;
  const needle = query.trim().toUpperCase().replace(/[/_ ]/g, '-');
  const symbols = (listed ?? known ?? []).filter((s) => s.includes(needle)).sort().slice(0, SEARCH_LIMIT);
  // A venue without a REST list (the simulator) searches its known symbols: that is its list.
  if (listed !== null || (resolved === undefined && known !== null)) return { symbols };
  return { symbols, listUnavailable: resolved?.reason ?? 'the venue has no instrument list' };
}
