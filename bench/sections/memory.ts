/**
 * Memory of the pipeline process (RSS and V8 heap, sampled every 100 ms):
 *
 * - soak: 10M trades (quick: 1M) at full speed through the pipeline. Exchange time moves 1 ms
 *   per trade, so the 1s series close ~10,000 bars, past the aggregator's 5,000-bar history
 *   limit per series: what is kept is bounded by that limit, not by the run's length.
 * - burst: 20k msgs/s, then 10x (200k/s, beyond what one core sustains) for a few seconds, then
 *   20k/s again, with a slow subscriber (ready() true one flush in ten; it JSON-encodes each
 *   batch it takes, as the web host does). The ingest queue is lossless ('wait': a full queue
 *   pauses the socket and TCP pushes back to the sender), so trades are never lost; the slow
 *   subscriber gets conflated batches (trades beyond the newest 500 per batch are counted in
 *   tradesOmitted, bars merged latest-wins).
 */
import type { StreamBatch } from '../../shared/protocol';
import type { Pipeline } from '../../electron/core/pipeline/pipeline';
import { CONFLATED_BAR_CAP, LIST_CAP } from '../../electron/core/pipeline/publisher';
import { runPipeline, type PipelineRun } from '../clients/pipeline';
import type { ReplayProcess } from '../replay/replay-process';
import type { Scenario } from '../replay/scenario';
import { mb } from '../stats';

export interface MemorySample {
  rssMb: number;
  heapMb: number;
}

export interface MemoryRun {
  trades: number;
  tradesPerSec: number;
  lost: number;
  incomplete?: string;
  before: MemorySample;
  peak: MemorySample;
  after: MemorySample;
}

export interface BurstRun extends MemoryRun {
  ingestHighWater: number;
  ingestCapacity: number;
  slowBatches: number;
  slowConflated: number;
  slowTradesOmitted: number;
  slowLargestBatchKb: number;
  barsDropped: number;
  bound: string;
}

function sample(): MemorySample {
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed) };
}

/** Samples memory while `run` goes; before = after a GC-friendly pause, peak = max seen. */
async function measured<T extends PipelineRun>(run: (onStarted: () => void) => Promise<T>): Promise<{ r: T; before: MemorySample; peak: MemorySample; after: MemorySample }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let before = sample();
  const peak = { ...before };
  const timer = setInterval(() => {
    const s = sample();
    peak.rssMb = Math.max(peak.rssMb, s.rssMb);
    peak.heapMb = Math.max(peak.heapMb, s.heapMb);
  }, 100);
  try {
    const r = await run(() => {
      gc?.();
      before = sample();
    });
    const after = sample();
    return { r, before, peak, after };
  } finally {
    clearInterval(timer);
  }
}

export async function soak(replay: ReplayProcess, quick: boolean): Promise<MemoryRun> {
  const frames = quick ? 1_000_000 : 10_000_000;
  const scenario: Scenario = { venue: 'binance', native: 'BTCUSDT', tradesPerFrame: 1, phases: [{ kind: 'max', frames }] };
  const { r, before, peak, after } = await measured((started) => runPipeline(replay, { scenario, onStarted: started }));
  return { trades: r.trades, tradesPerSec: r.tradesPerSec, lost: r.lost, ...(r.incomplete ? { incomplete: r.incomplete } : {}), before, peak, after };
}

export async function burst(replay: ReplayProcess, quick: boolean): Promise<BurstRun> {
  const base = 20_000;
  const s = quick ? 1 : 2;
  const scenario: Scenario = {
    venue: 'binance', native: 'BTCUSDT', tradesPerFrame: 1,
    phases: [
      { kind: 'rate', perSecond: base, ms: 1_000 * s },
      { kind: 'rate', perSecond: base * 10, ms: 2_000 * s },
      { kind: 'rate', perSecond: base, ms: 1_000 * s },
    ],
  };
  let flushes = 0;
  const slow = { batches: 0, conflated: 0, omitted: 0, largest: 0 };
  const subscriber = {
    ready: () => ++flushes % 10 === 0,
    send: (b: StreamBatch) => {
      slow.batches++;
      slow.conflated += b.conflated;
      slow.omitted += b.tradesOmitted;
      slow.largest = Math.max(slow.largest, JSON.stringify(b).length);
    },
  };
  let pipeline: Pipeline | null = null;
  const { r, before, peak, after } = await measured((started) =>
    runPipeline(replay, {
      scenario,
      subscribers: [subscriber],
      onStarted: (p) => {
        pipeline = p;
        started();
      },
    }),
  );
  const stats = (pipeline as Pipeline | null)?.stats();
  const capacity = stats?.ingest.capacity ?? 0;
  const barsDropped = stats?.publisher.barsDropped ?? 0;
  return {
    trades: r.trades, tradesPerSec: r.tradesPerSec, lost: r.lost, ...(r.incomplete ? { incomplete: r.incomplete } : {}), before, peak, after,
    ingestHighWater: r.ingestHighWater, ingestCapacity: capacity,
    slowBatches: slow.batches, slowConflated: slow.conflated, slowTradesOmitted: slow.omitted,
    slowLargestBatchKb: Math.round(slow.largest / 1024), barsDropped,
    bound: `ingest queue <= ${capacity} records (lossless: full => socket paused); per slow subscriber one held batch <= 500 trades + ${CONFLATED_BAR_CAP} bars + ${LIST_CAP} liquidations/statuses; aggregator <= 5000 final bars per series`,
  };
}
