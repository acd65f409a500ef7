/**
 * The Kraken adapter: identity, symbol mapping (symbols.ts), and its WebSocket (stream.ts) and REST
 * (rest.ts) halves.
 */
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { krakenToCanonical } from './symbols';
import { krakenStream } from './stream';
import { krakenRest } from './rest';
import { krakenBook } from './book';

export const krakenAdapter: VenueAdapter = {
  id: 'kraken',
  displayName: 'Kraken',
  marketTypes: ['spot'],
  channels: { spot: ['trades', 'quotes', 'book'] },
  optionsSchema: VENUE_OPTIONS.kraken,
  ...krakenStream,
  ...krakenRest,
  book: krakenBook,
  toNative: (symbol) => symbol.toUpperCase().replace('-', '/'),
  toCanonical: (native) => krakenToCanonical(native),
};
