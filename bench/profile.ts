/**
 * CPU profiles of the process being measured (the replay runs in its own process):
 *
 *   node --cpu-prof --cpu-prof-dir=bench/results --import tsx bench/profile.ts [binance|bybit] [frames]
 *       the pipeline alone (section (b)), in this process;
 *   npx tsx bench/profile.ts headless|web-host [binance|bybit] [frames]
 *       the headless runner (c) or the web host (d), each a child started as the bench starts it,
 *       with --cpu-prof into bench/results/<mode>-<venue>/ (printed at the end).
 *
 * Then: npx tsx bench/profile-summary.ts <dir>/CPU.*.cpuprofile 30
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runHeadless } from './clients/headless';
import { runPipeline } from './clients/pipeline';
import { runWebHost } from './clients/web-host';
import { ReplayProcess } from './replay/replay-process';
import type { Scenario } from './replay/scenario';

const args = process.argv.slice(2);
const mode = args[0] === 'headless' || args[0] === 'web-host' ? args.shift()! : 'pipeline';
const venue = (args[0] ?? 'binance') as 'binance' | 'bybit';
const frames = Number(args[1] ?? (venue === 'binance' ? 1_000_000 : 50_000));
const scenario: Scenario = { venue, native: 'BTCUSDT', tradesPerFrame: venue === 'binance' ? 1 : 20, phases: [{ kind: 'max', frames }] };
const replay = await ReplayProcess.start();
try {
  if (mode === 'pipeline') {
    const r = await runPipeline(replay, { scenario });
    process.stdout.write(`${venue} pipeline: ${r.tradesPerSec} trades/s, lost ${r.lost}\n`);
  } else {
    const dir = fileURLToPath(new URL(`./results/${mode}-${venue}/`, import.meta.url));
    mkdirSync(dir, { recursive: true });
    const nodeFlags = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    const r = mode === 'headless' ? await runHeadless(replay, scenario, { nodeFlags, stdout: 'null' }) : await runWebHost(replay, scenario, { nodeFlags });
    process.stdout.write(`${venue} ${mode}: ${r.tradesPerSec} trades/s, lost ${r.lost}${r.incomplete ? `; ${r.incomplete}` : ''}\nprofile in ${dir}\n`);
  }
} finally {
  replay.stop();
}
process.exit(0);
