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
import { replayAdapter } from '../replay/replay-adapter';

const ADAPTERS: Record<string, VenueAdapter> = {
  simulator: simulatorAdapter,
  binance: binanceAdapter,
  coinbase: coinbaseAdapter,
  kraken: krakenAdapter,
  bybit: bybitAdapter,
  okx: okxAdapter,
  bitstamp: bitstampAdapter,
  bitfinex: bitfinexAdapter,
  /** Plays recordings through the recorded venue's adapter (replay/replay-runner.ts). */
  replay: replayAdapter,
};

export function getAdapter(exchange: string): VenueAdapter | undefined {
  return ADAPTERS[exchange];
}

export function listAdapters(): VenueAdapter[] {
  return Object.values(ADAPTERS);
}
