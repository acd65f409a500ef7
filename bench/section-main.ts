/**
 * `section-main.ts memory|latency|depth [--quick] [--rounds N]` (rounds: latency's and depth's): one bench section
 * in a process of its own (run.ts starts it with the app's V8 flags, and --expose-gc). Its RSS, heap, GC pauses and event loop
 * are then the pipeline's, as in the app, not the benchmark's: ccxt, the bare ceiling client and
 * the earlier sections' runs live in the parent. Prints one JSON line with the section's result.
 */
import { ReplayProcess } from './replay/replay-process';

const section = process.argv[2];
const quick = process.argv.includes('--quick');
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Math.max(1, Math.floor(Number(process.argv[roundsAt + 1])) || 1) : quick ? 2 : 5;
if (section !== 'memory' && section !== 'latency' && section !== 'depth') {
  process.stderr.write('usage: section-main.ts memory|latency|depth [--quick] [--rounds N]\n');
  process.exit(2);
}
const replay = await ReplayProcess.start();
try {
  // Imported per section: the memory numbers must not carry Playwright and the web host.
  if (section === 'memory') {
    const { burst, soak } = await import('./sections/memory');
    const s = await soak(replay, quick);
    const b = await burst(replay, quick);
    process.stdout.write(`${JSON.stringify({ soak: s, burst: b })}\n`);
  } else if (section === 'depth') {
    const { depthSection } = await import('./sections/depth');
    const log = (line: string) => process.stdout.write(`${line}\n`);
    process.stdout.write(`${JSON.stringify(await depthSection(replay, quick, rounds, log))}\n`);
  } else {
    const { latencySection } = await import('./sections/latency');
    process.stdout.write(`${JSON.stringify(await latencySection(replay, quick, rounds))}\n`);
  }
} finally {
  replay.stop();
}
process.exit(0);
