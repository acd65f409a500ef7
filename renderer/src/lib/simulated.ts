/** Whether a market's prices come from the built-in simulator (they must never pass for real ones). */
import type { FeedConfig } from '../../../shared/config';
import type { MarketRef } from '../../../shared/domain';
import { COMPOSITE } from '../../../shared/markets';

export const SIMULATOR = 'simulator';

/** A venue market of the simulator, or a composite with any enabled simulator feed carrying it. */
export function isSimulated(m: MarketRef | null, feeds: readonly FeedConfig[]): boolean {
  if (!m) return false;
  if (m.exchange === SIMULATOR) return true;
  if (m.exchange !== COMPOSITE) return false;
  return feeds.some((f) => f.enabled && f.exchange === SIMULATOR && f.market === m.market && f.symbols.includes(m.symbol));
}

/** True when every enabled feed is a simulator one (nothing real configured yet: the first run). */
export function onlySimulatedFeeds(feeds: readonly FeedConfig[]): boolean {
  const enabled = feeds.filter((f) => f.enabled);
  return enabled.length > 0 && enabled.every((f) => f.exchange === SIMULATOR);
}
