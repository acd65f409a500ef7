/**
 * Every watched market's last 24 hours, asked of the core (command `marketStats`, computed from
 * its stored and in-memory bars) every REFRESH_MS while the watchlist is shown, so the numbers
 * survive a reload. The watchlist reads the map on its own tick; nothing here renders.
 */
import type { MarketRef } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import type { MarketStats24h } from '../../../shared/market-stats';
import type { CoreClient } from '../transport/client';

export const REFRESH_MS = 15_000;
/**
 * Sooner while a market has no bars yet (a feed just started), so its first numbers show quickly;
 * at most RETRIES times (a feed that cannot connect would otherwise keep it at this pace).
 */
export const RETRY_MS = 3_000;
const RETRIES = 10;

const byKey = new Map<string, MarketStats24h>();

export function stats24(key: string): MarketStats24h | undefined {
  return byKey.get(key);
}

/**
 * One refresh; true when every market has bars. A failure (an older core, a closed connection)
 * keeps the previous numbers.
 */
export async function refreshStats24(client: CoreClient, markets: readonly MarketRef[]): Promise<boolean> {
  if (markets.length === 0) return true;
  try {
    const result = await client.request('marketStats', { markets: markets.map((m) => ({ exchange: m.exchange, market: m.market, symbol: m.symbol })) });
    for (const s of result) byKey.set(marketKey(s), s);
    return result.every((s) => s.tf !== null);
  } catch {
    return false; // shown as "—" until a refresh succeeds
  }
}

/** Refreshes now and then every REFRESH_MS (RETRY_MS while some market has no bars) until stopped. */
export function pollStats24(client: CoreClient, markets: () => readonly MarketRef[]): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let retries = 0;
  const run = async () => {
    const complete = await refreshStats24(client, markets());
    const soon = !complete && retries++ < RETRIES;
    if (!stopped) timer = setTimeout(() => void run(), soon ? RETRY_MS : REFRESH_MS);
  };
  void run();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}
