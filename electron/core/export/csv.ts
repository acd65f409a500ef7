/**
 * CSV for bars and trades (RFC 4180: comma separated, CRLF line ends, a header row). Times are
 * given twice: ISO 8601 UTC for people and epoch ms for programs.
 *
 * Numbers are written at the instrument's precision, as the decimals the column's values need
 * (prices as the venue quoted them, sizes as it sized them), never as float arithmetic left them:
 * a volume summed from trades or a size converted from contracts (OKX) prints 0.03869, not
 * 0.038689999999999995. Values are first rounded to 12 significant digits (far finer than any
 * tick or lot), which removes the noise; the column then takes the most decimals any value needs,
 * so a column reads aligned and re-imports to the venue's numbers.
 */
import type { Bar, Trade } from '../../../shared/domain';

export const BAR_CSV_HEADER = 'start,start_ms,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap,incomplete,source';
export const TRADE_CSV_HEADER = 'time,time_ms,price,size,side,id';

/** Significant digits kept before counting decimals: float noise sits past the 15th. */
const SIGNIFICANT = 12;
/** Most decimals a column gets (a price of 1e-9 still shows). */
const MAX_DECIMALS = 12;
/** VWAP is an average between ticks: it gets this many decimals beyond the price's. */
const VWAP_EXTRA_DECIMALS = 2;

/** Decimals `v` needs once rounded to 12 significant digits (0.038689999999999995 -> 5). */
export function cleanDecimals(v: number): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  const s = String(Number(v.toPrecision(SIGNIFICANT)));
  const e = s.indexOf('e');
  if (e >= 0) {
    // 1.5e-7: the mantissa's decimals plus the exponent's shift.
    const mantissa = s.slice(0, e);
    const dot = mantissa.indexOf('.');
    return Math.min(MAX_DECIMALS, Math.max(0, (dot < 0 ? 0 : mantissa.length - dot - 1) - Number(s.slice(e + 1))));
  }
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : Math.min(MAX_DECIMALS, s.length - dot - 1);
}

/** The decimals of a column: the most any value of `pick(row)` needs (no array of every value: exports run to millions of rows). */
export function columnDecimals<T>(rows: readonly T[], ...pick: ((row: T) => number)[]): number {
  let d = 0;
  for (const r of rows) {
    for (const p of pick) {
      const n = cleanDecimals(p(r));
      if (n > d) d = n;
    }
  }
  return d;
}

function fixed(v: number, decimals: number): string {
  return Number.isFinite(v) ? v.toFixed(decimals) : '';
}

export function barsToCsv(bars: readonly Bar[]): string {
  const lines = [BAR_CSV_HEADER];
  const pd = columnDecimals(bars, (b) => b.open, (b) => b.high, (b) => b.low, (b) => b.close);
  const vd = columnDecimals(bars, (b) => b.volume, (b) => b.buyVolume, (b) => b.sellVolume);
  const wd = Math.min(MAX_DECIMALS, pd + VWAP_EXTRA_DECIMALS);
  for (const b of bars) {
    lines.push(
      [
        iso(b.start), b.start,
        fixed(b.open, pd), fixed(b.high, pd), fixed(b.low, pd), fixed(b.close, pd),
        fixed(b.volume, vd), fixed(b.buyVolume, vd), fixed(b.sellVolume, vd),
        b.trades, fixed(b.vwap, wd), b.incomplete ? 1 : 0, b.source ?? 'trades',
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function tradesToCsv(trades: readonly Trade[]): string {
  const lines = [TRADE_CSV_HEADER];
  const pd = columnDecimals(trades, (t) => t.price);
  const sd = columnDecimals(trades, (t) => t.size);
  for (const t of trades) lines.push([iso(t.time), t.time, fixed(t.price, pd), fixed(t.size, sd), t.side, quote(t.id ?? '')].join(','));
  return lines.join('\r\n') + '\r\n';
}

function iso(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** Venue ids are digits or UUIDs, but a field with a comma or quote must still stay one field. */
function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
