/**
 * Feed changes are pushed to every connected UI: a change made in one window ({type:'feeds'})
 * reaches the others, so no window shows a stale list. A real pipeline with simulator feeds, and
 * two sessions attached as two windows would be (each transport serialises with JSON).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { FeedsMessage, ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi, type CoreApiOptions } from '../../../electron/core/api/core-api';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pipelineWith(feeds: FeedConfig[] = []): Promise<Pipeline> {
  const p = await startPipeline({ feeds, dataDir: null, backfill: false, store: false });
  cleanups.push(() => p.stop());
  return p;
}

/** One window: what it was sent, and a call() that resolves once its reply has arrived. */
function windowOn(core: CoreApi) {
  const got: ServerMessage[] = [];
  const session = core.connect({ send: (m) => void got.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
  cleanups.push(async () => session.close());
  let nextId = 1;
  return {
    got,
    session,
    pushes: () => got.filter((m): m is FeedsMessage => m.type === 'feeds'),
    async call(name: string, args?: unknown): Promise<ReplyMessage> {
      const id = nextId++;
      // receive() resolves after the reply was sent: anything pushed by this change came before it.
      await session.receive({ type: 'command', id, name, args });
      const reply = got.find((m): m is ReplyMessage => m.type === 'reply' && m.id === id);
      if (!reply) throw new Error(`no reply to ${name}`);
      return reply;
    },
  };
}

const ids = (m: FeedsMessage | undefined) => m?.feeds.map((f) => `${f.id}:${f.enabled}`);

describe('feed changes are pushed to every window', () => {
  it('add, update, enable and remove made in one window reach the other, in order, with the full list', async () => {
    const core = new CoreApi(await pipelineWith(), { timeframes: ['1m'] });
    const a = windowOn(core);
    const b = windowOn(core);

    expect((await a.call('addFeed', { id: 'sim-a', exchange: 'simulator', symbols: ['BTC-USDT'] })).ok).toBe(true);
    expect(ids(b.pushes().at(-1))).toEqual(['sim-a:true']);
    // The full, validated config, as listFeeds gives it (defaults applied).
    expect(b.pushes().at(-1)!.feeds).toEqual((await b.call('listFeeds')).result);

    expect((await a.call('updateFeed', { id: 'sim-a', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'] })).ok).toBe(true);
    expect(b.pushes().at(-1)!.feeds[0]!.symbols).toEqual(['BTC-USDT', 'ETH-USDT']);

    expect((await a.call('setFeedEnabled', { id: 'sim-a', enabled: false })).ok).toBe(true);
    expect(ids(b.pushes().at(-1))).toEqual(['sim-a:false']);

    expect((await a.call('removeFeed', { id: 'sim-a' })).ok).toBe(true);
    expect(ids(b.pushes().at(-1))).toEqual([]);

    expect(b.pushes()).toHaveLength(4);
    // The window that made the change gets the same list, before its reply.
    expect(a.pushes()).toHaveLength(4);
    const lastReply = a.got.findLastIndex((m) => m.type === 'reply');
    expect(a.got.lastIndexOf(a.pushes().at(-1)!)).toBeLessThan(lastReply);
  });

  it('a refused or unsaved change pushes nothing (the list did not change)', async () => {
    let failSave = false;
    const opts: CoreApiOptions = {
      timeframes: ['1m'],
      onFeedsChanged: async () => {
        if (failSave) throw new Error('EACCES: permission denied');
      },
    };
    const core = new CoreApi(await pipelineWith([{ id: 'sim-a', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true }]), opts);
    const a = windowOn(core);
    const b = windowOn(core);

    expect((await a.call('addFeed', { id: 'sim-a', exchange: 'simulator', symbols: ['BTC-USDT'] })).error).toContain('already exists');
    expect((await a.call('setFeedEnabled', { id: 'nope', enabled: false })).error).toContain('no feed "nope"');
    expect((await a.call('addFeed', { exchange: 'simulator', symbols: ['BTCUSDT'] })).error).toContain('symbols[0]');
    failSave = true;
    expect((await a.call('removeFeed', { id: 'sim-a' })).error).toContain('the settings could not be saved');
    // Each reply has arrived, and a push would have come before it.
    expect(a.pushes()).toEqual([]);
    expect(b.pushes()).toEqual([]);
  });

  it('a closed window is not written to; the others still are', async () => {
    const core = new CoreApi(await pipelineWith(), { timeframes: ['1m'] });
    const a = windowOn(core);
    const b = windowOn(core);
    b.session.close();
    const before = b.got.length;
    expect((await a.call('addFeed', { id: 'sim-a', exchange: 'simulator', symbols: ['BTC-USDT'] })).ok).toBe(true);
    expect(ids(a.pushes().at(-1))).toEqual(['sim-a:true']);
    expect(b.got.slice(before).filter((m) => m.type === 'feeds')).toEqual([]);
  });

  it('a window whose transport throws does not stop the push to the others, nor the reply', async () => {
    const core = new CoreApi(await pipelineWith(), { timeframes: ['1m'] });
    let broken = false;
    const session = core.connect({
      send: () => {
        if (broken) throw new Error('the port is closed');
      },
      ready: () => true,
    });
    cleanups.push(async () => session.close());
    broken = true;
    const a = windowOn(core);
    expect((await a.call('addFeed', { id: 'sim-a', exchange: 'simulator', symbols: ['BTC-USDT'] })).ok).toBe(true);
    expect(ids(a.pushes().at(-1))).toEqual(['sim-a:true']);
  });
});
