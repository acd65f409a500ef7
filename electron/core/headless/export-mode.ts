/**
 * `npm run headless -- export --kind bars|trades --market EXCHANGE:MARKET:SYMBOL [--tf 1m]
 *   --from ISO --to ISO --data-dir DIR > out.csv`
 *
 * Bars come from the local bar store in DIR (bars.sqlite), trades from the raw recordings in
 * DIR/recordings (feeds recorded with `record: true`). CSV on stdout; exit 2 with one line naming
 * the bad argument, 1 when the data cannot be read.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MARKET_TYPES, type MarketType } from '../../../shared/domain';
import { marketKey } from '../../../shared/markets';
import { isTimeframe } from '../../../shared/timeframes';
import { isoToEpochMs } from '../util/time';
import { exportCsv, type ExportRequest } from '../export/csv-export';
import { openBarStore } from '../store/open-store';
import { UsageError } from './args';

export const EXPORT_USAGE = `usage: npm run headless -- export --kind bars|trades --market EXCHANGE:MARKET:SYMBOL [--tf TF] --from ISO --to ISO --data-dir DIR
  e.g.  export --kind bars --market binance:spot:BTC-USDT --tf 1m --from 2024-06-01T00:00:00Z --to 2024-06-02T00:00:00Z --data-dir ~/.tickscope > out.csv
  bars come from DIR/bars.sqlite; trades from the raw recordings in DIR/recordings (feeds with "record": true)`;

export function parseExportArgs(argv: string[]): ExportRequest & { dataDir: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kind: { type: 'string' },
        market: { type: 'string' },
        tf: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  const kind = values.kind;
  if (kind !== 'bars' && kind !== 'trades') throw new UsageError('--kind: must be bars or trades');
  const m = /^([^:]+):([^:]+):([^:]+)$/.exec(values.market ?? '');
  if (!m) throw new UsageError(`--market: "${values.market ?? ''}" is not EXCHANGE:MARKET:SYMBOL (e.g. binance:spot:BTC-USDT)`);
  if (!MARKET_TYPES.includes(m[2] as MarketType)) throw new UsageError(`--market: market type "${m[2]}" must be spot or perp`);
  if (kind === 'bars' && (values.tf === undefined || !isTimeframe(values.tf))) throw new UsageError(`--tf: a timeframe (e.g. 1m) is required for bars`);
  const time = (name: 'from' | 'to'): number => {
    const v = values[name];
    // ISO 8601 with a zone, or epoch milliseconds.
    const t = v === undefined ? NaN : /^\d+$/.test(v) ? Number(v) : isoToEpochMs(v);
    if (!Number.isFinite(t)) throw new UsageError(`--${name}: "${v ?? ''}" is not an ISO 8601 time with a zone (e.g. 2024-06-01T00:00:00Z) or epoch ms`);
    return t;
  };
  const from = time('from');
  const to = time('to');
  if (!(to > from)) throw new UsageError('--to: must be after --from');
  if (!values['data-dir']) throw new UsageError('--data-dir: the data dir holding bars.sqlite and recordings/ is required');
  return {
    kind,
    exchange: m[1]!,
    market: m[2] as MarketType,
    symbol: m[3]!,
    ...(values.tf !== undefined ? { tf: values.tf } : {}),
    from,
    to,
    dataDir: values['data-dir'],
  };
}

/** Runs the export; returns the exit code. */
export async function runExport(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let req;
  try {
    req = parseExportArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) err.write(`headless export: ${e.message}\n`);
    err.write(EXPORT_USAGE + '\n');
    return e.message ? 2 : 0;
  }
  const opened = req.kind === 'bars' ? openBarStore(req.dataDir, { retentionEveryMs: 3_600_000 }) : null;
  if (opened && !opened.store) {
    err.write(`headless export: ${opened.disabledReason}\n`);
    return 1;
  }
  const store = opened?.store ?? null;
  // E.g. a damaged store set aside at open: the export is then empty, and says why.
  for (const notice of store?.notices() ?? []) err.write(`headless export: ${notice}\n`);
  try {
    const csv = await exportCsv(req, {
      bars: (q) => store?.range({ key: marketKey(q), tf: q.tf, from: q.from, before: q.before, limit: q.limit }) ?? [],
      recordingsDir: join(req.dataDir, 'recordings'),
    });
    await new Promise<void>((resolve, reject) => out.write(csv, (e) => (e ? reject(e) : resolve())));
    return 0;
  } catch (e) {
    err.write(`headless export: ${(e as Error).message}\n`);
    return 1;
  } finally {
    store?.close();
  }
}
