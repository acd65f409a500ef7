/**
 * `npm run bench [-- --quick] [-- --only throughput,latency,memory,renderer,depth,nats] [-- --rounds N] [-- --nats-outage S]
 *   [-- --sides ceiling,pipeline,headless,webHost,ccxt,asyncio] [-- --sink null|file|pipe]`
 *
 * Measures (never asserts) Tickscope's ingest pipeline against the most a client on this machine
 * can do (a bare `ws` client that only JSON.parses), against two peers (ccxt's watchTrades and an
 * asyncio pipeline in Python; `npm run bench:setup` installs them), its latency at fixed rates to
 * the publisher and into Chromium, its memory over millions of trades and under a 10x burst, and
 * the real UI's frame times. Every comparison runs side by side in the same run. Prints a table
 * and writes bench/results/latest.json (with the machine it ran on).
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ccxtAvailable, pythonAvailable } from './clients/peers';
import { ReplayProcess } from './replay/replay-process';
import { machineLine, markdown, type Results } from './report';
import type { DepthResult } from './sections/depth';
import type { LatencyResult } from './sections/latency';
import type { BurstRun, MemoryRun } from './sections/memory';
import { rendererMissing, rendererSection } from './sections/renderer';
import { depthTiming } from './sections/renderer-depth';
import { throughputSection, type Side } from './sections/throughput';
import { natsMissing, natsSection } from './sections/nats';

const SECTIONS = ['throughput', 'latency', 'memory', 'renderer', 'renderer-depth', 'depth', 'nats'] as const;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    rounds: { type: 'string' },
    sides: { type: 'string' },
    sink: { type: 'string', default: 'null' },
    'nats-outage': { type: 'string' },
  },
});
const quick = values.quick === true;
const only = new Set((values.only ?? SECTIONS.join(',')).split(',').map((s) => s.trim()));
for (const s of only) {
  if (!(SECTIONS as readonly string[]).includes(s)) {
    process.stderr.write(`bench: --only: unknown section "${s}" (${SECTIONS.join(', ')})\n`);
    process.exit(2);
  }
}
/** Full runs: 5 rounds, the least that gives a median and a spread worth printing. */
const FULL_ROUNDS = 5;
const rounds = values.rounds ? Math.max(1, Math.floor(Number(values.rounds)) || 1) : quick ? 2 : FULL_ROUNDS;
const SIDES = ['ceiling', 'pipeline', 'headless', 'webHost', 'ccxt', 'asyncio'] as const;
const sides = values.sides?.split(',').map((x) => x.trim()) as Side[] | undefined;
for (const x of sides ?? []) {
  if (!(SIDES as readonly string[]).includes(x)) {
    process.stderr.write(`bench: --sides: unknown side "${x}" (${SIDES.join(', ')})\n`);
    process.exit(2);
  }
}
if (values.sink !== 'null' && values.sink !== 'file' && values.sink !== 'pipe') {
  process.stderr.write(`bench: --sink: "${values.sink}" is not null, file or pipe\n`);
  process.exit(2);
}
const sink = values.sink;
const log = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();

/**
 * Sections 4, 5 and 7 run in a fresh process each (section-main.ts), so that latency tails, GC
 * pauses, RSS and heap are the pipeline's alone, not those of ccxt or earlier sections here.
 */
