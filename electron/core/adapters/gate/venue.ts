/**
 * The Gate adapter: spot pairs and USDT-settled perpetual futures, both named `BTC_USDT`
 * (symbols.ts), and its WebSocket (stream.ts) and REST (rest.ts) halves.
 */
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { gateRest } from './rest';
import { gateStream } from './stream';
import { gateToCanonical, gateToNative } from './symbols';

export const gateAdapter: VenueAdapter = {
  id: 'gate',
  displayName: 'Gate',
  marketTypes: ['spot', 'perp'],
  channels: { spot: ['trades', 'quotes'], perp: ['trades', 'quotes', 'liquidations', 'funding'] },
  optionsSchema: VENUE_OPTIONS.gate,
  ...gateStream,
  ...gateRest,
  toNative: (symbol) => gateToNative(symbol),
  toCanonical: (native) => gateToCanonical(native),
};
