/**
 * Shared pieces of the fuzz suite (test/unit/fuzz): run settings, the frame fixtures, and
 * fast-check arbitraries that mutate a real frame the ways a broken or hostile venue would.
 *
 * Every property runs with a fixed seed, so a failure reproduces as is. To explore further
 * locally: FUZZ_RUNS_FACTOR=50 multiplies every numRuns, FUZZ_SEED=<n> replaces the seeds.
 * A counterexample found that way is kept as a plain regression test (regressions.test.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const FACTOR = Number(process.env.FUZZ_RUNS_FACTOR ?? '1') || 1;
const SEED = process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED);

/** fast-check parameters: a fixed seed (or FUZZ_SEED), numRuns scaled by FUZZ_RUNS_FACTOR. */
export function runs(seed: number, numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED ?? seed, numRuns: Math.max(1, Math.round(numRuns * FACTOR)), endOnFailure: false };
}

/** The frames of test/fixtures/<venue>/frames.jsonl, one per line (see README.md beside it). */
export function fixtureFrames(venue: string): string[] {
  const file = fileURLToPath(new URL(`../../fixtures/${venue}/frames.jsonl`, import.meta.url));
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

// ---- values a mutation writes into a frame -------------------------------------------------------

/** Text that reads as a number to Number() or JSON but is out of range, negative, odd or huge. */
const NUMERIC_TEXT = ['1e400', '-1e400', '1e-400', '0', '-0', '00', '-1', '1.', '.5', '1e3', '9007199254740993', '9'.repeat(400), `0.${'0'.repeat(400)}1`, 'NaN', 'Infinity', '0x1A', ' 1', ''];

/** Strings venues use as sides, symbols, times and ids, plus hostile ones. */
const STRINGS = [
  ...NUMERIC_TEXT, 'Buy', 'Sell', 'buy', 'sell', 'BUY', 'SELL', 'BTC-USDT', 'BTCUSDT', 'btcusdt', 'tBTCUSD', 'BTC/USD', 'BTC-USD-SWAP',
  '2024-05-27T12:33:10.826003Z', '2024-13-45T99:99:99Z', 'snapshot', 'update', 'delta', 'trade', 'data', 'error', 'subscribe',
  'toString', '__proto__', 'constructor', '\u0000', '\ud83d', 'é',
];

/** A JSON value as text, most of them hostile: out-of-range numbers, deep nesting, objects that cannot be stringified. */
export const poisonJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NUMERIC_TEXT.filter((t) => /^-?\d/.test(t))),
  fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s)),
  fc.constantFrom('null', 'true', 'false', '[]', '{}', '[null]', '{"toString":1}', '{"valueOf":{}}', '[{"toString":null}]', '{"__proto__":{"x":1}}'),
  // Deep enough that recursive code (JSON.stringify, String() of an array) overflows the stack.
  fc.constantFrom(10, 100, 10_000).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.constantFrom(10_000).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.double().map((d) => (Object.is(d, -0) ? '-0' : String(d))),
  fc.integer().map(String),
);

/** A few characters spliced into the raw text: JSON structure, escapes, controls, lone surrogates. */
const spliceText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\u0000', '\ud83d', '\\u0000', '\\"', 'e', '-', '.', '0'),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

// ---- mutations ------------------------------------------------------------------------------------

export type Mutation =
  /** Replace the n-th JSON node (pre-order) with raw text. */
  | { op: 'replace'; at: number; raw: string }
  /** Delete the n-th JSON node from its object or array. */
  | { op: 'delete'; at: number }
  /** Put a key of the n-th node (an object) first, again, with another value (JSON.parse keeps the last). */
  | { op: 'duplicate'; at: number; raw: string }
  /** Replace the n-th digit run of the raw text. */
  | { op: 'number'; at: number; raw: string }
  /** Delete `del` characters at a position and insert `text`. */
  | { op: 'splice'; at: number; del: number; text: string }
  | { op: 'truncate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), raw: poisonJson }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), raw: poisonJson }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('number' as const), at: fc.nat(), raw: fc.constantFrom(...NUMERIC_TEXT) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('splice' as const), at: fc.nat(), del: fc.nat({ max: 3 }), text: spliceText }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

function paths(v: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...path, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k]!, [...path, k], out);
  return out;
}

