/**
 * The Coinbase Advanced Trade adapter: identity, symbol mapping (product ids already are
 * BASE-QUOTE), and its WebSocket (stream.ts) and REST (rest.ts) halves.
 */
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { coinbaseStream } from './stream';
import { coinbaseRest } from './rest';
import { coinbaseBook } from './book';

export const coinbaseAdapter: VenueAdapter = {
  id: 'coinbase',
  displayName: 'Coinbase Advanced Trade',
  marketTypes: ['spot'],
  channels: { spot: ['trades', 'quotes', 'book'] },
  optionsSchema: VENUE_OPTIONS.coinbase,
  ...coinbaseStream,
  ...coinbaseRest,
  book: coinbaseBook,
  toNative: (symbol) => symbol.toUpperCase(),
  toCanonical: (native) => native.toUpperCase(),
};
