/**
 * The core API against hostile and careless input: a real pipeline, real simulator feeds, real
 * files in temp dirs, and a transport that serialises with JSON.stringify as the web host does.
 * Each case checks what a user would notice: one clear reply naming the field, the count of
 * rejected messages, and nothing else changed (feed list, running feeds, settings file).
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { HelloMessage, ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi, type ApiSession, type CoreApiOptions } from '../../../electron/core/api/core-api';
import { startCoreApp, type CoreApp } from '../../../electron/core/app';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pipelineWith(feeds: FeedConfig[] = [], dataDir: string | null = null): Promise<Pipeline> {
  const p = await startPipeline({ feeds, dataDir, backfill: false, store: false });
  cleanups.push(() => p.stop());
  return p;
}

/** A connection whose send() does what the web host's does: JSON.stringify, which throws on what JSON cannot hold. */
function jsonClient(api: CoreApi) {
  const got: ServerMessage[] = [];
  const session: ApiSession = api.connect({ send: (m) => void got.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
  cleanups.push(async () => session.close());
  let nextId = 1;
  return {
    got,
    session,
    hello: () => got.find((m): m is HelloMessage => m.type === 'hello')!,
    /** Sends a command (an object, or raw text) and waits for its reply. */
    async call(name: string, args?: unknown, raw?: unknown): Promise<ReplyMessage> {
      const id = nextId++;
      await session.receive(raw ?? { type: 'command', id, name, args });
      const reply = got.find((m): m is ReplyMessage => m.type === 'reply' && m.id === (raw === undefined ? id : -1));
      if (!reply) throw new Error(`no reply to ${name}`);
      got.splice(got.indexOf(reply), 1);
      return reply;
    },
  };
}

function api(p: Pipeline, opts: Partial<CoreApiOptions> = {}): CoreApi {
  return new CoreApi(p, { timeframes: ['1m'], ...opts });
}

const simFeed = (id: string, options?: Record<string, unknown>) => ({ id, exchange: 'simulator', symbols: ['BTC-USDT'], ...(options ? { options } : {}) });

describe('input limits before validation', () => {
  it('a deeply nested options object (under the 256 KB frame cap) is refused naming the field; nothing changes; the next connection still gets its hello', async () => {
    const p = await pipelineWith();
    const core = api(p);
    const c = jsonClient(core);
    // The message as the web host receives it: JSON text under its 256 KiB frame cap, parsed.
    const depth = 30_000;
    const options = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const text = `{"type":"command","id":7,"name":"addFeed","args":{"id":"deep","exchange":"simulator","symbols":["BTC-USDT"],"options":${options}}}`;
    expect(text.length).toBeLessThan(256 * 1024);
    await c.session.receive(JSON.parse(text));
    const reply = c.got.find((m): m is ReplyMessage => m.type === 'reply' && m.id === 7)!;
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(/^args\.options\.a\.a.*: nested too deeply \(more than 32 levels\)$/);
    expect(core.rejected).toBe(1);
    expect((await c.call('listFeeds')).result).toEqual([]);
    // A new UI connection gets a proper hello (today's main crashed here, in JSON.stringify).
    const next = jsonClient(core);
    expect(next.hello().feeds).toEqual([]);
    expect(next.hello().venues.length).toBeGreaterThan(1);
  });

  it('the same limits apply to JSON text, before it is parsed', async () => {
    const core = api(await pipelineWith());
    const c = jsonClient(core);
    const reply = await c.call('addFeed', undefined, '['.repeat(100_000) + ']'.repeat(100_000));
    expect(reply).toMatchObject({ ok: false, error: 'malformed message: (root): nested too deeply (more than 32 levels)' });
    const ok = await c.session.receive(JSON.stringify({ type: 'command', id: 99, name: 'listFeeds' }));
    expect(ok).toBeUndefined();
    expect(c.got.find((m) => m.type === 'reply' && m.id === 99)).toMatchObject({ ok: true, result: [] });
    expect(core.rejected).toBe(1);
  });

  it.each([
    ['a string longer than 16 KiB', { ...simFeed('s'), symbols: ['x'.repeat(20_000)] }, 'args.symbols[0]: string too long'],
    ['more than 10,000 array items', { ...simFeed('s'), symbols: Array(10_001).fill('BTC-USDT') }, 'args.symbols: too many items'],
    ['a non-finite number', simFeed('s', { rate: Infinity }), 'args.options.rate: must be a finite number'],
  ])('refuses %s naming the field', async (_what, args, error) => {
    const core = api(await pipelineWith());
    const c = jsonClient(core);
    expect(await c.call('addFeed', args)).toMatchObject({ ok: false, error: expect.stringContaining(error) });
    expect(core.rejected).toBe(1);
    expect((await c.call('listFeeds')).result).toEqual([]);
  });
});

describe('venue options and feed ids through the API', () => {
  it('a simulator rate of -5 and host 0.0.0.0 are refused naming the field; nothing starts', async () => {
    const p = await pipelineWith();
    const saved: FeedConfig[][] = [];
    const core = api(p, { onFeedsChanged: async (f) => void saved.push(f) });
    const c = jsonClient(core);
    expect(await c.call('addFeed', simFeed('neg', { rate: -5 }))).toMatchObject({
      ok: false, error: 'options.rate: must be a positive number of trades per second',
    });
    expect(await c.call('addFeed', simFeed('wide', { host: '0.0.0.0' }))).toMatchObject({
      ok: false, error: expect.stringContaining('options.host: must be 127.0.0.1 or ::1'),
    });
    expect(await c.call('addFeed', { exchange: 'okx', symbols: ['BTC-USDT'], options: { rate: 1 } })).toMatchObject({
      ok: false, error: 'options.rate: not an option of okx feeds',
    });
    expect(core.rejected).toBe(3);
    expect(saved).toEqual([]);
    expect(p.listFeeds()).toEqual([]);
    expect(p.simulatorFor('neg')).toBeNull();
  });

  it.each(['..', '.', 'a/b', '../../etc'])('feed id %j is refused naming the field', async (id) => {
    const core = api(await pipelineWith());
    const c = jsonClient(core);
    const r = await c.call('addFeed', { ...simFeed(id), record: true });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^id: must be 1-64 letters, digits, _ or -/) });
    expect(core.rejected).toBe(1);
  });
});

