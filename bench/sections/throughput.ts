/**
 * Sections 1-3: on the same replay, interleaved round by round (the machine is shared and noisy: a
 * slow moment then hits every side of a round, not one side of the comparison), the order of the
 * sides rotating each round:
 *
 *   (a) ceiling    a bare ws client that only JSON.parses (clients/ceiling.ts);
 *   (b) pipeline   the Pipeline in this process, no data dir (clients/pipeline.ts);
 *   (c) headless   the headless runner as shipped, a child process (clients/headless.ts);
 *   (d) web host   the web host as `npm run serve` runs it, with one ws client here (clients/web-host.ts);
 *   and the peers (ccxt, asyncio), where installed.
 *
 * Every row is the median over rounds with its min-max; a ratio is taken within each round (both
 * sides measured minutes apart at most), and the median of those per-round ratios is reported,
 * with their min-max.
 */
import type { Venue } from '../replay/frames';
import type { ReplayProcess } from '../replay/replay-process';
import type { Scenario } from '../replay/scenario';
import { runCeiling } from '../clients/ceiling';
import { runHeadless } from '../clients/headless';
import { runPipeline } from '../clients/pipeline';
import { runWebHost } from '../clients/web-host';
import { runCcxt, runPython, type PeerResult } from '../clients/peers';
import { median, round, type Throughput } from '../stats';

export type Side = 'ceiling' | 'pipeline' | 'headless' | 'webHost' | 'ccxt' | 'asyncio';

export const SIDE_LABEL: Record<Side, string> = {
  ceiling: 'ceiling',
  pipeline: 'pipeline',
  headless: 'headless',
  webHost: 'web host',
  ccxt: 'ccxt',
  asyncio: 'asyncio',
};

/** Median and range over rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface VenueResult {
  venue: Venue;
  tradesPerFrame: number;
  frames: number;
  rounds: Partial<Record<Side, (Throughput & { incomplete?: string })[]>>;
  /** trades/s over rounds. */
  tradesPerSec: Partial<Record<Side, Spread>>;
  /** CPU µs per trade of the measured process over rounds (diagnostic; see stats.ts). */
  cpuUsPerTrade: Partial<Record<Side, Spread>>;
  /** Per-round ratios `a/b` (e.g. `headless/ceiling`): median and range. */
  ratios: Record<string, Spread>;
  /** Per side: trades the replay sent that the side did not count, summed over complete rounds. */
  lost: Partial<Record<Side, number>>;
  feedErrors: number;
  /** Rounds of a side that did not complete (why), summed. */
  incomplete: Partial<Record<Side, string[]>>;
  skipped: Partial<Record<Side, string>>;
}

export interface ThroughputOptions {
  quick: boolean;
  rounds: number;
  log: (line: string) => void;
  /** Where (c)'s NDJSON goes; see clients/app-child.ts. */
  sink: 'null' | 'file' | 'pipe';
  /** Sides to run (default all). */
  sides?: Side[];
}

export function scenarioFor(venue: Venue, quick: boolean): Scenario {
  return venue === 'binance'
    ? { venue, native: 'BTCUSDT', tradesPerFrame: 1, phases: [{ kind: 'max', frames: quick ? 100_000 : 500_000 }] }
    : { venue, native: 'BTCUSDT', tradesPerFrame: 20, phases: [{ kind: 'max', frames: quick ? 5_000 : 50_000 }] };
}

export function spread(values: number[], digits = 0): Spread | undefined {
  if (values.length === 0) return undefined;
  return { median: round(median(values), digits), min: round(Math.min(...values), digits), max: round(Math.max(...values), digits), n: values.length };
}

const PATH = { binance: '/stream', bybit: '/v5/public/spot' } as const;

