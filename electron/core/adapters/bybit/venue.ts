/**
 * The Bybit adapter: identity, symbol mapping (USDC perpetuals are <BASE>PERP), and its WebSocket
 * (stream.ts) and REST (rest.ts) halves.
 */
import { splitCanonical, splitConcatenated } from '../../../../shared/symbols';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { VenueAdapter } from '../adapter';
import { bybitBook } from './book';
import { bybitStream } from './stream';
import { bybitRest } from './rest';

export const bybitAdapter: VenueAdapter = {
  id: 'bybit',
  displayName: 'Bybit',
  marketTypes: ['spot', 'perp'],
  channels: { spot: ['trades', 'quotes', 'book'], perp: ['trades', 'quotes', 'liquidations', 'funding', 'book'] },
  optionsSchema: VENUE_OPTIONS.bybit,
  ...bybitStream,
  ...bybitRest,
  book: bybitBook,
  toNative(symbol, market) {
    const { base, quote } = splitCanonical(symbol);
    // USDC-margined linear perpetuals are named <BASE>PERP (BTCPERP), not BTCUSDC.
    return market === 'perp' && quote === 'USDC' ? `${base}PERP` : `${base}${quote}`;
  },
  toCanonical(native, market) {
    const n = native.toUpperCase();
    if (market === 'perp' && n.endsWith('PERP') && n.length > 4) return `${n.slice(0, -4)}-USDC`;
    return splitConcatenated(n) ?? n;
  },
};
