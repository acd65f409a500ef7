/**
 * Fuzz of CoreApi (electron/core/api/core-api.ts) as the app runs it: a real core (settings in a
 * temp data dir, the pipeline on the built-in simulator), a fake transport attached with
 * connect(), and random, mutated and hostile messages through receive(). Every message gets
 * exactly one reply with an integer id, every message the core sends can be serialised for the
 * wire, receive() never rejects, and afterwards the pipeline still runs: a new feed's trades
 * reach the UI.
 *
 * No network: every exchange a message names is turned into the simulator, every URL into a
 * closed loopback port, before it is sent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoreApp, type CoreApp } from '../../../electron/core/app';
import type { ApiSession } from '../../../electron/core/api/core-api';
import { listAdapters } from '../../../electron/core/adapters/index';
import type { ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { argsFor, cloneValue, COMMAND_NAMES, deepOptions } from './command-args';
import { runs } from './fuzz-kit';
import { waitFor } from '../../helpers/wait-for';

/** Venues that would open connections to the internet (every registered one but these two). */
const ONLINE_VENUES = new Set(listAdapters().map((a) => a.id).filter((id) => id !== 'simulator' && id !== 'replay'));

/** Points everything a message could reach at this machine (see the file comment). */
function offline(v: unknown, depth = 0): unknown {
  if (depth > 64 || v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((x) => offline(x, depth + 1));
  if (v instanceof Map || v instanceof Set || v instanceof Date) return v;
  const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'exchange' && typeof x === 'string' && ONLINE_VENUES.has(x)) out[k] = 'simulator';
    else if (k === 'url' && typeof x === 'string') out[k] = 'ws://127.0.0.1:9/closed';
    else if (k === 'restUrl' && typeof x === 'string') out[k] = 'http://127.0.0.1:9/closed';
    else out[k] = offline(x, depth + 1);
  }
  return out;
}

/** A command message: mostly well-formed envelopes around fuzzed arguments, some broken ones. */
const command: fc.Arbitrary<unknown> = fc.constantFrom(...COMMAND_NAMES).chain((name) =>
  fc.record(
    {
      type: fc.oneof({ weight: 9, arbitrary: fc.constant('command') }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
      id: fc.oneof({ weight: 8, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.integer() }, { weight: 1, arbitrary: fc.oneof(fc.double(), fc.string(), fc.constant(null)) }),
      name: fc.oneof({ weight: 9, arbitrary: fc.constant(name as string) }, { weight: 1, arbitrary: fc.constantFrom('bogus', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '') }),
      args: argsFor(name),
    },
    { requiredKeys: ['type', 'id', 'name'] },
  ),
);

/** Anything a transport could deliver: a command, any JSON or clone value, or JSON text. */
const message: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: command.map((m) => offline(m)) },
  { weight: 2, arbitrary: command.map((m) => safeStringify(offline(m))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: cloneValue },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return '{"type":"command","id":1,"name":"listFeeds"}';
  }
}

/** The reply id the core must use: the message's own non-negative integer id, else -1. */
function expectedIds(raw: unknown): number[] {
  let v = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      return [-1];
    }
  }
  const id = v !== null && typeof v === 'object' ? (v as { id?: unknown }).id : undefined;
  const own = typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : -1;
  // Text the core refuses before it can read the id (size or depth) is answered with -1.
  return typeof raw === 'string' ? [own, -1] : [own];
}

let dataDir: string;
let app: CoreApp;
let session: ApiSession;
const sent: ServerMessage[] = [];
const unserialisable: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tickscope-fuzz-api-'));
  app = await startCoreApp({ dataDir });
  session = app.api.connect({
    send: (m) => {
      // What the web host does with every message; a value it cannot serialise would be lost.
      try {
        JSON.stringify(m);
      } catch (e) {
        unserialisable.push(`${m.type}: ${(e as Error).message}`);
      }
      sent.push(m);
    },
    ready: () => true,
  });
});

afterAll(async () => {
  session?.close();
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const replies = () => sent.filter((m): m is ReplyMessage => m.type === 'reply');

async function send(raw: unknown): Promise<ReplyMessage> {
  const before = replies().length;
  await expect(session.receive(raw)).resolves.toBeUndefined();
  const got = replies().slice(before);
  expect(got, `replies to ${safeStringify(raw).slice(0, 300)}`).toHaveLength(1);
  return got[0]!;
}

describe('CoreApi under fuzz', () => {
  it('answers every message once, with an integer id, and never rejects', async () => {
    expect(sent[0]?.type).toBe('hello');
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 4 }), async (msgs) => {
        for (const raw of msgs) {
          const reply = await send(raw);
          expect(Number.isInteger(reply.id)).toBe(true);
          expect(expectedIds(raw)).toContain(reply.id);
          if (!reply.ok) expect(typeof reply.error).toBe('string');
        }
      }),
      runs(9500, 60),
    );
    expect(unserialisable).toEqual([]);
  });

  it('refuses deeply nested options (the issue 9 defect) and still lists feeds and greets a new UI', async () => {
    for (const depth of [40, 10_000]) {
      const reply = await send({ type: 'command', id: 7, name: 'addFeed', args: deepOptions(depth) });
      expect(reply).toMatchObject({ id: 7, ok: false });
      expect(reply.ok ? '' : reply.error).not.toMatch(/call stack/i);
    }
    expect(await send({ type: 'command', id: 8, name: 'listFeeds' })).toMatchObject({ id: 8, ok: true });
    const second: ServerMessage[] = [];
    const other = app.api.connect({ send: (m) => second.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
    other.close();
    expect(second[0]?.type).toBe('hello');
  });

  it('keeps the pipeline running: a feed added after the fuzz delivers trades to the UI', async () => {
    const reply = await send({
      type: 'command', id: 9, name: 'addFeed',
      args: { id: 'fuzz-canary', exchange: 'simulator', symbols: ['XRP-USDT'], channels: ['trades'], options: { rate: 200, bursts: false } },
    });
    expect(reply).toMatchObject({ id: 9, ok: true });
    await waitFor(
      () => sent.some((m) => m.type === 'batch' && m.trades.some((t) => t.exchange === 'simulator' && t.symbol === 'XRP-USDT')),
      'a trade from the canary feed',
    );
    const health = await send({ type: 'command', id: 10, name: 'getHealth' });
    expect(health).toMatchObject({ id: 10, ok: true });
  });
});
