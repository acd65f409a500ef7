/**
 * Gate names markets `BTC_USDT` on spot and on USDT futures alike; canonical symbols are
 * `BTC-USDT`. Used by the adapter's fallback mapping and by the instrument lists (rest.ts).
 */

export function gateToCanonical(native: string): string {
  return native.toUpperCase().replace('_', '-');
}

export function gateToNative(symbol: string): string {
  return symbol.replace('-', '_');
}
