/** Turns the results into the README table (markdown) and the machine line. */
import type { DepthResult, DepthVenueResult } from './sections/depth';
import type { LatencyResult } from './sections/latency';
import { median } from './stats';
import type { BurstRun, MemoryRun } from './sections/memory';
import type { RendererResult } from './sections/renderer';
import { depthRows as rendererDepthRows } from './sections/renderer-depth';
import type { NatsResult } from './sections/nats';
import type { Side, Spread, VenueResult } from './sections/throughput';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memGb: number;
  node: string;
  platform: string;
  date: string;
  loadAvgStart: number[];
  loadAvgEnd?: number[];
}

export interface Results {
  mode: 'quick' | 'full';
  /** Rounds of the throughput and latency sections. */
  rounds: number;
  machine: Machine;
  throughput: VenueResult[];
  latency?: LatencyResult | { skipped: string };
  soak?: MemoryRun;
  burst?: BurstRun;
  renderer?: RendererResult | { skipped: string };
  /** The renderer section with the depth heatmap and the ladder (`--only renderer-depth`). */
  rendererDepth?: RendererResult | { skipped: string };
  depth?: DepthResult;
  nats?: NatsResult | { skipped: string };
  notes: string[];
}

const n = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : Math.round(x).toLocaleString('en-US'));
/** "340,000 (300,000-360,000)": a median and its range over rounds. */
const withRange = (sp: Spread) => `${n(sp.median)} (${n(sp.min)}-${n(sp.max)})`;
const ratioText = (sp: Spread | undefined, of: string) =>
  sp === undefined ? '-' : `${sp.median.toFixed(2)}x ${of} (${sp.min.toFixed(2)}-${sp.max.toFixed(2)})`;
