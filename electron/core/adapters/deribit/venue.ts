/**
 * The Deribit adapter: perpetuals and dated futures as market type `perp` (options out of scope),
 * instrument naming (symbols.ts), and its WebSocket (stream.ts, JSON-RPC) and REST (rest.ts) halves.
 */
import type { Channel } from '../../../../shared/domain';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { deribitRest } from './rest';
import { deribitStream } from './stream';
import { deribitToCanonical, deribitToNative } from './symbols';

const PERP_CHANNELS: readonly Channel[] = ['trades', 'quotes', 'liquidations', 'funding'];

export const deribitAdapter: VenueAdapter = {
  id: 'deribit',
  displayName: 'Deribit',
  marketTypes: ['perp'],
  channels: { perp: PERP_CHANNELS },
  optionsSchema: VENUE_OPTIONS.deribit,
  ...deribitStream,
  ...deribitRest,
  toNative: (symbol) => deribitToNative(symbol),
  toCanonical: (native) => deribitToCanonical(native),
};
