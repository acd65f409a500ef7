/**
 * Registry: venue id (FeedConfig.exchange) -> adapter. Keyed by the one venue list in
 * shared/venues.ts and checked with `satisfies`, so a venue listed there without an adapter here
 * (or an adapter registered under an id that is not listed) fails to compile. Adding a venue:
 * docs/adding-a-venue.md. `replay` is a feed source, not a venue: it has no adapter of its own.
 */
import { isVenueId, type VenueId } from '../../../shared/venues';
import type { VenueAdapter } from './adapter';
import { binanceAdapter } from './binance/venue';
import { bitfinexAdapter } from './bitfinex/venue';
import { bitmexAdapter } from './bitmex/venue';
import { gateAdapter } from './gate/venue';
import { bitstampAdapter } from './bitstamp/venue';
import { bybitAdapter } from './bybit/venue';
import { coinbaseAdapter } from './coinbase/venue';
import { deribitAdapter } from './deribit/venue';
import { hyperliquidAdapter } from './hyperliquid/venue';
import { krakenAdapter } from './kraken/venue';
import { kucoinAdapter } from './kucoin/venue';
import { okxAdapter } from './okx/venue';
import { simulatorAdapter } from './simulator/venue';

const ADAPTERS = {
  simulator: simulatorAdapter,
  binance: binanceAdapter,
  coinbase: coinbaseAdapter,
  kraken: krakenAdapter,
  bybit: bybitAdapter,
  okx: okxAdapter,
  bitstamp: bitstampAdapter,
  bitfinex: bitfinexAdapter,
  bitmex: bitmexAdapter,
  gate: gateAdapter,
  hyperliquid: hyperliquidAdapter,
  deribit: deribitAdapter,
  kucoin: kucoinAdapter,
} satisfies Record<VenueId, VenueAdapter>;

/** The adapter of a venue id; undefined for anything else (`replay`, an id from a recording's header...). */
export function getAdapter(exchange: string): VenueAdapter | undefined {
  return isVenueId(exchange) ? ADAPTERS[exchange] : undefined;
}

export function listAdapters(): VenueAdapter[] {
  return Object.values(ADAPTERS);
}