describe('replay files from the API', () => {
  function dataDirWithRecording() {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-api-'));
    const feedDir = join(dataDir, 'recordings', 'sim');
    mkdirSync(feedDir, { recursive: true });
    const header = { type: 'header', version: 1, venue: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], feedId: 'sim', startedAt: 1, file: 1 };
    writeFileSync(join(feedDir, '000000000000001-00001.ndjson'), JSON.stringify(header) + '\n');
    return dataDir;
  }
  const replay = (id: string, file: string) => ({ id, exchange: 'replay', symbols: ['BTC-USDT'], options: { file, speed: 'max' } });

  it('refuses a file outside <data dir>/recordings with the same words as a missing one; nothing is saved', async () => {
    const dataDir = dataDirWithRecording();
    const outside = mkdtempSync(join(tmpdir(), 'tickscope-outside-'));
    writeFileSync(join(outside, 'secret.ndjson'), 'x\n');
    symlinkSync(outside, join(dataDir, 'recordings', 'link-out'));
    const p = await pipelineWith([], dataDir);
    const saved: FeedConfig[][] = [];
    const core = api(p, { onFeedsChanged: async (f) => void saved.push(f) });
    const c = jsonClient(core);
    const cases = ['/etc/passwd', join(outside, 'secret.ndjson'), join(dataDir, 'recordings', 'link-out', 'secret.ndjson'), 'link-out/secret.ndjson', '../settings.json', '/no/such/file', 'nothing-here'];
    const errors: string[] = [];
    for (const file of cases) {
      const r = await c.call('addFeed', replay('rp', file));
      expect(r.ok).toBe(false);
      errors.push(r.error!.replace(file, '<file>'));
    }
    // Exists-but-outside and does-not-exist read the same.
    expect(new Set(errors)).toEqual(new Set([`options.file: "<file>" is not a recording in ${join(dataDir, 'recordings')}`]));
    expect(core.rejected).toBe(cases.length);
    expect(saved).toEqual([]);
    expect(p.listFeeds()).toEqual([]);
  });

  it('plays a recording inside the folder, named relative to it or in full', async () => {
    const dataDir = dataDirWithRecording();
    const p = await pipelineWith([], dataDir);
    const c = jsonClient(api(p));
    expect(await c.call('addFeed', replay('rel', 'sim'))).toMatchObject({ ok: true });
    expect(await c.call('addFeed', replay('abs', join(dataDir, 'recordings', 'sim')))).toMatchObject({ ok: true });
    await waitFor(() => p.health().feeds.every((f) => f.replay?.done), 'both replays to finish', { explain: () => JSON.stringify(p.health().feeds) });
  });

  it('a replay feed from settings.json (untrusted) pointing outside does not start, with the same error', async () => {
    const dataDir = dataDirWithRecording();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, feeds: [replay('old', '/etc/passwd')] }));
    const app = await startCoreApp({ dataDir });
    cleanups.push(() => app.stop());
    const h = app.pipeline.health().feeds.find((f) => f.feedId === 'old')!;
    expect(h.state).toBe('error');
    expect(h.lastError?.message).toBe(`options.file: "/etc/passwd" is not a recording in ${join(dataDir, 'recordings')}`);
  });
});

