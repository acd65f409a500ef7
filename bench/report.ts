/** Turns the results into the README table (markdown) and the machine line. */
import type { LatencyResult } from './sections/latency';
import type { BurstRun, MemoryRun } from './sections/memory';
import type { RendererResult } from './sections/renderer';
import type { VenueResult } from './sections/throughput';

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
  machine: Machine;
  throughput: VenueResult[];
  latency?: LatencyResult | { skipped: string };
  soak?: MemoryRun;
  burst?: BurstRun;
  renderer?: RendererResult | { skipped: string };
  notes: string[];
}

const n = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : Math.round(x).toLocaleString('en-US'));
const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(1)} ms`);

export function machineLine(m: Machine): string {
  return `${m.cpus} x ${m.cpuModel}, ${m.memGb} GB RAM, ${m.platform}, Node ${m.node}, ${m.date} (load average at start ${m.loadAvgStart.map((x) => x.toFixed(1)).join(' ')}; shared machine)`;
}

export function markdown(r: Results): string {
  const rows: string[] = ['| benchmark | result | target / note |', '|---|---|---|'];
  for (const v of r.throughput) {
    const unit = v.tradesPerFrame === 1 ? 'msgs/s' : `trades/s (${v.tradesPerFrame} per msg)`;
    const t = v.medianTradesPerSec;
    rows.push(`| ${v.venue} ceiling (bare ws + JSON.parse) | ${n(t.ceiling)} ${unit} | replay of ${n(v.frames)} msgs, median of ${v.rounds.ceiling?.length ?? 0} |`);
    rows.push(`| ${v.venue} pipeline (all 7 timeframes, 1 subscriber) | ${n(t.pipeline)} trades/s = **${v.ratios['pipeline/ceiling'] ?? '-'}x ceiling** | target >= 0.8; lost ${v.lost}, feed errors ${v.feedErrors} |`);
    if (t.ccxt !== undefined) rows.push(`| ${v.venue} ccxt watchTrades | ${n(t.ccxt)} trades/s = ${v.ratios['ccxt/ceiling']}x ceiling | Tickscope = ${v.ratios['pipeline/ccxt']}x ccxt |`);
    else if (v.skipped.ccxt) rows.push(`| ${v.venue} ccxt watchTrades | skipped | ${v.skipped.ccxt} |`);
    if (t.asyncio !== undefined) rows.push(`| ${v.venue} asyncio pipeline (Python) | ${n(t.asyncio)} trades/s = ${v.ratios['asyncio/ceiling']}x ceiling | Tickscope = ${v.ratios['pipeline/asyncio']}x asyncio |`);
    else if (v.skipped.asyncio) rows.push(`| ${v.venue} asyncio pipeline (Python) | skipped | ${v.skipped.asyncio} |`);
  }
  const lat = r.latency;
  if (lat && 'steps' in lat) {
    for (const s of lat.steps) {
      rows.push(`| latency @ ${n(s.ratePerSec)} msgs/s: exchange time -> publisher flush | p50 ${ms(s.flush.p50)}, p99 ${ms(s.flush.p99)}, max ${ms(s.flush.max)} | every trade (${n(s.flush.n)}); target p99 <= 43 ms at 100k/s |`);
      if (s.renderer) {
        rows.push(`| latency @ ${n(s.ratePerSec)} msgs/s: -> receipt in Chromium | p50 ${ms(s.renderer.p50)}, p99 ${ms(s.renderer.p99)}, max ${ms(s.renderer.max)} | ${n(s.rendererTrades)} trades the batches carried (newest 500 per batch); web host transport p99 ${ms(s.transport?.p99)} |`);
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
  const ren = r.renderer;
  if (ren && 'frameMs' in ren) {
    rows.push(`| renderer: ${ren.charts} charts + tape + health, simulator 50k trades/s, ${ren.seconds} s | frame time p50 ${ms(ren.frameMs.p50)}, p95 ${ms(ren.frameMs.p95)}; long tasks ${ren.longTasks} (${ren.longTaskMs} ms) | ${ren.frames} frames |`);
    rows.push(`| renderer: frame work (chart draws + style/layout/paint), first vs last 3 s | p50 ${ms(ren.workStartMs.p50)} -> ${ms(ren.workEndMs.p50)}, p95 ${ms(ren.workStartMs.p95)} -> ${ms(ren.workEndMs.p95)} | must not grow; ${ren.buildNote} |`);
  } else if (ren) rows.push(`| renderer | skipped | ${ren.skipped} |`);
  return rows.join('\n');
}
