/**
 * The Binance adapter: identity, symbol mapping, and its WebSocket (stream.ts) and REST (rest.ts)
 * halves. Spot and USD-M perpetuals, public data only (no keys).
 */
import type { MarketType } from '../../../../shared/domain';
import { splitCanonical, splitConcatenated } from '../../../../shared/symbols';
import { VENUE_OPTIONS } from '../../../../shared/venue-options';
import type { Stream, VenueAdapter } from '../adapter';
import { binanceBook } from './book';
import { binanceRest } from './rest';
import { binanceStream } from './stream';

function binanceToNative(symbol: string): string {
  const { base, quote } = splitCanonical(symbol);
  return `${base}${quote}`;
}

export const binanceAdapter: VenueAdapter & {
  /** Streams that must share a connection URL (USD-M routes by path); see stream.ts. */
  connectionGroup(stream: Stream, market: MarketType): string;
} = {
  id: 'binance',
  displayName: 'Binance',
  marketTypes: ['spot', 'perp'],
  channels: { spot: ['trades', 'quotes', 'book'], perp: ['trades', 'quotes', 'liquidations', 'funding', 'book'] },
  optionsSchema: VENUE_OPTIONS.binance,
  ...binanceStream,
  ...binanceRest,
  book: binanceBook,
  toNative: (symbol) => binanceToNative(symbol),
  toCanonical: (native) => splitConcatenated(native) ?? native.toUpperCase(),
};
