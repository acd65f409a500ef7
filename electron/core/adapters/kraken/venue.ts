/**
 * The Kraken adapter: identity, symbol mapping (symbols.ts), and its WebSocket (stream.ts) and REST
 * (rest.ts) halves.
 */
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { krakenToCanonical } from './symbols';
import { krakenStream } from './stream';
import { krakenRest } from './rest';

export const krakenAdapter: VenueAdapter = {
  id: 'kraken',
  displayName: 'Kraken',
  marketTypes: ['spot'],
  channels: { spot: ['trades', 'quotes'] },
  optionsSchema: VENUE_OPTIONS.kraken,
  ...krakenStream,
  ...krakenRest,
  toNative: (symbol) => symbol.toUpperCase().replace('-', '/'),
  toCanonical: (native) => krakenToCanonical(native),
};
