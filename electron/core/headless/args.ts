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
  /** `--publish nats://HOST:PORT`: also publish every record to a JetStream stream (scaleout/). */
  publish: PublishArgs | null;
  /** `--summary-file FILE`: the final summary record is also written there (stdout may go elsewhere). */
  summaryFile: string | null;
}

export interface PublishArgs {
  url: string;
  stream?: string;
  maxAgeMs?: number;
  maxBytes?: number;
}

export const USAGE = `usage: npm run headless -- [--config FILE] [--emit trades,quotes,bars,status] [--duration SECONDS] [--data-dir DIR]
  --config FILE      feed settings JSON ({"feeds":[...]}); default: the built-in simulator
  --emit LIST        record types to print (${EMIT_KINDS.join(', ')}); default: trades,quotes,bars,status,liquidations,funding,alert
  --duration SECONDS stop after this long (default: run until SIGINT/SIGTERM)
  --data-dir DIR     instrument cache, local bar store (bars.sqlite) and recordings (default: none)
  --book-depth N     levels a side in book records (--emit book; default 20, at most 1000)
  --summary-file FILE  also write the final summary record to FILE (when stdout goes to /dev/null or elsewhere)
  --publish URL      also publish every record to NATS JetStream (nats:// or tls://; README "A shared ingest node")
  --publish-stream NAME, --publish-max-age HOURS, --publish-max-gb GB   the stream (default TICKSCOPE, 24 h, 10 GB)
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
        'summary-file': { type: 'string' },
        publish: { type: 'string' },
        'publish-stream': { type: 'string' },
        'publish-max-age': { type: 'string' },
        'publish-max-gb': { type: 'string' },
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
  const summaryFile = values['summary-file'] ?? null;
  if (summaryFile === '') throw new UsageError('--summary-file: needs a file name');
  return { config: values.config ?? null, emit, durationSec, dataDir: values['data-dir'] ?? null, bookDepth, publish: publishArgs(values), summaryFile };
}

function publishArgs(values: Record<string, string | boolean | undefined>): PublishArgs | null {
  const url = values['publish'];
  if (typeof url !== 'string') {
    for (const k of ['publish-stream', 'publish-max-age', 'publish-max-gb']) if (values[k] !== undefined) throw new UsageError(`--${k} needs --publish`);
    return null;
  }
  if (!/^(nats|tls):\/\/[^\s]+$/.test(url)) throw new UsageError('--publish: must be a nats:// or tls:// URL');
  const out: PublishArgs = { url };
  const stream = values['publish-stream'];
  if (typeof stream === 'string') {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(stream)) throw new UsageError(`--publish-stream: "${stream}" must be 1-64 letters, digits, _ or -`);
    out.stream = stream;
  }
  const positive = (k: string, scale: number): number | undefined => {
    const v = values[k];
    if (typeof v !== 'string') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${k}: "${v}" is not a positive number`);
    return Math.round(n * scale);
  };
  const maxAgeMs = positive('publish-max-age', 3600_000);
  const maxBytes = positive('publish-max-gb', 1024 ** 3);
  if (maxAgeMs !== undefined) out.maxAgeMs = maxAgeMs;
  if (maxBytes !== undefined) out.maxBytes = maxBytes;
  return out;
}
