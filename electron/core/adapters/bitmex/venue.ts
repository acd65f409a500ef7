/**
 * The BitMEX adapter: perpetual swaps (XBTUSD, XBTUSDT, ETHUSD...), `XBT` as `BTC` (symbols.ts),
 * and its WebSocket (stream.ts) and REST (rest.ts) halves.
 */
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { bitmexRest } from './rest';
import { bitmexStream } from './stream';
import { bitmexToCanonical, bitmexToNative } from './symbols';

export const bitmexAdapter: VenueAdapter = {
  id: 'bitmex',
  displayName: 'BitMEX',
  marketTypes: ['perp'],
  channels: { perp: ['trades', 'quotes', 'liquidations', 'funding'] },
  optionsSchema: VENUE_OPTIONS.bitmex,
  ...bitmexStream,
  ...bitmexRest,
  toNative: (symbol) => bitmexToNative(symbol),
  toCanonical: (native) => bitmexToCanonical(native),
};
