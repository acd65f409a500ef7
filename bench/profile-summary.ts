/** `tsx bench/profile-summary.ts FILE.cpuprofile... [N]`: self time per function (and per file), top N. */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }
// The replay server is forked with the same --cpu-prof flag, so a glob names two profiles: take
// the measured process's (the one with samples inside an adapter's parse).
const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.cpuprofile'));
const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
const parses = (p: Profile) => p.nodes.some((n) => n.callFrame.functionName === 'parse' && n.callFrame.url.includes('/adapters/'));
const profiles = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Profile);
const prof = profiles.find(parses) ?? profiles[0];
if (!prof) throw new Error('usage: profile-summary.ts FILE.cpuprofile... [N]');
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
// Only the streaming window: from the first to the last sample inside an adapter's parse() or
// anywhere in a fast path (with the fast paths, parse() itself has almost no self time).
const inParse = (id: number) => {
  const n = byId.get(id)!;
  const url = n.callFrame.url;
  return url.includes('/adapters/') && (n.callFrame.functionName === 'parse' || url.includes('fastpath'));
};
const first = prof.samples.findIndex(inParse);
let last = prof.samples.length - 1;
while (last > 0 && !inParse(prof.samples[last]!)) last--;
const counts = new Map<number, number>();
for (let i = Math.max(0, first); i <= last; i++) counts.set(prof.samples[i]!, (counts.get(prof.samples[i]!) ?? 0) + 1);
let windowUs = 0;
for (let i = Math.max(0, first) + 1; i <= last; i++) windowUs += prof.timeDeltas[i]!;
process.stdout.write(`streaming window: ${(windowUs / 1000).toFixed(0)} ms, ${last - first + 1} samples\n`);
const fn = new Map<string, number>();
const file = new Map<string, number>();
let total = 0;
for (const [id, c] of counts) {
  const n = byId.get(id)!;
  const short = n.callFrame.url.replace(/^.*\/work\/main\//, '').replace(/^file:\/\//, '');
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${short}:${n.callFrame.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + c);
  const f = short || `(${n.callFrame.functionName})`;
  file.set(f, (file.get(f) ?? 0) + c);
  total += c;
}
const show = (m: Map<string, number>, k: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).forEach(([name, c]) => process.stdout.write(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${name}\n`));
process.stdout.write('by function (self time):\n');
show(fn, top);
process.stdout.write('\nby file:\n');
show(file, 15);
