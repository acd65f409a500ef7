/**
 * CSV for bars and trades (RFC 4180: comma separated, CRLF line ends, a header row). Times are
 * given twice: ISO 8601 UTC for people and epoch ms for programs. Numbers are written as
 * JavaScript prints them (shortest round-trip form), so a re-import gives the same values.
 */
import type { Bar, Trade } from '../../../shared/domain';

export const BAR_CSV_HEADER = 'start,start_ms,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap,incomplete,source';
export const TRADE_CSV_HEADER = 'time,time_ms,price,size,side,id';

export function barsToCsv(bars: readonly Bar[]): string {
  const lines = [BAR_CSV_HEADER];
  for (const b of bars) {
    lines.push(
      [iso(b.start), b.start, b.open, b.high, b.low, b.close, b.volume, b.buyVolume, b.sellVolume, b.trades, b.vwap, b.incomplete ? 1 : 0, b.source ?? 'trades'].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function tradesToCsv(trades: readonly Trade[]): string {
  const lines = [TRADE_CSV_HEADER];
  for (const t of trades) lines.push([iso(t.time), t.time, t.price, t.size, t.side, quote(t.id ?? '')].join(','));
  return lines.join('\r\n') + '\r\n';
}

function iso(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** Venue ids are digits or UUIDs, but a field with a comma or quote must still stay one field. */
function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