export async function throughputSection(replay: ReplayProcess, venue: Venue, o: ThroughputOptions): Promise<VenueResult> {
  const s = scenarioFor(venue, o.quick);
  const frames = s.phases[0]!.kind === 'max' ? s.phases[0]!.frames : 0;
  const trades = frames * s.tradesPerFrame;
  const all: Side[] = venue === 'binance' ? ['ceiling', 'pipeline', 'headless', 'webHost', 'ccxt', 'asyncio'] : ['ceiling', 'pipeline', 'headless', 'webHost', 'asyncio'];
  const sides = all.filter((x) => !o.sides || o.sides.includes(x));
  const res: VenueResult = {
    venue, tradesPerFrame: s.tradesPerFrame, frames, rounds: {}, tradesPerSec: {}, cpuUsPerTrade: {}, ratios: {}, lost: {}, feedErrors: 0, incomplete: {}, skipped: {},
  };
  const perRound: Partial<Record<Side, number>>[] = [];

  const runSide = async (side: Side): Promise<(Throughput & { incomplete?: string }) | null> => {
    type Run = Throughput & { incomplete?: string; lost?: number; feedErrors?: number };
    let r: Run | PeerResult;
    if (side === 'pipeline') r = await runPipeline(replay, { scenario: s });
    else if (side === 'headless') r = await runHeadless(replay, s, { stdout: o.sink });
    else if (side === 'webHost') r = await runWebHost(replay, s);
    else {
      const { done } = await replay.arm(s);
      if (side === 'ceiling') r = await runCeiling(replay.wsUrl(PATH[venue]), venue, s.native, trades);
      else if (side === 'ccxt') r = await runCcxt(replay.httpUrl, `ws://127.0.0.1:${replay.port}`, trades);
      else r = await runPython(replay.wsUrl(PATH[venue]), venue, s.native, trades);
      await Promise.race([done, new Promise((ok) => setTimeout(ok, 2_000))]);
      await replay.dropClients();
    }
    if ('skipped' in r) {
      res.skipped[side] = r.skipped;
      return null;
    }
    return note(side, r);
  };
  const note = (side: Side, r: Throughput & { incomplete?: string; lost?: number; feedErrors?: number }) => {
    // Lost counts complete rounds only: an incomplete one is reported as such, with why.
    if (r.lost !== undefined && !r.incomplete) res.lost[side] = (res.lost[side] ?? 0) + r.lost;
    if (r.feedErrors !== undefined) res.feedErrors += r.feedErrors;
    if (r.incomplete) (res.incomplete[side] ??= []).push(r.incomplete);
    return r;
  };

  for (let round_ = 0; round_ < o.rounds; round_++) {
    const order = sides.map((_, i) => sides[(i + round_) % sides.length]!);
    const got: Partial<Record<Side, number>> = {};
    for (const side of order) {
      if (res.skipped[side]) continue;
      const r = await runSide(side);
      if (!r) {
        o.log(`  ${venue} ${side}: skipped: ${res.skipped[side]}`);
        continue;
      }
      (res.rounds[side] ??= []).push(r);
      // A round that did not complete gives no rate (its ratio would compare a stall).
      if (!r.incomplete) got[side] = r.tradesPerSec;
      const cpu = r.cpuUsPerTrade === undefined ? '' : `, ${r.cpuUsPerTrade.toFixed(2)} µs CPU/trade`;
      o.log(
        `  ${venue} round ${round_ + 1} ${SIDE_LABEL[side].padEnd(8)} ${r.tradesPerSec.toLocaleString('en-US').padStart(10)} trades/s  (${r.framesPerSec.toLocaleString('en-US')} msgs/s, ${r.ms} ms${cpu})${r.incomplete ? `  INCOMPLETE: ${r.incomplete}` : ''}`,
      );
    }
    perRound.push(got);
  }

  for (const side of sides) {
    const rate = spread(perRound.map((g) => g[side]).filter((x): x is number => x !== undefined));
    if (rate) res.tradesPerSec[side] = rate;
    const cpu = spread((res.rounds[side] ?? []).filter((r) => !r.incomplete && r.cpuUsPerTrade !== undefined).map((r) => r.cpuUsPerTrade!), 2);
    if (cpu) res.cpuUsPerTrade[side] = cpu;
  }
  const ratio = (a: Side, b: Side) => {
    const v = perRound.filter((g) => g[a] !== undefined && g[b] !== undefined).map((g) => g[a]! / g[b]!);
    const sp = spread(v, 2);
    if (sp) res.ratios[`${a}/${b}`] = sp;
  };
  for (const side of sides) if (side !== 'ceiling') ratio(side, 'ceiling');
  ratio('headless', 'pipeline');
  ratio('webHost', 'pipeline');
  ratio('pipeline', 'ccxt');
  ratio('pipeline', 'asyncio');
  return res;
}
