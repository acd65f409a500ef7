/**
 * The built-in simulator's adapter: identity, the symbols it lists with realistic parameters, and
 * its WebSocket half (stream.ts). Native symbols are canonical.
 */
import { normaliseSymbol } from '../../../../shared/symbols';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import { LISTED_SYMBOLS } from '../../simulator/markets';
import type { VenueAdapter } from '../adapter';
import { simulatorStream } from './stream';

export const simulatorAdapter: VenueAdapter = {
  id: 'simulator',
  displayName: 'Simulator (built-in)',
  marketTypes: ['spot', 'perp'],
  channels: { spot: ['trades', 'quotes', 'book'], perp: ['trades', 'quotes', 'liquidations', 'funding', 'book'] },
  optionsSchema: VENUE_OPTIONS.simulator,
  ...simulatorStream,
  // The simulator makes up any canonical symbol it is started with; these have realistic parameters.
  knownSymbols: () => [...LISTED_SYMBOLS],
  toNative: (symbol) => symbol,
  toCanonical: (native) => normaliseSymbol(native) ?? native.toUpperCase(),
};
