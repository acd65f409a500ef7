/** Command-line parsing for the headless runner; usage errors exit 2 with one clear line. */
import { parseArgs } from 'node:util';

export const EMIT_KINDS = ['trades', 'quotes', 'bars', 'status', 'liquidations', 'funding', 'gaps', 'book', 'alert'] as const;
export type EmitKind = (typeof EMIT_KINDS)[number];

export interface HeadlessArgs {
  config: string | null;
  emit: Set<EmitKind>;
  durationSec: number | null;
  dataDir: string | null;
  /** Levels a side in `book` records (`--book-depth`, default 20). */
  bookDepth: number;
}

export const USAGE = `usage: npm run headless -- [--config FILE] [--emit trades,quotes,bars,status] [--duration SECONDS] [--data-dir DIR]
  --config FILE      feed settings JSON ({"feeds":[...]}); default: the built-in simulator
  --emit LIST        record types to print (${EMIT_KINDS.join(', ')}); default: trades,quotes,bars,status,liquidations,funding,alert
  --duration SECONDS stop after this long (default: run until SIGINT/SIGTERM)
  --data-dir DIR     instrument cache, local bar store (bars.sqlite) and recordings (default: none)
  --book-depth N     levels a side in book records (--emit book; default 20, at most 1000)
       npm run headless -- export --help   CSV of stored bars or recorded trades`;

export class UsageError extends Error {}

export function parseHeadlessArgs(argv: string[]): HeadlessArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        emit: { type: 'string' },
        duration: { type: 'string' },
        'data-dir': { type: 'string' },
        'book-depth': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  const emit = new Set<EmitKind>(
    values.emit === undefined
      ? ['trades', 'quotes', 'bars', 'status', 'liquidations', 'funding', 'alert']
      : (values.emit.split(',').map((s) => s.trim()).filter(Boolean) as EmitKind[]),
  );
  for (const k of emit) {
    if (!EMIT_KINDS.includes(k)) throw new UsageError(`--emit: unknown record type "${k}" (one of ${EMIT_KINDS.join(', ')})`);
  }
  let durationSec: number | null = null;
  if (values.duration !== undefined) {
    durationSec = Number(values.duration);
    if (!Number.isFinite(durationSec) || durationSec <= 0) throw new UsageError(`--duration: "${values.duration}" is not a positive number of seconds`);
  }
  let bookDepth = 20;
  if (values['book-depth'] !== undefined) {
    bookDepth = Number(values['book-depth']);
    if (!Number.isInteger(bookDepth) || bookDepth < 1 || bookDepth > 1000) throw new UsageError(`--book-depth: "${values['book-depth']}" is not a whole number of levels from 1 to 1000`);
  }
  return { config: values.config ?? null, emit, durationSec, dataDir: values['data-dir'] ?? null, bookDepth };
}
