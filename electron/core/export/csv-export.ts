/**
 * exportCsv: bars (from the store plus memory) or trades (from raw recordings, recorded-trades.ts)
 * of one market over [from, to), as CSV text (csv.ts). The one export path, shared by the UI
 * command and the headless runner's export mode.
 */
import type { Bar, MarketType } from '../../../shared/domain';
import { tradesFromRecordings } from './recorded-trades';
import { barsToCsv, tradesToCsv } from './csv';

export interface ExportRequest {
  kind: 'bars' | 'trades';
  exchange: string;
  market: MarketType;
  symbol: string;
  tf?: string;
  from: number;
  to: number;
}

export interface ExportSource {
  bars(q: { exchange: string; market: MarketType; symbol: string; tf: string; from: number; before: number; limit: number }): Bar[];
  /** Where raw recordings are (trades); null = none. */
  recordingsDir: string | null;
}

/** Most bars one export returns (a year of 1m bars is 525,600). */
export const EXPORT_MAX_BARS = 2_000_000;

export async function exportCsv(req: ExportRequest, src: ExportSource): Promise<string> {
  if (req.kind === 'bars') {
    if (!req.tf) throw new Error('tf: required for bars');
    const bars = src.bars({ exchange: req.exchange, market: req.market, symbol: req.symbol, tf: req.tf, from: req.from, before: req.to, limit: EXPORT_MAX_BARS });
    // Only final bars: an open bar would change after the export.
    return barsToCsv(bars.filter((b) => b.final));
  }
  if (src.recordingsDir === null) throw new Error('trades: there is no data dir, so nothing is recorded to export from');
  const trades = await tradesFromRecordings(src.recordingsDir, { exchange: req.exchange, market: req.market, symbol: req.symbol }, req.from, req.to);
  return tradesToCsv(trades);
}
