/**
 * Section 7, depth: a Binance `depth@100ms`-shaped replay (replay/depth-frames.ts: 20-level diffs,
 * chained update ids, a 1000-level REST snapshot) and a Bybit `orderbook.50` one (snapshot on
 * subscribe, 20-level deltas), each on the same replay, interleaved round by round with the order
 * of the sides alternating:
 *
 *   (a) ceiling    the bare ws client that only JSON.parses each frame (clients/ceiling.ts);
 *   (b) pipeline   the Pipeline with the venue's `book` feed: snapshot, sync, every diff applied
 *                  and checked, 10 Hz views published (clients/depth-pipeline.ts).
 *
 * Then, in this process with no sockets: the cost of one level update in the book (the venue
 * parser's BookUpdates applied to a BookRegistry, timed apart from parsing) and the heap over
 * 10M level updates (quick: 2M), sampled after a full GC at the start, middle and end.
 */
import { BookRegistry } from '../../electron/core/books/book-registry';
import { binanceSpotRule } from '../../electron/core/adapters/binance/book';
import { parseBinanceDepth } from '../../electron/core/adapters/binance/rest';
import { getAdapter } from '../../electron/core/adapters/index';
import { planStreams } from '../../electron/core/runtime/streams';
import type { BookUpdate } from '../../shared/domain';
import { runCeiling } from '../clients/ceiling';
import { runDepthPipeline, type DepthPipelineRun } from '../clients/depth-pipeline';
import { depthSnapshotBody, DepthSource } from '../replay/depth-frames';
import type { Venue } from '../replay/frames';
import type { ReplayProcess } from '../replay/replay-process';
import type { Scenario } from '../replay/scenario';
import { mb, processCpuMs, round, type Throughput } from '../stats';
import { spread, type Spread } from './throughput';

/** Levels changed per diff frame (10 bids + 10 asks), as a busy depth@100ms frame carries. */
export const LEVELS_PER_DIFF = 20;

export interface DepthResult {
  venues: DepthVenueResult[];
  book: BookCost;
}

export interface DepthVenueResult {
  venue: Venue;
  frames: number;
  levelsPerFrame: number;
  /** Level updates/s per side over rounds; the per-round pipeline/ceiling ratio. */
  levelUpdatesPerSec: { ceiling?: Spread; pipeline?: Spread };
  ratio?: Spread;
  /** Pipeline CPU per level update (ns), median over rounds. */
  pipelineCpuNsPerLevel?: Spread;
  /**
   * Process CPU per diff frame (µs) of each side, over rounds, and the per-round ratio ceiling /
   * pipeline CPU: on a loaded machine CPU time says more than rates (other work takes the wall clock).
   */
  cpuUsPerFrame: { ceiling?: Spread; pipeline?: Spread };
  cpuRatio?: Spread;
  /** Over every pipeline round: all books valid at each round's end, resyncs and gaps summed. */
  allValid: boolean;
  resyncs: number;
  gaps: number;
  incomplete: string[];
}

export interface BookCost {
  levelUpdates: number;
  /** Process CPU ns per level update: applying (BookRegistry.apply) and parsing the venue frame, apart. */
  applyNs: number;
  parseNs: number;
  levels: number;
  valid: boolean;
  resyncs: number;
  /** V8 heap (MB) after a full GC at the start (book full), middle and end. */
  heapMb: { start: number; middle: number; end: number };
}

/** The first frame (Binance: a diff that starts the REST sync; Bybit: the snapshot), then `frames` diffs. */
function scenario(venue: Venue, frames: number, gated: boolean): Scenario {
  const phases: Scenario['phases'] = gated ? [{ kind: 'max', frames: 1 }, { kind: 'gate' }, { kind: 'max', frames }] : [{ kind: 'max', frames: 1 }, { kind: 'max', frames }];
  return { venue, native: 'BTCUSDT', tradesPerFrame: LEVELS_PER_DIFF, kind: 'depth', phases };
}

const PATH = { binance: '/stream', bybit: '/v5/public/spot' } as const;

