/**
 * The KuCoin adapter: spot (`BTC-USDT`) and USDT/USDC-margined perpetual futures (`XBTUSDTM`,
 * `XBT` as `BTC`: symbols.ts), its WebSocket (stream.ts) and REST (rest.ts) halves, and the
 * connect token every connection needs first (rest.ts kucoinConnectToken).
 */
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { kucoinConnectToken, kucoinRest } from './rest';
import { kucoinStream } from './stream';
import { kucoinToCanonical, kucoinToNative } from './symbols';

export const kucoinAdapter: VenueAdapter = {
  id: 'kucoin',
  displayName: 'KuCoin',
  marketTypes: ['spot', 'perp'],
  channels: { spot: ['trades', 'quotes'], perp: ['trades', 'quotes', 'funding'] },
  optionsSchema: VENUE_OPTIONS.kucoin,
  ...kucoinStream,
  connectToken: kucoinConnectToken,
  ...kucoinRest,
  toNative: (symbol, market) => kucoinToNative(symbol, market),
  toCanonical: (native, market) => kucoinToCanonical(native, market),
};
