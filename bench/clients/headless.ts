/**
 * (c) The headless runner as shipped: `tsx --max-semi-space-size=64 electron/core/headless/cli.ts
 * --config <one feed on the replay> --data-dir <temp>` (what `npm run headless` runs), so the SQLite
 * bar store, the instrument cache and the REST backfill at feed start are all on, and every trade,
 * bar and status goes out as NDJSON, by default into a tmpfs file the parent only polls for the
 * first and last trade's line (app-child.ts; `--sink pipe`: a pipe it reads and throws away;
 * `--sink null`: /dev/null, the null sink, nothing read).
 *
 * Throughput comes from the run's own summary record: the feed's trade count over its first and
 * last receive time. The run ends (SIGTERM, the clean stop) once the last trade's record is out,
 * or, with the null sink, once the replay has sent everything and the runner's CPU has gone idle
 * (the summary, written to --summary-file, then says whether every trade arrived).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedSummary } from '../../electron/core/pipeline/pipeline';
import { replayTradeId } from '../replay/frames';
import type { ReplayProcess } from '../replay/replay-process';
import { totalTrades, type ReplayDone, type Scenario } from '../replay/scenario';
import { cpuPerTrade, throughput, type Throughput } from '../stats';
import { AppChild, summaryRate, tempAppDir, type ChildOptions } from './app-child';

export interface AppRun extends Throughput {
  sent: number;
  lost: number;
  feedErrors: number;
  /** Set when the run did not end as expected: why. */
  incomplete?: string;
}

export interface HeadlessSummary {
  type: 'summary';
  feeds: FeedSummary[];
  recordsWritten: number;
  recordsDropped: number;
}

export async function runHeadless(
  replay: ReplayProcess,
  s: Scenario,
  o: ChildOptions & {
    timeoutMs?: number;
    /** More runner arguments (diagnostics, e.g. --emit). */
    args?: string[];
    /** Another build of the runner to start (before/after comparisons); default the app's. */
    entry?: string;
  } = {},
): Promise<AppRun> {
  const expected = totalTrades(s);
  const { streaming, done } = await replay.arm(s);
  const dir = tempAppDir(replay, s);
  const nullSink = o.stdout === 'null';
  const summaryFile = join(dir.dir, 'summary.json');
  const child = new AppChild(
    o.entry ?? 'electron/core/headless/cli.ts',
    ['--config', dir.config, '--data-dir', dir.dataDir, ...(nullSink ? ['--summary-file', summaryFile] : []), ...(o.args ?? [])],
    o,
  );
  let failure: string | null = null;
  let cpu0: number | null = null;
  let cpu1: number | null = null;
  try {
    // CPU of the app over the stream's stretch: from the first trade record out to the last, or
    // (null sink) from the subscribe to the moment it went idle after the replay's last frame.
    let last: Promise<unknown>;
    if (nullSink) {
      void streaming.then(() => (cpu0 = child.cpuMs()));
      last = done.then(() => untilIdle(child)).then((at) => (cpu1 = at));
    } else {
      void child.waitForMarker('"type":"trade"', { fromStart: true }).then(() => (cpu0 = child.cpuMs()));
      last = child.waitForMarker(`"id":"${replayTradeId(s.venue, expected)}"`).then(() => (cpu1 = child.cpuMs()));
    }
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), o.timeoutMs ?? 180_000).unref());
    let exitCode: number | null = null;
    const exited = child.exited.then((code) => ((exitCode = code), 'exited' as const));
    const how = await Promise.race([last.then(() => 'ok' as const), timeout, exited]);
    if (how !== 'ok') failure = how === 'timeout' ? 'the last trade did not come out in time' : `the runner exited early (exit ${exitCode})`;
  } finally {
    if (failure) child.kill();
  }
  const { code, lines: stdoutLines } = await child.stop();
  let lines = stdoutLines;
  if (nullSink) {
    try {
      lines = [readFileSync(summaryFile, 'utf8').trim()];
    } catch {
      lines = [];
    }
  }
  const replayDone = await Promise.race([done, new Promise<ReplayDone>((r) => setTimeout(() => r({ type: 'done', frames: 0, trades: 0, ms: 0, phases: [] }), 5_000))]);
  await replay.dropClients();
  dir.remove();
  let summary: HeadlessSummary | null = null;
  try {
    const parsed = JSON.parse(lines[lines.length - 1] ?? '') as HeadlessSummary;
    if (parsed.type === 'summary') summary = parsed;
  } catch {
    // reported below
  }
  const feed = summary?.feeds[0];
  if (!failure && nullSink && feed && feed.trades < expected) failure = `${expected - feed.trades} trades had not arrived when the runner went idle`;
  const rate = feed ? summaryRate(feed) : null;
  if (!failure && (code !== 0 || !rate)) failure = `exit ${code}, ${summary ? 'summary without receive times' : 'no summary record'}`;
  if (!failure && summary && summary.recordsDropped > 0) failure = `${summary.recordsDropped} records dropped by the NDJSON writer`;
  if (failure) failure += child.errors() ? ` (stderr: ${child.errors().split('\n').slice(-3).join(' | ')})` : '';
  const sent = replayDone.frames ? replayDone.trades : expected;
  const trades = feed?.trades ?? 0;
  return {
    ...throughput(trades / s.tradesPerFrame, trades, rate?.ms ?? 0),
    ...cpuPerTrade(cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null, trades),
    ...(failure ? { incomplete: failure } : {}),
    sent,
    lost: Math.max(0, sent - trades),
    feedErrors: feed?.errors ?? 0,
  };
}

/**
 * Polls the runner's CPU time until it has used at most one 10 ms tick over IDLE_MS (it has
 * drained its socket and is only ticking its timers), and resolves with the reading where that
 * quiet stretch began: the CPU it spent on the stream, without the wait. Gives up after 60 s.
 */
const POLL_IDLE_MS = 25;
const IDLE_MS = 100;
async function untilIdle(child: AppChild): Promise<number | null> {
  const readings: number[] = [];
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const cpu = child.cpuMs();
    if (cpu === null) return null;
    readings.push(cpu);
    const back = IDLE_MS / POLL_IDLE_MS;
    if (readings.length > back && cpu - readings[readings.length - 1 - back]! <= 10) return readings[readings.length - 1 - back]!;
    await new Promise((r) => setTimeout(r, POLL_IDLE_MS));
  }
  return null;
}
