/**
 * Bitfinex's pair names (`tBTCUSD`, `tBTC:USDT`-style for long assets) and asset codes (UST for
 * USDT, UDC for USDC), both ways; used by the adapter and by the instrument list.
 */
import { splitConcatenated } from '../../../../shared/symbols';

/** Canonical asset -> Bitfinex asset code where they differ. */
const TO_BITFINEX: Record<string, string> = { USDT: 'UST', USDC: 'UDC' };
const FROM_BITFINEX: Record<string, string> = { UST: 'USDT', UDC: 'USDC' };

export function bitfinexToNative(symbol: string): string {
  const i = symbol.indexOf('-');
  const base = symbol.slice(0, i), quote = symbol.slice(i + 1);
  const b = TO_BITFINEX[base] ?? base, q = TO_BITFINEX[quote] ?? quote;
  return b.length === 3 && q.length === 3 ? `t${b}${q}` : `t${b}:${q}`;
}

/** `tBTCUSD` / `BTCUSD` / `tTESTBTC:TESTUSD` / `BTCUST` -> `BTC-USD`, `TESTBTC-TESTUSD`, `BTC-USDT`. */
export function bitfinexToCanonical(native: string): string {
  const pair = (native.startsWith('t') ? native.slice(1) : native).toUpperCase();
  let base: string, quote: string;
  const colon = pair.indexOf(':');
  if (colon > 0) [base, quote] = [pair.slice(0, colon), pair.slice(colon + 1)];
  else if (pair.length === 6) [base, quote] = [pair.slice(0, 3), pair.slice(3)];
  else {
    const split = splitConcatenated(pair);
    if (!split) return pair;
    [base = pair, quote = ''] = split.split('-');
  }
  return `${FROM_BITFINEX[base] ?? base}-${FROM_BITFINEX[quote] ?? quote}`;
}