function sectionInOwnProcess<T>(section: 'memory' | 'latency' | 'depth', quick: boolean): Promise<T> {
  const entry = fileURLToPath(new URL('./section-main.ts', import.meta.url));
  // The same young-generation size as the app's core (npm run serve/headless, Electron js-flags).
  const args = ['--expose-gc', '--max-semi-space-size=64', '--import', 'tsx', entry, section, '--rounds', String(rounds), ...(quick ? ['--quick'] : [])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${section} section failed: ${stderr || err.message}`));
      const lines = stdout.trimEnd().split('\n');
      for (const l of lines.slice(0, -1)) log(l);
      resolve(JSON.parse(lines[lines.length - 1]!) as T);
    });
  });
}

const cpu = cpus();
const results: Results = {
  mode: quick ? 'quick' : 'full',
  rounds,
  machine: {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    loadAvgStart: loadavg(),
  },
  throughput: [],
  notes: [],
};
log(`Tickscope bench (${results.mode}) on ${machineLine(results.machine)}`);
log(`${rounds} round(s) per comparison${rounds < FULL_ROUNDS ? ` (fewer than the ${FULL_ROUNDS} of a full run: medians and ranges of ${rounds} say little)` : ''}`);

const ccxtWhy = await ccxtAvailable();
const pyWhy = await pythonAvailable();
if (ccxtWhy) log(`peer ccxt: SKIPPED: ${ccxtWhy}`);
if (pyWhy) log(`peer asyncio (Python): SKIPPED: ${pyWhy}`);

const replay = await ReplayProcess.start();
try {
  if (only.has('throughput')) {
    log(`\n1-3. throughput: (a) ceiling, (b) pipeline, (c) headless runner, (d) web host, peers; same replay, interleaved (NDJSON of (c) to ${sink === 'null' ? '/dev/null' : sink === 'file' ? 'a tmpfs file' : 'a pipe read by the bench'})`);
    for (const venue of ['binance', 'bybit'] as const) {
      const v = await throughputSection(replay, venue, { quick, rounds, log, sink, ...(sides ? { sides } : {}) });
      results.throughput.push(v);
    }
  }
  if (only.has('latency')) {
    log('\n4. latency at 1k, 10k, 100k msgs/s (exchange time -> publisher flush -> Chromium)');
    results.latency = await sectionInOwnProcess<LatencyResult>('latency', quick);
  }
  if (only.has('memory')) {
    log(`\n5. memory: ${quick ? '1M' : '10M'} trades, then a 10x burst with a slow subscriber`);
    const mem = await sectionInOwnProcess<{ soak: MemoryRun; burst: BurstRun }>('memory', quick);
    results.soak = mem.soak;
    results.burst = mem.burst;
  }
  if (only.has('renderer')) {
    log(`\n6. renderer: the real UI in Chromium at 50k trades/s for ${quick ? 10 : 60} s`);
    const why = rendererMissing();
    results.renderer = why ? { skipped: why } : await rendererSection(quick);
  }
  if (only.has('renderer-depth')) {
    log(`\n6b. renderer-depth: 4 charts, chart 1's depth heatmap and the ladder, simulator books at full rate, for ${depthTiming(quick).seconds} s`);
    const why = rendererMissing();
    results.rendererDepth = why ? { skipped: why } : await rendererSection(quick, true);
  }
  if (only.has('depth')) {
    log(`\n7. depth: Binance depth@100ms-shaped and Bybit orderbook.50 20-level diffs, (a) ceiling vs (b) pipeline with the book, interleaved; book cost and heap over ${quick ? '2M' : '10M'} level updates`);
    results.depth = await sectionInOwnProcess<DepthResult>('depth', quick);
  }
  if (only.has('nats')) {
    const outageSec = values['nats-outage'] ? Math.max(1, Number(values['nats-outage']) || 60) : quick ? 10 : 60;
    log(`\n8. shared ingest node: Binance replay direct vs publisher -> NATS JetStream -> desktop, interleaved; catch-up after a ${outageSec} s outage`);
    const why = natsMissing();
    results.nats = why ? { skipped: why } : await natsSection(replay, { quick, rounds, outageSec, log });
  }
} finally {
  replay.stop();
}
for (const line of replay.log) results.notes.push(line);
results.machine.loadAvgEnd = loadavg();

const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
log(`\n${markdown(results)}\n`);
log(`Machine: ${machineLine(results.machine)}; load average at end ${results.machine.loadAvgEnd.map((x) => x.toFixed(1)).join(' ')}`);
log(`Written bench/results/latest.json in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(0);
