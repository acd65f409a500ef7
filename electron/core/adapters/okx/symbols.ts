/**
 * OKX instrument ids -> canonical symbols (BTC-USDT-SWAP -> BTC-USDT); used by the adapter and by
 * the instrument list.
 */


export function okxToCanonical(native: string): string {
  // BTC-USDT-SWAP -> BTC-USDT; dated futures BTC-USD-220527 -> BTC-USD.
  const [base = native, quote = ''] = native.toUpperCase().split('-');
  return quote ? `${base}-${quote}` : base;
}
