/**
 * The Bitstamp adapter: identity, symbol mapping (`btcusd`), its WebSocket (stream.ts) and REST
 * (rest.ts) halves and its book rules (book.ts).
 */
import { splitConcatenated } from '../../../../shared/symbols';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { bitstampStream } from './stream';
import { bitstampRest } from './rest';
import { bitstampBook } from './book';

export const bitstampAdapter: VenueAdapter = {
  id: 'bitstamp',
  displayName: 'Bitstamp',
  marketTypes: ['spot'],
  channels: { spot: ['trades', 'quotes', 'book'] },
  optionsSchema: VENUE_OPTIONS.bitstamp,
  ...bitstampStream,
  ...bitstampRest,
  book: bitstampBook,
  toNative: (symbol) => symbol.replace('-', '').toLowerCase(),
  // Without metadata, split `btcusd` by known quote assets; unknown quotes stay upper-cased whole.
  toCanonical: (native) => splitConcatenated(native) ?? native.toUpperCase(),
};
