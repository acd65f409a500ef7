/**
 * BitMEX names Bitcoin `XBT` (`XBTUSD`, `XBTUSDT`); canonical symbols say `BTC`. Used by the
 * adapter's fallback mapping and by the instrument list (rest.ts).
 */
import { splitCanonical } from '../../../../shared/symbols';

/**
 * BitMEX's settle/quote currencies, longest first. Not shared KNOWN_QUOTES: its `TUSD` would split
 * `XBTUSD` as `XB-TUSD`.
 */
const BITMEX_QUOTES = ['USDT', 'USDC', 'USD', 'EUR', 'XBT', 'ETH'];

/** A BitMEX asset code as the canonical one (`XBT` -> `BTC`). */
export function bitmexAsset(code: string): string {
  const c = code.toUpperCase();
  return c === 'XBT' ? 'BTC' : c;
}

/** `XBTUSD` -> `BTC-USD`, `ETHUSDT` -> `ETH-USDT`, `XBT_USDT` (spot naming) -> `BTC-USDT`. */
export function bitmexToCanonical(native: string): string {
  const n = native.toUpperCase();
  const q = n.includes('_') ? n.slice(n.indexOf('_') + 1) : BITMEX_QUOTES.find((x) => n.length > x.length && n.endsWith(x));
  if (!q) return n;
  const base = n.slice(0, n.length - q.length).replace(/_$/, ''), quote = q;
  return `${bitmexAsset(base)}-${bitmexAsset(quote)}`;
}

/** `BTC-USD` -> `XBTUSD` (perpetual naming: base and quote concatenated). */
export function bitmexToNative(symbol: string): string {
  const { base, quote } = splitCanonical(symbol);
  const code = (asset: string) => (asset === 'BTC' ? 'XBT' : asset);
  return `${code(base)}${code(quote)}`;
}
