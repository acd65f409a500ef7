/**
 * Section 8 (`--only nats`): the shared ingest node (README "A shared ingest node") against the
 * direct pipeline, on the same Binance replay, interleaved round by round:
 *
 *   (a) direct   the Pipeline on the replay (clients/pipeline.ts);
 *   (b) nats     a Pipeline on the replay publishing to a real `nats-server -js` (its own
 *                process), and a desktop Pipeline with a `nats` feed consuming it in a process of
 *                its own (clients/nats-desktop-main.ts), as on a trader's machine; trades/s are
 *                counted at the desktop, from the node's first trade to the desktop's last. Node,
 *                nats-server and desktop share the machine's 2 cores.
 *
 * Then catch-up: the desktop goes away while the node publishes a paced replay (2,000 trades/s)
 * for `outageSec` (60 s; `--nats-outage S` shortens it, and the output says so), comes back with
 * the same durable consumer, and the time to take the backlog in is measured.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFeedConfig } from '../../shared/config';
import { Pipeline } from '../../electron/core/pipeline/pipeline';
import { NatsPublisher } from '../../electron/core/scaleout/nats-publisher';
import { NatsTestServer } from '../../test/integration/scaleout/nats-server';
import { feedFor, runPipeline } from '../clients/pipeline';
import type { ReplayProcess } from '../replay/replay-process';
import { totalTrades, type Scenario } from '../replay/scenario';
import { distribution, median, processCpuMs, round, waitFor } from '../stats';
import { scenarioFor, spread, type Spread } from './throughput';

export interface NatsRound {
  directTradesPerSec: number;
  natsTradesPerSec: number;
  /** Records per published message (the publisher's batches). */
  batchSize: number;
  /** Trade tapped at the node -> the same trade out of the desktop's ingest, ms. */
  e2eP50Ms: number;
  e2eP99Ms: number;
  lost: number;
  /** CPU of the ingest node's process (replay feed, pipeline, publisher) and of the desktop's, per trade. */
  nodeCpuUsPerTrade: number;
  desktopCpuUsPerTrade: number;
}

export interface NatsResult {
  rounds: NatsRound[];
  tradesPerSec: { direct?: Spread; nats?: Spread };
  /** nats / direct, per round. */
  ratio?: Spread;
  catchUp?: { outageSec: number; shortened: boolean; backlogTrades: number; catchUpMs: number; tradesPerSec: number } | { skipped: string };
}

const DESKTOP_MAIN = fileURLToPath(new URL('../clients/nats-desktop-main.ts', import.meta.url));
/** Epoch ms with sub-ms resolution: the same clock in the desktop's process. */
const epochNow = (): number => performance.timeOrigin + performance.now();

/** Each run its own stream and subjects: a new durable consumer reads its stream from the start. */
const streamOf = (run: string) => ({ stream: `TS_BENCH_${run}`, subjectPrefix: `bench${run}` });
const PACED_PER_SEC = 2_000;

function desktopFeed(url: string, durable: string, run: string) {
  return parseFeedConfig({ id: 'desk', exchange: 'nats', url, symbols: ['BTC-USDT'], options: { sources: ['binance:spot'], durable, ...streamOf(run) } });
}

/** An ingest node on the replay: its trades' tap times by id, for the end-to-end latency. */
async function startNode(replay: ReplayProcess, url: string, s: Scenario, run: string) {
  await replay.arm(s);
  const publisher = new NatsPublisher({ url, ...streamOf(run) });
  await publisher.start();
  const p = new Pipeline({ feeds: [feedFor(replay, s)], dataDir: null, backfill: false });
  const tapped = new Map<string, number>();
  let first = 0;
  p.onRecord((r) => {
    if (r.type === 'trade') {
      const t = epochNow();
      if (first === 0) first = t;
      tapped.set(r.id ?? '', t);
    }
  });
  p.onRecord(publisher.publish);
  await p.start();
  return {
    tapped,
    firstAt: () => first,
    publisher,
    stop: async () => {
      await p.stop();
      await publisher.close();
      await replay.dropClients();
    },
  };
}

async function startDesktop(url: string, durable: string, run: string) {
  const p = new Pipeline({ feeds: [desktopFeed(url, durable, run)], dataDir: null, backfill: false });
  const out = { count: 0, last: 0, onTrade: null as ((id: string, at: number) => void) | null, p };
  p.onRecord((r) => {
    if (r.type !== 'trade') return;
    out.count++;
    out.last = performance.now();
    out.onTrade?.(r.id ?? '', out.last);
  });
  await p.start();
  return out;
}

/** The desktop of a round, in its own process (clients/nats-desktop-main.ts). */
function forkDesktop(url: string, durable: string, run: string, expected: number) {
  const { stream, subjectPrefix } = streamOf(run);
  const child = fork(DESKTOP_MAIN, [url, durable, stream, subjectPrefix, String(expected)], { execArgv: ['--max-semi-space-size=64', '--import', 'tsx'] });
  type Done = { type: 'done'; count: number; first: number; last: number; samples: [string, number][]; cpuMs: number };
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`desktop process exited (${code}) before it ran`)));
    child.on('message', (m) => (m as { type: string }).type === 'ready' && resolve());
  });
  const done = new Promise<Done>((resolve, reject) => {
    child.on('message', (m) => (m as { type: string }).type === 'done' && resolve(m as Done));
    child.once('exit', () => reject(new Error('desktop process exited without a result')));
  });
  return { ready, done, stop: () => child.connected && child.send({ type: 'stop' }) };
}