const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(1)} ms`);

export function machineLine(m: Machine): string {
  return `${m.cpus} x ${m.cpuModel}, ${m.memGb} GB RAM, ${m.platform}, Node ${m.node}, ${m.date} (load average at start ${m.loadAvgStart.map((x) => x.toFixed(1)).join(' ')}; shared machine)`;
}

const ROW: Record<Exclude<Side, 'ceiling'>, { label: string; target: string }> = {
  pipeline: { label: '(b) pipeline in the bench process, no data dir', target: 'target >= 0.8' },
  headless: { label: '(c) headless runner as shipped (own process, data dir: bar store, backfill; NDJSON out)', target: 'target >= 1.0' },
  webHost: { label: '(d) web host as `npm run serve` + 1 browser-like ws client', target: 'target >= 0.9' },
  ccxt: { label: 'ccxt watchTrades', target: '' },
  asyncio: { label: 'asyncio pipeline (Python)', target: '' },
};

function throughputRows(v: VenueResult, rounds: number): string[] {
  const rows: string[] = [];
  const unit = v.tradesPerFrame === 1 ? 'msgs/s' : `trades/s (${v.tradesPerFrame} per msg)`;
  const cpu = (side: Side) => (v.cpuUsPerTrade[side] ? `; CPU ${v.cpuUsPerTrade[side]!.median.toFixed(2)} µs/trade` : '');
  const notes = (side: Side) => {
    const bad = v.incomplete[side]?.length ?? 0;
    return `${v.lost[side] !== undefined ? `; lost ${v.lost[side]}` : ''}${bad ? `; ${bad} round(s) INCOMPLETE: ${v.incomplete[side]![0]}` : ''}${cpu(side)}`;
  };
  const c = v.tradesPerSec.ceiling;
  rows.push(
    `| ${v.venue} (a) ceiling: bare ws + JSON.parse | ${c ? `${withRange(c)} ${unit}` : '-'} | median (min-max) of ${c?.n ?? 0} of ${rounds} rounds, ${n(v.frames)} msgs each${cpu('ceiling')} |`,
  );
  for (const side of ['pipeline', 'headless', 'webHost', 'ccxt', 'asyncio'] as const) {
    const t = v.tradesPerSec[side];
    const label = `${v.venue} ${ROW[side].label}`;
    if (t === undefined) {
      if (v.skipped[side]) rows.push(`| ${label} | skipped | ${v.skipped[side]} |`);
      else if (v.incomplete[side]) rows.push(`| ${label} | INCOMPLETE | ${v.incomplete[side]![0]} |`);
      continue;
    }
    const vsPipeline = side === 'headless' || side === 'webHost' ? `; ${ratioText(v.ratios[`${side}/pipeline`], 'pipeline')}` : '';
    const vsPeer = side === 'ccxt' || side === 'asyncio' ? `Tickscope pipeline = ${ratioText(v.ratios[`pipeline/${side}`], side)}` : ROW[side].target;
    const errors = side === 'pipeline' ? `; feed errors ${v.feedErrors} (b, c, d)` : '';
    rows.push(`| ${label} | ${withRange(t)} trades/s = **${ratioText(v.ratios[`${side}/ceiling`], 'ceiling')}** | ${vsPeer}${vsPipeline}${notes(side)}${errors} |`);
  }
  return rows;
}

const DEPTH_FEED = { binance: 'Binance depth@100ms-shaped diffs', bybit: 'Bybit orderbook.50 deltas' } as const;
const DEPTH_BOOK = { binance: 'REST snapshot', bybit: 'snapshot on subscribe' } as const;

function depthVenueRows(d: DepthVenueResult, rounds: number): string[] {
  const c = d.levelUpdatesPerSec.ceiling;
  const p = d.levelUpdatesPerSec.pipeline;
  const cpu = d.pipelineCpuNsPerLevel ? `; CPU ${n(d.pipelineCpuNsPerLevel.median)} ns/level update` : '';
  // Older results files have no CPU per diff.
  const cc = d.cpuUsPerFrame?.ceiling;
  const cp = d.cpuUsPerFrame?.pipeline;
  const us = (sp: Spread) => `${sp.median.toFixed(1)} (${sp.min.toFixed(1)}-${sp.max.toFixed(1)}) µs`;
  const cpuFrame = cc && cp ? `; CPU per diff: pipeline ${us(cp)}, ceiling ${us(cc)} = **${ratioText(d.cpuRatio, 'ceiling')} by CPU**` : '';
  const bad = d.incomplete.length ? `; ${d.incomplete.length} round(s) INCOMPLETE: ${d.incomplete[0]}` : '';
  return [
    `| depth ${d.venue} (a) ceiling: bare ws + JSON.parse, ${DEPTH_FEED[d.venue]} | ${c ? `${withRange(c)} level updates/s (${d.levelsPerFrame} per msg)` : '-'} | median (min-max) of ${c?.n ?? 0} of ${rounds} rounds, ${n(d.frames)} msgs each |`,
    `| depth ${d.venue} (b) pipeline: book (${DEPTH_BOOK[d.venue]}, sync, every diff applied and checked, 10 Hz views) | ${p ? `${withRange(p)} level updates/s = **${ratioText(d.ratio, 'ceiling')}**` : 'INCOMPLETE'} | target >= 0.8; books ${d.allValid ? 'all valid' : 'NOT ALL VALID'}, ${d.resyncs} resyncs, ${d.gaps} gaps${cpu}${cpuFrame}${bad} |`,
  ];
}

function depthRows(d: DepthResult, rounds: number): string[] {
  const b = d.book;
  return [
    ...d.venues.flatMap((v) => depthVenueRows(v, rounds)),
    `| depth: one level update in the book (parser output applied to BookRegistry, no sockets; process CPU) | **${b.applyNs} ns** applied (+ ${b.parseNs} ns parsing the frame) | ${n(b.levelUpdates)} level updates, ${n(b.levels)} levels held, ${b.valid ? 'valid' : 'NOT VALID'}, ${b.resyncs} resyncs |`,
    `| depth: heap over ${n(b.levelUpdates)} level updates (after a full GC) | start ${b.heapMb.start} -> middle ${b.heapMb.middle} -> end ${b.heapMb.end} MB | must stay flat |`,
  ];
}

export function markdown(r: Results): string {
  const rows: string[] = ['| benchmark | result | target / note |', '|---|---|---|'];
  for (const v of r.throughput) rows.push(...throughputRows(v, r.rounds));
  const lat = r.latency;
  if (lat && 'steps' in lat) {
    const rounds = (p99s: number[]) =>
      p99s.length > 1 ? `; p99 per round: median ${ms(median(p99s))}, worst ${ms(Math.max(...p99s))}` : '';
    for (const s of lat.steps) {
      rows.push(
        `| latency @ ${n(s.ratePerSec)} msgs/s: exchange time -> publisher flush | p50 ${ms(s.flush.p50)}, **p99 ${ms(s.flush.p99)}**, max ${ms(s.flush.max)} | every trade of ${lat.rounds} round(s) (${n(s.flush.n)})${rounds(s.flushRoundP99)}${s.ratePerSec === 100_000 ? '; target p99 <= 43 ms, median and worst round' : ''} |`,
      );
      if (s.renderer) {
        rows.push(
          `| latency @ ${n(s.ratePerSec)} msgs/s: -> receipt in Chromium | p50 ${ms(s.renderer.p50)}, **p99 ${ms(s.renderer.p99)}**, max ${ms(s.renderer.max)} | ${n(s.rendererTrades)} trades the batches carried (newest 500 per batch)${rounds(s.rendererRoundP99)}; web host transport p99 ${ms(s.transport?.p99)} |`,
        );
      }
    }
    if (lat.rendererSkipped) rows.push(`| latency -> renderer | skipped | ${lat.rendererSkipped} |`);
  } else if (lat) rows.push(`| latency | skipped | ${lat.skipped} |`);
  if (r.soak) {
    const s = r.soak;
    rows.push(`| memory over ${n(s.trades)} trades | RSS ${s.before.rssMb} -> peak ${s.peak.rssMb} -> end ${s.after.rssMb} MB; heap ${s.before.heapMb} -> peak ${s.peak.heapMb} -> end ${s.after.heapMb} MB | ${n(s.tradesPerSec)} trades/s, lost ${s.lost}${s.incomplete ? `; INCOMPLETE: ${s.incomplete}` : ''} |`);
  }
  if (r.burst) {
    const b = r.burst;
    rows.push(`| 10x burst (20k -> 200k msgs/s) + slow subscriber | RSS peak ${b.peak.rssMb} MB (from ${b.before.rssMb}), heap peak ${b.peak.heapMb} MB; ingest high-water ${n(b.ingestHighWater)}/${n(b.ingestCapacity)} | lost ${b.lost} of ${n(b.trades)}; ${b.incomplete ? `INCOMPLETE: ${b.incomplete}; ` : ''}slow subscriber: ${b.slowBatches} batches, ${n(b.slowConflated)} conflated, ${n(b.slowTradesOmitted)} trades omitted (counted), bars dropped ${b.barsDropped}, largest batch ${b.slowLargestBatchKb} KB |`);
  }
  for (const [name, ren] of [['renderer', r.renderer], ['renderer-depth', r.rendererDepth]] as const) {
    const what = name === 'renderer' ? 'tape + health' : 'heatmap on chart 1 + ladder + books at 10 Hz';
    if (ren && 'frameMs' in ren) {
      rows.push(`| ${name}: ${ren.charts} charts + ${what}, simulator 50k trades/s, ${ren.seconds} s | frame time p50 ${ms(ren.frameMs.p50)}, **p95 ${ms(ren.frameMs.p95)}**, p99 ${ms(ren.frameMs.p99)}; long tasks ${ren.longTasks} (${ren.longTaskMs} ms) | ${ren.frames} frames; budget p95 <= 16.7 ms |`);
      rows.push(`| ${name}: frame work (chart draws + style/layout/paint), first vs last 3 s | p50 ${ms(ren.workStartMs.p50)} -> ${ms(ren.workEndMs.p50)}, p95 ${ms(ren.workStartMs.p95)} -> ${ms(ren.workEndMs.p95)} | must not grow; ${ren.buildNote} |`);
      if (ren.depth) rows.push(...rendererDepthRows(ren.depth));
    } else if (ren) rows.push(`| ${name} | skipped | ${ren.skipped} |`);
  }
  if (r.depth) rows.push(...depthRows(r.depth, r.rounds));
  if (r.nats) rows.push(...natsRows(r.nats));
  return rows.join('\n');
}

function natsRows(x: NatsResult | { skipped: string }): string[] {
  if ('skipped' in x) return [`| shared ingest node (NATS) | skipped | ${x.skipped} |`];
  const last = x.rounds.at(-1);
  const d = x.tradesPerSec.direct;
  const v = x.tradesPerSec.nats;
  const c = x.catchUp;
  return [
    `| Binance replay direct (pipeline) | ${d ? `${withRange(d)} trades/s` : '-'} | median (min-max) of ${x.rounds.length} rounds |`,
    `| Binance replay via NATS (node -> JetStream -> desktop) | ${v ? `${withRange(v)} trades/s = **${ratioText(x.ratio, 'direct')}**` : '-'} | target >= 0.5; batch ${last?.batchSize ?? '-'} records/msg, e2e p50 ${ms(last?.e2eP50Ms)}, p99 ${ms(last?.e2eP99Ms)} (last round; at full speed), lost ${x.rounds.reduce((a, r) => a + r.lost, 0)} |`,
    c && 'skipped' in c
      ? `| NATS catch-up | failed | ${c.skipped} |`
      : c
        ? `| NATS catch-up after a ${c.outageSec} s outage | ${n(c.backlogTrades)} trades in ${n(c.catchUpMs)} ms = **${n(c.tradesPerSec)} trades/s** | ${c.shortened ? `outage shortened from 60 s (--nats-outage)` : '2,000 trades/s published meanwhile'} |`
        : `| NATS catch-up | - | not run |`,
  ];
}
