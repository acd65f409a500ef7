/**
 * The Bitfinex adapter: identity, symbol mapping (symbols.ts), and its WebSocket (stream.ts) and
 * REST (rest.ts) halves.
 */
import type { Channel, MarketType } from '../../../../shared/domain';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { bitfinexToCanonical, bitfinexToNative } from './symbols';
import { bitfinexStream } from './stream';
import { bitfinexRest } from './rest';

const SPOT_CHANNELS: readonly Channel[] = ['trades', 'quotes'];

export const bitfinexAdapter: VenueAdapter = {
  id: 'bitfinex',
  displayName: 'Bitfinex',
  marketTypes: ['spot'],
  channels: { spot: SPOT_CHANNELS },
  optionsSchema: VENUE_OPTIONS.bitfinex,
  ...bitfinexStream,
  ...bitfinexRest,
  toNative: (symbol: string, _market: MarketType) => bitfinexToNative(symbol),
  toCanonical: (native: string) => bitfinexToCanonical(native),
};
