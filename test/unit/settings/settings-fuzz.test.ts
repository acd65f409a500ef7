/**
 * Fuzz: SettingsFile.load on random and mutated file contents never throws, always returns
 * settings that pass the schema (and can be sent to a UI), and says something whenever it did
 * not use the file as it was.
 */
import fc from 'fast-check';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSettings, SETTINGS_VERSION } from '../../../shared/config';
import { SettingsFile } from '../../../electron/core/settings/settings-file';

const VALID = JSON.stringify(
  {
    version: 1,
    feeds: [
      { id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'], options: { rate: 5, seed: 1 } },
      { exchange: 'binance', market: 'perp', symbols: ['btc/usdt'], channels: ['trades', 'quotes'] },
    ],
    timeframes: ['1s', '1m', '1h'],
  },
  null,
  2,
);

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function loadFrom(content: string | Uint8Array) {
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-settings-fuzz-'));
  dirs.push(dir);
  await writeFile(join(dir, 'settings.json'), content);
  const loaded = await new SettingsFile(dir).load();
  return { dir, ...loaded };
}

async function check(content: string | Uint8Array): Promise<void> {
  const { dir, settings, notices } = await loadFrom(content);
  // Valid settings: the schema accepts them again, and they survive the trip to a UI.
  expect(() => parseSettings(JSON.parse(JSON.stringify(settings)))).not.toThrow();
  expect(Array.isArray(notices) && notices.every((n) => typeof n === 'string' && n.length > 0)).toBe(true);
  // A file that was not used as it is was either set aside or left with a notice; never lost.
  const files = await readdir(dir);
  if (notices.length > 0) expect(files.some((f) => f === 'settings.json' || f.startsWith('settings.corrupt-'))).toBe(true);
  else expect(files).toEqual(['settings.json']);
  await rm(dir, { recursive: true, force: true });
}

/** An edit to the valid file: delete a slice, insert text, or overwrite bytes. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', 'null', '99', '"abc"', '-1', '1e999') }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 8 }) }),
);

type Edit = { kind: 'delete' | 'insert' | 'overwrite'; at: number; len?: number; text?: string };

function mutate(text: string, edits: Edit[]): string {
  let s = text;
  for (const e of edits) {
    const at = e.at % (s.length + 1);
    if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + (e.len ?? 1));
    else if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
    else s = s.slice(0, at) + e.text + s.slice(at + (e.text ?? '').length);
  }
  return s;
}

describe('SettingsFile.load fuzz', () => {
  it('random text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), check), { numRuns: 150 });
  });

  it('random bytes (invalid UTF-8 included)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 100 });
  });

  it('random JSON values, and objects shaped like settings', async () => {
    const settingsLike = fc.record(
      {
        version: fc.oneof(fc.integer({ min: -2, max: 200 }), fc.jsonValue()),
        feeds: fc.oneof(fc.jsonValue(), fc.array(fc.dictionary(fc.constantFrom('exchange', 'symbols', 'id', 'market', 'options', 'enabled'), fc.jsonValue()), { maxLength: 3 })),
        timeframes: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), settingsLike), (v) => check(JSON.stringify(v) ?? 'undefined')),
      { numRuns: 200 },
    );
  });

  it('a valid file with random edits', async () => {
    await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => check(mutate(VALID, edits))), { numRuns: 250 });
  });

  it('deep nesting anywhere (feed options included) never reaches a UI', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), async (depth, open, inOptions) => {
        const close = open === '[' ? ']' : '}';
        const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
        await check(
          inOptions
            ? `{"version":1,"feeds":[{"exchange":"simulator","symbols":["BTC-USDT"],"options":{"x":${deep}}}]}`
            : `{"version":1,"feeds":[],"x":${deep}}`,
        );
      }),
      { numRuns: 40, examples: [[100_000, '[', true]] },
    );
  });

  it('a file from a newer version, whatever else it holds, is never moved nor rewritten', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: SETTINGS_VERSION + 1, max: 1_000_000 }), fc.jsonValue(), async (version, rest) => {
        const text = JSON.stringify({ version, feeds: rest, future: rest });
        const { dir, settings, notices } = await loadFrom(text);
        expect(() => parseSettings(settings)).not.toThrow();
        expect(notices[0]).toContain(`newer Tickscope (version ${version})`);
        expect(await readdir(dir)).toEqual(['settings.json']);
        expect(await readFile(join(dir, 'settings.json'), 'utf8')).toBe(text);
        await rm(dir, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
  });
});
