/**
 * `node --cpu-prof --cpu-prof-dir=bench/results --import tsx bench/profile.ts [binance|bybit] [frames]`:
 * the pipeline alone on the replay, for a CPU profile of the process being measured (the replay
 * runs in its own process and is not in the profile). Prints the top functions by self time.
 */
import { runPipeline } from './clients/pipeline';
import { ReplayProcess } from './replay/replay-process';
import type { Scenario } from './replay/scenario';

const venue = (process.argv[2] ?? 'binance') as 'binance' | 'bybit';
const frames = Number(process.argv[3] ?? (venue === 'binance' ? 1_000_000 : 50_000));
const scenario: Scenario = { venue, native: 'BTCUSDT', tradesPerFrame: venue === 'binance' ? 1 : 20, phases: [{ kind: 'max', frames }] };
const replay = await ReplayProcess.start();
const r = await runPipeline(replay, { scenario });
process.stdout.write(`${venue}: ${r.tradesPerSec} trades/s, lost ${r.lost}\n`);
replay.stop();
