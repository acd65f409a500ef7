/** Registry: exchange id (FeedConfig.exchange) -> adapter. Adding a venue: docs/adding-a-venue.md. */
import type { VenueAdapter } from './adapter';
import { simulatorAdapter } from './simulator';

const ADAPTERS: Record<string, VenueAdapter> = {
  simulator: simulatorAdapter,
};

export function getAdapter(exchange: string): VenueAdapter | undefined {
  return ADAPTERS[exchange];
}

export function listAdapters(): VenueAdapter[] {
  return Object.values(ADAPTERS);
}
