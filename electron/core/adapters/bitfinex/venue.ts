/**
 * The Bitfinex adapter: identity, symbol mapping (symbols.ts), its WebSocket (stream.ts) and REST
 * (rest.ts) halves and its book rules (book.ts).
 */
import type { Channel, MarketType } from '../../../../shared/domain';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { bitfinexToCanonical, bitfinexToNative } from './symbols';
import { bitfinexStream } from './stream';
import { bitfinexRest } from './rest';
import { bitfinexBook } from './book';

const SPOT_CHANNELS: readonly Channel[] = ['trades', 'quotes', 'book'];

export const bitfinexAdapter: VenueAdapter = {
  id: 'bitfinex',
  displayName: 'Bitfinex',
  marketTypes: ['spot'],
  channels: { spot: SPOT_CHANNELS },
  optionsSchema: VENUE_OPTIONS.bitfinex,
  ...bitfinexStream,
  ...bitfinexRest,
  book: bitfinexBook,
  toNative: (symbol: string, _market: MarketType) => bitfinexToNative(symbol),
  toCanonical: (native: string) => bitfinexToCanonical(native),
};