describe('settings are saved before a change is applied', () => {
  it('a save that fails leaves every running feed exactly as it was (add, update, remove, enable)', async () => {
    const p = await pipelineWith();
    let failing = false;
    const core = api(p, { onFeedsChanged: async () => { if (failing) throw new Error('ENOSPC: no space left on device'); } });
    const c = jsonClient(core);
    expect(await c.call('addFeed', simFeed('keep', { seed: 1 }))).toMatchObject({ ok: true });
    const running = p.simulatorFor('keep');
    expect(running).not.toBeNull();
    const before = p.listFeeds();

    failing = true;
    const replies = [
      await c.call('addFeed', simFeed('new')),
      await c.call('updateFeed', simFeed('keep', { seed: 2 })),
      await c.call('removeFeed', { id: 'keep' }),
      await c.call('setFeedEnabled', { id: 'keep', enabled: false }),
    ];
    for (const r of replies) {
      expect(r).toMatchObject({ ok: false, error: 'the settings could not be saved, so nothing was changed: ENOSPC: no space left on device' });
    }
    expect(p.listFeeds()).toEqual(before);
    expect(p.simulatorFor('new')).toBeNull();
    // The very same simulator still serves the feed: it was never stopped or replaced.
    expect(p.simulatorFor('keep')).toBe(running);
    expect(core.rejected).toBe(0); // the input was fine; the disk was not
  });

  it('with a settings file that cannot be written on disk (a real EISDIR), addFeed is refused and nothing runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-ro-'));
    const app = await startCoreApp({ dataDir });
    cleanups.push(() => app.stop());
    const c = jsonClient(app.api);
    const before = app.pipeline.listFeeds();
    mkdirSync(join(dataDir, 'settings.json')); // settings.json is now a directory: every write fails
    const r = await c.call('addFeed', simFeed('extra'));
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^the settings could not be saved, so nothing was changed: /) });
    expect(app.pipeline.listFeeds()).toEqual(before);
    expect(app.pipeline.simulatorFor('extra')).toBeNull();
    expect((await c.call('listFeeds')).result).toEqual(before);
  });

  it('a good save is followed by the change, and the file holds what runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-save-'));
    const app = await startCoreApp({ dataDir });
    cleanups.push(() => app.stop());
    const c = jsonClient(app.api);
    expect(await c.call('addFeed', simFeed('extra'))).toMatchObject({ ok: true });
    const onDisk = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { feeds: FeedConfig[] };
    expect(onDisk.feeds).toEqual(app.pipeline.listFeeds());
  });

  it('two adds of one id at once: one wins, the other is refused (changes run one at a time)', async () => {
    const p = await pipelineWith();
    const c = jsonClient(api(p, { onFeedsChanged: () => new Promise((r) => setTimeout(r, 20)) }));
    const [a, b] = await Promise.all([c.call('addFeed', simFeed('twin')), c.call('addFeed', { ...simFeed('twin'), symbols: ['ETH-USDT'] })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)!.error).toBe('id: a feed "twin" already exists');
    expect(p.listFeeds()).toHaveLength(1);
  });
});

describe('replies and hello never crash anything', () => {
  /** A feed the schema would refuse, put straight into the pipeline: its options hold a BigInt. */
  async function pipelineWithUnserialisableFeed() {
    return pipelineWith([{ ...(simFeed('odd') as unknown as FeedConfig), market: 'spot', channels: ['trades'], enabled: true, options: { seed: 10n } }]);
  }

  it('hello: a feed list JSON cannot hold gives a hello with a notice, not an exception', async () => {
    const core = api(await pipelineWithUnserialisableFeed());
    const c = jsonClient(core);
    expect(c.hello()).toMatchObject({ type: 'hello', feeds: [], notices: [expect.stringContaining('could not describe its feeds')] });
  });

  it('a reply whose result cannot be serialised becomes an error reply', async () => {
    const c = jsonClient(api(await pipelineWithUnserialisableFeed()));
    expect(await c.call('listFeeds')).toEqual({ type: 'reply', id: 1, ok: false, error: 'the reply could not be sent (its result is not serialisable)' });
  });

  it('receive() never rejects, even when the transport throws on every send', async () => {
    const core = api(await pipelineWith());
    const session = core.connect({ send: () => { throw new Error('port closed'); }, ready: () => true });
    await expect(session.receive({ type: 'command', id: 1, name: 'nope' })).resolves.toBeUndefined();
    await expect(session.receive(null)).resolves.toBeUndefined();
    await expect(session.receive({ type: 'command', id: 2, name: 'listFeeds' })).resolves.toBeUndefined();
    session.close();
    expect(core.rejected).toBe(2);
  });
});
