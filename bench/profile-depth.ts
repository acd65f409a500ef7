/**
 * `node --cpu-prof --cpu-prof-dir=bench/results --import tsx bench/profile-depth.ts [binance|bybit] [diffs]`:
 * the depth bench's pipeline side (clients/depth-pipeline.ts) alone, for a CPU profile of the
 * book path (socket, parser, ingest, BookSync, views). Summarise with profile-summary.ts.
 */
import { runDepthPipeline } from './clients/depth-pipeline';
import { ReplayProcess } from './replay/replay-process';

const venue = process.argv[2] === 'bybit' ? 'bybit' : 'binance';
const frames = Number(process.argv[3] ?? 100_000);
const replay = await ReplayProcess.start();
try {
  const r = await runDepthPipeline(replay, { venue, native: 'BTCUSDT', tradesPerFrame: 20, kind: 'depth', phases: [{ kind: 'max', frames: 1 }, { kind: 'gate' }, { kind: 'max', frames }] }, frames);
  console.log(`${venue}: ${r.framesPerSec} diffs/s, CPU ${r.cpuUsPerTrade} us/level, valid ${r.booksValid}, resyncs ${r.resyncs}${r.incomplete ? `, INCOMPLETE ${r.incomplete}` : ''}`);
} finally {
  replay.stop();
}
