/**
 * The real pipeline on the replay: connection runtime, adapter, ingest queue, aggregator on all
 * 7 timeframes and the publisher with subscribers. Trades out are counted exactly with a record
 * tap (pipeline.onRecord), and compared with what the replay sent.
 */
import { parseFeedConfig } from '../../shared/config';
import type { StreamBatch } from '../../shared/protocol';
import { Pipeline, type PipelineOptions } from '../../electron/core/pipeline/pipeline';
import type { Subscriber } from '../../electron/core/pipeline/publisher';
import type { ReplayProcess } from '../replay/replay-process';
import { totalTrades, type ReplayDone, type Scenario } from '../replay/scenario';
import { cpuPerTrade, processCpuMs, throughput, waitFor, type Throughput } from '../stats';

export interface PipelineRun extends Throughput {
  sent: number;
  lost: number;
  feedErrors: number;
  lateTrades: number;
  batches: number;
  ingestHighWater: number;
  replay: ReplayDone;
  /** Set when not every trade came out: why, with the feed's state and last error. */
  incomplete?: string;
}

export interface PipelineRunOptions {
  scenario: Scenario;
  /** Extra subscribers (latency probes, slow consumers); one counting subscriber is always there. */
  subscribers?: Subscriber[];
  /** Called with every trade's exchange time as it leaves the pipeline (latency probes). */
  onTrade?: (time: number, id: string) => void;
  /** Called once the pipeline runs, before the replay streams (web host, samplers). */
  onStarted?: (p: Pipeline) => Promise<void> | void;
  pipeline?: Partial<PipelineOptions>;
  timeoutMs?: number;
}

const PATH = { binance: '/stream', bybit: '/v5/public/spot' } as const;

export function feedFor(replay: ReplayProcess, s: Scenario) {
  return parseFeedConfig({
    id: `bench-${s.venue}`,
    exchange: s.venue,
    symbols: ['BTC-USDT'],
    channels: ['trades'],
    url: replay.wsUrl(PATH[s.venue]),
    restUrl: replay.httpUrl,
  });
}

export async function runPipeline(replay: ReplayProcess, o: PipelineRunOptions): Promise<PipelineRun> {
  const expected = totalTrades(o.scenario);
  const { done } = await replay.arm(o.scenario);
  const p = new Pipeline({ feeds: [feedFor(replay, o.scenario)], dataDir: null, ...o.pipeline });
  let count = 0;
  let first = 0;
  let last = 0;
  let batches = 0;
  const onTrade = o.onTrade;
  // Timed like the ceiling client: a clock read at the first and the last trade, not per trade
  // (that read was ~2% of the measured process); every 4096th as well, for a run that stalls.
  let cpu0 = 0;
  let cpu1 = 0;
  p.onRecord((r) => {
    if (r.type !== 'trade') return;
    if (count === 0) {
      first = performance.now();
      cpu0 = processCpuMs();
    }
    count++;
    if (count === expected || (count & 4095) === 0) last = performance.now();
    if (count === expected) cpu1 = processCpuMs();
    onTrade?.(r.time, r.id ?? '');
  });
  p.subscribe({ send: (_b: StreamBatch) => void batches++, ready: () => true });
  for (const s of o.subscribers ?? []) p.subscribe(s);
  await p.start();
  await o.onStarted?.(p);
  let failure: string | null = null;
  try {
    await waitFor(() => count >= expected, { timeoutMs: o.timeoutMs ?? 300_000, stallMs: 15_000, progress: () => count });
  } catch (e) {
    failure = (e as Error).message;
  }
  const replayDone = await Promise.race([done, new Promise<ReplayDone>((r) => setTimeout(() => r({ type: 'done', frames: 0, trades: 0, ms: 0, phases: [] }), 5_000))]);
  const health = p.health();
  const summary = p.summary()[0];
  const agg = p.stats().aggregator;
  await p.stop();
  await replay.dropClients();
  const feed = health.feeds[0];
  const incomplete = failure
    ? `${failure} (${count}/${expected} trades out; replay ${replayDone.frames ? `sent ${replayDone.trades}` : 'still sending'}; feed ${feed?.state}, reconnects ${feed?.reconnects}, last error: ${feed?.lastError ? `${feed.lastError.kind}: ${feed.lastError.message} ${feed.lastError.cause ?? ''}` : 'none'})`
    : undefined;
  if (incomplete) process.stdout.write(`  pipeline: ${incomplete}\n`);
  const sent = replayDone.frames ? replayDone.trades : expected;
  return {
    ...throughput(count / o.scenario.tradesPerFrame, count, last - first),
    ...(cpu1 > 0 ? cpuPerTrade(cpu1 - cpu0, count) : {}),
    ...(incomplete ? { incomplete } : {}),
    sent,
    lost: Math.max(0, sent - count),
    feedErrors: summary?.errors ?? 0,
    lateTrades: agg.lateTrades,
    batches,
    ingestHighWater: health.queues[0]?.highWater ?? 0,
    replay: replayDone,
  };
}
