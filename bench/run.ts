// temporary smoke driver; replaced below
import { ReplayProcess } from './replay/replay-process';
import { runCeiling } from './clients/ceiling';
import { runPipeline } from './clients/pipeline';
import type { Scenario } from './replay/scenario';

const replay = await ReplayProcess.start();
const n = Number(process.argv[2] ?? 200_000);
const bn: Scenario = { venue: 'binance', native: 'BTCUSDT', tradesPerFrame: 1, phases: [{ kind: 'max', frames: n }] };
console.log('encode rate', await replay.encodeRate(bn));
for (let i = 0; i < 2; i++) {
  const { done } = await replay.arm(bn);
  const c = await runCeiling(replay.wsUrl(), 'binance', 'BTCUSDT', n);
  console.log('ceiling', c, (await done).ms);
  await replay.dropClients();
  const p = await runPipeline(replay, { scenario: bn });
  console.log('pipeline', { ...p, replay: undefined });
}
replay.stop();
console.log(replay.log);
