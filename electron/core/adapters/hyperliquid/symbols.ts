/**
 * Hyperliquid coin names <-> canonical symbols, without metadata (the instrument list, rest.ts,
 * maps every listed market exactly; this is the fallback and the perp naming rule).
 *
 * - Perpetuals are named by the coin alone (`BTC`) and are margined and settled in USDC:
 *   canonical `BTC-USDC`. A `k` prefix means 1000 units (`kPEPE` = 1000 PEPE; price per 1000,
 *   size in thousands), which other venues call `1000PEPE`: canonical `1000PEPE-USDC`, so price
 *   and size stay the venue's own and still compare with Binance's 1000PEPEUSDT.
 * - Spot markets are `PURR/USDC` for the first pair and `@<index>` (`@107`) for every other: only
 *   spotMeta says which tokens `@107` trades, so without it such a name has no canonical symbol.
 */
import type { MarketType } from '../../../../shared/domain';

const PERP_QUOTE = 'USDC';
/** kPEPE, kSHIB...: a lower-case k before an upper-case coin name. */
const THOUSANDS = /^k([A-Z0-9]+)$/;

export function hyperliquidToCanonical(native: string, market: MarketType): string {
  if (market === 'spot') {
    if (native.startsWith('@')) return '';
    const [base = '', quote = ''] = native.split('/');
    return base && quote ? `${base}-${quote}`.toUpperCase() : '';
  }
  const k = THOUSANDS.exec(native);
  return `${k ? `1000${k[1]}` : native.toUpperCase()}-${PERP_QUOTE}`;
}

export function hyperliquidToNative(symbol: string, market: MarketType): string {
  const [base = symbol, quote = ''] = symbol.split('-');
  if (market === 'spot') return `${base}/${quote}`;
  return base.startsWith('1000') && base.length > 4 ? `k${base.slice(4)}` : base;
}
