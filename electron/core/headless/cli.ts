/**
 * Headless runner: `npm run headless -- [--config FILE] [--emit ...] [--duration S]`.
 * Runs the same pipeline as the app and prints NDJSON records to stdout; on exit a final
 * `{"type":"summary"}` record. Exit codes: 0 clean stop (SIGINT, SIGTERM, duration), 2 bad
 * arguments or config (one message naming the bad field on stderr), 1 unexpected failure.
 */
import { writeFile } from 'node:fs/promises';
import { ConfigError, type Settings } from '../../../shared/config';
import { Pipeline, type PipelineRecord } from '../pipeline/pipeline';
import { readConfigFile } from '../settings/read-config';
import { parseHeadlessArgs, UsageError, USAGE, type EmitKind } from './args';
import { NdjsonWriter } from './ndjson-writer';
import { stdoutSink } from './stdout-sink';
import { BOOK_RECORD_INTERVAL_MS, BookRecords } from './book-records';
import { runExport } from './export-mode';
import { startPublishing } from './publish';
import { longTimeout } from '../util/long-timeout';
import { guardUnhandledRejections } from '../util/process-guard';

// A rejection a bug left unhandled is reported on stderr and counted in the summary; the run and
// its other feeds go on instead of ending with exit 1 and no summary (util/process-guard.ts).
const guard = guardUnhandledRejections((text) => process.stderr.write(`headless: ${text}\n`));

const RECORD_KIND: Record<PipelineRecord['type'], EmitKind> = {
  trade: 'trades',
  quote: 'quotes',
  bar: 'bars',
  status: 'status',
  liquidation: 'liquidations',
  funding: 'funding',
  gap: 'gaps',
  // Raw book messages are never printed: `--emit book` prints conflated books (book-records.ts).
  book: 'book',
};

async function main(): Promise<number> {
  // Listen for the stop signals first, so a SIGTERM during start-up still ends cleanly (exit 0).
  const stopRequested = new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  // `headless export ...`: CSV of stored bars or recorded trades, no pipeline.
  if (process.argv[2] === 'export') return runExport(process.argv.slice(3), process.stdout, process.stderr);
  let args;
  try {
    args = parseHeadlessArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`headless: ${e.message}\n`);
      process.stderr.write(USAGE + '\n');
      return e.message ? 2 : 0;
    }
    throw e;
  }
  let feeds;
  let timeframes;
  let alerts;
  if (args.config) {
    try {
      const settings = await readConfigFile(args.config);
      feeds = settings.feeds;
      timeframes = settings.timeframes;
      alerts = settings.alerts;
      checkAlertFeeds(args.config, settings);
    } catch (e) {
      if (e instanceof ConfigError) {
        process.stderr.write(`headless: bad config: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  }

  const out = new NdjsonWriter(stdoutSink(), undefined, {
    onWorkerError: (m) => process.stderr.write(`headless: NDJSON formatting thread failed, formatting on the main thread from now on: ${m}\n`),
  });
  const startedAt = Date.now();
  // The config file came from the command line, so its replay files are read where they are.
  const pipeline = new Pipeline({ feeds, timeframes, alerts, dataDir: args.dataDir, trustedReplayPaths: args.config !== null });
  let alertsFired = 0;
  pipeline.onAlert((a) => {
    alertsFired++;
    if (args.emit.has('alert')) out.write(a);
  });
  // Attached before start(): a feed that cannot start reports it during start(), and that status
  // must reach stdout (when emitted) and stderr (always), not vanish before anyone listens.
  // Looked up once, not per record: a trade (nearly every record) costs one comparison here.
  const printTrades = args.emit.has('trades');
  const printed = new Set((Object.keys(RECORD_KIND) as PipelineRecord['type'][]).filter((t) => t !== 'book' && args.emit.has(RECORD_KIND[t])));
  pipeline.onRecord((r) => {
    if (r.type === 'trade' ? printTrades : printed.has(r.type)) out.write(r);
    if (r.type === 'status' && r.state === 'error') process.stderr.write(`headless: feed "${r.feedId}": ${r.cause ?? 'error'}\n`);
  });
  // Before start(): the stream exists and every record from the first one on is published.
  const publisher = args.publish ? await startPublishing(pipeline, args.publish, process.stderr) : null;
  await pipeline.start();
  const books = new BookRecords();
  const bookTimer = args.emit.has('book')
    ? setInterval(() => {
        for (const rec of books.due(pipeline.bookViews(args.bookDepth))) out.write(rec);
      }, BOOK_RECORD_INTERVAL_MS)
    : null;

  // The pipeline's own timers never hold the process (util/clock.ts): while every feed waits in
  // backoff for its next reconnect, nothing else might, and Node would end the run at once, exit
  // 0 and no summary. The run lasts until a signal or --duration ends it.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const duration = args.durationSec;
  await Promise.race([
    stopRequested,
    // longTimeout, not setTimeout: a duration past ~24.8 days would overflow and end at once.
    ...(duration !== null ? [longTimeout(duration * 1000).done] : []),
  ]);

  clearInterval(keepAlive);
  if (bookTimer) clearInterval(bookTimer);
  // Taken before stop(): closing the feeds' sockets would mark their books invalid.
  const finalBooks = args.emit.has('book') ? books.final(pipeline.bookViews(args.bookDepth)) : [];
  await pipeline.stop();
  await publisher?.close();
  if (args.emit.has('bars')) for (const bar of pipeline.openBars()) out.write(bar);
  for (const rec of finalBooks) out.write(rec);
  const summary = {
    type: 'summary',
    startedAt,
    endedAt: Date.now(),
    feeds: pipeline.summary(),
    lateTrades: pipeline.stats().aggregator.lateTrades,
    recordsWritten: out.written + 1,
    recordsDropped: out.dropped,
    ...(alerts && alerts.length > 0 ? { alertsFired } : {}),
    ...(publisher ? { publish: publisher.stats() } : {}),
    ...(guard.unhandledRejections > 0 ? { unhandledRejections: guard.unhandledRejections } : {}),
  };
  out.write(summary);
  await out.end();
  if (args.summaryFile !== null) {
    try {
      await writeFile(args.summaryFile, `${JSON.stringify(summary)}\n`);
    } catch (e) {
      // The run itself went well and its records are out: a summary that cannot be saved is said, not an exit 1.
      process.stderr.write(`headless: --summary-file: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return 0;
}

/** A feed-stale alert naming a feed the config does not have would never fire: refused like any config error. */
function checkAlertFeeds(path: string, settings: Settings): void {
  const ids = new Set(settings.feeds.map((f) => f.id));
  settings.alerts?.forEach((a, i) => {
    if (a.feedId !== undefined && !ids.has(a.feedId)) throw new ConfigError(`${path}: alerts[${i}].feedId: no feed "${a.feedId}" in this config`);
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`headless: failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
