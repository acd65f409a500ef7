/**
 * The depth bench's pipeline side: a Binance or Bybit spot feed with the `book` channel on the
 * replay. The book starts as in the app (Binance: first diff -> REST snapshot from the replay's
 * /api/v3/depth -> buffered diffs applied; Bybit: the snapshot frame on subscribe); once it is
 * valid the replay is let go (`gate`) and every diff after it
 * is timed through the whole pipeline (connection, parser, ingest queue, BookSync, the publisher's
 * 10 Hz views to one subscriber), counted as it leaves ingest (onRecord). The run reports whether
 * every book stayed valid with no resync.
 */
import { parseFeedConfig } from '../../shared/config';
import { Pipeline } from '../../electron/core/pipeline/pipeline';
import type { ReplayProcess } from '../replay/replay-process';
import type { ReplayDone, Scenario } from '../replay/scenario';
import { cpuPerTrade, processCpuMs, throughput, waitFor, type Throughput } from '../stats';

export interface DepthPipelineRun extends Throughput {
  /** Every book valid at the end, and how many resyncs and gaps there were. */
  booksValid: boolean;
  resyncs: number;
  gaps: number;
  levels: number;
  /** Book views the subscriber got (conflated to ~10 Hz). */
  views: number;
  incomplete?: string;
}

const PATH = { binance: '/stream', bybit: '/v5/public/spot' } as const;

/** `s` is [max 1 frame, gate, max N frames]: the first frame starts the book, the rest are timed. */
export async function runDepthPipeline(replay: ReplayProcess, s: Scenario, timedFrames: number): Promise<DepthPipelineRun> {
  const { done } = await replay.arm(s);
  const feed = parseFeedConfig({ id: 'bench-depth', exchange: s.venue, symbols: ['BTC-USDT'], channels: ['book'], url: replay.wsUrl(PATH[s.venue]), restUrl: replay.httpUrl });
  const p = new Pipeline({ feeds: [feed], dataDir: null, backfill: false });
  /** Diffs out of ingest since the gate opened. */
  let deltas = 0;
  let going = false;
  let first = 0;
  let last = 0;
  let cpu0 = 0;
  let cpu1 = 0;
  let views = 0;
  const expected = timedFrames;
  p.onRecord((r) => {
    if (!going || r.type !== 'book' || r.action !== 'delta') return;
    deltas++;
    if (deltas === 1) {
      first = performance.now();
      cpu0 = processCpuMs();
    }
    if (deltas === expected || (deltas & 4095) === 0) last = performance.now();
    if (deltas === expected) cpu1 = processCpuMs();
  });
  p.subscribe({ send: (b) => void (views += b.books.length), ready: () => true });
  await p.start();
  let failure: string | null = null;
  try {
    await waitFor(() => p.health().books?.[0]?.state === 'valid', { timeoutMs: 30_000 });
    going = true;
    replay.go();
    await waitFor(() => deltas >= expected, { timeoutMs: 300_000, stallMs: 15_000, progress: () => deltas });
  } catch (e) {
    failure = `${(e as Error).message} (${deltas}/${expected} diffs out)`;
  }
  await Promise.race([done, new Promise<ReplayDone | null>((r) => setTimeout(() => r(null), 5_000))]);
  const rows = p.health().books ?? [];
  await p.stop();
  await replay.dropClients();
  const timed = deltas;
  return {
    ...throughput(timed, timed * s.tradesPerFrame, last - first),
    ...(cpu1 > 0 ? cpuPerTrade(cpu1 - cpu0, timed * s.tradesPerFrame) : {}),
    booksValid: rows.length > 0 && rows.every((b) => b.state === 'valid'),
    resyncs: rows.reduce((n, b) => n + b.resyncs, 0),
    gaps: rows.reduce((n, b) => n + b.gaps, 0),
    levels: rows.reduce((n, b) => n + b.levels, 0),
    views,
    ...(failure ? { incomplete: failure } : {}),
  };
}
