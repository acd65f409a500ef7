/**
 * A desktop for the bench's NATS section, in its own process as on a trader's machine: a Pipeline
 * with one `nats` feed. Parent -> child: nothing (argv: url, durable, stream, subject prefix,
 * expected trades). Child -> parent: `ready` once the feed runs, then `done` with the count, the
 * first and last trade's receive times, the CPU it used (ms) and every 16th trade's (id, time), epoch ms with
 * sub-ms resolution (performance.timeOrigin + now), so the parent can match its tap times.
 */
import { parseFeedConfig } from '../../shared/config';
import { Pipeline } from '../../electron/core/pipeline/pipeline';

const [url, durable, stream, subjectPrefix, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
const now = (): number => performance.timeOrigin + performance.now();
const p = new Pipeline({
  feeds: [parseFeedConfig({ id: 'desk', exchange: 'nats', url, symbols: ['BTC-USDT'], options: { sources: ['binance:spot'], durable, stream, subjectPrefix } })],
  dataDir: null,
  backfill: false,
});
let count = 0;
let first = 0;
let last = 0;
const samples: [string, number][] = [];
p.onRecord((r) => {
  if (r.type !== 'trade') return;
  const t = now();
  if (count === 0) first = t;
  last = t;
  if ((count & 15) === 0) samples.push([r.id ?? '', t]);
  count++;
  if (count === expected) finish();
});
let finished = false;
function finish(): void {
  if (finished) return;
  finished = true;
  const u = process.cpuUsage(cpu0);
  const cpuMs = (u.user + u.system) / 1000;
  void p.stop().then(() => process.send!({ type: 'done', count, first, last, samples, cpuMs }, () => process.exit(0)));
}
process.on('message', (m) => {
  if ((m as { type: string }).type === 'stop') finish();
});
await p.start();
const cpu0 = process.cpuUsage();
process.send!({ type: 'ready' });