async function natsRound(replay: ReplayProcess, url: string, s: Scenario, n: number): Promise<Omit<NatsRound, 'directTradesPerSec'>> {
  const expected = totalTrades(s);
  const desk = forkDesktop(url, 'bench', String(n), expected);
  await desk.ready;
  const cpu0 = processCpuMs();
  const node = await startNode(replay, url, s, String(n));
  const timeout = setTimeout(desk.stop, 300_000);
  const result = await desk.done;
  const nodeCpuMs = processCpuMs() - cpu0;
  clearTimeout(timeout);
  await node.stop();
  const latencies: number[] = [];
  for (const [id, at] of result.samples) {
    const t = node.tapped.get(id);
    if (t !== undefined) latencies.push(at - t);
  }
  const d = distribution(latencies);
  return {
    natsTradesPerSec: round(result.count / ((result.last - node.firstAt()) / 1000)),
    batchSize: node.publisher.stats().batchSize,
    e2eP50Ms: round(d.p50, 1),
    e2eP99Ms: round(d.p99, 1),
    lost: Math.max(0, expected - result.count),
    nodeCpuUsPerTrade: round((nodeCpuMs * 1000) / expected, 1),
    desktopCpuUsPerTrade: round((result.cpuMs * 1000) / expected, 1),
  };
}

async function catchUp(replay: ReplayProcess, url: string, outageSec: number, log: (l: string) => void): Promise<NonNullable<NatsResult['catchUp']>> {
  const durable = 'bench-catchup';
  // The desktop subscribes once (its durable consumer exists), then goes away.
  const first = await startDesktop(url, durable, 'catchup');
  await first.p.stop();
  const paced: Scenario = { venue: 'binance', native: 'BTCUSDT', tradesPerFrame: 1, phases: [{ kind: 'rate', perSecond: PACED_PER_SEC, ms: outageSec * 1000 }] };
  const backlog = totalTrades(paced);
  log(`  outage: the desktop is away for ${outageSec} s while the node publishes ${PACED_PER_SEC.toLocaleString('en-US')} trades/s`);
  const node = await startNode(replay, url, paced, 'catchup');
  await waitFor(() => node.tapped.size >= backlog, { timeoutMs: outageSec * 1000 + 60_000, stallMs: 15_000, progress: () => node.tapped.size });
  await node.stop();
  const t0 = performance.now();
  const desk = await startDesktop(url, durable, 'catchup');
  await waitFor(() => desk.count >= backlog, { timeoutMs: 300_000, stallMs: 15_000, progress: () => desk.count });
  const catchUpMs = desk.last - t0;
  await desk.p.stop();
  return { outageSec, shortened: outageSec < 60, backlogTrades: backlog, catchUpMs: round(catchUpMs), tradesPerSec: round(backlog / (catchUpMs / 1000)) };
}

export async function natsSection(replay: ReplayProcess, o: { quick: boolean; rounds: number; outageSec: number; log: (l: string) => void }): Promise<NatsResult> {
  const server = await NatsTestServer.start();
  const s = scenarioFor('binance', o.quick);
  const rounds: NatsRound[] = [];
  try {
    for (let n = 0; n < o.rounds; n++) {
      const direct = await runPipeline(replay, { scenario: s, pipeline: { backfill: false } });
      const viaNats = await natsRound(replay, server.url, s, n);
      const r = { directTradesPerSec: round(direct.tradesPerSec), ...viaNats };
      rounds.push(r);
      o.log(`  round ${n + 1}: direct ${r.directTradesPerSec.toLocaleString('en-US')} trades/s, via NATS ${r.natsTradesPerSec.toLocaleString('en-US')} trades/s (batch ${r.batchSize} records, e2e p50 ${r.e2eP50Ms} ms, p99 ${r.e2eP99Ms} ms, lost ${r.lost}; CPU per trade: node ${r.nodeCpuUsPerTrade} µs, desktop ${r.desktopCpuUsPerTrade} µs)`);
    }
    const ratios = rounds.map((r) => r.natsTradesPerSec / r.directTradesPerSec);
    const result: NatsResult = {
      rounds,
      tradesPerSec: { direct: spread(rounds.map((r) => r.directTradesPerSec)), nats: spread(rounds.map((r) => r.natsTradesPerSec)) },
      ...(ratios.length > 0 ? { ratio: spread(ratios, 2) } : {}),
    };
    o.log(`  via NATS / direct: ${median(ratios).toFixed(2)}x (target >= 0.5)`);
    try {
      result.catchUp = await catchUp(replay, server.url, o.outageSec, o.log);
      const c = result.catchUp as { catchUpMs: number; backlogTrades: number; tradesPerSec: number; shortened: boolean };
      o.log(`  catch-up: ${c.backlogTrades.toLocaleString('en-US')} trades in ${c.catchUpMs} ms = ${c.tradesPerSec.toLocaleString('en-US')} trades/s${c.shortened ? ` (outage shortened to ${o.outageSec} s by --nats-outage)` : ''}`);
    } catch (e) {
      result.catchUp = { skipped: (e as Error).message };
      o.log(`  catch-up: failed: ${(e as Error).message}`);
    }
    return result;
  } finally {
    await server.close();
  }
}

/** Why the section cannot run here (no nats-server), or null. */
export function natsMissing(): string | null {
  return existsSync('/usr/sbin/nats-server') || process.env['NATS_SERVER'] || process.env['PATH']?.split(':').some((d) => existsSync(`${d}/nats-server`))
    ? null
    : 'nats-server is not installed (apt-get install nats-server)';
}
