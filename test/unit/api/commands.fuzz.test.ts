/**
 * Fuzz: random and mutated command messages into the core API (fast-check, fixed seeds).
 * Whatever arrives, receive() resolves, exactly one reply goes back and it serialises, a refusal
 * changes nothing, and the next connection still gets a hello. The settings save always fails
 * here, so no command can apply a change: the feed list must stay exactly as it started.
 *
 * Commands that reach a venue's REST API (searchMarkets, getBars' backfill) are left out: this
 * is about the message layer, and the tests have no network.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';

const RUNS_FACTOR = Number(process.env.FUZZ_RUNS_FACTOR ?? '1') || 1;
const params = (seed: number, numRuns: number) => ({ seed, numRuns: Math.round(numRuns * RUNS_FACTOR) });

let pipeline: Pipeline;
let core: CoreApi;

beforeAll(async () => {
  pipeline = await startPipeline({ feeds: [], dataDir: null, backfill: false, store: false });
  core = new CoreApi(pipeline, {
    timeframes: ['1m'],
    onFeedsChanged: async () => {
      throw new Error('read-only file system');
    },
  });
});

afterAll(async () => {
  await pipeline.stop();
});

/** Valid arguments per command, for mutation. */
const TEMPLATES: Record<string, Record<string, unknown> | undefined> = {
  addFeed: { id: 'fz', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: false, options: { rate: 5, seed: 1 } },
  updateFeed: { id: 'fz', exchange: 'replay', symbols: ['BTC-USDT'], options: { file: 'sim', speed: 'max' } },
  removeFeed: { id: 'fz' },
  setFeedEnabled: { id: 'fz', enabled: true },
  simulatorFault: { feedId: 'fz', mode: 'stall', arg: 10 },
  listFeeds: undefined,
  getHealth: {},
};
const NAMES = Object.keys(TEMPLATES);

/** Values written over a field: JSON of every kind, hostile strings, deep nesting, non-JSON values. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('..', '.', '/etc/passwd', '0.0.0.0', '', '__proto__', 'constructor', 'x'.repeat(70_000), -5, 0, 1e308, -0),
  fc.constantFrom(NaN, Infinity, undefined, 10n, new Date(0), new Map(), () => 1),
  fc.constantFrom(40, 1_000, 50_000).map((d) => {
    let v: unknown = 1;
    for (let i = 0; i < d; i++) v = i % 2 ? { a: v } : [v];
    return v;
  }),
  fc.array(fc.string(), { maxLength: 20 }),
);

/** A valid command with one to three edits: a field replaced, removed, or a key added. */
const mutatedCommand: fc.Arbitrary<unknown> = fc
  .record({
    name: fc.constantFrom(...NAMES),
    edits: fc.array(
      fc.record({ op: fc.constantFrom('set', 'delete', 'add', 'set-option'), key: fc.constantFrom('id', 'exchange', 'symbols', 'options', 'enabled', 'mode', 'feedId', 'arg', 'market', 'channels', 'file', 'rate', 'host', 'x'), value: anyValue }),
      { minLength: 1, maxLength: 3 },
    ),
    id: fc.oneof(fc.nat(1_000_000), fc.constantFrom(-1, 1.5, '7', null)),
  })
  .map(({ name, edits, id }) => {
    const tpl = TEMPLATES[name];
    let args: unknown = tpl === undefined ? undefined : structuredClone(tpl);
    for (const e of edits) {
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        args = e.value;
        continue;
      }
      const a = args as Record<string, unknown>;
      if (e.op === 'delete') delete a[e.key];
      else if (e.op === 'set-option') a.options = { ...(typeof a.options === 'object' && a.options !== null ? a.options : {}), [e.key]: e.value };
      else a[e.key] = e.value;
    }
    return { type: 'command', id, name, args };
  });

/** Anything at all as the message. */
const rawMessage: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string(),
  fc.record({ type: fc.constantFrom('command', 'hello', 'ack'), id: fc.anything(), name: fc.oneof(fc.string(), fc.constantFrom(...NAMES, 'toString', '__proto__', 'constructor')), args: fc.anything() }),
);

async function oneMessage(msg: unknown): Promise<void> {
  const got: ServerMessage[] = [];
  const session = core.connect({ send: (m) => void got.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
  try {
    await expect(session.receive(msg)).resolves.toBeUndefined();
  } finally {
    session.close();
  }
  expect(got[0]?.type).toBe('hello');
  const replies = got.filter((m): m is ReplyMessage => m.type === 'reply');
  expect(replies).toHaveLength(1);
  if (!replies[0]!.ok) expect(typeof replies[0]!.error).toBe('string');
  expect(pipeline.listFeeds()).toEqual([]);
}

describe('core API fuzz', () => {
  it('mutated commands: one serialisable reply, nothing changed, never a throw', async () => {
    const before = core.rejected;
    await fc.assert(fc.asyncProperty(mutatedCommand, oneMessage), params(90_001, 300));
    expect(core.rejected).toBeGreaterThan(before);
  }, 60_000);

  it('arbitrary messages: one serialisable reply, nothing changed, never a throw', async () => {
    await fc.assert(fc.asyncProperty(rawMessage, oneMessage), params(90_002, 300));
  }, 60_000);
});
