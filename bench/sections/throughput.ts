/**
 * Sections 1-3: the ceiling (bare ws + JSON.parse), the pipeline, and the peers, on the same
 * replay, interleaved round by round (the machine is shared and noisy: a slow moment then hits
 * every side of a round, not one side of the comparison). The order of the sides rotates each
 * round. Ratios are taken within a round, then the median over rounds is reported.
 */
import type { Venue } from '../replay/frames';
import type { ReplayProcess } from '../replay/replay-process';
import type { Scenario } from '../replay/scenario';
import { runCeiling } from '../clients/ceiling';
import { runPipeline } from '../clients/pipeline';
import { runCcxt, runPython, type PeerResult } from '../clients/peers';
import { median, round, type Throughput } from '../stats';

export type Side = 'ceiling' | 'pipeline' | 'ccxt' | 'asyncio';

export interface VenueResult {
  venue: Venue;
  tradesPerFrame: number;
  frames: number;
  rounds: Partial<Record<Side, Throughput[]>>;
  /** Median over rounds, trades/s. */
  medianTradesPerSec: Partial<Record<Side, number>>;
  /** Median over rounds of the per-round ratio. */
  ratios: Record<string, number>;
  lost: number;
  feedErrors: number;
  skipped: Partial<Record<Side, string>>;
}

export interface ThroughputOptions {
  quick: boolean;
  rounds: number;
  log: (line: string) => void;
}

function scenarioFor(venue: Venue, quick: boolean): Scenario {
  return venue === 'binance'
    ? { venue, native: 'BTCUSDT', tradesPerFrame: 1, phases: [{ kind: 'max', frames: quick ? 100_000 : 500_000 }] }
    : { venue, native: 'BTCUSDT', tradesPerFrame: 20, phases: [{ kind: 'max', frames: quick ? 5_000 : 50_000 }] };
}

export async function throughputSection(replay: ReplayProcess, venue: Venue, o: ThroughputOptions): Promise<VenueResult> {
  const s = scenarioFor(venue, o.quick);
  const frames = s.phases[0]!.kind === 'max' ? s.phases[0]!.frames : 0;
  const trades = frames * s.tradesPerFrame;
  const sides: Side[] = venue === 'binance' ? ['ceiling', 'pipeline', 'ccxt', 'asyncio'] : ['ceiling', 'pipeline', 'asyncio'];
  const res: VenueResult = {
    venue, tradesPerFrame: s.tradesPerFrame, frames, rounds: {}, medianTradesPerSec: {}, ratios: {}, lost: 0, feedErrors: 0, skipped: {} };
  const perRound: Partial<Record<Side, number>>[] = [];

  const runSide = async (side: Side): Promise<Throughput | null> => {
    const { done } = side === 'pipeline' ? { done: null } : await replay.arm(s);
    let r: Throughput | PeerResult;
    if (side === 'ceiling') r = await runCeiling(replay.wsUrl(), venue, s.native, trades);
    else if (side === 'pipeline') {
      const p = await runPipeline(replay, { scenario: s });
      res.lost += p.lost;
      res.feedErrors += p.feedErrors;
      r = p;
    } else if (side === 'ccxt') r = await runCcxt(replay.httpUrl, `ws://127.0.0.1:${replay.port}`, trades);
    else r = await runPython(replay.wsUrl(venue === 'binance' ? '/stream' : '/v5/public/spot'), venue, s.native, trades);
    if (done) {
      await Promise.race([done, new Promise((ok) => setTimeout(ok, 2_000))]);
      await replay.dropClients();
    }
    if ('skipped' in r) {
      res.skipped[side] = r.skipped;
      return null;
    }
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
      got[side] = r.tradesPerSec;
      o.log(`  ${venue} round ${round_ + 1} ${side.padEnd(8)} ${r.tradesPerSec.toLocaleString('en-US').padStart(10)} trades/s  (${r.framesPerSec.toLocaleString('en-US')} msgs/s, ${r.ms} ms)`);
    }
    perRound.push(got);
  }

  for (const side of sides) {
    const v = perRound.map((g) => g[side]).filter((x): x is number => x !== undefined);
    if (v.length) res.medianTradesPerSec[side] = Math.round(median(v));
  }
  const ratio = (a: Side, b: Side) => {
    const v = perRound.filter((g) => g[a] !== undefined && g[b] !== undefined).map((g) => g[a]! / g[b]!);
    if (v.length) res.ratios[`${a}/${b}`] = round(median(v), 2);
  };
  ratio('pipeline', 'ceiling');
  ratio('ccxt', 'ceiling');
  ratio('asyncio', 'ceiling');
  ratio('pipeline', 'ccxt');
  ratio('pipeline', 'asyncio');
  return res;
}
