/**
 * The OKX adapter: identity, symbol mapping (perpetuals are <SYMBOL>-SWAP), and its WebSocket
 * (stream.ts) and REST (rest.ts) halves.
 */
import type { Channel } from '../../../../shared/domain';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { okxBook } from './book';
import { okxToCanonical } from './symbols';
import { okxStream } from './stream';
import { okxRest } from './rest';

const SPOT_CHANNELS: readonly Channel[] = ['trades', 'quotes', 'book'];
const PERP_CHANNELS: readonly Channel[] = ['trades', 'quotes', 'liquidations', 'funding', 'book'];

export const okxAdapter: VenueAdapter = {
  id: 'okx',
  displayName: 'OKX',
  marketTypes: ['spot', 'perp'],
  channels: { spot: SPOT_CHANNELS, perp: PERP_CHANNELS },
  optionsSchema: VENUE_OPTIONS.okx,
  ...okxStream,
  ...okxRest,
  book: okxBook,
  toNative: (symbol, market) => (market === 'perp' ? `${symbol}-SWAP` : symbol),
  toCanonical: (native) => okxToCanonical(native),
};
