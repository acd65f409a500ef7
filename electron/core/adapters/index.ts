/** Registry: exchange id (FeedConfig.exchange) -> adapter. Adding a venue: docs/adding-a-venue.md. */
import type { VenueAdapter } from './adapter';
import { binanceAdapter } from './binance';
import { bitfinexAdapter } from './bitfinex';
import { bitstampAdapter } from './bitstamp';
import { bybitAdapter } from './bybit';
import { coinbaseAdapter } from './coinbase';
import { krakenAdapter } from './kraken';
import { okxAdapter } from './okx';
import { simulatorAdapter } from './simulator';

const ADAPTERS: Record<string, VenueAdapter> = {
  simulator: simulatorAdapter,
  binance: binanceAdapter,
  coinbase: coinbaseAdapter,
  kraken: krakenAdapter,
  bybit: bybitAdapter,
  okx: okxAdapter,
  bitstamp: bitstampAdapter,
  bitfinex: bitfinexAdapter,
};

export function getAdapter(exchange: string): VenueAdapter | undefined {
  return ADAPTERS[exchange];
}

export function listAdapters(): VenueAdapter[] {
  return Object.values(ADAPTERS);
}