export async function depthSection(replay: ReplayProcess, quick: boolean, rounds: number, log: (l: string) => void): Promise<DepthResult> {
  const venues: DepthVenueResult[] = [];
  for (const venue of ['binance', 'bybit'] as const) venues.push(await venueRounds(replay, venue, quick, rounds, log));
  const book = bookCost(quick ? 2_000_000 : 10_000_000);
  log(`  depth book: ${book.applyNs} ns per level update applied, ${book.parseNs} ns parsing; heap ${book.heapMb.start} -> ${book.heapMb.middle} -> ${book.heapMb.end} MB over ${book.levelUpdates.toLocaleString('en-US')} level updates; ${book.valid ? 'valid' : 'NOT VALID'}, ${book.resyncs} resyncs`);
  return { venues, book };
}

async function venueRounds(replay: ReplayProcess, venue: Venue, quick: boolean, rounds: number, log: (l: string) => void): Promise<DepthVenueResult> {
  const frames = quick ? 20_000 : 100_000;
  const perRound: { ceiling?: number; pipeline?: number }[] = [];
  /** CPU µs per diff frame, per round and side. */
  const cpuPerRound: { ceiling?: number; pipeline?: number }[] = [];
  const cpu: number[] = [];
  const res: DepthVenueResult = { venue, frames, levelsPerFrame: LEVELS_PER_DIFF, levelUpdatesPerSec: {}, cpuUsPerFrame: {}, allValid: true, resyncs: 0, gaps: 0, incomplete: [] };
  for (let r = 0; r < rounds; r++) {
    const got: { ceiling?: number; pipeline?: number } = {};
    const gotCpu: { ceiling?: number; pipeline?: number } = {};
    for (const side of r % 2 === 0 ? (['ceiling', 'pipeline'] as const) : (['pipeline', 'ceiling'] as const)) {
      let t: Throughput & { incomplete?: string };
      let extra = '';
      if (side === 'ceiling') {
        const { done } = await replay.arm(scenario(venue, frames, false));
        // A book frame counts 1: the ceiling waits for all of them, the first included.
        t = await runCeiling(replay.wsUrl(PATH[venue]), venue, 'BTCUSDT', frames + 1);
        await Promise.race([done, new Promise((ok) => setTimeout(ok, 2_000))]);
        await replay.dropClients();
        // The ceiling counts each book frame as one "trade": its CPU per trade is per frame.
        if (t.cpuUsPerTrade !== undefined) gotCpu.ceiling = t.cpuUsPerTrade;
        t = { ...t, trades: t.frames * LEVELS_PER_DIFF, tradesPerSec: t.framesPerSec * LEVELS_PER_DIFF };
      } else {
        const p: DepthPipelineRun = await runDepthPipeline(replay, scenario(venue, frames, true), frames);
        res.allValid &&= p.booksValid;
        res.resyncs += p.resyncs;
        res.gaps += p.gaps;
        if (p.incomplete) res.incomplete.push(p.incomplete);
        if (p.cpuUsPerTrade !== undefined && !p.incomplete) {
          cpu.push(p.cpuUsPerTrade * 1000);
          gotCpu.pipeline = p.cpuUsPerTrade * LEVELS_PER_DIFF;
        }
        extra = `, books ${p.booksValid ? 'valid' : 'NOT VALID'}, ${p.resyncs} resyncs, ${p.levels} levels held, ${p.views} views sent`;
        t = p;
      }
      if (!t.incomplete) got[side] = t.tradesPerSec;
      const cpuText = gotCpu[side] !== undefined ? `, CPU ${round(gotCpu[side], 1)} µs/diff` : '';
      log(`  depth ${venue} round ${r + 1} ${side.padEnd(8)} ${t.tradesPerSec.toLocaleString('en-US').padStart(11)} level updates/s (${t.framesPerSec.toLocaleString('en-US')} diffs/s, ${t.ms} ms${cpuText}${extra})${t.incomplete ? `  INCOMPLETE: ${t.incomplete}` : ''}`);
    }
    perRound.push(got);
    cpuPerRound.push(gotCpu);
  }
  const cpuOf = (side: 'ceiling' | 'pipeline') => spread(cpuPerRound.map((g) => g[side]).filter((x): x is number => x !== undefined), 1);
  const cc = cpuOf('ceiling');
  const cp = cpuOf('pipeline');
  if (cc) res.cpuUsPerFrame.ceiling = cc;
  if (cp) res.cpuUsPerFrame.pipeline = cp;
  const cpuRatio = spread(cpuPerRound.filter((g) => g.ceiling !== undefined && g.pipeline !== undefined).map((g) => g.ceiling! / g.pipeline!), 2);
  if (cpuRatio) res.cpuRatio = cpuRatio;
  const c = spread(perRound.map((g) => g.ceiling).filter((x): x is number => x !== undefined));
  const p = spread(perRound.map((g) => g.pipeline).filter((x): x is number => x !== undefined));
  if (c) res.levelUpdatesPerSec.ceiling = c;
  if (p) res.levelUpdatesPerSec.pipeline = p;
  const ratios = perRound.filter((g) => g.ceiling !== undefined && g.pipeline !== undefined).map((g) => g.pipeline! / g.ceiling!);
  const ratio = spread(ratios, 2);
  if (ratio) res.ratio = ratio;
  const cpuNs = spread(cpu, 0);
  if (cpuNs) res.pipelineCpuNsPerLevel = cpuNs;
  return res;
}

