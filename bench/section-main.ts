/**
 * Section 5 in a process of its own (run.ts starts it with --expose-gc): its RSS and heap are
 * then the pipeline's, not the benchmark's (ccxt, Playwright and earlier runs live elsewhere).
 * Prints one JSON line: { soak, burst }.
 */
import { ReplayProcess } from './replay/replay-process';
import { burst, soak } from './sections/memory';

const quick = process.argv.includes('--quick');
const replay = await ReplayProcess.start();
try {
  const s = await soak(replay, quick);
  const b = await burst(replay, quick);
  process.stdout.write(`${JSON.stringify({ soak: s, burst: b })}\n`);
} finally {
  replay.stop();
}
process.exit(0);
