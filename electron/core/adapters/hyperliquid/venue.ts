/**
 * The Hyperliquid adapter: identity, coin naming (symbols.ts: `kPEPE` is 1000PEPE-USDC, spot
 * `@107` needs spotMeta), and its WebSocket (stream.ts) and REST (rest.ts, POST /info) halves.
 * Hyperliquid's public trades carry no liquidation flag: no liquidations channel.
 */
import type { Channel } from '../../../../shared/domain';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { hyperliquidRest } from './rest';
import { hyperliquidStream } from './stream';
import { hyperliquidToCanonical, hyperliquidToNative } from './symbols';

const SPOT_CHANNELS: readonly Channel[] = ['trades', 'quotes'];
const PERP_CHANNELS: readonly Channel[] = ['trades', 'quotes', 'funding'];

export const hyperliquidAdapter: VenueAdapter = {
  id: 'hyperliquid',
  displayName: 'Hyperliquid',
  marketTypes: ['spot', 'perp'],
  channels: { spot: SPOT_CHANNELS, perp: PERP_CHANNELS },
  optionsSchema: VENUE_OPTIONS.hyperliquid,
  ...hyperliquidStream,
  ...hyperliquidRest,
  toNative: hyperliquidToNative,
  toCanonical: hyperliquidToCanonical,
};