function get(root: Json, path: Path): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string | number, Json>)[k]!;
  return v;
}

/** A marker no frame contains, stringified in place of a node and then replaced by raw text. */
const MARK = '\u0001fuzz-mark\u0001';
const MARK_TEXT = JSON.stringify(MARK);

/** root with the node at path replaced by raw text. */
function withRaw(root: Json, path: Path, raw: string): string {
  if (path.length === 0) return raw;
  const copy = structuredClone(root);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1]!] = MARK;
  return JSON.stringify(copy).replace(MARK_TEXT, () => raw);
}

function withoutNode(root: Json, path: Path): string {
  if (path.length === 0) return '';
  const copy = structuredClone(root);
  const parent = get(copy, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<string, Json>)[key];
  return JSON.stringify(copy);
}

/** Deepest bracket nesting in the text (brackets inside strings counted too: an upper bound). */
function nesting(frame: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < frame.length; i++) {
    const c = frame.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

function spliceAt(frame: string, at: number, del: number, text: string): string {
  const i = at % (frame.length + 1);
  return frame.slice(0, i) + text + frame.slice(i + del);
}

/** Applies one mutation; JSON-level ones fall back to a text splice on a frame that is not JSON. */
export function mutate(frame: string, m: Mutation): string {
  switch (m.op) {
    case 'number': {
      const runs = [...frame.matchAll(/\d+/g)];
      if (runs.length === 0) return spliceAt(frame, m.at, 0, m.raw);
      const r = runs[m.at % runs.length]!;
      return frame.slice(0, r.index) + m.raw + frame.slice(r.index + r[0].length);
    }
    case 'splice':
      return spliceAt(frame, m.at, m.del, m.text);
    case 'truncate':
      return frame.slice(0, m.at % (frame.length + 1));
    default:
      break;
  }
  let root: Json;
  try {
    // A frame an earlier mutation nested deeply is changed as text: walking it would be slow.
    if (nesting(frame) > 100) throw new Error('deep');
    root = JSON.parse(frame) as Json;
  } catch {
    return spliceAt(frame, m.at, 0, m.op === 'delete' ? '' : m.raw);
  }
  const all = paths(root);
  const path = all[m.at % all.length]!;
  if (m.op === 'replace') return withRaw(root, path, m.raw);
  if (m.op === 'delete') return withoutNode(root, path);
  const node = get(root, path);
  if (node === null || typeof node !== 'object' || Array.isArray(node) || Object.keys(node).length === 0) return withRaw(root, path, m.raw);
  const keys = Object.keys(node);
  const key = keys[m.at % keys.length]!;
  return withRaw(root, path, `{${JSON.stringify(key)}:${m.raw},${JSON.stringify(node).slice(1)}`);
}

/** One of `frames`, with zero to three mutations applied in turn. */
export function mutatedFrame(frames: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: frames.length - 1 }), fc.array(mutation, { maxLength: 3 }))
    .map(([i, ms]) => ms.reduce(mutate, frames[i]!));
}

/** Random input that is not derived from a frame: any text, and any JSON value. */
export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
);

/** Every object key that appears in `frames` (so random objects speak the venue's vocabulary). */
export function keysOf(frames: readonly string[]): string[] {
  const keys = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (keys.add(k), walk(x));
  };
  for (const f of frames) {
    try {
      walk(JSON.parse(f));
    } catch {
      // a non-JSON fixture line (Kraken's proxy notice) has no keys
    }
  }
  return [...keys];
}

/** Random JSON objects and arrays built from the venue's keys and hostile values. */
export function randomVenueJson(frames: readonly string[]): fc.Arbitrary<string> {
  const keys = [...keysOf(frames), 'type', 'data'];
  const values = [fc.constantFrom(...STRINGS), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)];
  return fc
    .oneof(fc.object({ key: fc.constantFrom(...keys), values, maxDepth: 3 }), fc.array(fc.oneof(...values, fc.object({ key: fc.constantFrom(...keys), values, maxDepth: 2 }))))
    .map((v) => JSON.stringify(v));
}
