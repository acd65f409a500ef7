/**
 * KuCoin names. Spot: `BTC-USDT`, as canonical. Futures: `XBTUSDTM` (base, quote, `M`), where
 * Bitcoin is `XBT`. Used by the fallback mapping and by the instrument lists (rest.ts).
 */
import { splitCanonical } from '../../../../shared/symbols';
import type { MarketType } from '../../../../shared/domain';

/** Futures quote/settle currencies, longest first (`USDTM` before `USDM`). */
const FUTURES_QUOTES = ['USDT', 'USDC', 'USD'];

/** A KuCoin asset code as the canonical one (`XBT` -> `BTC`). */
export function kucoinAsset(code: string): string {
  const c = code.toUpperCase();
  return c === 'XBT' ? 'BTC' : c;
}

/** `XBTUSDTM` -> `BTC-USDT`; `BTC-USDT` stays. */
export function kucoinToCanonical(native: string, market: MarketType): string {
  const n = native.toUpperCase();
  if (market === 'spot') return n;
  const body = n.endsWith('M') ? n.slice(0, -1) : n;
  const quote = FUTURES_QUOTES.find((q) => body.length > q.length && body.endsWith(q));
  return quote ? `${kucoinAsset(body.slice(0, -quote.length))}-${quote}` : n;
}

/** `BTC-USDT` -> `BTC-USDT` (spot) or `XBTUSDTM` (futures). */
export function kucoinToNative(symbol: string, market: MarketType): string {
  if (market === 'spot') return symbol.toUpperCase();
  const { base, quote } = splitCanonical(symbol);
  return `${base === 'BTC' ? 'XBT' : base}${quote}M`;
}
