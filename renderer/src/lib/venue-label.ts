/**
 * Short market labels for dense rows (tape, watchlist): `BTC-USDT · PERP · SIM`. Spot and perp of
 * the same symbol trade apart (funding, basis), so the market type is always spelled out; venues
 * go by the prefixes traders know from TradingView (`BINANCE:BTCUSDT`).
 */
import type { MarketRef } from '../../../shared/domain';
import { COMPOSITE } from '../../../shared/markets';

const VENUE_CODES: Record<string, string> = {
  simulator: 'SIM',
  binance: 'BINANCE',
  coinbase: 'COINBASE',
  kraken: 'KRAKEN',
  bybit: 'BYBIT',
  okx: 'OKX',
  bitstamp: 'BITSTAMP',
  bitfinex: 'BITFINEX',
  hyperliquid: 'HYPERLIQUID',
  deribit: 'DERIBIT',
  bitmex: 'BITMEX',
  gate: 'GATEIO',
  kucoin: 'KUCOIN',
  replay: 'REPLAY',
  [COMPOSITE]: 'ALL',
};

export function venueCode(exchange: string): string {
  return VENUE_CODES[exchange] ?? exchange.toUpperCase();
}

export function marketTypeCode(market: MarketRef['market']): string {
  return market === 'perp' ? 'PERP' : 'SPOT';
}

/** `BTC-USDT · PERP · SIM` */
export function shortMarketLabel(m: MarketRef): string {
  return `${m.symbol} · ${marketTypeCode(m.market)} · ${venueCode(m.exchange)}`;
}