/** Frames parsed per batch (not timed with the apply), so only one batch's records are alive. */
const BATCH_FRAMES = 10_000;

/**
 * The book alone: the same diffs parsed by the Binance adapter's parser (timed apart) and applied
 * to a BookRegistry with Binance's spot rule, from the replay's REST snapshot.
 */
export function bookCost(levelUpdates: number): BookCost {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const adapter = getAdapter('binance')!;
  const streams = planStreams({ exchange: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['book'] }, adapter, (s) => adapter.toNative(s, 'spot')).shards.flat();
  const parser = adapter.createParser({ exchange: 'binance', market: 'spot', toCanonical: (n) => adapter.toCanonical(n, 'spot'), streams });
  const registry = new BookRegistry({ ruleFor: () => binanceSpotRule });
  const snap = parseBinanceDepth(depthSnapshotBody());
  const t0 = Date.now();
  registry.apply({ type: 'book', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', action: 'snapshot', bids: snap.bids, asks: snap.asks, lastSeq: snap.lastSeq, time: t0, receivedAt: t0 });
  const src = new DepthSource();
  const batches = Math.max(2, Math.ceil(levelUpdates / LEVELS_PER_DIFF / BATCH_FRAMES));
  let parseMs = 0;
  let applyMs = 0;
  let applied = 0;
  const heap = { start: 0, middle: 0, end: 0 };
  const heapNow = () => {
    gc();
    return mb(process.memoryUsage().heapUsed);
  };
  // One batch per call, so its frames and records are garbage once it returns (the heap samples
  // between batches then hold the book and the parser, not a batch in flight).
  const batch = (i: number): void => {
    const frames = Array.from({ length: BATCH_FRAMES }, (_, k) => src.diff('BTCUSDT', t0 + i * BATCH_FRAMES + k, LEVELS_PER_DIFF));
    // The frames are new: without this the first scavenges inside the timed parse copy all of
    // them (~10 MB), which the parse would be charged for (it tripled "parse" under load).
    gc();
    // Process CPU, not wall time: on a shared machine the wall clock mostly measures the others.
    let t = processCpuMs();
    const updates: BookUpdate[] = [];
    for (const f of frames) for (const ev of parser.parse(f, t0)) if (ev.type === 'book') updates.push(ev);
    parseMs += processCpuMs() - t;
    t = processCpuMs();
    for (const u of updates) registry.apply(u);
    applyMs += processCpuMs() - t;
    applied += updates.length * LEVELS_PER_DIFF;
  };
  for (let i = 0; i < batches; i++) {
    batch(i);
    if (i === 0) heap.start = heapNow();
    if (i === Math.floor(batches / 2)) heap.middle = heapNow();
  }
  heap.end = heapNow();
  const row = registry.health(Date.now())[0]!;
  return {
    levelUpdates: applied,
    applyNs: round((applyMs * 1e6) / applied, 1),
    parseNs: round((parseMs * 1e6) / applied, 1),
    levels: row.levels,
    valid: row.state === 'valid',
    resyncs: row.resyncs,
    heapMb: heap,
  };
}
